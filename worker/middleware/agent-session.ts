import { createMiddleware } from 'hono/factory';
import { getCookie } from 'hono/cookie';
import type { AppEnv } from '../app-env';
import { sha256 } from '../auth/crypto';
import { findSession } from '../db/sessions';
import type { Agent } from '../db/agents';
import { ApiError } from '../errors';

/** Name of the agent session cookie. */
export const SESSION_COOKIE = 'sb_session';

/** Middleware: the signed-in, enabled agent in `c.var.agent`, or 401. Tenant comes only from here. */
export function requireAgent() {
  return createMiddleware<AppEnv>(async function requireAgent(c, next) {
    const token = getCookie(c, SESSION_COOKIE);
    if (!token) throw new ApiError('auth.required', 'Sign in first');
    const hash = await sha256(token);
    const found = await findSession(c.env.DB, hash, Date.now());
    if (!found) throw new ApiError('auth.required', 'Your session has ended; sign in again');
    c.set('agent', found.agent);
    c.set('session', { id: sessionIdOf(hash), expiresAt: found.expiresAt });
    await next();
  });
}

/**
 * A session's public name: a prefix of its cookie's hash. Socket tokens carry it so that logging
 * out closes that session's sockets and no other; it reveals nothing of the cookie.
 */
export function sessionIdOf(tokenHash: string): string {
  return tokenHash.slice(0, 16);
}

/** Middleware: only these roles pass (after requireAgent); others get 403. Checked on the server, always. */
export function requireRole(...roles: Agent['role'][]) {
  return createMiddleware<AppEnv>(async function requireRole(c, next) {
    if (!roles.includes(c.var.agent.role)) throw new ApiError('auth.forbidden', `This needs the ${roles.join(' or ')} role`);
    await next();
  });
}
