import { DAY_MS } from '../../protocol/reports';
import type { ShiftRow } from '../../protocol/reports';
import type { Stint } from './facts';

/**
 * One agent's shift on one day, pure: the agents' state log and their handling stints in, the
 * shift's times out. Utilization = time signed in and not away ÷ shift time; occupancy = time
 * handling at least one conversation while available ÷ time available (docs/kpis.md).
 */

/** A state log entry. */
export interface StateEntry {
  state: 'online' | 'away' | 'offline';
  at: number;
}

/** A fixed daily shift, "HH:MM" in UTC. */
export interface ShiftSchedule {
  from: string;
  to: string;
}

/** The day's shift and its times, or null when the agent did not sign in that day. */
export type AgentDay = Pick<ShiftRow, 'day' | 'shiftStart' | 'shiftEnd' | 'shiftMs' | 'availableMs' | 'awayMs' | 'handlingMs'>;

type Span = [number, number];

const minutes = (hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number);
  return (h! * 60 + m!) * 60_000;
};

/** Total length of spans (which must not overlap). */
const total = (spans: Span[]) => spans.reduce((a, [s, e]) => a + Math.max(0, e - s), 0);

/** Spans sorted and merged where they touch or overlap. */
export function union(spans: Span[]): Span[] {
  const sorted = spans.filter(([s, e]) => e > s).sort((a, b) => a[0] - b[0]);
  const out: Span[] = [];
  for (const [s, e] of sorted) {
    const last = out[out.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

/** The overlap of two sets of disjoint, sorted spans. */
export function intersect(a: Span[], b: Span[]): Span[] {
  const out: Span[] = [];
  for (const [s1, e1] of a) for (const [s2, e2] of b) if (Math.min(e1, e2) > Math.max(s1, s2)) out.push([Math.max(s1, s2), Math.min(e1, e2)]);
  return union(out);
}

/**
 * The agent's day starting at `day` (UTC midnight). `log` is the agent's state log in order, with
 * at least the last entry before the day if there is one; time after `now` has not happened yet.
 */
export function agentDay(day: number, log: StateEntry[], stints: Stint[], now: number, schedule: ShiftSchedule | null = null): AgentDay | null {
  const end = Math.min(day + DAY_MS, now);
  if (end <= day) return null;
  // The state at each moment: the last entry at or before it, offline before the first.
  const spans: { state: StateEntry['state']; s: number; e: number }[] = [];
  let state: StateEntry['state'] = 'offline';
  let from = day;
  for (const entry of log) {
    if (entry.at <= day) {
      state = entry.state;
      continue;
    }
    if (entry.at >= end) break;
    spans.push({ state, s: from, e: entry.at });
    state = entry.state;
    from = entry.at;
  }
  spans.push({ state, s: from, e: end });
  const signedIn = spans.filter((x) => x.state !== 'offline');
  let shift: Span;
  if (schedule) {
    const s = day + minutes(schedule.from);
    let e = day + minutes(schedule.to);
    if (e <= s) e += DAY_MS;
    shift = [s, Math.min(e, Math.max(s, now))];
    if (signedIn.length === 0 && now < s) return null;
  } else {
    if (signedIn.length === 0) return null;
    shift = [signedIn[0]!.s, signedIn[signedIn.length - 1]!.e];
  }
  const within = (state: StateEntry['state']) => intersect(union(spans.filter((x) => x.state === state).map((x) => [x.s, x.e] as Span)), [shift]);
  const available = within('online');
  const handling = union(stints.map((t) => [t.start, t.end ?? now] as Span));
  return {
    day,
    shiftStart: shift[0],
    shiftEnd: shift[1],
    shiftMs: Math.max(0, shift[1] - shift[0]),
    availableMs: total(available),
    awayMs: total(within('away')),
    handlingMs: total(intersect(handling, available)),
  };
}

/** Utilization and occupancy of a day (or of several days' sums). */
export function ratesOf(d: { shiftMs: number; availableMs: number; handlingMs: number }): { utilization: number | null; occupancy: number | null } {
  return { utilization: d.shiftMs > 0 ? d.availableMs / d.shiftMs : null, occupancy: d.availableMs > 0 ? d.handlingMs / d.availableMs : null };
}
