import { Hono } from 'hono';
import * as v from 'valibot';
import type { AppEnv } from '../app-env';
import { ApiError, unwrap } from '../errors';
import { jsonBody } from '../middleware/validate';
import { requireAgent, requireRole } from '../middleware/agent-session';
import { findComplaint, shiftComplaintPeriod } from '../db/complaints';
import { conversationStub } from '../stubs';

/**
 * Development only: a test moves one complaint's answer period into the past, so the reminders at
 * 50 %, 80 % and overdue — days away — come by the conversation's own alarm within seconds. Like
 * the SLA's dev clock, it exists only when the server runs with DEV_CLOCK=on (set by the test
 * server, never by wrangler.toml). Admins only, within their tenant.
 */
export const devComplaintClockRoutes = new Hono<AppEnv>();

const AdvanceRequest = v.strictObject({
  complaintId: v.pipe(v.string(), v.minLength(1), v.maxLength(100)),
  advanceMs: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(366 * 86_400_000)),
});

// Under the same mount as the SLA's dev clock, with the same two guards.
devComplaintClockRoutes.use('*', async function devOnly(c, next) {
  if (c.env.DEV_CLOCK !== 'on') throw new ApiError('request.not_found', 'No such route');
  await next();
});
devComplaintClockRoutes.use('*', requireAgent(), requireRole('admin'));

devComplaintClockRoutes.post('/complaint-clock', jsonBody(AdvanceRequest), async (c) => {
  const { complaintId, advanceMs } = c.var.body;
  const tenantId = c.var.agent.tenantId;
  const complaint = await findComplaint(c.env.DB, tenantId, complaintId);
  if (!complaint) throw new ApiError('complaint.not_found', 'No such complaint');
  await shiftComplaintPeriod(c.env.DB, tenantId, complaintId, advanceMs);
  unwrap(await conversationStub(c.env, complaint.conversationId).complaint(tenantId, { role: 'agent', id: c.var.agent.id, name: c.var.agent.name, agentRole: c.var.agent.role }, { type: 'dev.advance', complaintId, ms: advanceMs }));
  return c.json({ receivedAt: complaint.receivedAt - advanceMs, dueAt: complaint.dueAt - advanceMs });
});
