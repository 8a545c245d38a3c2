import { Hono } from 'hono';
import { ComplaintSettings } from '../../protocol';
import type { ComplaintSettings as ComplaintSettingsT } from '../../protocol';
import type { AppEnv } from '../app-env';
import { complaintSettings, saveComplaintSettings } from '../db/complaints';
import { jsonBody } from '../middleware/validate';
import { requireAgent, requireRole } from '../middleware/agent-session';

/** Admins set the answer period, the complaints mailbox and the letter's template. */
export const adminComplaintRoutes = new Hono<AppEnv>();
adminComplaintRoutes.use('*', requireAgent(), requireRole('admin'));

adminComplaintRoutes.get('/settings', async (c) => c.json((await complaintSettings(c.env.DB, c.var.agent.tenantId)) satisfies ComplaintSettingsT));

adminComplaintRoutes.put('/settings', jsonBody(ComplaintSettings), async (c) => {
  await saveComplaintSettings(c.env.DB, c.var.agent.tenantId, c.var.body, Date.now());
  return c.json(c.var.body satisfies ComplaintSettingsT);
});
