import { Hono } from 'hono';
import type { AppEnv } from '../app-env';
import { requireAgent } from '../middleware/agent-session';
import { ApiError } from '../errors';
import { assertOrigin } from '../middleware/origin';
import { AGENT_HEADERS } from '../inbox/inbox';
import { inboxStub } from '../stubs';
import { findTenantById } from '../db/tenants';

/** The agent's live inbox socket: presence now, the live queue later. */
export const agentInboxRoutes = new Hono<AppEnv>();

agentInboxRoutes.get('/socket', requireAgent(), async (c) => {
  if (c.req.header('upgrade')?.toLowerCase() !== 'websocket') throw new ApiError('request.invalid', 'Expected a WebSocket upgrade');
  // The inbox is served from this origin only; the session cookie alone must not open it cross-site.
  assertOrigin(c.req.raw, []);
  const a = c.var.agent;
  const headers = new Headers(c.req.raw.headers);
  headers.set(AGENT_HEADERS.id, a.id);
  headers.set(AGENT_HEADERS.name, encodeURIComponent(a.name));
  headers.set(AGENT_HEADERS.role, a.role);
  headers.set(AGENT_HEADERS.maxChats, String(a.maxChats));
  // The session lets logout and the session's end close exactly this socket.
  headers.set(AGENT_HEADERS.session, c.var.session.id);
  headers.set(AGENT_HEADERS.sessionEndsAt, String(c.var.session.expiresAt));
  // How long the Inbox waits, once this agent's last socket closes, before their chats go back.
  const tenant = await findTenantById(c.env.DB, a.tenantId);
  if (tenant) headers.set(AGENT_HEADERS.offlineGraceMs, String(tenant.offlineGraceMs));
  const stub = inboxStub(c.env, a.tenantId);
  return stub.fetch(new Request(c.req.raw.url, { headers }));
});
