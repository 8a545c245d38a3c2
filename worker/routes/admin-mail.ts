import { Hono } from 'hono';
import { MailSettingsRequest } from '../../protocol';
import type { MailSettingsResponse, MailSettingsView } from '../../protocol';
import type { AppEnv } from '../app-env';
import { findMailSettings, findMailSettingsByInbound, putMailSettings } from '../db/mail';
import type { MailSettings } from '../db/mail';
import { ApiError } from '../errors';
import { jsonBody } from '../middleware/validate';
import { requireAgent, requireRole } from '../middleware/agent-session';

/**
 * Admins keep their brand's e-mail: the inbound address, the sender and the brand's own SMTP relay
 * (worker/mail/deliver.ts sends through it). The relay password goes in and never comes out.
 */
export const adminMailRoutes = new Hono<AppEnv>();
adminMailRoutes.use('*', requireAgent(), requireRole('admin'));

adminMailRoutes.get('/', async (c) => {
  const s = await findMailSettings(c.env.DB, c.var.agent.tenantId);
  return c.json({ mail: s ? view(s) : null } satisfies MailSettingsResponse);
});

adminMailRoutes.put('/', jsonBody(MailSettingsRequest), async (c) => {
  const tenantId = c.var.agent.tenantId;
  const body = c.var.body;
  // Inbound mail finds its brand by this address: two brands cannot share it.
  const holder = await findMailSettingsByInbound(c.env.DB, body.inboundAddress);
  if (holder && holder.tenantId !== tenantId) throw new ApiError('request.invalid', 'inboundAddress is already the address of another brand');
  const stored = await findMailSettings(c.env.DB, tenantId);
  const password = body.relay.password === undefined ? (stored?.relay.password ?? null) : body.relay.password;
  const settings: MailSettings = {
    tenantId,
    inboundAddress: body.inboundAddress,
    fromName: body.fromName,
    fromAddress: body.fromAddress,
    relay: { host: body.relay.host, port: body.relay.port, secure: body.relay.secure, user: body.relay.user, password },
  };
  await putMailSettings(c.env.DB, settings, Date.now());
  return c.json(view(settings) satisfies MailSettingsView);
});

/** The settings as an admin sees them: everything but the password. */
function view(s: MailSettings): MailSettingsView {
  return { inboundAddress: s.inboundAddress, fromName: s.fromName, fromAddress: s.fromAddress, relay: { host: s.relay.host, port: s.relay.port, secure: s.relay.secure, user: s.relay.user, passwordSet: s.relay.password !== null } };
}
