import { Hono } from 'hono';
import { SlaConfig } from '../../protocol';
import type { SlaConfig as SlaConfigT } from '../../protocol';
import type { AppEnv } from '../app-env';
import { listTeams } from '../db/teams';
import { saveSlaConfig, slaConfig } from '../db/sla';
import { openTicketIds } from '../db/conversations';
import type { Env } from '../env';
import { conversationStub } from '../stubs';
import { ApiError } from '../errors';
import { jsonBody } from '../middleware/validate';
import { requireAgent, requireRole } from '../middleware/agent-session';

/**
 * Admins keep their tenant's SLA: targets per team and priority, the business calendar and the
 * warning share. The newest open tickets take a change at once (after the answer); the others,
 * and every conversation anyway, at their customer's next session.
 */
export const adminSlaRoutes = new Hono<AppEnv>();
adminSlaRoutes.use('*', requireAgent(), requireRole('admin'));

adminSlaRoutes.get('/', async (c) => c.json((await slaConfig(c.env.DB, c.var.agent.tenantId)) satisfies SlaConfigT));

adminSlaRoutes.put('/', jsonBody(SlaConfig), async (c) => {
  const tenantId = c.var.agent.tenantId;
  const config = c.var.body;
  const seen = new Set<string>();
  for (const p of config.policies) {
    const key = `${p.team}/${p.priority}`;
    if (seen.has(key)) throw new ApiError('request.invalid', `policies: team "${p.team}" has priority "${p.priority}" twice`);
    seen.add(key);
    if (p.firstResponseS > p.resolutionS) throw new ApiError('request.invalid', `policies: team "${p.team}" ${p.priority}: the first response cannot take longer than the resolution`);
  }
  const teams = new Set((await listTeams(c.env.DB, tenantId)).map((t) => t.id));
  const unknown = config.policies.find((p) => !teams.has(p.team));
  if (unknown) throw new ApiError('request.invalid', `policies: no team "${unknown.team}" here (PUT /v1/admin/routing keeps the teams)`);
  await saveSlaConfig(c.env.DB, tenantId, config);
  c.executionCtx.waitUntil(pushToOpenTickets(c.env, tenantId, config));
  return c.json(config satisfies SlaConfigT);
});

/** How many open tickets a change is pushed to at once, and how many calls go out together. */
const PUSH_LIMIT = 2000;
const PUSH_BATCH = 50;

/** Hand the new settings to the tenant's newest open tickets; one that cannot be reached takes them at its next session. */
async function pushToOpenTickets(env: Env, tenantId: string, config: SlaConfigT): Promise<void> {
  const ids = await openTicketIds(env.DB, tenantId, PUSH_LIMIT);
  for (let i = 0; i < ids.length; i += PUSH_BATCH) {
    await Promise.all(ids.slice(i, i + PUSH_BATCH).map((id) => conversationStub(env, id).adoptSla(tenantId, config).catch(() => null)));
  }
}
