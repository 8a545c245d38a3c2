import { Hono } from 'hono';
import { cors } from 'hono/cors';
import { OfflineMessageRequest, SessionRequest } from '../../protocol';
import type { OfflineMessageResponse, PresenceResponse, SessionResponse } from '../../protocol';
import type { AppEnv } from '../app-env';
import { findTenantByKey } from '../db/tenants';
import type { Tenant } from '../db/tenants';
import { attachIdentities, findContactByIdentity } from '../db/contacts';
import { newId, sha256 } from '../auth/crypto';
import { signSocketToken, verifyIdentityToken } from '../auth/tokens';
import type { IdentityClaims } from '../auth/tokens';
import { CONTACT_ATTRIBUTES, chargeNewSession, clientIp } from '../limits/limits';
import { resolveSession } from '../contacts/resolve';
import { ApiError } from '../errors';
import { jsonBody } from '../middleware/validate';
import { assertOrigin } from '../middleware/origin';
import { publicBrand, socketUrl } from '../views';
import { conversationStub, floorStub } from '../stubs';
import { promiseMailAnswer } from '../mail/away';
import { MAIL_PROMISED_CLIENT_PREFIX } from '../mail/answers';
import { isAddress } from '../mail/outbound';
import { widgetComplaintRoutes } from './widget-complaints';

/** Routes the customer's widget calls, from partners' pages: cross-origin, never with cookies. */
export const widgetRoutes = new Hono<AppEnv>();

// Preflights pass for any origin; the real request is checked against the brand's allowed origins.
widgetRoutes.use('*', cors({ origin: (origin) => origin, allowMethods: ['GET', 'POST'], allowHeaders: ['content-type', 'authorization'], maxAge: 86400 }));

/** The brand named by `key`, or brand.not_found. */
export async function brandOrThrow(db: D1Database, key: string): Promise<Tenant> {
  const tenant = await findTenantByKey(db, key);
  if (!tenant) throw new ApiError('brand.not_found', `No brand "${key}"`);
  return tenant;
}

/**
 * Whether this session would make a new contact (and so a conversation and an object): only those
 * are charged to the IP and brand limits, so a visitor coming back with their token, or a known
 * subscriber, is never refused for someone else's flood.
 */
export async function isNewcomer(db: D1Database, tenantId: string, visitorToken: string | undefined, identity: IdentityClaims | null): Promise<boolean> {
  if (identity && (await findContactByIdentity(db, tenantId, 'external', identity.sub))) return false;
  if (visitorToken && (await findContactByIdentity(db, tenantId, 'visitor', await sha256(visitorToken)))) return false;
  return true;
}

widgetRoutes.post('/session', jsonBody(SessionRequest), async (c) => {
  const body = c.var.body;
  const tenant = await brandOrThrow(c.env.DB, body.brand);
  assertOrigin(c.req.raw, tenant.allowedOrigins);
  const identity = body.identityToken ? await verifyIdentityToken(tenant.identitySecret, body.identityToken, tenant.identityTokenMaxAgeS) : null;
  // Too big on its own can never fit; refusing it here stores nothing, not even a new contact.
  if (body.attributes && new TextEncoder().encode(JSON.stringify(body.attributes)).length > CONTACT_ATTRIBUTES.maxBytes) {
    throw new ApiError('contact.attributes_too_large', `A contact keeps at most ${CONTACT_ATTRIBUTES.maxKeys} attributes and ${CONTACT_ATTRIBUTES.maxBytes / 1024} KB of them`);
  }
  if (await isNewcomer(c.env.DB, tenant.id, body.visitorToken, identity)) await chargeNewSession(c.env, tenant.id, clientIp(c.req.raw));
  const session = await resolveSession(c.env, tenant, body.channel, body.visitorToken, identity, body.attributes);
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

widgetRoutes.get('/brands/:key', async (c) => {
  const tenant = await brandOrThrow(c.env.DB, c.req.param('key'));
  c.header('cache-control', 'public, max-age=3600, stale-while-revalidate=604800');
  return c.json(publicBrand(tenant));
});

widgetRoutes.get('/brands/:key/presence', async (c) => {
  const tenant = await brandOrThrow(c.env.DB, c.req.param('key'));
  const { agentsOnline } = await floorStub(c.env, tenant.id).presence();
  c.header('cache-control', 'no-store');
  const res: PresenceResponse = { agentsOnline };
  return c.json(res);
});

/**
 * Leave a message when nobody is online: it becomes a ticket like any conversation. An anonymous
 * visitor gives a name (and an address where the brand has e-mail); a signed-in subscriber's
 * identity token says both. Where the brand has e-mail and we have an address, the answer is
 * promised, and later sent, by mail (worker/mail/away.ts, worker/mail/answers.ts).
 */
widgetRoutes.post('/offline-message', jsonBody(OfflineMessageRequest), async (c) => {
  const body = c.var.body;
  const tenant = await brandOrThrow(c.env.DB, body.brand);
  assertOrigin(c.req.raw, tenant.allowedOrigins);
  const identity = body.identityToken ? await verifyIdentityToken(tenant.identitySecret, body.identityToken, tenant.identityTokenMaxAgeS) : null;
  if (!identity && !body.name) throw new ApiError('request.invalid', 'name is required');
  if (!identity && tenant.hasMail && !body.email) throw new ApiError('request.invalid', 'email is required');
  if (await isNewcomer(c.env.DB, tenant.id, body.visitorToken, identity)) await chargeNewSession(c.env, tenant.id, clientIp(c.req.raw));
  const session = await resolveSession(c.env, tenant, 'web', body.visitorToken, identity);
  const name = identity?.name ?? body.name ?? null;
  const address = identity?.email ?? body.email ?? null;
  if (!identity && body.email) await attachIdentities(c.env.DB, tenant.id, session.contactId, [{ kind: 'email', value: body.email }], { name: body.name, email: body.email }, Date.now());
  // Where mail can be promised, the message says so in its client id: the agent's answer then goes by mail.
  const byMail = address !== null && tenant.hasMail && isAddress(address);
  const stub = conversationStub(c.env, session.conversation.id);
  const sent = await stub.send(tenant.id, { role: 'customer', id: session.contactId, name }, 'web', `${byMail ? MAIL_PROMISED_CLIENT_PREFIX : 'offline:'}${newId()}`, body.text);
  if (!sent.ok) throw new ApiError(sent.code, sent.message);
  if (byMail) await promiseMailAnswer(c.env, tenant, session.conversation, address, name, body.text);
  const res: OfflineMessageResponse = { conversationId: session.conversation.id, number: session.conversation.number, visitorToken: session.visitorToken, answerBy: byMail ? 'email' : 'chat' };
  return c.json(res, 201);
});

// Written complaints: behind the same CORS as every widget call (routes in widget-complaints.ts).
widgetRoutes.route('/complaints', widgetComplaintRoutes);
