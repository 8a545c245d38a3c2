import { Hono } from 'hono';
import { ComplaintFileRequest, ComplaintPrefillRequest } from '../../protocol';
import type { ComplaintFiledResponse, ComplaintPrefillResponse } from '../../protocol';
import type { AppEnv } from '../app-env';
import { attachIdentities, findContactByIdentity } from '../db/contacts';
import { verifyIdentityToken } from '../auth/tokens';
import { chargeNewSession, clientIp } from '../limits/limits';
import { resolveSession } from '../contacts/resolve';
import { jsonBody } from '../middleware/validate';
import { assertOrigin } from '../middleware/origin';
import { fileComplaint } from '../complaints/file';
import { contactEmail } from '../db/complaints';
import { brandOrThrow, isNewcomer } from './widget';

/**
 * The widget's "File a complaint": the customer is identified exactly as for a chat session (their
 * device's visitor token, or the partner's signed identity), so the complaint lands in their one
 * conversation. Mounted inside the widget routes, so the same CORS and Origin checks apply.
 */
export const widgetComplaintRoutes = new Hono<AppEnv>();

widgetComplaintRoutes.post('/', jsonBody(ComplaintFileRequest), async (c) => {
  const body = c.var.body;
  const tenant = await brandOrThrow(c.env.DB, body.brand);
  assertOrigin(c.req.raw, tenant.allowedOrigins);
  const identity = body.identityToken ? await verifyIdentityToken(tenant.identitySecret, body.identityToken, tenant.identityTokenMaxAgeS) : null;
  if (await isNewcomer(c.env.DB, tenant.id, body.visitorToken, identity)) await chargeNewSession(c.env, tenant.id, clientIp(c.req.raw));
  const session = await resolveSession(c.env, tenant, 'web', body.visitorToken, identity);
  const now = Date.now();
  await attachIdentities(c.env.DB, tenant.id, session.contactId, [{ kind: 'email', value: body.email }], identity ? {} : { email: body.email }, now);
  const fields = { subject: body.subject, happened: body.happened, wanted: body.wanted, email: body.email };
  const filed = await fileComplaint(c.env, tenant, { contactId: session.contactId, name: identity?.name ?? null, conversationId: session.conversation.id, channel: 'web' }, fields, new URL(c.req.url).origin, now);
  const res: ComplaintFiledResponse = { number: filed.number, dueAt: filed.dueAt, conversationId: session.conversation.id, visitorToken: session.visitorToken };
  return c.json(res, 201);
});

/** The e-mail the form may prefill: a signed-in subscriber's, from their verified token or their contact. */
widgetComplaintRoutes.post('/prefill', jsonBody(ComplaintPrefillRequest), async (c) => {
  const body = c.var.body;
  const tenant = await brandOrThrow(c.env.DB, body.brand);
  assertOrigin(c.req.raw, tenant.allowedOrigins);
  const identity = body.identityToken ? await verifyIdentityToken(tenant.identitySecret, body.identityToken, tenant.identityTokenMaxAgeS) : null;
  let email = identity?.email ?? null;
  if (identity && !email) {
    const contactId = await findContactByIdentity(c.env.DB, tenant.id, 'external', identity.sub);
    if (contactId) email = await contactEmail(c.env.DB, tenant.id, contactId);
  }
  const res: ComplaintPrefillResponse = { email };
  return c.json(res);
});
