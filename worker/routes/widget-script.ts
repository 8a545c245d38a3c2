import { Hono } from 'hono';
import type { AppEnv } from '../app-env';
import { findTenantByKey } from '../db/tenants';
import { ApiError } from '../errors';
import { publicBrand } from '../views';

/**
 * GET /widget.js[?brand=key] — the loader, with the brand's look inlined when a brand is named, so
 * the partner's page shows a branded bubble from this one request.
 */
export const widgetScriptRoutes = new Hono<AppEnv>();

widgetScriptRoutes.get('/widget.js', async (c) => {
  if (!c.env.ASSETS) throw new ApiError('request.not_found', 'Static assets are not configured');
  const loader = await c.env.ASSETS.fetch(new URL('/sb/loader.js', c.req.url));
  if (!loader.ok) throw new ApiError('request.not_found', 'The widget is not built; run npm run build');
  let js = await loader.text();
  const key = c.req.query('brand');
  if (key) {
    const tenant = await findTenantByKey(c.env.DB, key);
    if (!tenant) throw new ApiError('brand.not_found', `No brand "${key}"`);
    // JSON is valid JS; escaping "<" keeps a brand name from ever closing a <script> it is inlined in.
    js = `var __SB_BRAND__=${JSON.stringify(publicBrand(tenant)).replace(/</g, '\\u003c')};\n${js}`;
  }
  return c.body(js, 200, {
    'content-type': 'text/javascript; charset=utf-8',
    // Short enough that a branding change shows within minutes; revalidated in the background.
    'cache-control': 'public, max-age=300, stale-while-revalidate=86400',
    'access-control-allow-origin': '*',
  });
});
