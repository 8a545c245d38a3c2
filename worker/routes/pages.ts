import { Hono } from 'hono';
import type { AppEnv } from '../app-env';
import { ApiError } from '../errors';

/**
 * The HTML pages /inbox and /chat, passed through from static assets. They are listed in
 * `run_worker_first` only so the security headers middleware can set their CSP (frame-ancestors
 * cannot be set from a <meta> tag, and the WebSocket origin depends on the host).
 */
export const pageRoutes = new Hono<AppEnv>();

/** Serve whatever static assets have at this path (inbox.html, chat.html, their redirects). */
async function fromAssets(c: { env: AppEnv['Bindings']; req: { raw: Request } }): Promise<Response> {
  if (!c.env.ASSETS) throw new ApiError('request.not_found', 'Static assets are not configured');
  return c.env.ASSETS.fetch(c.req.raw);
}

for (const page of ['/inbox', '/chat']) {
  pageRoutes.get(page, (c) => fromAssets(c));
  pageRoutes.get(`${page}.html`, (c) => fromAssets(c));
  pageRoutes.get(`${page}/*`, (c) => fromAssets(c));
}
