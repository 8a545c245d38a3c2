/**
 * The permission matrix's probes for the report routes (issue 14), kept beside the matrix so its
 * file does not grow. Reads take a day's range; the settings PUT writes the calling tenant's own
 * stored settings back, so no other test sees a change.
 */
import { api } from '../helpers';
import type { Sessions } from './fixtures';

interface Outcome {
  status: number;
  json: unknown;
  body: string;
  markers?: string[];
}
type Call<C> = (ctx: C, method: string, path: string, json?: unknown) => Promise<Outcome>;

const RANGE = `from=${new Date().toISOString().slice(0, 10)}&to=${new Date().toISOString().slice(0, 10)}`;

/** Probes for GET /v1/agent/reports/* and GET/PUT /v1/admin/reports/settings. */
export function reportProbes<C extends { caller: string }>(call: Call<C>, sessions: () => Sessions): Record<string, { run(ctx: C): Promise<Outcome> }> {
  const get = (path: string) => ({ run: (ctx: C) => call(ctx, 'GET', path) });
  return {
    'GET /v1/agent/reports': get(`/v1/agent/reports?${RANGE}&by=team`),
    'GET /v1/agent/reports/shifts': get(`/v1/agent/reports/shifts?${RANGE}`),
    'GET /v1/agent/reports/pauses': get(`/v1/agent/reports/pauses?${RANGE}`),
    'GET /v1/agent/reports/csat': get(`/v1/agent/reports/csat?${RANGE}`),
    'GET /v1/agent/reports/today': get(`/v1/agent/reports/today?${RANGE}`),
    'GET /v1/agent/reports/export.csv': get(`/v1/agent/reports/export.csv?${RANGE}&table=csat`),
    'GET /v1/admin/reports/settings': get('/v1/admin/reports/settings'),
    'PUT /v1/admin/reports/settings': {
      run: async (ctx) => {
        const s = sessions();
        const other = ctx.caller === 'otherAgent' || ctx.caller === 'otherAdmin';
        const own = await (await api('/v1/admin/reports/settings', { cookie: other ? s.bAdmin : s.aAdmin })).json();
        return call(ctx, 'PUT', '/v1/admin/reports/settings', own);
      },
    },
  };
}
