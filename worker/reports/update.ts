import { DAY_MS } from '../../protocol/reports';
import { readConversationLogs, replaceFactsStatements } from '../db/report-writes';
import type { BucketKey, ComputedFacts } from '../db/report-writes';
import { readAgentDays, writeAgentDays } from '../db/agent-days';
import { agentDay } from './agent-day';
import { daysOfStint, factsOf } from './facts';

/**
 * Keeping the reports' rollups, called by the projection after each written batch and by the Floor
 * object after each state-log sync. Everything is recomputed from D1's log for what a change
 * touched — the conversations, their hourly buckets, the agent-days of their stints — so running it
 * twice, or for a replayed batch, writes the same rows.
 */

/** An agent-day to recompute. */
export interface AgentDayKey {
  tenantId: string;
  agentId: string;
  day: number;
}

/** Recompute the report rows of these conversations, their buckets and their agents' days. */
export async function updateConversationReports(db: D1Database, conversationIds: string[], now: number): Promise<void> {
  if (conversationIds.length === 0) return;
  const { logs, tenants } = await readConversationLogs(db, [...new Set(conversationIds)]);
  if (logs.length === 0) return;
  const computed: ComputedFacts[] = [];
  const buckets = new Map<string, BucketKey>();
  const days = new Map<string, AgentDayKey>();
  const addBucket = (k: BucketKey) => buckets.set(JSON.stringify(k), k);
  const addDays = (tenantId: string, s: { agentId: string; start: number; end: number | null }) => {
    for (const day of daysOfStint(s, now)) days.set(`${tenantId}|${s.agentId}|${day}`, { tenantId, agentId: s.agentId, day });
  };
  for (const l of logs) {
    const settings = tenants.get(l.info.tenantId);
    const facts = factsOf(l.info, l.messages, l.events, settings?.longPauseMs ?? 60_000);
    computed.push({ info: l.info, rowsSeen: l.rowsSeen, facts });
    for (const b of l.oldBuckets) addBucket(b);
    for (const r of facts.rows) addBucket([l.info.tenantId, r.hour, l.info.team, r.agentId, l.info.topic ?? '', l.info.channel]);
    for (const s of [...l.oldStints, ...facts.stints]) addDays(l.info.tenantId, s);
  }
  await db.batch(replaceFactsStatements(db, computed, [...buckets.values()]));
  await updateAgentDays(db, [...days.values()], now);
}

/** Recompute agent-day rows from the state log and the handling stints. */
export async function updateAgentDays(db: D1Database, keys: AgentDayKey[], now: number): Promise<void> {
  // A batch of a few hundred reads at most: days come from the stints and log entries of one batch.
  for (let i = 0; i < keys.length; i += 30) {
    const chunk = keys.slice(i, i + 30);
    const inputs = await readAgentDays(db, chunk);
    await writeAgentDays(db, chunk.map((k, j) => ({ ...k, value: agentDay(k.day, inputs[j]!.log, inputs[j]!.stints, now, inputs[j]!.schedule) })));
  }
}

/** The agent-days a set of state-log entries touch: the day of each, and any day after it up to now while signed in. */
export function daysOfEntries(tenantId: string, entries: { agentId: string; at: number }[], now: number): AgentDayKey[] {
  const out = new Map<string, AgentDayKey>();
  for (const e of entries) {
    for (let day = Math.floor(e.at / DAY_MS) * DAY_MS; day <= now && day <= e.at + DAY_MS; day += DAY_MS) out.set(`${e.agentId}|${day}`, { tenantId, agentId: e.agentId, day });
  }
  return [...out.values()];
}

/** The projection's hook: recompute the reports of the written slices' conversations; false when D1 failed. */
export async function updateReportsOf(db: D1Database, written: { conversationId: string }[], now: number): Promise<boolean> {
  try {
    await updateConversationReports(db, written.map((p) => p.conversationId), now);
    return true;
  } catch (err) {
    console.warn('projection: report rollups failed:', (err as Error).message);
    return false;
  }
}
