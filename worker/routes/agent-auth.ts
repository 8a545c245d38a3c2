import { Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { LoginRequest } from '../../protocol';
import type { AppEnv } from '../app-env';
import { findAgentsForLogin } from '../db/agents';
import { createSession, deleteSession } from '../db/sessions';
import { randomToken, sha256 } from '../auth/crypto';
import { DUMMY_HASH, verifyPassword } from '../auth/password';
import { ApiError } from '../errors';
import { jsonBody } from '../middleware/validate';
import { SESSION_COOKIE, requireAgent } from '../middleware/agent-session';
import { profileOf } from '../views';

const SESSION_TTL_MS = 12 * 60 * 60 * 1000; // one long shift

/** Sign-in, sign-out and who-am-I for agents. */
export const agentAuthRoutes = new Hono<AppEnv>();

agentAuthRoutes.post('/login', jsonBody(LoginRequest), async (c) => {
  const { email, password, tenant } = c.var.body;
  const candidates = await findAgentsForLogin(c.env.DB, email, tenant);
  if (candidates.length > 1) throw new ApiError('auth.tenant_required', 'This email works in several brands; say which one in `tenant`');
  const found = candidates[0];
  // Hash even when nobody matched, so the response time does not tell which emails exist.
  const good = await verifyPassword(password, found?.passwordHash ?? DUMMY_HASH);
  if (!found || !good || found.agent.disabled) throw new ApiError('auth.invalid_credentials', 'Wrong email or password');
  const token = randomToken();
  const now = Date.now();
  await createSession(c.env.DB, await sha256(token), found.agent, now, now + SESSION_TTL_MS);
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'Strict',
    secure: new URL(c.req.url).protocol === 'https:',
    path: '/',
    maxAge: SESSION_TTL_MS / 1000,
  });
  return c.json({ agent: profileOf(found.agent) });
});

agentAuthRoutes.post('/logout', async (c) => {
  const token = getCookie(c, SESSION_COOKIE);
  if (token) await deleteSession(c.env.DB, await sha256(token));
  deleteCookie(c, SESSION_COOKIE, { path: '/' });
  return c.json({ ok: true });
});

agentAuthRoutes.get('/me', requireAgent(), (c) => c.json({ agent: profileOf(c.var.agent) }));
