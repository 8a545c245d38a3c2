import { Hono } from 'hono';
import * as v from 'valibot';
import type { AppEnv } from '../app-env';
import { ApiError, unwrap } from '../errors';
import { jsonBody } from '../middleware/validate';
import { requireAgent, requireRole } from '../middleware/agent-session';
import { conversationStub } from '../stubs';

/**
 * Development only: a test moves one conversation's SLA clock, so a breach a business day away
 * comes by alarm within seconds (worker/conversation/sla-clock.ts). Unless the server runs with
 * DEV_CLOCK=on — which only the local test server sets (scripts/server.mjs), never wrangler.toml —
 * the route does not exist. Admins only, within their tenant.
 */
export const devClockRoutes = new Hono<AppEnv>();

const DevClockRequest = v.pipe(
  v.strictObject({
    conversationId: v.pipe(v.string(), v.minLength(1), v.maxLength(100)),
    advanceMs: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(366 * 86_400_000))),
    at: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
  }),
  v.check((b) => (b.advanceMs === undefined) !== (b.at === undefined), 'give advanceMs or at, one of them'),
);

devClockRoutes.use('*', async function devOnly(c, next) {
  if (c.env.DEV_CLOCK !== 'on') throw new ApiError('request.not_found', 'No such route');
  await next();
});
devClockRoutes.use('*', requireAgent(), requireRole('admin'));

devClockRoutes.post('/sla-clock', jsonBody(DevClockRequest), async (c) => {
  const { conversationId, advanceMs, at } = c.var.body;
  const sla = unwrap(await conversationStub(c.env, conversationId).devClock(c.var.agent.tenantId, advanceMs !== undefined ? { advanceMs } : { at: at! }));
  return c.json({ sla });
});
