import { EMPTY_SUMS, HOUR_MS, hourOf } from '../../protocol/reports';
import type { ReportSums } from '../../protocol/reports';

/**
 * What one conversation adds to the reports, pure: its log (the message and event rows D1 holds)
 * in, the hourly contributions, long pauses, ratings and handling stints out. The projection calls
 * it for every conversation a batch touched and replaces that conversation's rows whole, so the
 * same log always gives the same rows and a replayed batch changes nothing. docs/kpis.md writes
 * every definition down; the hand-worked day in test/worker/reports/facts.test.ts checks them.
 */

/** A message row, without its text: who wrote it and when. */
export interface LogMessage {
  seq: number;
  role: string;
  agentId: string | null;
  at: number;
}

/** An audit event row, its data parsed. */
export interface LogEvent {
  seq: number;
  kind: string;
  data: Record<string, unknown>;
  at: number;
}

/** The ticket's own fields the figures are grouped by. */
export interface ConversationInfo {
  id: string;
  tenantId: string;
  openedAt: number | null;
  team: string;
  topic: string | null;
  /** The first channel the customer used. */
  channel: string;
}

/** One bucket's contribution: the hour, the agent ('' for none) and the sums. */
export interface FactRow extends ReportSums {
  hour: number;
  agentId: string;
}

/** A customer wait past the threshold, without a hold, ended by the agent's reply. */
export interface PauseRow {
  customerSeq: number;
  agentSeq: number;
  agentId: string;
  startedAt: number;
  waitedMs: number;
}

/** The last rating a resolution got. */
export interface RatingRow {
  eventSeq: number;
  at: number;
  score: 'good' | 'bad';
  comment: string | null;
  agentId: string;
}

/** An agent's stint on the conversation; `end` null while it goes on. */
export interface Stint {
  agentId: string;
  start: number;
  end: number | null;
}

/** Everything one conversation adds to the reports. */
export interface ConversationFacts {
  rows: FactRow[];
  pauses: PauseRow[];
  ratings: RatingRow[];
  stints: Stint[];
}

const isDone = (s: unknown) => s === 'resolved' || s === 'closed';
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

type Entry = { at: number; order: number; m?: LogMessage; e?: LogEvent };

/** The facts of one conversation from its log; `longPauseMs` is the tenant's threshold. */
export function factsOf(info: ConversationInfo, messages: LogMessage[], events: LogEvent[], longPauseMs: number): ConversationFacts {
  const rows = new Map<string, FactRow>();
  const add = (at: number, agentId: string | null, sums: Partial<ReportSums>) => {
    const hour = hourOf(at);
    const key = `${hour}|${agentId ?? ''}`;
    const row = rows.get(key) ?? { ...EMPTY_SUMS, hour, agentId: agentId ?? '' };
    for (const [k, v] of Object.entries(sums) as [keyof ReportSums, number][]) row[k] += v;
    rows.set(key, row);
  };
  const pauses: PauseRow[] = [];
  const ratings: RatingRow[] = [];
  const stints: Stint[] = [];
  // Messages before events at the same instant: a reply that ends a hold answers the wait first.
  const log: Entry[] = [...messages.map((m) => ({ at: m.at, order: 0, m })), ...events.map((e) => ({ at: e.at, order: 1, e }))];
  log.sort((a, b) => a.at - b.at || a.order - b.order || (a.m?.seq ?? a.e!.seq) - (b.m?.seq ?? b.e!.seq));

  let assignee: string | null = null;
  let firstAssignee: string | null = null;
  let status = 'open';
  let onHold = false;
  let wait: { start: number; seq: number; held: boolean } | null = null;
  let answered = false;
  const repliedBy = new Set<string>();
  let breached = false;
  let resolvedBy: string | null = null;
  let pending: RatingRow | null = null;
  const open = new Map<string, number>();

  const startStint = (agent: string, at: number) => {
    if (!open.has(agent)) open.set(agent, at);
  };
  const endStint = (agent: string | null, at: number) => {
    if (agent === null || !open.has(agent)) return;
    const start = open.get(agent)!;
    open.delete(agent);
    stints.push({ agentId: agent, start, end: at });
    add(at, agent, { handle_ms: at - start, handle_n: 1 });
  };
  const finishRating = () => {
    if (!pending) return;
    ratings.push(pending);
    add(pending.at, pending.agentId, { csat_good: pending.score === 'good' ? 1 : 0, csat_bad: pending.score === 'bad' ? 1 : 0, csat_comments: pending.comment ? 1 : 0 });
    pending = null;
  };

  for (const { m, e } of log) {
    if (m) {
      if (m.role === 'customer') {
        wait ??= { start: m.at, seq: m.seq, held: onHold };
      } else if (m.role === 'agent' && m.agentId) {
        const agent = m.agentId;
        if (!answered && info.openedAt !== null) add(m.at, agent, { frt_ms: Math.max(0, m.at - info.openedAt), frt_n: 1 });
        if (wait) {
          const waited = m.at - wait.start;
          add(m.at, agent, { rt_ms: waited, rt_n: 1 });
          // The first answer is the first response time's; a pause is a wait in the middle of the work.
          if (answered && !wait.held && waited > longPauseMs) {
            pauses.push({ customerSeq: wait.seq, agentSeq: m.seq, agentId: agent, startedAt: wait.start, waitedMs: waited });
            add(m.at, agent, { pauses: 1, pause_ms: waited });
          }
          wait = null;
        }
        if (!repliedBy.has(agent)) {
          repliedBy.add(agent);
          add(m.at, agent, { handled: 1 });
        }
        answered = true;
      }
      continue;
    }
    const d = e!.data;
    switch (e!.kind) {
      case 'assignee.changed': {
        const to = str(d.to);
        endStint(assignee, e!.at);
        assignee = to;
        firstAssignee ??= to;
        if (to && !isDone(status)) startStint(to, e!.at);
        break;
      }
      case 'hold.set':
        onHold = true;
        if (wait) wait.held = true;
        break;
      case 'sla.breached':
        breached = true;
        break;
      case 'csat.rated':
        if (d.score === 'good' || d.score === 'bad') pending = { eventSeq: e!.seq, at: e!.at, score: d.score, comment: str(d.comment), agentId: resolvedBy ?? '' };
        break;
      case 'conversation.merged_into':
        endStint(assignee, e!.at);
        status = 'closed';
        wait = null;
        break;
      case 'status.changed': {
        const to = String(d.to);
        const from = status;
        status = to;
        if (to === 'on_hold') {
          onHold = true;
          if (wait) wait.held = true;
        } else onHold = false;
        if (isDone(to) && !isDone(from)) {
          endStint(assignee, e!.at);
          wait = null;
          if (to === 'resolved') {
            resolvedBy = assignee;
            add(e!.at, assignee, { resolved: 1, sla_n: 1, sla_met: breached ? 0 : 1, ...(info.openedAt !== null ? { resolution_ms: e!.at - info.openedAt, resolution_n: 1 } : {}) });
          }
          if (!answered && info.openedAt !== null) add(e!.at, null, { abandoned: 1 });
        } else if (!isDone(to) && isDone(from)) {
          finishRating();
          breached = false;
          add(e!.at, assignee, { reopened: 1 });
          if (assignee) startStint(assignee, e!.at);
        }
        break;
      }
    }
  }
  finishRating();
  for (const [agentId, start] of open) stints.push({ agentId, start, end: null });
  if (info.openedAt !== null) add(info.openedAt, firstAssignee, { received: 1 });
  return { rows: [...rows.values()].sort((a, b) => a.hour - b.hour || a.agentId.localeCompare(b.agentId)), pauses, ratings, stints };
}

/** The UTC days (ms at midnight) a stint touches, for the agent-day rows to recompute. */
export function daysOfStint(s: Stint, now: number): number[] {
  const DAY = 24 * HOUR_MS;
  const out: number[] = [];
  for (let d = Math.floor(s.start / DAY) * DAY; d <= (s.end ?? now); d += DAY) out.push(d);
  return out;
}
