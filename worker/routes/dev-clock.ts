import { Hono } from 'hono';
import * as v from 'valibot';
import type { AppEnv } from '../app-env';
import { ApiError, unwrap } from '../errors';
import { jsonBody } from '../middleware/validate';
import { requireAgent, requireRole } from '../middleware/agent-session';
import { findComplaint, shiftComplaintPeriod } from '../db/complaints';
import { conversationStub } from '../stubs';

/**
 * Development only: tests move clocks that run for days, so what they drive comes by the
 * conversation's own alarm within seconds — one conversation's SLA clock (a breach a business day
 * away; worker/conversation/sla-clock.ts) or one complaint's answer period (its reminders at 50 %,
 * 80 % and overdue; complaint-clock.ts). Unless the server runs with DEV_CLOCK=on — which only the
 * local test server sets (scripts/server.mjs), never wrangler.toml — the routes do not exist.
 * Admins only, within their tenant.
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

const AdvanceComplaintRequest = v.strictObject({
  complaintId: v.pipe(v.string(), v.minLength(1), v.maxLength(100)),
  advanceMs: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(366 * 86_400_000)),
});

devClockRoutes.post('/sla-clock', jsonBody(DevClockRequest), async (c) => {
  const { conversationId, advanceMs, at } = c.var.body;
  const sla = unwrap(await conversationStub(c.env, conversationId).devClock(c.var.agent.tenantId, advanceMs !== undefined ? { advanceMs } : { at: at! }));
  return c.json({ sla });
});

devClockRoutes.post('/complaint-clock', jsonBody(AdvanceComplaintRequest), async (c) => {
  const { complaintId, advanceMs } = c.var.body;
  const tenantId = c.var.agent.tenantId;
  const complaint = await findComplaint(c.env.DB, tenantId, complaintId);
  if (!complaint) throw new ApiError('complaint.not_found', 'No such complaint');
  await shiftComplaintPeriod(c.env.DB, tenantId, complaintId, advanceMs);
  unwrap(await conversationStub(c.env, complaint.conversationId).complaint(tenantId, { role: 'agent', id: c.var.agent.id, name: c.var.agent.name, agentRole: c.var.agent.role }, { type: 'dev.advance', complaintId, ms: advanceMs }));
  return c.json({ receivedAt: complaint.receivedAt - advanceMs, dueAt: complaint.dueAt - advanceMs });
});
