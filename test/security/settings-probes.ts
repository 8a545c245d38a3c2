/**
 * The permission matrix's probes for the admin settings routes of SLA and e-mail (kept beside the
 * matrix so its file does not grow). A PUT writes the calling tenant's own stored setting back:
 * another tenant's teams would be refused as unknown, and the probe must not change what the other
 * tests see. A brand without e-mail gets settings for the call and has them removed after it.
 */
import { env } from 'cloudflare:test';
import type { MailSettingsResponse } from '../../protocol';
import { api, OPERATOR } from '../helpers';
import { A_MARKER, leaveMessage } from './fixtures';
import type { Sessions } from './fixtures';

export { reportProbes } from './report-probes';

interface Outcome {
  status: number;
  json: unknown;
  body: string;
  markers?: string[];
}
type Call<C> = (ctx: C, method: string, path: string, json?: unknown) => Promise<Outcome>;

/** Probes for GET/PUT /v1/admin/sla, GET/PUT /v1/admin/mail and the development-only SLA clock. */
export function settingsProbes<C extends { caller: string }>(call: Call<C>, sessions: () => Sessions): Record<string, { run(ctx: C): Promise<Outcome> }> {
  const isOther = (ctx: C) => ctx.caller === 'otherAgent' || ctx.caller === 'otherAdmin';
  return {
    'GET /v1/admin/sla': { run: (ctx) => call(ctx, 'GET', '/v1/admin/sla') },
    'PUT /v1/admin/sla': {
      run: async (ctx) => {
        const s = sessions();
        const own = await (await api('/v1/admin/sla', { cookie: isOther(ctx) ? s.bAdmin : s.aAdmin })).json();
        return call(ctx, 'PUT', '/v1/admin/sla', own);
      },
    },
    'GET /v1/admin/mail': { run: (ctx) => call(ctx, 'GET', '/v1/admin/mail') },
    'PUT /v1/admin/mail': {
      run: async (ctx) => {
        const s = sessions();
        const { mail } = (await (await api('/v1/admin/mail', { cookie: isOther(ctx) ? s.bAdmin : s.aAdmin })).json()) as MailSettingsResponse;
        const body = mail
          ? { ...mail, relay: { host: mail.relay.host, port: mail.relay.port, secure: mail.relay.secure, user: mail.relay.user } }
          : { inboundAddress: 'matrix@volna.test', fromName: 'Matrix', fromAddress: 'matrix@volna.test', relay: { host: 'relay.volna.test', port: 587, secure: false } };
        const out = await call(ctx, 'PUT', '/v1/admin/mail', body);
        if (!mail) await env.DB.prepare('DELETE FROM mail_settings WHERE inbound_address = ?').bind('matrix@volna.test').run();
        return out;
      },
    },
    'POST /v1/admin/dev/sla-clock': {
      run: async (ctx) => {
        const conv = await leaveMessage(OPERATOR, `${A_MARKER}: my line is down`);
        const out = await call(ctx, 'POST', '/v1/admin/dev/sla-clock', { conversationId: conv.id, advanceMs: 0 });
        return { ...out, markers: [conv.id] };
      },
    },
  };
}
