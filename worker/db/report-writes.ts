import { SUM_KEYS } from '../../protocol/reports';
import type { ConversationFacts, ConversationInfo, LogEvent, LogMessage } from '../reports/facts';

/**
 * The report tables' writes (migration 0013). Many conversations per statement: the rows travel as
 * one JSON parameter read with json_each, so no statement grows with the batch and D1's limit of
 * 100 bound parameters never bites. Every write is a recomputation, never an increment: replaying
 * a batch writes the same rows again.
 */

/** The event kinds the figures read (docs/kpis.md). */
const REPORT_EVENTS = ['assignee.changed', 'hold.set', 'sla.breached', 'csat.rated', 'csat.cleared', 'conversation.merged_into', 'status.changed'];

/** One conversation's log as D1 holds it, and what the reports last made of it. */
export interface ConversationLog {
  info: ConversationInfo;
  messages: LogMessage[];
  events: LogEvent[];
  /** Messages + events read: D1's log only grows, so more rows is newer. */
  rowsSeen: number;
  oldBuckets: BucketKey[];
  oldStints: { agentId: string; start: number; end: number | null }[];
}

/** An hourly bucket: tenant, hour, team, agent, topic, channel. */
export type BucketKey = [string, number, string, string, string, string];

/** The tenant's report settings as the writes need them. */
export interface TenantReportSettings {
  longPauseMs: number;
  schedule: { from: string; to: string } | null;
}

/** Read the logs of these conversations (only those with a ticket), and each tenant's settings. */
export async function readConversationLogs(db: D1Database, ids: string[]): Promise<{ logs: ConversationLog[]; tenants: Map<string, TenantReportSettings> }> {
  const list = JSON.stringify(ids);
  const [convs, msgs, evs, buckets, stints, tenants] = await db.batch<Record<string, unknown>>([
    db.prepare('SELECT id, tenant_id, opened_at, team_id, topic, channels FROM conversations WHERE id IN (SELECT value FROM json_each(?1)) AND opened_at IS NOT NULL').bind(list),
    db.prepare('SELECT conversation_id AS c, seq, author_role, author_id, created_at FROM messages WHERE conversation_id IN (SELECT value FROM json_each(?1))').bind(list),
    db.prepare('SELECT conversation_id AS c, seq, kind, data, created_at FROM conversation_events WHERE conversation_id IN (SELECT value FROM json_each(?1)) AND kind IN (SELECT value FROM json_each(?2))').bind(list, JSON.stringify(REPORT_EVENTS)),
    db.prepare('SELECT conversation_id AS c, tenant_id, hour, team_id, agent_id, topic, channel FROM report_facts WHERE conversation_id IN (SELECT value FROM json_each(?1))').bind(list),
    db.prepare('SELECT conversation_id AS c, agent_id, start_at, end_at FROM report_handling WHERE conversation_id IN (SELECT value FROM json_each(?1))').bind(list),
    db.prepare('SELECT id, long_pause_s, shift_schedule FROM tenants WHERE id IN (SELECT tenant_id FROM conversations WHERE id IN (SELECT value FROM json_each(?1)))').bind(list),
  ]);
  const logs = new Map<string, ConversationLog>();
  for (const r of convs!.results) {
    const channels = JSON.parse(String(r.channels ?? '[]')) as string[];
    logs.set(String(r.id), {
      info: { id: String(r.id), tenantId: String(r.tenant_id), openedAt: r.opened_at as number, team: String(r.team_id), topic: (r.topic as string | null) ?? null, channel: channels[0] ?? 'web' },
      messages: [],
      events: [],
      rowsSeen: 0,
      oldBuckets: [],
      oldStints: [],
    });
  }
  for (const r of msgs!.results) {
    const l = logs.get(String(r.c));
    if (!l) continue;
    l.messages.push({ seq: r.seq as number, role: String(r.author_role), agentId: (r.author_id as string | null) ?? null, at: r.created_at as number });
    l.rowsSeen++;
  }
  for (const r of evs!.results) {
    const l = logs.get(String(r.c));
    if (!l) continue;
    let data: Record<string, unknown> = {};
    try {
      data = JSON.parse(String(r.data)) as Record<string, unknown>;
    } catch {
      // An unreadable event adds nothing; its row still counts as seen.
    }
    l.events.push({ seq: r.seq as number, kind: String(r.kind), data, at: r.created_at as number });
    l.rowsSeen++;
  }
  for (const r of buckets!.results) logs.get(String(r.c))?.oldBuckets.push([String(r.tenant_id), r.hour as number, String(r.team_id), String(r.agent_id), String(r.topic), String(r.channel)]);
  for (const r of stints!.results) logs.get(String(r.c))?.oldStints.push({ agentId: String(r.agent_id), start: r.start_at as number, end: (r.end_at as number | null) ?? null });
  const settings = new Map<string, TenantReportSettings>();
  for (const r of tenants!.results) settings.set(String(r.id), { longPauseMs: (r.long_pause_s as number) * 1000, schedule: r.shift_schedule ? (JSON.parse(String(r.shift_schedule)) as TenantReportSettings['schedule']) : null });
  return { logs: [...logs.values()], tenants: settings };
}

/** Facts of one conversation ready to write, with how many log rows they were computed from. */
export interface ComputedFacts {
  info: ConversationInfo;
  rowsSeen: number;
  facts: ConversationFacts;
}

const J = (i: number) => `json_extract(value, '$[${i}]')`;
/**
 * `rowid IN (…)` for the rows of `table` whose `cols` equal one of the keys in ?1 (as `exprs` of
 * each element): a join on every column, so the index is searched by the whole key. A row-value
 * `(a, b, …) IN (SELECT …)` is searched by its first column only, here the tenant: every report
 * write scanned all the tenant's rows (the stalls of docs/scale.md, 2026-12-02 evening).
 */
const keyed = (table: string, cols: string[], exprs: string[]) =>
  `rowid IN (SELECT x.rowid FROM (SELECT DISTINCT ${exprs.map((e, i) => `${e} AS k${i}`).join(', ')} FROM json_each(?1)) k JOIN ${table} x ON ${cols.map((c, i) => `x.${c} = k.k${i}`).join(' AND ')})`;
const BUCKET = ['tenant_id', 'hour', 'team_id', 'agent_id', 'topic', 'channel'];
const SUMS = SUM_KEYS.join(', ');
/** A row of conversation `$[1]` computed from `$[0]` rows is current: its conversation's mark is that count. */
const CURRENT = `EXISTS (SELECT 1 FROM report_conversations r WHERE r.conversation_id = ${J(1)} AND r.rows_seen = ${J(0)})`;

/**
 * Statements that replace these conversations' report rows and recompute every bucket they touch
 * (old and new). The mark goes first: a computation from fewer log rows than the last one is left
 * out by every statement after it, so a slow, stale consumer cannot put older facts back.
 */
export function replaceFactsStatements(db: D1Database, computed: ComputedFacts[], buckets: BucketKey[]): D1PreparedStatement[] {
  const marks = JSON.stringify(computed.map((c) => [c.rowsSeen, c.info.id, c.info.tenantId]));
  const facts = JSON.stringify(computed.flatMap(({ info, rowsSeen, facts: f }) => f.rows.map((r) => [rowsSeen, info.id, info.tenantId, r.hour, info.team, r.agentId, info.topic ?? '', info.channel, ...SUM_KEYS.map((k) => r[k])])));
  const pauses = JSON.stringify(computed.flatMap(({ info, rowsSeen, facts: f }) => f.pauses.map((p) => [rowsSeen, info.id, info.tenantId, p.customerSeq, p.agentSeq, p.agentId, info.team, info.topic ?? '', p.startedAt, p.waitedMs])));
  const ratings = JSON.stringify(computed.flatMap(({ info, rowsSeen, facts: f }) => f.ratings.map((r) => [rowsSeen, info.id, info.tenantId, r.eventSeq, r.at, r.score, r.comment, r.agentId, info.team, info.topic ?? ''])));
  const stints = JSON.stringify(computed.flatMap(({ info, rowsSeen, facts: f }) => f.stints.map((s) => [rowsSeen, info.id, info.tenantId, s.agentId, s.start, s.end])));
  const keys = JSON.stringify(buckets);
  const del = (table: string) => db.prepare(`DELETE FROM ${table} WHERE conversation_id IN (SELECT ${J(1)} FROM json_each(?1) WHERE ${CURRENT})`).bind(marks);
  const sumsOf = SUM_KEYS.map((_, i) => J(8 + i)).join(', ');
  return [
    db
      .prepare(
        `INSERT INTO report_conversations (conversation_id, tenant_id, rows_seen) SELECT ${J(1)}, ${J(2)}, ${J(0)} FROM json_each(?1) WHERE true
         ON CONFLICT (conversation_id) DO UPDATE SET rows_seen = excluded.rows_seen WHERE excluded.rows_seen >= report_conversations.rows_seen`,
      )
      .bind(marks),
    del('report_facts'),
    del('report_pauses'),
    del('report_ratings'),
    del('report_handling'),
    db.prepare(`INSERT OR REPLACE INTO report_facts (tenant_id, conversation_id, hour, team_id, agent_id, topic, channel, ${SUMS}) SELECT ${J(2)}, ${J(1)}, ${J(3)}, ${J(4)}, ${J(5)}, ${J(6)}, ${J(7)}, ${sumsOf} FROM json_each(?1) WHERE ${CURRENT}`).bind(facts),
    db.prepare(`INSERT OR REPLACE INTO report_pauses (tenant_id, conversation_id, customer_seq, agent_seq, agent_id, team_id, topic, started_at, waited_ms) SELECT ${J(2)}, ${J(1)}, ${J(3)}, ${J(4)}, ${J(5)}, ${J(6)}, ${J(7)}, ${J(8)}, ${J(9)} FROM json_each(?1) WHERE ${CURRENT}`).bind(pauses),
    db.prepare(`INSERT OR REPLACE INTO report_ratings (tenant_id, conversation_id, event_seq, at, score, comment, agent_id, team_id, topic) SELECT ${J(2)}, ${J(1)}, ${J(3)}, ${J(4)}, ${J(5)}, ${J(6)}, ${J(7)}, ${J(8)}, ${J(9)} FROM json_each(?1) WHERE ${CURRENT}`).bind(ratings),
    db.prepare(`INSERT OR REPLACE INTO report_handling (tenant_id, conversation_id, agent_id, start_at, end_at) SELECT ${J(2)}, ${J(1)}, ${J(3)}, ${J(4)}, ${J(5)} FROM json_each(?1) WHERE ${CURRENT}`).bind(stints),
    db.prepare(`DELETE FROM report_hourly WHERE ${keyed('report_hourly', BUCKET, BUCKET.map((_, i) => J(i)))}`).bind(keys),
    db
      .prepare(
        `INSERT INTO report_hourly (tenant_id, hour, team_id, agent_id, topic, channel, ${SUMS})
         SELECT tenant_id, hour, team_id, agent_id, topic, channel, ${SUM_KEYS.map((k) => `SUM(${k})`).join(', ')} FROM report_facts
         WHERE ${keyed('report_facts', BUCKET, BUCKET.map((_, i) => J(i)))}
         GROUP BY tenant_id, hour, team_id, agent_id, topic, channel`,
      )
      .bind(keys),
    ...coarseStatements(db, keys),
  ];
}

const DAY = 'CAST(json_extract(value, \'$[1]\') / 86400000 AS INTEGER) * 86400000';
const SUM_ALL = SUM_KEYS.map((k) => `SUM(h.${k})`).join(', ');

/**
 * The coarser rollups (report_hourly_team, report_daily_agent, report_daily_agent_topic,
 * report_daily_topic) of the touched
 * buckets, summed again from report_hourly after it was recomputed, in the same transaction.
 */
function coarseStatements(db: D1Database, keys: string): D1PreparedStatement[] {
  return [
    db.prepare(`DELETE FROM report_hourly_team WHERE ${keyed('report_hourly_team', ['tenant_id', 'hour', 'team_id'], [J(0), J(1), J(2)])}`).bind(keys),
    db
      .prepare(
        `INSERT INTO report_hourly_team (tenant_id, hour, team_id, ${SUMS})
         SELECT h.tenant_id, h.hour, h.team_id, ${SUM_ALL} FROM report_hourly h
         WHERE h.${keyed('report_hourly', ['tenant_id', 'hour', 'team_id'], [J(0), J(1), J(2)])} GROUP BY h.tenant_id, h.hour, h.team_id`,
      )
      .bind(keys),
    db.prepare(`DELETE FROM report_daily_agent WHERE ${keyed('report_daily_agent', ['tenant_id', 'day', 'team_id', 'agent_id'], [J(0), DAY, J(2), J(3)])}`).bind(keys),
    db
      .prepare(
        `INSERT INTO report_daily_agent (tenant_id, day, team_id, agent_id, ${SUMS})
         SELECT h.tenant_id, k.d, h.team_id, h.agent_id, ${SUM_ALL}
         FROM (SELECT DISTINCT ${J(0)} AS t, ${DAY} AS d, ${J(2)} AS team, ${J(3)} AS agent FROM json_each(?1)) k
         JOIN report_hourly h ON h.tenant_id = k.t AND h.hour >= k.d AND h.hour < k.d + 86400000 AND h.team_id = k.team AND h.agent_id = k.agent
         GROUP BY h.tenant_id, k.d, h.team_id, h.agent_id`,
      )
      .bind(keys),
    db.prepare(`DELETE FROM report_daily_agent_topic WHERE ${keyed('report_daily_agent_topic', ['tenant_id', 'day', 'team_id', 'agent_id', 'topic', 'channel'], [J(0), DAY, J(2), J(3), J(4), J(5)])}`).bind(keys),
    db
      .prepare(
        `INSERT INTO report_daily_agent_topic (tenant_id, day, team_id, agent_id, topic, channel, ${SUMS})
         SELECT h.tenant_id, k.d, h.team_id, h.agent_id, h.topic, h.channel, ${SUM_ALL}
         FROM (SELECT DISTINCT ${J(0)} AS t, ${DAY} AS d, ${J(2)} AS team, ${J(3)} AS agent, ${J(4)} AS topic, ${J(5)} AS channel FROM json_each(?1)) k
         JOIN report_hourly h ON h.tenant_id = k.t AND h.hour >= k.d AND h.hour < k.d + 86400000 AND h.team_id = k.team AND h.agent_id = k.agent AND h.topic = k.topic AND h.channel = k.channel
         GROUP BY h.tenant_id, k.d, h.team_id, h.agent_id, h.topic, h.channel`,
      )
      .bind(keys),
    db.prepare(`DELETE FROM report_daily_topic WHERE ${keyed('report_daily_topic', ['tenant_id', 'day', 'team_id', 'topic', 'channel'], [J(0), DAY, J(2), J(4), J(5)])}`).bind(keys),
    db
      .prepare(
        `INSERT INTO report_daily_topic (tenant_id, day, team_id, topic, channel, ${SUMS})
         SELECT h.tenant_id, k.d, h.team_id, h.topic, h.channel, ${SUM_ALL}
         FROM (SELECT DISTINCT ${J(0)} AS t, ${DAY} AS d, ${J(2)} AS team, ${J(4)} AS topic, ${J(5)} AS channel FROM json_each(?1)) k
         JOIN report_hourly h ON h.tenant_id = k.t AND h.hour >= k.d AND h.hour < k.d + 86400000 AND h.team_id = k.team AND h.topic = k.topic AND h.channel = k.channel
         GROUP BY h.tenant_id, k.d, h.team_id, h.topic, h.channel`,
      )
      .bind(keys),
  ];
}
