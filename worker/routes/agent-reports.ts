import { Hono } from 'hono';
import { ReportQuerySchema, ReportSettingsSchema } from '../../protocol';
import type { ReportSettings } from '../../protocol';
import type { AppEnv } from '../app-env';
import { requireAgent, requireRole } from '../middleware/agent-session';
import { jsonBody, parseOrThrow } from '../middleware/validate';
import { reportSettings, saveReportSettings } from '../db/report-queries';
import { csatReport, figuresReport, pausesReport, scopeOf, shiftsReport, todayReport } from '../reports/views';
import { csatCsv, figuresCsv, pausesCsv, shiftsCsv } from '../reports/csv';

/**
 * Reports for supervisors and admins (issue 14): figures from the hourly rollups, shifts with
 * utilization and occupancy, long pauses with their drill-down, ratings with comments, today's
 * live tiles and a CSV of every table. Tenant from the session; supervisors see the teams they
 * supervise, admins the tenant. docs/kpis.md defines every figure.
 */
export const agentReportRoutes = new Hono<AppEnv>();
agentReportRoutes.use('*', requireAgent(), requireRole('supervisor', 'admin'));

const scope = async (c: { env: AppEnv['Bindings']; var: AppEnv['Variables']; req: { query(): Record<string, string> } }) => {
  const q = parseOrThrow(ReportQuerySchema, c.req.query());
  return { q, s: await scopeOf(c.env.DB, c.var.agent, q) };
};

agentReportRoutes.get('/', async (c) => {
  const { q, s } = await scope(c);
  return c.json(await figuresReport(c.env.DB, s, q.by));
});

agentReportRoutes.get('/shifts', async (c) => c.json(await shiftsReport(c.env.DB, (await scope(c)).s, Date.now())));
agentReportRoutes.get('/pauses', async (c) => c.json(await pausesReport(c.env.DB, (await scope(c)).s)));
agentReportRoutes.get('/csat', async (c) => c.json(await csatReport(c.env.DB, (await scope(c)).s)));
agentReportRoutes.get('/today', async (c) => c.json(await todayReport(c.env.DB, (await scope(c)).s, Date.now())));

agentReportRoutes.get('/export.csv', async (c) => {
  const { q, s } = await scope(c);
  const db = c.env.DB;
  const csv =
    q.table === 'shifts' ? shiftsCsv(await shiftsReport(db, s, Date.now()))
    : q.table === 'pauses' ? pausesCsv(await pausesReport(db, s))
    : q.table === 'csat' ? csatCsv(await csatReport(db, s))
    : figuresCsv(await figuresReport(db, s, q.by));
  return c.body(csv, 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="report-${q.table}-${q.from}-${q.to}.csv"`, 'cache-control': 'no-store' });
});

/** The tenant's report settings: the long-pause threshold and an optional fixed shift (admins). */
export const adminReportRoutes = new Hono<AppEnv>();
adminReportRoutes.use('*', requireAgent(), requireRole('admin'));

adminReportRoutes.get('/settings', async (c) => c.json((await reportSettings(c.env.DB, c.var.agent.tenantId)) satisfies ReportSettings));
adminReportRoutes.put('/settings', jsonBody(ReportSettingsSchema), async (c) => {
  await saveReportSettings(c.env.DB, c.var.agent.tenantId, c.var.body);
  return c.json((await reportSettings(c.env.DB, c.var.agent.tenantId)) satisfies ReportSettings);
});
