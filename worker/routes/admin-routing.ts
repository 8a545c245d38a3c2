import { Hono } from 'hono';
import { AgentTeamsRequest, DEFAULT_TEAM, RoutingConfig } from '../../protocol';
import type { RoutingConfig as RoutingConfigT } from '../../protocol';
import type { AppEnv } from '../app-env';
import { findTenantById } from '../db/tenants';
import { findAgentById } from '../db/agents';
import { listTeams, membershipsOf, saveRouting, setMemberships, teamsInUse, wallOf } from '../db/teams';
import { teamStub } from '../stubs';
import { ApiError } from '../errors';
import { jsonBody } from '../middleware/validate';
import { requireAgent, requireRole } from '../middleware/agent-session';

/** Admins define their tenant's teams, routing rules and pre-chat topics, and who works where. */
export const adminRoutingRoutes = new Hono<AppEnv>();
adminRoutingRoutes.use('*', requireAgent(), requireRole('admin'));

adminRoutingRoutes.get('/', async (c) => {
  const tenantId = c.var.agent.tenantId;
  const [teams, tenant] = await Promise.all([listTeams(c.env.DB, tenantId), findTenantById(c.env.DB, tenantId)]);
  return c.json({ teams, rules: tenant?.routingRules ?? [], topics: tenant?.prechatTopics ?? [] } satisfies RoutingConfigT);
});

adminRoutingRoutes.put('/', jsonBody(RoutingConfig), async (c) => {
  const tenantId = c.var.agent.tenantId;
  const config = c.var.body;
  const ids = new Set(config.teams.map((t) => t.id));
  if (ids.size !== config.teams.length) throw new ApiError('request.invalid', 'teams: each team id once');
  if (!ids.has(DEFAULT_TEAM)) throw new ApiError('request.invalid', `teams: the default team "${DEFAULT_TEAM}" must stay (unmatched conversations go there)`);
  for (const t of config.teams) {
    if (t.overflowTo && !ids.has(t.overflowTo)) throw new ApiError('team.not_found', `teams.${t.id}.overflowTo: no team "${t.overflowTo}"`);
    if (t.overflowTo === t.id) throw new ApiError('request.invalid', `teams.${t.id}.overflowTo: a team cannot overflow to itself`);
    if ((t.overflowTo === null) !== (t.overflowAfterS === null)) throw new ApiError('request.invalid', `teams.${t.id}: overflowTo and overflowAfterS go together`);
  }
  const topics = new Set(config.topics.map((t) => t.key));
  if (topics.size !== config.topics.length) throw new ApiError('request.invalid', 'topics: each key once');
  config.rules.forEach((r, i) => {
    if (!ids.has(r.team)) throw new ApiError('team.not_found', `rules.${i}.team: no team "${r.team}"`);
    if (r.topic !== undefined && !topics.has(r.topic)) throw new ApiError('request.invalid', `rules.${i}.topic: "${r.topic}" is not one of the topics`);
  });
  // A team with customers in it cannot vanish under them: move or finish them first.
  const removed = (await listTeams(c.env.DB, tenantId)).map((t) => t.id).filter((id) => !ids.has(id));
  const busy = await teamsInUse(c.env.DB, tenantId, removed);
  if (busy.length) throw new ApiError('team.in_use', `Team ${busy.map((t) => `"${t}"`).join(', ')} still has open conversations`);
  await saveRouting(c.env.DB, tenantId, config, Date.now());
  // Whoever still watches a removed team's (empty) queue is told it is gone.
  await Promise.all(removed.map((id) => teamStub(c.env, tenantId, id).leave(null).catch(() => 0)));
  return c.json(config satisfies RoutingConfigT);
});

adminRoutingRoutes.get('/agents/:id/teams', async (c) => {
  const agent = await findAgentById(c.env.DB, c.var.agent.tenantId, c.req.param('id'));
  if (!agent) throw new ApiError('agent.not_found', 'No such agent in this tenant');
  return c.json({ teams: await membershipsOf(c.env.DB, agent.tenantId, agent.id) });
});

adminRoutingRoutes.put('/agents/:id/teams', jsonBody(AgentTeamsRequest), async (c) => {
  const tenantId = c.var.agent.tenantId;
  const agent = await findAgentById(c.env.DB, tenantId, c.req.param('id'));
  if (!agent) throw new ApiError('agent.not_found', 'No such agent in this tenant');
  const known = new Set((await listTeams(c.env.DB, tenantId)).map((t) => t.id));
  const seen = new Set<string>();
  for (const m of c.var.body.teams) {
    if (!known.has(m.teamId)) throw new ApiError('team.not_found', `No team "${m.teamId}"`);
    if (seen.has(m.teamId)) throw new ApiError('request.invalid', `teams: "${m.teamId}" twice`);
    seen.add(m.teamId);
  }
  const before = await wallOf(c.env.DB, agent);
  await setMemberships(c.env.DB, tenantId, agent.id, c.var.body.teams);
  // Teams no longer on their wall stop sending them rows at once.
  const after = new Set((await wallOf(c.env.DB, agent)).map((t) => t.id));
  await Promise.all(before.filter((t) => !after.has(t.id)).map((t) => teamStub(c.env, tenantId, t.id).leave(agent.id).catch(() => 0)));
  return c.json({ teams: await membershipsOf(c.env.DB, tenantId, agent.id) });
});
