import type { AgentDay, ShiftSchedule, StateEntry } from '../reports/agent-day';
import type { Stint } from '../reports/facts';
import { DAY_MS } from '../../protocol/reports';

/**
 * The agents' state log in D1 (append-only, one row per entry of the tenant's Floor log, keyed by
 * its id so a resend is the same row) and the agent-day rows computed from it and report_handling.
 */

/** One entry of the Floor object's log, as it is sent to D1. */
export interface StateLogRow {
  seq: number;
  agentId: string;
  state: StateEntry['state'];
  at: number;
}

/** Append entries of one tenant's log; a resent entry changes nothing. */
export async function appendStateLog(db: D1Database, tenantId: string, rows: StateLogRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .prepare(
      `INSERT OR IGNORE INTO agent_state_log (tenant_id, seq, agent_id, state, at)
       SELECT ?1, json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]'), json_extract(value, '$[3]') FROM json_each(?2)`,
    )
    .bind(tenantId, JSON.stringify(rows.map((r) => [r.seq, r.agentId, r.state, r.at])))
    .run();
}

/** What one agent-day is computed from: the log from the last entry before the day, the stints that touch it, the schedule. */
export interface AgentDayInput {
  log: StateEntry[];
  stints: Stint[];
  schedule: ShiftSchedule | null;
}

/** Read the inputs of several agent-days in one round trip. */
export async function readAgentDays(db: D1Database, keys: { tenantId: string; agentId: string; day: number }[]): Promise<AgentDayInput[]> {
  if (keys.length === 0) return [];
  const stmts = keys.flatMap((k) => [
    db
      .prepare(
        `SELECT state, at FROM agent_state_log WHERE tenant_id = ?1 AND agent_id = ?2 AND at < ?4
           AND at >= COALESCE((SELECT MAX(at) FROM agent_state_log WHERE tenant_id = ?1 AND agent_id = ?2 AND at <= ?3), 0)
         ORDER BY at, seq`,
      )
      .bind(k.tenantId, k.agentId, k.day, k.day + DAY_MS),
    db.prepare('SELECT agent_id, start_at, end_at FROM report_handling WHERE tenant_id = ?1 AND agent_id = ?2 AND start_at < ?4 AND (end_at IS NULL OR end_at > ?3)').bind(k.tenantId, k.agentId, k.day, k.day + DAY_MS),
    db.prepare('SELECT shift_schedule FROM tenants WHERE id = ?1').bind(k.tenantId),
  ]);
  const res = await db.batch<Record<string, unknown>>(stmts);
  return keys.map((_, i) => {
    const [log, stints, tenant] = [res[i * 3]!, res[i * 3 + 1]!, res[i * 3 + 2]!];
    const schedule = tenant.results[0]?.shift_schedule;
    return {
      log: log.results.map((r) => ({ state: r.state as StateEntry['state'], at: r.at as number })),
      stints: stints.results.map((r) => ({ agentId: String(r.agent_id), start: r.start_at as number, end: (r.end_at as number | null) ?? null })),
      schedule: schedule ? (JSON.parse(String(schedule)) as ShiftSchedule) : null,
    };
  });
}

/** Write computed agent-days; a day with no shift (null) removes its row. */
export async function writeAgentDays(db: D1Database, rows: { tenantId: string; agentId: string; day: number; value: AgentDay | null }[]): Promise<void> {
  if (rows.length === 0) return;
  await db.batch(
    rows.map((r) =>
      r.value
        ? db
            .prepare(
              `INSERT OR REPLACE INTO report_agent_days (tenant_id, agent_id, day, shift_start, shift_end, shift_ms, available_ms, away_ms, handling_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
            )
            .bind(r.tenantId, r.agentId, r.day, r.value.shiftStart, r.value.shiftEnd, r.value.shiftMs, r.value.availableMs, r.value.awayMs, r.value.handlingMs)
        : db.prepare('DELETE FROM report_agent_days WHERE tenant_id = ? AND agent_id = ? AND day = ?').bind(r.tenantId, r.agentId, r.day),
    ),
  );
}
