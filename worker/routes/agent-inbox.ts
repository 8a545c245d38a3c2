import { Hono } from 'hono';
import * as v from 'valibot';
import { CLOSE, TeamId } from '../../protocol';
import type { ErrorCode } from '../../protocol';
import type { AppEnv } from '../app-env';
import { requireAgent } from '../middleware/agent-session';
import { ApiError } from '../errors';
import { assertOrigin } from '../middleware/origin';
import { AGENT_HEADERS, TEAM_HEADERS } from '../inbox/agent-socket';
import { floorStub, teamStub } from '../stubs';
import { findTenantById } from '../db/tenants';
import { wallOf } from '../db/teams';
import { parseOrThrow } from '../middleware/validate';

/**
 * The agent's live inbox sockets: without `team`, presence (the tenant's Floor); with `team`, that
 * team's queue (its Inbox object), open only to the teams on the agent's wall.
 */
export const agentInboxRoutes = new Hono<AppEnv>();

const SocketQuery = v.object({ team: v.optional(TeamId) });

/**
 * Refuse a signed-in agent's team socket the way a browser can tell: accepted, told why, closed
 * with 4403. A refused upgrade (HTTP 403) looks to the page like a network error, retried forever.
 */
function refusedSocket(code: ErrorCode, message: string): Response {
  const { 0: client, 1: server } = new WebSocketPair();
  server.accept();
  server.send(JSON.stringify({ type: 'error', code, message }));
  server.close(CLOSE.forbidden, code);
  return new Response(null, { status: 101, webSocket: client });
}

agentInboxRoutes.get('/socket', requireAgent(), async (c) => {
  if (c.req.header('upgrade')?.toLowerCase() !== 'websocket') throw new ApiError('request.invalid', 'Expected a WebSocket upgrade');
  // The inbox is served from this origin only; the session cookie alone must not open it cross-site.
  assertOrigin(c.req.raw, []);
  const { team } = parseOrThrow(SocketQuery, c.req.query());
  const a = c.var.agent;
  const headers = new Headers(c.req.raw.headers);
  headers.set(AGENT_HEADERS.id, a.id);
  headers.set(AGENT_HEADERS.name, encodeURIComponent(a.name));
  headers.set(AGENT_HEADERS.role, a.role);
  // The session lets logout and the session's end close exactly this socket.
  headers.set(AGENT_HEADERS.session, c.var.session.id);
  headers.set(AGENT_HEADERS.sessionEndsAt, String(c.var.session.expiresAt));
  if (team === undefined) {
    headers.set(AGENT_HEADERS.maxChats, String(a.maxChats));
    headers.set(TEAM_HEADERS.tenant, a.tenantId);
    return floorStub(c.env, a.tenantId).fetch(new Request(c.req.raw.url, { headers }));
  }
  const place = (await wallOf(c.env.DB, a)).find((t) => t.id === team);
  if (!place) return refusedSocket('auth.forbidden', `Team "${team}" is not one of yours`);
  // Their capacity in this team, never above their own ceiling (max_chats); a supervisor who only
  // watches the team is never assigned its chats.
  headers.set(AGENT_HEADERS.maxChats, String(place.member ? Math.min(place.capacity ?? 0, a.maxChats) : 0));
  headers.set(TEAM_HEADERS.tenant, a.tenantId);
  headers.set(TEAM_HEADERS.team, team);
  // How long the team waits, once this agent's last socket to it closes, before their chats go back.
  const tenant = await findTenantById(c.env.DB, a.tenantId);
  if (tenant) headers.set(AGENT_HEADERS.offlineGraceMs, String(tenant.offlineGraceMs));
  return teamStub(c.env, a.tenantId, team).fetch(new Request(c.req.raw.url, { headers }));
});
