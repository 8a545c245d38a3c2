/**
 * The permission matrix's probes for the SLA routes (kept beside the matrix so its file does not
 * grow). PUT writes each tenant's own stored setting back: another tenant's teams would be refused
 * as unknown, and the probe must not change what the other tests see.
 */
import { api, OPERATOR } from '../helpers';
import { A_MARKER, leaveMessage } from './fixtures';
import type { Sessions } from './fixtures';

interface Outcome {
  status: number;
  json: unknown;
  body: string;
  markers?: string[];
}
type Call<C> = (ctx: C, method: string, path: string, json?: unknown) => Promise<Outcome>;

/** Probes for GET/PUT /v1/admin/sla and the development-only SLA clock. */
export function slaProbes<C extends { caller: string }>(call: Call<C>, sessions: () => Sessions): Record<string, { run(ctx: C): Promise<Outcome> }> {
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
    'POST /v1/admin/dev/sla-clock': {
      run: async (ctx) => {
        const conv = await leaveMessage(OPERATOR, `${A_MARKER}: my line is down`);
        const out = await call(ctx, 'POST', '/v1/admin/dev/sla-clock', { conversationId: conv.id, advanceMs: 0 });
        return { ...out, markers: [conv.id] };
      },
    },
  };
}
