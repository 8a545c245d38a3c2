import { DAY_MS, SUM_KEYS } from '../../protocol';
import type { ReportDimension, ReportSums } from '../../protocol';
import type { ReportScope } from './report-queries';

/**
 * Which rollup answers a report query, and the query. The full-grain hourly rollup has a row per
 * team × agent × topic × channel with activity in each hour (hundreds of thousands over 90 days at
 * a million conversations), so a query that needs fewer dimensions reads a coarser one: per team
 * and hour (days and hours in the viewer's time zone, the team filter), per team and agent and UTC
 * day, per team, topic and channel and UTC day, or every dimension per UTC day (any filter the
 * others lack, a few rows per agent and day) — the partial days at the range's ends taken
 * from the hourly rollup, so every sum is exact. Only fixed SQL fragments are chosen; values are bound.
 */

type Source = 'team' | 'agent' | 'topic' | 'agentTopic' | 'full';

/** The coarsest rollup holding every dimension the query groups or filters by. */
export function sourceFor(by: ReportDimension, s: ReportScope): Source {
  if (!s.agent && !s.topic && !s.channel && (by === 'team' || by === 'brand' || by === 'day' || by === 'hour')) return 'team';
  if (!s.topic && !s.channel && (by === 'agent' || by === 'team' || by === 'brand')) return 'agent';
  if (!s.agent && (by === 'topic' || by === 'channel' || by === 'team' || by === 'brand')) return 'topic';
  if (by !== 'day' && by !== 'hour') return 'agentTopic';
  return 'full';
}

/** The group key per dimension; day and hour read ?9, the viewer's offset from UTC in ms. */
const GROUP_BY: Record<ReportDimension, string> = {
  agent: 'agent_id',
  team: 'team_id',
  topic: 'topic',
  channel: 'channel',
  brand: 'tenant_id',
  day: 'CAST((hour + ?9) / 86400000 AS INTEGER) * 86400000 - ?9',
  hour: 'CAST(((hour + ?9) % 86400000) / 3600000 AS INTEGER)',
};

const COLS = SUM_KEYS.join(', ');
const SUMS = SUM_KEYS.map((k) => `SUM(${k}) AS ${k}`).join(', ');
const TEAMS = '(?4 IS NULL OR team_id IN (SELECT value FROM json_each(?4))) AND (?5 IS NULL OR team_id = ?5)';
const DIMS = '(?6 IS NULL OR agent_id = ?6) AND (?7 IS NULL OR topic = ?7) AND (?8 IS NULL OR channel = ?8)';
const AGENT = '(?6 IS NULL OR agent_id = ?6)';
const TOPIC = '(?7 IS NULL OR topic = ?7) AND (?8 IS NULL OR channel = ?8)';
/** The hourly rows of the range's partial days: before the first whole UTC day (?10) and from the last (?11) on. */
const EDGES = 'tenant_id = ?1 AND ((hour >= ?2 AND hour < ?10) OR (hour >= ?11 AND hour < ?3))';

/** Whole UTC days (?10 to ?11) from a daily rollup, the partial days at the edges from the hourly one. */
function dailyWithEdges(g: string, table: string, dims: string): { sql: string; params: number } {
  return {
    sql: `SELECT k, ${SUMS} FROM (
          SELECT ${g} AS k, ${COLS} FROM ${table} WHERE tenant_id = ?1 AND day >= ?10 AND day < ?11 AND ${TEAMS} AND ${dims}
          UNION ALL SELECT ${g} AS k, ${COLS} FROM report_hourly WHERE ${EDGES} AND ${TEAMS} AND ${DIMS}
        ) GROUP BY k ORDER BY k`,
    params: 11,
  };
}

/** The statement of a source and grouping, and how many parameters it binds. */
function statementOf(source: Source, by: ReportDimension): { sql: string; params: number } {
  const g = GROUP_BY[by];
  switch (source) {
    case 'team':
      return { sql: `SELECT ${g} AS k, ${SUMS} FROM report_hourly_team WHERE tenant_id = ?1 AND hour >= ?2 AND hour < ?3 AND ${TEAMS} GROUP BY k ORDER BY k`, params: by === 'day' || by === 'hour' ? 9 : 5 };
    case 'agent':
      return dailyWithEdges(g, 'report_daily_agent', AGENT);
    case 'topic':
      return dailyWithEdges(g, 'report_daily_topic', TOPIC);
    case 'agentTopic':
      return dailyWithEdges(g, 'report_daily_agent_topic', DIMS);
    case 'full':
      return { sql: `SELECT ${g} AS k, ${SUMS} FROM report_hourly WHERE tenant_id = ?1 AND hour >= ?2 AND hour < ?3 AND ${TEAMS} AND ${DIMS} GROUP BY k ORDER BY k`, params: by === 'day' || by === 'hour' ? 9 : 8 };
  }
}

/** The rollup's sums per group of `by` over the scope, from the coarsest rollup that can answer. */
export async function sumsBy(db: D1Database, s: ReportScope, by: ReportDimension, tzMs: number): Promise<{ key: string; sums: ReportSums }[]> {
  const { sql, params } = statementOf(sourceFor(by, s), by);
  // Whole UTC days inside the range; none: every hour from the hourly rollup.
  let dayFrom = Math.ceil(s.from / DAY_MS) * DAY_MS;
  let dayTo = Math.floor(s.to / DAY_MS) * DAY_MS;
  if (dayFrom >= dayTo) dayFrom = dayTo = s.to;
  const all = [s.tenantId, s.from, s.to, s.teams && JSON.stringify(s.teams), s.team ?? null, s.agent ?? null, s.topic ?? null, s.channel ?? null, tzMs, dayFrom, dayTo];
  // D1 wants exactly as many bindings as the statement's highest parameter.
  const rows = await db.prepare(sql).bind(...all.slice(0, params)).all<Record<string, number | string>>();
  return rows.results.map((r) => ({ key: String(r.k), sums: Object.fromEntries(SUM_KEYS.map((k) => [k, Number(r[k] ?? 0)])) as unknown as ReportSums }));
}

/** The coarsest daily rollup holding the filters' dimensions, with their conditions. */
function dailyTableFor(s: ReportScope): { table: string; dims: string; params: number } {
  if (!s.topic && !s.channel) return { table: 'report_daily_agent', dims: AGENT, params: 6 };
  if (!s.agent) return { table: 'report_daily_topic', dims: TOPIC, params: 8 };
  return { table: 'report_daily_agent_topic', dims: DIMS, params: 8 };
}

/**
 * A per-UTC-day series for the chart, from a daily rollup, when the viewer's own days would need
 * the full-grain hourly rollup (an agent or channel filter with another dimension); the range's
 * first and last days are whole UTC days.
 */
export async function dailyUtcSums(db: D1Database, s: ReportScope): Promise<{ key: string; sums: ReportSums }[]> {
  const t = dailyTableFor(s);
  const sql = `SELECT day AS k, ${SUMS} FROM ${t.table} WHERE tenant_id = ?1 AND day >= ?2 AND day < ?3 AND ${TEAMS} AND ${t.dims} GROUP BY k ORDER BY k`;
  const rows = await db
    .prepare(sql)
    // D1 wants exactly as many bindings as the statement's highest parameter.
    .bind(...[s.tenantId, Math.floor(s.from / DAY_MS) * DAY_MS, s.to, s.teams && JSON.stringify(s.teams), s.team ?? null, s.agent ?? null, s.topic ?? null, s.channel ?? null].slice(0, t.params))
    .all<Record<string, number | string>>();
  return rows.results.map((r) => ({ key: String(r.k), sums: Object.fromEntries(SUM_KEYS.map((k) => [k, Number(r[k] ?? 0)])) as unknown as ReportSums }));
}
