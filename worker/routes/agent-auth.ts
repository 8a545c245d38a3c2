import { Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { LoginRequest } from '../../protocol';
import type { LoginResponse, LogoutResponse, MeResponse } from '../../protocol';
import type { AppEnv } from '../app-env';
import { findAgentsForLogin } from '../db/agents';
import type { Agent } from '../db/agents';
import { createSession, deleteSession, findSession } from '../db/sessions';
import { randomToken, sha256 } from '../auth/crypto';
import { DUMMY_HASH, verifyPassword } from '../auth/password';
import { ApiError } from '../errors';
import { jsonBody } from '../middleware/validate';
import { SESSION_COOKIE, requireAgent, sessionIdOf } from '../middleware/agent-session';
import { closeAgentEverywhere } from '../inbox/everywhere';
import { profileOf } from '../views';
import { beginLogin, clientIp } from '../limits/limits';

const SESSION_TTL_MS = 12 * 60 * 60 * 1000; // one long shift

/**
 * Below this many password hashes per login, the work is padded with dummy hashes, so an unknown
 * address, a one-brand address and a two-brand address cost the same time. (An address in more
 * brands than this takes longer; such addresses are rare and the answer is still the same.)
 */
const MIN_HASHES = 2;

/**
 * The enabled agents whose password matches, checking every account with this address (never
 * stopping at the first) so neither the answer nor the time says which addresses exist where.
 */
async function checkCredentials(db: D1Database, email: string, password: string, tenant: string | undefined): Promise<Agent[]> {
  const candidates = await findAgentsForLogin(db, email, tenant);
  const hashes = candidates.map((c) => c.passwordHash);
  while (hashes.length < MIN_HASHES) hashes.push(DUMMY_HASH);
  const results = await Promise.all(hashes.map((h) => verifyPassword(password, h)));
  return candidates.filter((c, i) => results[i] && !c.agent.disabled).map((c) => c.agent);
}

/** Sign-in, sign-out and who-am-I for agents. */
export const agentAuthRoutes = new Hono<AppEnv>();

agentAuthRoutes.post('/login', jsonBody(LoginRequest), async (c) => {
  const { email, password, tenant } = c.var.body;
  // Locked accounts and IPs are refused before any password is checked, so the right one fails too.
  const guard = await beginLogin(c.env, email, clientIp(c.req.raw));
  const found = await checkCredentials(c.env.DB, email, password, tenant);
  if (found.length === 0) throw new ApiError('auth.invalid_credentials', 'Wrong email or password');
  // The password is proven, so saying "which brand?" tells the caller nothing they did not know.
  await guard.succeeded();
  if (found.length > 1) throw new ApiError('auth.tenant_required', 'This email works in several brands; say which one in `tenant`');
  const agent = found[0]!;
  const token = randomToken();
  const now = Date.now();
  await createSession(c.env.DB, await sha256(token), agent, now, now + SESSION_TTL_MS);
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'Strict',
    secure: new URL(c.req.url).protocol === 'https:',
    path: '/',
    maxAge: SESSION_TTL_MS / 1000,
  });
  return c.json({ agent: profileOf(agent) } satisfies LoginResponse);
});

agentAuthRoutes.post('/logout', async (c) => {
  const token = getCookie(c, SESSION_COOKIE);
  if (token) {
    const hash = await sha256(token);
    const found = await findSession(c.env.DB, hash, Date.now());
    await deleteSession(c.env.DB, hash);
    // The session is gone; now its sockets, in the inbox and in every conversation, close too.
    if (found) await closeAgentEverywhere(c.env, found.agent.tenantId, found.agent.id, sessionIdOf(hash));
  }
  deleteCookie(c, SESSION_COOKIE, { path: '/' });
  return c.json({ ok: true } satisfies LogoutResponse);
});

agentAuthRoutes.get('/me', requireAgent(), (c) => c.json({ agent: profileOf(c.var.agent) } satisfies MeResponse));
