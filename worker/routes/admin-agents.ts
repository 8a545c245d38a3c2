import { Hono } from 'hono';
import { AgentAdminUpdate } from '../../protocol';
import type { AdminAgentUpdateResponse, AdminAgentsResponse } from '../../protocol';
import type { AppEnv } from '../app-env';
import { listAgents, updateAgent } from '../db/agents';
import { ApiError } from '../errors';
import { jsonBody } from '../middleware/validate';
import { requireAgent, requireRole } from '../middleware/agent-session';
import { profileOf } from '../views';
import { closeAgentEverywhere } from '../inbox/everywhere';

/** Admins manage their tenant's agents. */
export const adminAgentRoutes = new Hono<AppEnv>();
adminAgentRoutes.use('*', requireAgent(), requireRole('admin'));

adminAgentRoutes.get('/', async (c) => {
  const agents = await listAgents(c.env.DB, c.var.agent.tenantId);
  return c.json({ agents: agents.map((a) => ({ ...profileOf(a), disabled: a.disabled })) } satisfies AdminAgentsResponse);
});

adminAgentRoutes.patch('/:id', jsonBody(AgentAdminUpdate), async (c) => {
  const me = c.var.agent;
  const id = c.req.param('id');
  if (id === me.id && c.var.body.disabled) throw new ApiError('request.invalid', 'You cannot disable yourself');
  const agent = await updateAgent(c.env.DB, me.tenantId, id, c.var.body);
  if (!agent) throw new ApiError('agent.not_found', 'No such agent in this tenant');
  // Their sessions are gone from D1 already; now every open socket closes too.
  const closed = agent.disabled ? await closeAgentEverywhere(c.env, me.tenantId, agent.id) : 0;
  return c.json({ agent: { ...profileOf(agent), disabled: agent.disabled }, socketsClosed: closed } satisfies AdminAgentUpdateResponse);
});
