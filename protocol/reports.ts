import * as v from 'valibot';
import { Channel } from './model';

/**
 * Reports for supervisors (issue 14): the rollup sums, the figures made of them, and the bodies of
 * GET /v1/agent/reports/*. docs/kpis.md defines every figure; `KPI_DOC` links each to its anchor.
 */

/** One hour in ms: the rollup's grain. */
export const HOUR_MS = 3_600_000;
/** One day in ms. */
export const DAY_MS = 24 * HOUR_MS;

/** The start (ms) of the UTC hour holding `at`. */
export function hourOf(at: number): number {
  return Math.floor(at / HOUR_MS) * HOUR_MS;
}

/** The additive sums one hourly bucket keeps; every figure is made of them. */
export interface ReportSums {
  received: number;
  handled: number;
  resolved: number;
  reopened: number;
  abandoned: number;
  csat_good: number;
  csat_bad: number;
  csat_comments: number;
  frt_ms: number;
  frt_n: number;
  rt_ms: number;
  rt_n: number;
  handle_ms: number;
  handle_n: number;
  resolution_ms: number;
  resolution_n: number;
  sla_met: number;
  sla_n: number;
  pauses: number;
  pause_ms: number;
}

/** The sums' names, in the column order of report_facts and report_hourly. */
export const SUM_KEYS = ['received', 'handled', 'resolved', 'reopened', 'abandoned', 'csat_good', 'csat_bad', 'csat_comments', 'frt_ms', 'frt_n', 'rt_ms', 'rt_n', 'handle_ms', 'handle_n', 'resolution_ms', 'resolution_n', 'sla_met', 'sla_n', 'pauses', 'pause_ms'] as const satisfies readonly (keyof ReportSums)[];

/** All sums zero. */
export const EMPTY_SUMS: ReportSums = Object.freeze(Object.fromEntries(SUM_KEYS.map((k) => [k, 0]))) as unknown as ReportSums;

/** The figures of a group, made from its sums; a ratio or mean with nothing to divide by is null. */
export interface Figures {
  received: number;
  handled: number;
  resolved: number;
  csatGoodPct: number | null;
  csatBadPct: number | null;
  csatResponseRate: number | null;
  csatComments: number;
  frtMs: number | null;
  artMs: number | null;
  ahtMs: number | null;
  resolutionMs: number | null;
  reopenRate: number | null;
  slaAttainment: number | null;
  abandoned: number;
  longPauses: number;
}

/** The keys of Figures, in the order tables show them. */
export const FIGURE_KEYS = ['received', 'handled', 'resolved', 'csatGoodPct', 'csatBadPct', 'csatResponseRate', 'csatComments', 'frtMs', 'artMs', 'ahtMs', 'resolutionMs', 'reopenRate', 'slaAttainment', 'abandoned', 'longPauses'] as const satisfies readonly (keyof Figures)[];

/**
 * Each figure's label, its anchor in docs/kpis.md and its formula in one line: the Reports view
 * links every figure to its definition (shown in the view, the same words as the doc).
 */
export const KPI_DOC: Record<keyof Figures | 'utilization' | 'occupancy' | 'backlog', { label: string; anchor: string; formula: string }> = {
  received: { label: 'Received', anchor: 'received', formula: 'Conversations that became tickets (the customer’s first message), counted in the hour they opened, for their first assignee.' },
  handled: { label: 'Handled', anchor: 'handled', formula: 'Conversations an agent answered at least once; one per agent and conversation, in the hour of that agent’s first reply.' },
  resolved: { label: 'Resolved', anchor: 'resolved', formula: 'Resolutions: each change of status to resolved, for the assignee at that moment.' },
  csatGoodPct: { label: 'CSAT good', anchor: 'csat-good-and-bad', formula: 'Good ratings ÷ all ratings. A resolution counts its last rating, even if a reopening cleared it later.' },
  csatBadPct: { label: 'CSAT bad', anchor: 'csat-good-and-bad', formula: 'Bad ratings ÷ all ratings.' },
  csatResponseRate: { label: 'CSAT response rate', anchor: 'csat-response-rate', formula: 'Ratings ÷ resolutions.' },
  csatComments: { label: 'CSAT comments', anchor: 'csat-comments', formula: 'Ratings that came with a comment (listed, masked, under CSAT).' },
  frtMs: { label: 'First response time', anchor: 'first-response-time-frt', formula: 'Mean of (first agent reply − first customer message), wall clock, in the hour of the reply.' },
  artMs: { label: 'Average response time', anchor: 'average-response-time', formula: 'Mean over every customer wait of (agent reply − first unanswered customer message), first response included.' },
  ahtMs: { label: 'Average handle time', anchor: 'average-handle-time-aht', formula: 'Mean length of finished handling stints: from an agent getting the conversation to its end for them (resolved, handed on, released), holds included.' },
  resolutionMs: { label: 'Resolution time', anchor: 'resolution-time', formula: 'Mean of (resolution − opening) over resolutions.' },
  reopenRate: { label: 'Reopen rate', anchor: 'reopen-rate', formula: 'Reopenings (resolved or closed → open) ÷ resolutions.' },
  slaAttainment: { label: 'SLA attainment', anchor: 'sla-attainment', formula: 'Resolutions with no SLA breach since the conversation opened or last reopened ÷ resolutions.' },
  abandoned: { label: 'Abandoned', anchor: 'abandoned', formula: 'Conversations that ended (resolved or closed) before any agent replied.' },
  longPauses: { label: 'Long pauses', anchor: 'long-pauses', formula: 'Customer waits longer than the tenant’s threshold (60 s unless set) for the agent’s next reply, after the first reply, with no hold during the wait.' },
  utilization: { label: 'Utilization', anchor: 'utilization', formula: 'Time signed in and not away ÷ shift time; a shift is first sign-in to last sign-out of the day, or the tenant’s schedule.' },
  occupancy: { label: 'Occupancy', anchor: 'occupancy', formula: 'Time handling at least one conversation while available ÷ time available.' },
  backlog: { label: 'Backlog', anchor: 'backlog', formula: 'Conversations open, pending or on hold right now.' },
};

/** What a report is grouped by. Brand is the tenant: one brand per tenant. */
export const REPORT_DIMENSIONS = ['agent', 'team', 'topic', 'channel', 'brand', 'day', 'hour'] as const;
/** A grouping of a report. */
export type ReportDimension = (typeof REPORT_DIMENSIONS)[number];

/** A report's query, as the inbox sends it (dates are the viewer's local days, `tz` their offset). */
export interface ReportQuery {
  from: string;
  to: string;
  by?: ReportDimension;
  team?: string;
  agent?: string;
  topic?: string;
  channel?: string;
  /** Minutes east of UTC of the viewer's day (e.g. 120 for Riga in winter). */
  tz?: number;
}

/** One group of a report. */
export interface ReportRow {
  key: string;
  label: string;
  figures: Figures;
}

/** GET /v1/agent/reports: totals, one row per group, a daily series for the chart, the backlog. */
export interface ReportResponse {
  from: number;
  to: number;
  by: ReportDimension;
  totals: Figures;
  rows: ReportRow[];
  daily: { day: number; received: number; resolved: number; frtMs: number | null }[];
  /** The daily series is in UTC days (a filter only the full-grain rollup has in the viewer's days). */
  dailyUtc?: true;
  backlog: number;
}

/** One agent's shift on one day. */
export interface ShiftRow {
  agentId: string;
  agentName: string;
  day: number;
  shiftStart: number;
  shiftEnd: number;
  shiftMs: number;
  availableMs: number;
  awayMs: number;
  handlingMs: number;
  utilization: number | null;
  occupancy: number | null;
}

/** GET /v1/agent/reports/shifts. */
export interface ShiftsResponse {
  shifts: ShiftRow[];
}

/** Long pauses of one agent on one topic. */
export interface PauseGroup {
  agentId: string;
  agentName: string;
  topic: string;
  count: number;
  avgMs: number;
  maxMs: number;
}

/** One long pause with its message pair, texts masked. */
export interface PauseDetail {
  conversationId: string;
  number: number | null;
  startedAt: number;
  waitedMs: number;
  customer: { seq: number; text: string };
  agent: { seq: number; text: string; name: string };
}

/** GET /v1/agent/reports/pauses: the groups, and the drill-down when agent and topic are given. */
export interface PausesResponse {
  thresholdS: number;
  groups: PauseGroup[];
  pauses?: PauseDetail[];
}

/** A rating with its comment, masked. */
export interface RatingDetail {
  conversationId: string;
  number: number | null;
  at: number;
  score: 'good' | 'bad';
  comment: string | null;
  agentName: string;
  team: string;
  topic: string;
}

/** GET /v1/agent/reports/csat. */
export interface CsatResponse {
  ratings: RatingDetail[];
}

/** GET /v1/agent/reports/today: the live tiles. */
export interface TodayResponse {
  since: number;
  figures: Figures;
  backlog: number;
  utilization: number | null;
  occupancy: number | null;
}

/** GET/PUT /v1/admin/reports/settings. */
export interface ReportSettings {
  longPauseS: number;
  /** A fixed shift per day (UTC, "HH:MM"); null: first sign-in to last sign-out. */
  shift: { from: string; to: string } | null;
}

const DATE = v.pipe(v.string(), v.regex(/^\d{4}-\d{2}-\d{2}$/, 'a date is YYYY-MM-DD'));
const KEY = v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(100)));
const HHMM = v.pipe(v.string(), v.regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time is HH:MM'));

/** The query of every GET /v1/agent/reports/* call. */
export const ReportQuerySchema = v.object({
  from: DATE,
  to: DATE,
  by: v.optional(v.picklist(REPORT_DIMENSIONS), 'agent'),
  team: KEY,
  agent: KEY,
  topic: KEY,
  // A closed set: an unknown channel is a mistake to say, not a filter that finds nothing.
  channel: v.optional(Channel),
  tz: v.optional(v.pipe(v.string(), v.regex(/^-?\d{1,3}$/), v.transform(Number), v.minValue(-720), v.maxValue(840)), '0'),
  table: v.optional(v.picklist(['figures', 'shifts', 'pauses', 'csat'] as const), 'figures'),
});

/** PUT /v1/admin/reports/settings. */
export const ReportSettingsSchema = v.object({
  longPauseS: v.pipe(v.number(), v.integer(), v.minValue(5), v.maxValue(86400)),
  shift: v.nullable(v.object({ from: HHMM, to: HHMM })),
});
