import { Hono } from 'hono';
import { SearchQuery } from '../../protocol';
import type { SearchResponse } from '../../protocol';
import type { AppEnv } from '../app-env';
import { requireAgent } from '../middleware/agent-session';
import { parseOrThrow } from '../middleware/validate';
import { decodeCursor, encodeCursor } from '../cursor';
import { ApiError } from '../errors';
import { search } from '../db/search';
import type { SearchFilter } from '../db/search';
import { wallOf } from '../db/teams';

/** GET /v1/agent/search: the inbox's Ctrl+K. Tenant from the session, team wall from the agent's teams, every text masked. */
export const agentSearchRoutes = new Hono<AppEnv>();
agentSearchRoutes.use('*', requireAgent());

/** The cursor of search pages is the one cursor format, holding how many hits came before. */
const CURSOR_ID = 'search';

agentSearchRoutes.get('/', async (c) => {
  const q = parseOrThrow(SearchQuery, c.req.query());
  const agent = c.var.agent;
  let offset = 0;
  if (q.cursor) {
    const at = decodeCursor(q.cursor);
    if (at.id !== CURSOR_ID || !Number.isInteger(at.key) || at.key < 0 || at.key > 1000) throw new ApiError('request.invalid', 'cursor is not one this API gave out');
    offset = at.key;
  }
  const filter: SearchFilter = { wall: agent.role === 'admin' ? null : { teams: (await wallOf(c.env.DB, agent)).map((t) => t.id), agentId: agent.id } };
  if (q.status) filter.statuses = q.status;
  if (q.channel) filter.channel = q.channel;
  if (q.team) filter.team = q.team;
  if (q.assignee !== undefined) filter.assignee = q.assignee === 'none' ? null : q.assignee === 'me' ? agent.id : q.assignee;
  if (q.topic) filter.topic = q.topic;
  if (q.from !== undefined) filter.from = q.from;
  if (q.to !== undefined) filter.to = q.to;
  const limit = Number(q.limit);
  const { hits, more } = await search(c.env.DB, agent.tenantId, q.q, filter, offset, limit);
  const res: SearchResponse = { hits, nextCursor: more ? encodeCursor({ key: offset + limit, id: CURSOR_ID }) : null };
  return c.json(res);
});
