import { Hono } from 'hono';
import * as v from 'valibot';
import { QueueFilter } from '../../protocol';
import type { AgentLoad, AgentsResponse, CannedResponse, QueueResponse, SupervisorResponse } from '../../protocol';
import type { AppEnv } from '../app-env';
import { listAgents } from '../db/agents';
import { listCannedReplies } from '../db/canned';
import { decodeCursor, encodeCursor } from '../cursor';
import { parseOrThrow } from '../middleware/validate';
import { requireAgent, requireRole } from '../middleware/agent-session';
import type { Env } from '../env';
import { inboxStub } from '../stubs';

/** The live queue, the team, canned replies and the supervisor's view: all from the tenant's Inbox. */
// Mounted beside /login, so the session check is per route rather than a '*' middleware.
export const agentQueueRoutes = new Hono<AppEnv>();

const QueueQuery = v.object({
  filter: v.optional(QueueFilter, 'open'),
  cursor: v.optional(v.pipe(v.string(), v.maxLength(300))),
  limit: v.optional(v.pipe(v.string(), v.toNumber(), v.integer(), v.minValue(1), v.maxValue(200)), '50'),
});
agentQueueRoutes.get('/queue', requireAgent(), async (c) => {
  const q = parseOrThrow(QueueQuery, c.req.query());
  const after = q.cursor ? decodeCursor(q.cursor) : null;
  const agent = c.var.agent;
  const page = await inboxStub(c.env, agent.tenantId).page(q.filter, agent.id, after, Number(q.limit));
  const res: QueueResponse = { items: page.items, counts: page.counts, nextCursor: page.next ? encodeCursor(page.next) : null };
  return c.json(res);
});

/** Every enabled agent of the tenant with live presence and load; the offline ones too. */
async function teamOf(env: Env, tenantId: string): Promise<AgentLoad[]> {
  const [all, live] = await Promise.all([listAgents(env.DB, tenantId), inboxStub(env, tenantId).loads()]);
  const byId = new Map(live.map((a) => [a.id, a]));
  return all
    .filter((a) => !a.disabled)
    .map((a) => ({ ...(byId.get(a.id) ?? { id: a.id, name: a.name, role: a.role, status: 'offline' as const, since: 0, load: 0 }), maxChats: a.maxChats }));
}

agentQueueRoutes.get('/agents', requireAgent(), async (c) => c.json({ agents: await teamOf(c.env, c.var.agent.tenantId) } satisfies AgentsResponse));

agentQueueRoutes.get('/canned', requireAgent(), async (c) => c.json({ replies: await listCannedReplies(c.env.DB, c.var.agent.tenantId) } satisfies CannedResponse));

agentQueueRoutes.get('/supervisor', requireAgent(), requireRole('supervisor', 'admin'), async (c) => {
  const tenantId = c.var.agent.tenantId;
  const [floor, agents] = await Promise.all([inboxStub(c.env, tenantId).supervisor(), teamOf(c.env, tenantId)]);
  const res: SupervisorResponse = { ...floor, agents };
  return c.json(res);
});
