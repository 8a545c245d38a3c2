import { DEFAULT_TEAM } from '../../protocol';
import type { ShiftRow } from '../../protocol';
import type { AgentDay } from '../reports/agent-day';

/**
 * The reports' reads: rollups only (report_hourly, report_agent_days, report_pauses,
 * report_ratings), never the messages — except the drill-down's one message pair per pause shown.
 * Every query is of the caller's tenant; `teams` is a supervisor's wall (null: an admin, every team).
 */

/** What every report query filters by. */
export interface ReportScope {
  tenantId: string;
  /** The teams the viewer may see; null for the whole tenant. */
  teams: string[] | null;
  from: number;
  to: number;
  team?: string | undefined;
  agent?: string | undefined;
  topic?: string | undefined;
  channel?: string | undefined;
}


const bindScope = (s: ReportScope) => [s.tenantId, s.from, s.to, s.teams && JSON.stringify(s.teams), s.team ?? null, s.agent ?? null, s.topic ?? null, s.channel ?? null] as const;

/** The rollup's sums per group (worker/db/report-sources.ts picks the rollup). */
export { sumsBy } from './report-sources';

/**
 * Open conversations now (the backlog) in the scope's teams, agent and topic, counted from the
 * partial index of open tickets (migration 0013): the planner would otherwise take the opened_at
 * index and walk every ticket the tenant ever had (1.4 s at a million). Merged ones are closed.
 */
export async function backlog(db: D1Database, s: Omit<ReportScope, 'from' | 'to'>): Promise<number> {
  const row = await db
    .prepare(
      `SELECT COUNT(*) AS n FROM conversations INDEXED BY conversations_backlog WHERE tenant_id = ?1 AND status IN ('open', 'pending', 'on_hold') AND opened_at IS NOT NULL
         AND (?2 IS NULL OR team_id IN (SELECT value FROM json_each(?2))) AND (?3 IS NULL OR team_id = ?3) AND (?4 IS NULL OR assignee_id = ?4) AND (?5 IS NULL OR topic = ?5)`,
    )
    .bind(s.tenantId, s.teams && JSON.stringify(s.teams), s.team ?? null, s.agent ?? null, s.topic ?? null)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

/** Names for the keys a report shows: agents, teams and topics of the tenant. */
export async function reportLabels(db: D1Database, tenantId: string): Promise<{ agents: Map<string, string>; teams: Map<string, string>; topics: Map<string, string> }> {
  const [a, t, k] = await db.batch<{ id: string; name: string }>([
    db.prepare('SELECT id, name FROM agents WHERE tenant_id = ?').bind(tenantId),
    db.prepare('SELECT id, name FROM teams WHERE tenant_id = ?').bind(tenantId),
    db.prepare('SELECT key AS id, label AS name FROM topics WHERE tenant_id = ?').bind(tenantId),
  ]);
  const map = (r: D1Result<{ id: string; name: string }>) => new Map(r.results.map((x) => [x.id, x.name]));
  return { agents: map(a!), teams: map(t!), topics: map(k!) };
}

/** Agents of the viewer's teams (agents in no team work in the default team). */
const AGENTS_IN_SCOPE = `(?2 IS NULL OR agent_id IN (SELECT agent_id FROM team_members WHERE tenant_id = ?1 AND team_id IN (SELECT value FROM json_each(?2)))
  OR (EXISTS (SELECT 1 FROM json_each(?2) WHERE value = '${DEFAULT_TEAM}') AND agent_id NOT IN (SELECT agent_id FROM team_members WHERE tenant_id = ?1)))`;

/** One stored agent-day: a shift row before names and ratios. */
export type AgentDayRow = AgentDay & Pick<ShiftRow, 'agentId'>;

/** The stored agent-days of the scope's agents, days from `from` to `to`. */
export async function agentDays(db: D1Database, s: ReportScope): Promise<AgentDayRow[]> {
  const rows = await db
    .prepare(
      `SELECT agent_id, day, shift_start, shift_end, shift_ms, available_ms, away_ms, handling_ms FROM report_agent_days
       WHERE tenant_id = ?1 AND day >= ?3 AND day < ?4 AND (?5 IS NULL OR agent_id = ?5)
         AND (?6 IS NULL OR agent_id IN (SELECT agent_id FROM team_members WHERE tenant_id = ?1 AND team_id = ?6)) AND ${AGENTS_IN_SCOPE}
       ORDER BY day, agent_id LIMIT 5000`,
    )
    .bind(s.tenantId, s.teams && JSON.stringify(s.teams), Math.floor(s.from / 86_400_000) * 86_400_000, s.to, s.agent ?? null, s.team ?? null)
    .all<Record<string, number | string>>();
  return rows.results.map((r) => ({ agentId: String(r.agent_id), day: Number(r.day), shiftStart: Number(r.shift_start), shiftEnd: Number(r.shift_end), shiftMs: Number(r.shift_ms), availableMs: Number(r.available_ms), awayMs: Number(r.away_ms), handlingMs: Number(r.handling_ms) }));
}

/** Agents of the scope signed in at some time since `since` (for today's live figures). */
export async function agentsActiveSince(db: D1Database, s: Pick<ReportScope, 'tenantId' | 'teams' | 'agent'>, since: number): Promise<string[]> {
  const rows = await db
    .prepare(
      `SELECT DISTINCT agent_id FROM agent_state_log WHERE tenant_id = ?1 AND (?4 IS NULL OR agent_id = ?4) AND ${AGENTS_IN_SCOPE}
         AND (at >= ?3 OR seq IN (SELECT MAX(seq) FROM agent_state_log WHERE tenant_id = ?1 AND at < ?3 GROUP BY agent_id HAVING state != 'offline'))`,
    )
    .bind(s.tenantId, s.teams && JSON.stringify(s.teams), since, s.agent ?? null)
    .all<{ agent_id: string }>();
  return rows.results.map((r) => r.agent_id);
}

const PAUSE_FILTERS = `p.tenant_id = ?1 AND p.started_at >= ?2 AND p.started_at < ?3 AND p.waited_ms > ?9
  AND (?4 IS NULL OR p.team_id IN (SELECT value FROM json_each(?4)))
  AND (?5 IS NULL OR p.team_id = ?5) AND (?6 IS NULL OR p.agent_id = ?6) AND (?7 IS NULL OR p.topic = ?7)`;

/** Long pauses (longer than `thresholdMs`) per agent and topic. */
export async function pauseGroups(db: D1Database, s: ReportScope, thresholdMs: number): Promise<{ agentId: string; topic: string; count: number; avgMs: number; maxMs: number }[]> {
  const rows = await db
    .prepare(`SELECT p.agent_id, p.topic, COUNT(*) AS n, AVG(p.waited_ms) AS avg, MAX(p.waited_ms) AS max FROM report_pauses p WHERE ${PAUSE_FILTERS} GROUP BY p.agent_id, p.topic ORDER BY n DESC, max DESC LIMIT 500`)
    .bind(...bindScope(s), thresholdMs)
    .all<{ agent_id: string; topic: string; n: number; avg: number; max: number }>();
  return rows.results.map((r) => ({ agentId: r.agent_id, topic: r.topic, count: r.n, avgMs: Math.round(r.avg), maxMs: r.max }));
}

/** The longest pauses of the scope (an agent and a topic given) with their message pair, texts as stored. */
export async function pauseDetails(db: D1Database, s: ReportScope, thresholdMs: number): Promise<{ conversationId: string; number: number | null; startedAt: number; waitedMs: number; customerSeq: number; agentSeq: number; customerText: string; agentText: string; agentName: string }[]> {
  const rows = await db
    .prepare(
      `SELECT p.conversation_id, c.number, p.started_at, p.waited_ms, p.customer_seq, p.agent_seq, mc.text AS ctext, ma.text AS atext, ma.author_name AS aname
       FROM report_pauses p JOIN conversations c ON c.id = p.conversation_id AND c.tenant_id = p.tenant_id
       LEFT JOIN messages mc ON mc.conversation_id = p.conversation_id AND mc.seq = p.customer_seq
       LEFT JOIN messages ma ON ma.conversation_id = p.conversation_id AND ma.seq = p.agent_seq
       WHERE ${PAUSE_FILTERS} ORDER BY p.waited_ms DESC LIMIT 50`,
    )
    .bind(...bindScope(s), thresholdMs)
    .all<Record<string, string | number | null>>();
  return rows.results.map((r) => ({ conversationId: String(r.conversation_id), number: r.number as number | null, startedAt: Number(r.started_at), waitedMs: Number(r.waited_ms), customerSeq: Number(r.customer_seq), agentSeq: Number(r.agent_seq), customerText: String(r.ctext ?? ''), agentText: String(r.atext ?? ''), agentName: String(r.aname ?? '') }));
}

/** Ratings of the scope, newest first, comments as stored. */
export async function ratings(db: D1Database, s: ReportScope): Promise<{ conversationId: string; number: number | null; at: number; score: 'good' | 'bad'; comment: string | null; agentId: string; team: string; topic: string }[]> {
  const rows = await db
    .prepare(
      `SELECT p.conversation_id, c.number, p.at, p.score, p.comment, p.agent_id, p.team_id, p.topic FROM report_ratings p JOIN conversations c ON c.id = p.conversation_id AND c.tenant_id = p.tenant_id
       WHERE p.tenant_id = ?1 AND p.at >= ?2 AND p.at < ?3 AND (?4 IS NULL OR p.team_id IN (SELECT value FROM json_each(?4)))
         AND (?5 IS NULL OR p.team_id = ?5) AND (?6 IS NULL OR p.agent_id = ?6) AND (?7 IS NULL OR p.topic = ?7)
       ORDER BY p.at DESC LIMIT 500`,
    )
    .bind(...bindScope(s).slice(0, 7))
    .all<Record<string, string | number | null>>();
  return rows.results.map((r) => ({ conversationId: String(r.conversation_id), number: r.number as number | null, at: Number(r.at), score: r.score as 'good' | 'bad', comment: (r.comment as string | null) ?? null, agentId: String(r.agent_id), team: String(r.team_id), topic: String(r.topic) }));
}

/** The tenant's report settings. */
export async function reportSettings(db: D1Database, tenantId: string): Promise<{ longPauseS: number; shift: { from: string; to: string } | null }> {
  const r = await db.prepare('SELECT long_pause_s, shift_schedule FROM tenants WHERE id = ?').bind(tenantId).first<{ long_pause_s: number; shift_schedule: string | null }>();
  return { longPauseS: r?.long_pause_s ?? 60, shift: r?.shift_schedule ? (JSON.parse(r.shift_schedule) as { from: string; to: string }) : null };
}

/** Replace the tenant's report settings. */
export async function saveReportSettings(db: D1Database, tenantId: string, v: { longPauseS: number; shift: { from: string; to: string } | null }): Promise<void> {
  await db.prepare('UPDATE tenants SET long_pause_s = ?, shift_schedule = ? WHERE id = ?').bind(v.longPauseS, v.shift && JSON.stringify(v.shift), tenantId).run();
}
