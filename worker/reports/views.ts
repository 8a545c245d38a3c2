import { DAY_MS, HOUR_MS } from '../../protocol';
import type { CsatResponse, Figures, PausesResponse, ReportDimension, ReportResponse, ShiftRow, ShiftsResponse, TodayResponse } from '../../protocol';
import type { Agent } from '../db/agents';
import { wallOf } from '../db/teams';
import { agentDays, agentsActiveSince, backlog, pauseDetails, pauseGroups, ratings, reportLabels, reportSettings, sumsBy } from '../db/report-queries';
import type { AgentDayRow, ReportScope } from '../db/report-queries';
import { readAgentDays } from '../db/agent-days';
import { dailyUtcSums, sourceFor } from '../db/report-sources';
import { ApiError } from '../errors';
import { maskText } from '../privacy/mask';
import { agentDay, ratesOf } from './agent-day';
import { addSums, figuresOf } from './figures';

/**
 * The reports' answers, assembled from the rollup reads: who may see what (supervisors their
 * teams, admins the tenant), labels, and every customer or agent text masked (the reveal stays
 * the conversation's own, audited). Today's shifts are computed live, the rest read as stored.
 */

/** The longest range one report covers. */
export const MAX_RANGE_DAYS = 400;

/** The parsed query of a report call. */
export interface ReportParams {
  from: string;
  to: string;
  by: ReportDimension;
  team?: string | undefined;
  agent?: string | undefined;
  topic?: string | undefined;
  channel?: string | undefined;
  tz: number;
}

const dayOf = (iso: string) => {
  const [y, m, d] = iso.split('-').map(Number);
  return Date.UTC(y!, m! - 1, d!);
};

/** The scope of a viewer's query: their tenant, their wall, the range in ms (the viewer's days). */
export async function scopeOf(db: D1Database, agent: Agent, q: ReportParams): Promise<ReportScope & { tzMs: number }> {
  const tzMs = q.tz * 60_000;
  const from = dayOf(q.from) - tzMs;
  const to = dayOf(q.to) + DAY_MS - tzMs;
  if (!Number.isFinite(from) || !Number.isFinite(to) || to <= from) throw new ApiError('request.invalid', 'to must be on or after from');
  if (to - from > MAX_RANGE_DAYS * DAY_MS) throw new ApiError('request.invalid', `A report covers at most ${MAX_RANGE_DAYS} days`);
  const teams = agent.role === 'admin' ? null : (await wallOf(db, agent)).filter((t) => t.supervises).map((t) => t.id);
  return { tenantId: agent.tenantId, teams, from, to, team: q.team, agent: q.agent, topic: q.topic, channel: q.channel, tzMs };
}

/** Figures grouped by `by`, the totals, a daily series and the backlog. */
export async function figuresReport(db: D1Database, s: ReportScope & { tzMs: number }, by: ReportDimension): Promise<ReportResponse> {
  // The chart's days: the viewer's, unless only the full-grain rollup has them (then UTC days from a daily one).
  const utc = by !== 'day' && sourceFor('day', s) === 'full';
  const series = by === 'day' ? null : utc ? dailyUtcSums(db, s) : sumsBy(db, s, 'day', s.tzMs);
  const [groups, daily, labels, open] = await Promise.all([sumsBy(db, s, by, s.tzMs), series, reportLabels(db, s.tenantId), backlog(db, s)]);
  const label = (key: string) =>
    by === 'agent' ? (key === '' ? 'No agent' : labels.agents.get(key) ?? key)
    : by === 'team' ? labels.teams.get(key) ?? key
    : by === 'topic' ? (key === '' ? 'No topic' : labels.topics.get(key) ?? key)
    : by === 'day' ? new Date(Number(key) + s.tzMs).toISOString().slice(0, 10)
    : by === 'hour' ? `${key.padStart(2, '0')}:00`
    : key;
  return {
    from: s.from,
    to: s.to,
    by,
    totals: figuresOf(addSums(groups.map((g) => g.sums))),
    rows: groups.map((g) => ({ key: g.key, label: label(g.key), figures: figuresOf(g.sums) })),
    daily: (daily ?? groups).map((g) => {
      const f = figuresOf(g.sums);
      return { day: Number(g.key), received: f.received, resolved: f.resolved, frtMs: f.frtMs };
    }),
    backlog: open,
    ...(utc ? { dailyUtc: true } : {}),
  };
}

/** Shifts per agent and UTC day, today's computed now. */
export async function shiftsReport(db: D1Database, s: ReportScope, now: number): Promise<ShiftsResponse> {
  const [stored, labels] = await Promise.all([agentDays(db, s), reportLabels(db, s.tenantId)]);
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  const live = await liveDays(db, s.tenantId, stored.filter((d) => d.day === today).map((d) => d.agentId), today, now);
  const rows = stored.map((d) => (d.day === today ? live.find((l) => l.agentId === d.agentId) ?? d : d));
  return { shifts: rows.map((d): ShiftRow => ({ ...d, agentName: labels.agents.get(d.agentId) ?? d.agentId, ...ratesOf(d) })) };
}

/** Agent-days of `day` computed from D1's log at `now`. */
async function liveDays(db: D1Database, tenantId: string, agentIds: string[], day: number, now: number): Promise<AgentDayRow[]> {
  const inputs = await readAgentDays(db, agentIds.map((agentId) => ({ tenantId, agentId, day })));
  return agentIds.flatMap((agentId, i) => {
    const d = agentDay(day, inputs[i]!.log, inputs[i]!.stints, now, inputs[i]!.schedule);
    return d ? [{ agentId, ...d }] : [];
  });
}

/** Long pauses per agent and topic; with an agent and a topic, the drill-down to the message pairs. */
export async function pausesReport(db: D1Database, s: ReportScope): Promise<PausesResponse> {
  const [{ longPauseS }, labels] = await Promise.all([reportSettings(db, s.tenantId), reportLabels(db, s.tenantId)]);
  const threshold = longPauseS * 1000;
  const groups = (await pauseGroups(db, s, threshold)).map((g) => ({ ...g, agentName: labels.agents.get(g.agentId) ?? g.agentId }));
  if (s.agent === undefined || s.topic === undefined) return { thresholdS: longPauseS, groups };
  const pauses = (await pauseDetails(db, s, threshold)).map((p) => ({
    conversationId: p.conversationId,
    number: p.number,
    startedAt: p.startedAt,
    waitedMs: p.waitedMs,
    customer: { seq: p.customerSeq, text: maskText(p.customerText).text },
    agent: { seq: p.agentSeq, text: maskText(p.agentText).text, name: p.agentName },
  }));
  return { thresholdS: longPauseS, groups, pauses };
}

/** Ratings with their comments, masked. */
export async function csatReport(db: D1Database, s: ReportScope): Promise<CsatResponse> {
  const [rows, labels] = await Promise.all([ratings(db, s), reportLabels(db, s.tenantId)]);
  return {
    ratings: rows.map((r) => ({ conversationId: r.conversationId, number: r.number, at: r.at, score: r.score, comment: r.comment === null ? null : maskText(r.comment).text, agentName: r.agentId === '' ? '' : labels.agents.get(r.agentId) ?? r.agentId, team: labels.teams.get(r.team) ?? r.team, topic: labels.topics.get(r.topic) ?? r.topic })),
  };
}

/** The live tiles: today so far (the viewer's day), the backlog, and utilization and occupancy of today's shifts. */
export async function todayReport(db: D1Database, s: ReportScope & { tzMs: number }, now: number): Promise<TodayResponse> {
  const since = Math.floor((now + s.tzMs) / DAY_MS) * DAY_MS - s.tzMs;
  const scope = { ...s, from: Math.floor(since / HOUR_MS) * HOUR_MS, to: now + HOUR_MS };
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  const [groups, open, agents] = await Promise.all([sumsBy(db, scope, 'brand', 0), backlog(db, s), agentsActiveSince(db, s, today)]);
  const days = await liveDays(db, s.tenantId, agents, today, now);
  const rates = ratesOf(days.reduce((a, d) => ({ shiftMs: a.shiftMs + d.shiftMs, availableMs: a.availableMs + d.availableMs, handlingMs: a.handlingMs + d.handlingMs }), { shiftMs: 0, availableMs: 0, handlingMs: 0 }));
  const figures: Figures = figuresOf(addSums(groups.map((g) => g.sums)));
  return { since, figures, backlog: open, ...rates };
}
