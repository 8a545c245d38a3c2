import { Hono } from 'hono';
import { SessionRequest } from '../../protocol';
import type { SessionResponse } from '../../protocol';
import type { AppEnv } from '../app-env';
import { findTenantByKey } from '../db/tenants';
import { signSocketToken, verifyIdentityToken } from '../auth/tokens';
import { resolveSession } from '../contacts/resolve';
import { ApiError } from '../middleware/errors';
import { jsonBody } from '../middleware/validate';
import { assertOrigin } from '../middleware/origin';
import { socketUrl } from './sockets';

/** Routes the customer's widget calls. */
export const widgetRoutes = new Hono<AppEnv>();

widgetRoutes.post('/session', jsonBody(SessionRequest), async (c) => {
  const body = c.var.body;
  const tenant = await findTenantByKey(c.env.DB, body.brand);
  if (!tenant) throw new ApiError('brand.not_found', `No brand "${body.brand}"`);
  assertOrigin(c.req.raw, tenant.allowedOrigins);
  const identity = body.identityToken ? await verifyIdentityToken(tenant.identitySecret, body.identityToken) : null;
  const session = await resolveSession(c.env, tenant, body.channel, body.visitorToken, identity);
  const { token, expiresAt } = await signSocketToken(c.env.SOCKET_SECRET, {
    sub: session.contactId,
    tid: tenant.id,
    cid: session.conversation.id,
    role: 'customer',
    name: identity?.name ?? null,
    ch: body.channel,
  });
  const res: SessionResponse = {
    visitorToken: session.visitorToken,
    contactId: session.contactId,
    conversationId: session.conversation.id,
    socketToken: token,
    socketUrl: socketUrl(c.req.url, session.conversation.id),
    expiresAt,
  };
  return c.json(res);
});
