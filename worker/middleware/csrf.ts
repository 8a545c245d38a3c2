import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../app-env';
import { ApiError } from '../errors';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Middleware: refuse a state-changing request that a browser sent from another origin.
 *
 * SameSite=Strict keeps the session cookie off requests from other *sites*, but a page on another
 * port of the same host is the same site, and body-less POSTs (/take, /logout, /socket-token) need
 * no preflight. So every cookie-authenticated POST/PUT/PATCH/DELETE must say where it came from:
 * - `Origin` equal to this deployment's own origin (browsers send it on every non-GET fetch and
 *   form post; `Origin: null` from sandboxed frames or redirects is refused);
 * - else `Sec-Fetch-Site: same-origin` (a browser that sent no Origin still marks cross-origin);
 * - else neither header: not a browser (curl, the bench, tests). A browser cannot be made to drop
 *   both, and such a client holds the cookie itself, so it is let through.
 */
export function csrf() {
  return createMiddleware<AppEnv>(async function csrf(c, next) {
    if (SAFE_METHODS.has(c.req.method)) return next();
    const origin = c.req.header('origin');
    const own = new URL(c.req.url).origin;
    if (origin !== undefined) {
      if (origin !== own) throw new ApiError('auth.origin_forbidden', `Requests from ${origin} may not change anything here`);
    } else {
      const site = c.req.header('sec-fetch-site');
      if (site !== undefined && site !== 'same-origin') throw new ApiError('auth.origin_forbidden', 'Cross-origin requests may not change anything here');
    }
    await next();
  });
}
