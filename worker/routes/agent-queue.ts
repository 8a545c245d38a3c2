import { Hono } from 'hono';
import * as v from 'valibot';
import { QueueFilter, TeamId, compareQueue, queueSortKey } from '../../protocol';
import type { AgentLoad, AgentsResponse, CannedResponse, QueueCounts, QueueItem, QueueResponse, SupervisorResponse, TeamView, TeamsResponse, TopicsResponse } from '../../protocol';
import type { AppEnv } from '../app-env';
import { listAgents } from '../db/agents';
import type { Agent } from '../db/agents';
import { listCannedReplies } from '../db/canned';
import { topicsConfig } from '../db/topics';
import { listTeams, wallOf } from '../db/teams';
import { decodeCursor, encodeCursor } from '../cursor';
import { ApiError } from '../errors';
import { parseOrThrow } from '../middleware/validate';
import { requireAgent, requireRole } from '../middleware/agent-session';
import type { Env } from '../env';
import { floorStub, teamStub } from '../stubs';

/**
 * The live queues, the people, canned replies and the supervisor's view. The queue is one Inbox
 * object per team: a page over several teams is merged here in queue order, and the counts add up.
 */
// Mounted beside /login, so the session check is per route rather than a '*' middleware.
export const agentQueueRoutes = new Hono<AppEnv>();

agentQueueRoutes.get('/teams', requireAgent(), async (c) => c.json({ teams: await wallOf(c.env.DB, c.var.agent) } satisfies TeamsResponse));

/** The teams a request looks at: one of the agent's wall, or all of it. */
async function teamsOf(env: Env, agent: Agent, team: string | undefined): Promise<TeamView[]> {
  const wall = await wallOf(env.DB, agent);
  if (team === undefined) return wall;
  const one = wall.find((t) => t.id === team);
  if (!one) throw new ApiError('auth.forbidden', `Team "${team}" is not one of yours`);
  return [one];
}

const QueueQuery = v.object({
  filter: v.optional(QueueFilter, 'open'),
  team: v.optional(TeamId),
  cursor: v.optional(v.pipe(v.string(), v.maxLength(300))),
  limit: v.optional(v.pipe(v.string(), v.toNumber(), v.integer(), v.minValue(1), v.maxValue(200)), '50'),
});
agentQueueRoutes.get('/queue', requireAgent(), async (c) => {
  const q = parseOrThrow(QueueQuery, c.req.query());
  const after = q.cursor ? decodeCursor(q.cursor) : null;
  const agent = c.var.agent;
  const limit = Number(q.limit);
  const teams = await teamsOf(c.env, agent, q.team);
  // Every team pages after the same position, so the first `limit` of their union is the next page.
  const pages = await Promise.all(teams.map((t) => teamStub(c.env, agent.tenantId, t.id).page(q.filter, agent.id, after, limit)));
  const merged: QueueItem[] = pages.flatMap((p) => p.items).sort(compareQueue);
  const items = merged.slice(0, limit);
  const last = items[items.length - 1];
  const more = merged.length > limit || pages.some((p) => p.next !== null);
  const counts = pages.reduce<QueueCounts>((sum, p) => addCounts(sum, p.counts), { unassigned: 0, mine: 0, on_hold: 0, escalated: 0, open: 0, resolved: 0 });
  const res: QueueResponse = { items, counts, nextCursor: more && last ? encodeCursor({ key: queueSortKey(last), id: last.id }) : null };
  return c.json(res);
});

function addCounts(a: QueueCounts, b: QueueCounts): QueueCounts {
  const out = { ...a };
  for (const k of Object.keys(out) as (keyof QueueCounts)[]) out[k] += b[k];
  return out;
}

/**
 * Every enabled agent of the tenant with live presence (from the Floor) and their load summed over
 * the teams given; the offline ones too.
 */
async function peopleOf(env: Env, tenantId: string, loads: AgentLoad[][]): Promise<AgentLoad[]> {
  const [all, floor] = await Promise.all([listAgents(env.DB, tenantId), floorStub(env, tenantId).presence()]);
  const live = new Map(floor.agents.map((a) => [a.id, a]));
  const load = new Map<string, number>();
  for (const team of loads) for (const a of team) load.set(a.id, (load.get(a.id) ?? 0) + a.load);
  return all
    .filter((a) => !a.disabled)
    .map((a) => ({ ...(live.get(a.id) ?? { id: a.id, name: a.name, role: a.role, status: 'offline' as const, since: 0 }), load: load.get(a.id) ?? 0, maxChats: a.maxChats }));
}

agentQueueRoutes.get('/agents', requireAgent(), async (c) => {
  const tenantId = c.var.agent.tenantId;
  const teams = await listTeams(c.env.DB, tenantId);
  const loads = await Promise.all(teams.map((t) => teamStub(c.env, tenantId, t.id).loads()));
  return c.json({ agents: await peopleOf(c.env, tenantId, loads) } satisfies AgentsResponse);
});

agentQueueRoutes.get('/canned', requireAgent(), async (c) => c.json({ replies: await listCannedReplies(c.env.DB, c.var.agent.tenantId) } satisfies CannedResponse));

agentQueueRoutes.get('/topics', requireAgent(), async (c) => c.json((await topicsConfig(c.env.DB, c.var.agent.tenantId)) satisfies TopicsResponse));

/** The floor over the teams the supervisor supervises (an admin: all), team by team and in sum. */
agentQueueRoutes.get('/supervisor', requireAgent(), requireRole('supervisor', 'admin'), async (c) => {
  const agent = c.var.agent;
  const teams = (await wallOf(c.env.DB, agent)).filter((t) => t.supervises);
  const views = await Promise.all(teams.map((t) => teamStub(c.env, agent.tenantId, t.id).supervisor()));
  const byWait = (a: QueueItem, b: QueueItem) => compareQueue(a, b);
  let longest: number | null = null;
  for (const v of views) if (v.longestWaitSince !== null && (longest === null || v.longestWaitSince < longest)) longest = v.longestWaitSince;
  const res: SupervisorResponse = {
    agents: await peopleOf(c.env, agent.tenantId, views.map((v) => v.agents)),
    waiting: views.reduce((n, v) => n + v.waiting, 0),
    waitingOnAbsent: views.reduce((n, v) => n + v.waitingOnAbsent, 0),
    longestWaitSince: longest,
    breached: views.reduce((n, v) => n + v.breached, 0),
    overdueHolds: views.flatMap((v) => v.overdueHolds).sort(byWait).slice(0, 100),
    escalations: views.flatMap((v) => v.escalations).sort(byWait).slice(0, 100),
    teams: views.map((v, i) => ({ ...v.floor, id: teams[i]!.id, name: teams[i]!.name })),
  };
  return c.json(res);
});
