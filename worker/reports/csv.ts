import { FIGURE_KEYS, KPI_DOC } from '../../protocol';
import type { CsatResponse, Figures, PausesResponse, ReportResponse, ShiftsResponse } from '../../protocol';
import { cell } from '../complaints/views';

/**
 * Every report table as CSV (RFC 4180, CRLF), cells defused against spreadsheet formulas (the
 * complaint register's `cell`). Durations in seconds, shares as fractions (0.25 is 25 %); texts
 * are the masked ones the table shows.
 */

const iso = (ms: number) => new Date(ms).toISOString();
const secs = (ms: number | null) => (ms === null ? null : Math.round(ms / 100) / 10);
const share = (x: number | null) => (x === null ? null : Math.round(x * 10000) / 10000);
const lines = (rows: (string | number | null)[][]) => rows.map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';

/** A figure as a CSV value: durations (…Ms) in seconds, shares as fractions, counts as they are. */
function figureValue(f: Figures, k: (typeof FIGURE_KEYS)[number]): number | null {
  const x = f[k];
  return k.endsWith('Ms') ? secs(x) : typeof x === 'number' && !Number.isInteger(x) ? share(x) : x;
}

/** The figures table: one line per group, then the totals. */
export function figuresCsv(r: ReportResponse): string {
  const head = [r.by, ...FIGURE_KEYS.map((k) => (k.endsWith('Ms') ? `${KPI_DOC[k].label} (s)` : KPI_DOC[k].label))];
  return lines([head, ...r.rows.map((row) => [row.label, ...FIGURE_KEYS.map((k) => figureValue(row.figures, k))]), ['Total', ...FIGURE_KEYS.map((k) => figureValue(r.totals, k))]]);
}

/** Shifts: agent, day, times, utilization and occupancy. */
export function shiftsCsv(r: ShiftsResponse): string {
  return lines([
    ['agent', 'day', 'shift start', 'shift end', 'shift (s)', 'available (s)', 'away (s)', 'handling (s)', 'utilization', 'occupancy'],
    ...r.shifts.map((s) => [s.agentName, iso(s.day).slice(0, 10), iso(s.shiftStart), iso(s.shiftEnd), secs(s.shiftMs), secs(s.availableMs), secs(s.awayMs), secs(s.handlingMs), share(s.utilization), share(s.occupancy)]),
  ]);
}

/** Long pauses: per agent and topic, or the drill-down's pauses with their masked message pair. */
export function pausesCsv(r: PausesResponse): string {
  if (r.pauses) {
    return lines([
      ['conversation', 'started', 'waited (s)', 'customer wrote', 'agent answered', 'agent'],
      ...r.pauses.map((p) => [p.number === null ? p.conversationId : `#${p.number}`, iso(p.startedAt), secs(p.waitedMs), p.customer.text, p.agent.text, p.agent.name]),
    ]);
  }
  return lines([['agent', 'topic', `long pauses (> ${r.thresholdS} s)`, 'average (s)', 'longest (s)'], ...r.groups.map((g) => [g.agentName, g.topic, g.count, secs(g.avgMs), secs(g.maxMs)])]);
}

/** Ratings with their masked comments. */
export function csatCsv(r: CsatResponse): string {
  return lines([['conversation', 'rated', 'score', 'comment', 'agent', 'team', 'topic'], ...r.ratings.map((x) => [x.number === null ? x.conversationId : `#${x.number}`, iso(x.at), x.score, x.comment, x.agentName, x.team, x.topic])]);
}
