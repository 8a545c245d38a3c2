import { Hono } from 'hono';
import type { Context } from 'hono';
import { AttachmentId, UploadQuery } from '../../protocol';
import type { AppEnv } from '../app-env';
import { ApiError } from '../errors';
import { verifySocketToken } from '../auth/tokens';
import type { SocketClaims } from '../auth/tokens';
import { findTenantById } from '../db/tenants';
import { getDocumentSettings } from '../db/document-settings';
import { assertOrigin } from '../middleware/origin';
import { parseOrThrow } from '../middleware/validate';
import { receiveUpload } from '../documents/upload';
import { linkFor } from '../documents/routes-shared';
import { chargeUpload } from '../documents/upload-limit';

/**
 * The customer's files, from the widget and the hosted page. Authorised like the socket: the
 * short-lived socket token of their session (`Authorization: Bearer …`, never in the URL) names
 * the tenant, the conversation and the contact; the Origin is checked against the brand.
 */
export const widgetFileRoutes = new Hono<AppEnv>();

async function customerOf(c: Context<AppEnv>): Promise<SocketClaims> {
  const auth = c.req.header('authorization') ?? '';
  const token = auth.startsWith('Bearer ') ? auth.slice(7) : '';
  if (!token) throw new ApiError('auth.required', 'Send your session token as a Bearer token');
  const claims = await verifySocketToken(c.env.SOCKET_SECRET, token);
  if (claims.role !== 'customer') throw new ApiError('auth.forbidden', 'Customers only');
  const tenant = await findTenantById(c.env.DB, claims.tid);
  if (!tenant) throw new ApiError('brand.not_found', 'No such brand');
  assertOrigin(c.req.raw, tenant.allowedOrigins);
  return claims;
}

widgetFileRoutes.post('/', async (c) => {
  const me = await customerOf(c);
  const q = parseOrThrow(UploadQuery, c.req.query());
  const limits = await getDocumentSettings(c.env.DB, me.tid);
  await chargeUpload(c.env, me.tid, me.sub);
  const target = { tenantId: me.tid, conversationId: me.cid, uploader: { role: 'customer', id: me.sub } as const, clientId: q.clientId, index: q.index, name: q.name, declaredType: c.req.header('content-type') ?? null, sensitive: false };
  const res = await receiveUpload(c.env, c.req.raw.body, c.req.header('content-length'), target, limits);
  return c.json(res, res.duplicate ? 200 : 201);
});

widgetFileRoutes.get('/:id/link', async (c) => {
  const me = await customerOf(c);
  const id = parseOrThrow(AttachmentId, c.req.param('id'));
  c.header('cache-control', 'no-store');
  return c.json(await linkFor(c.env, c.req.url, me.tid, me.cid, id, { role: 'customer', id: me.sub }));
});
