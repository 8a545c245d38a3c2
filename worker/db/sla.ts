import * as v from 'valibot';
import { BusinessCalendar, DEFAULT_WARN_PERCENT } from '../../protocol';
import type { Priority, SlaConfig, SlaPolicy } from '../../protocol';

/**
 * The tenant's SLA settings: its policies (team × priority targets), its business calendar and
 * its warning share. Read whole at every widget session and handed to the conversation's object.
 */

interface PolicyRow {
  team: string;
  priority: Priority;
  firstResponseS: number;
  nextResponseS: number;
  resolutionS: number;
}

/** The calendar column: JSON checked again on the way out, so a bad row reads as round the clock, never as a crash. */
function calendarOf(json: string | null): SlaConfig['calendar'] {
  if (!json) return null;
  try {
    const r = v.safeParse(BusinessCalendar, JSON.parse(json));
    return r.success ? r.output : null;
  } catch {
    return null;
  }
}

/** The tenant's SLA settings; defaults where nothing is set. */
export async function slaConfig(db: D1Database, tenantId: string): Promise<SlaConfig> {
  const [policies, tenant] = await db.batch<PolicyRow | { calendar: string | null; warn: number }>([
    db
      .prepare('SELECT team_id AS team, priority, first_response_s AS firstResponseS, next_response_s AS nextResponseS, resolution_s AS resolutionS FROM sla_policies WHERE tenant_id = ? ORDER BY team_id, priority')
      .bind(tenantId),
    db.prepare('SELECT sla_calendar AS calendar, sla_warn_percent AS warn FROM tenants WHERE id = ?').bind(tenantId),
  ]);
  const t = tenant?.results[0] as { calendar: string | null; warn: number } | undefined;
  return {
    calendar: calendarOf(t?.calendar ?? null),
    warnAtPercent: t?.warn ?? DEFAULT_WARN_PERCENT,
    policies: (policies?.results ?? []) as SlaPolicy[],
  };
}

/** Replace the tenant's policies, calendar and warning share in one batch. */
export async function saveSlaConfig(db: D1Database, tenantId: string, config: SlaConfig): Promise<void> {
  await db.batch([
    db.prepare('DELETE FROM sla_policies WHERE tenant_id = ?').bind(tenantId),
    ...config.policies.map((p) =>
      db
        .prepare('INSERT INTO sla_policies (tenant_id, team_id, priority, first_response_s, next_response_s, resolution_s) VALUES (?, ?, ?, ?, ?, ?)')
        .bind(tenantId, p.team, p.priority, p.firstResponseS, p.nextResponseS, p.resolutionS),
    ),
    db.prepare('UPDATE tenants SET sla_calendar = ?, sla_warn_percent = ? WHERE id = ?').bind(config.calendar ? JSON.stringify(config.calendar) : null, config.warnAtPercent, tenantId),
  ]);
}
