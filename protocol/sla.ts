import * as v from 'valibot';
import { Priority } from './model';
import { TeamId } from './teams';

/**
 * SLA policies: per tenant × team × priority, how long (in business seconds) the first response,
 * each next response and the resolution may take; the tenant's business calendar (an IANA time
 * zone, weekly opening hours, holidays); and at what share of a target agents are warned.
 * Clocks count business time only and pause while the conversation waits on the customer (see
 * worker/sla/sla-track.ts for the precise rule).
 */

/** The three clocks of a conversation. */
export const SLA_KINDS = ['first_response', 'next_response', 'resolution'] as const;
export type SlaKind = (typeof SLA_KINDS)[number];

/** What a clock says: within target, past the warning share, or past the target. */
export type SlaLevel = 'ok' | 'warning' | 'breached';

const Seconds = v.pipe(v.number(), v.integer(), v.minValue(60, 'a target is at least 60 seconds'), v.maxValue(90 * 86400, 'a target is at most 90 days'));

/** The three targets, in business seconds. */
export const SlaTargets = v.strictObject({ firstResponseS: Seconds, nextResponseS: Seconds, resolutionS: Seconds });
export type SlaTargets = v.InferOutput<typeof SlaTargets>;

/** The targets of one team for one priority. */
export const SlaPolicy = v.strictObject({ team: TeamId, priority: Priority, ...SlaTargets.entries });
export type SlaPolicy = v.InferOutput<typeof SlaPolicy>;

/** Whether `tz` is an IANA time zone this runtime knows (Intl refuses the others). */
export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return tz.length > 0;
  } catch {
    return false;
  }
}

const Clock = v.pipe(v.string(), v.regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'a time is HH:MM, 00:00 to 24:00'));

/** One opening interval on a weekday (0 Sunday … 6 Saturday), local time of the calendar's zone. */
export const OpeningHours = v.pipe(
  v.strictObject({ day: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(6)), from: Clock, to: Clock }),
  v.check((h) => h.from < h.to, 'opening hours: "from" must be before "to"'),
);
export type OpeningHours = v.InferOutput<typeof OpeningHours>;

/** The tenant's business calendar; clocks run only inside its opening hours and never on its holidays. */
export const BusinessCalendar = v.pipe(
  v.strictObject({
    timezone: v.pipe(v.string(), v.check(isTimeZone, 'timezone must be an IANA time zone such as Europe/Riga')),
    hours: v.pipe(v.array(OpeningHours), v.minLength(1, 'a calendar needs opening hours (use null for round the clock)'), v.maxLength(70)),
    holidays: v.pipe(v.array(v.pipe(v.string(), v.isoDate('a holiday is a date, YYYY-MM-DD'))), v.maxLength(400)),
  }),
  v.check((c) => !overlaps(c.hours), 'opening hours of one day must not overlap'),
);
export type BusinessCalendar = v.InferOutput<typeof BusinessCalendar>;

function overlaps(hours: readonly OpeningHours[]): boolean {
  const sorted = [...hours].sort((a, b) => a.day - b.day || (a.from < b.from ? -1 : 1));
  return sorted.some((h, i) => i > 0 && sorted[i - 1]!.day === h.day && sorted[i - 1]!.to > h.from);
}

/** GET/PUT /v1/admin/sla: the tenant's calendar (null: round the clock), warning share and policies. */
export const SlaConfig = v.strictObject({
  calendar: v.nullable(BusinessCalendar),
  warnAtPercent: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(99)),
  policies: v.pipe(v.array(SlaPolicy), v.maxLength(800)),
});
export type SlaConfig = v.InferOutput<typeof SlaConfig>;

/**
 * The targets of a team with no policy for a priority: the old fixed 5 minutes for a normal
 * first answer, tighter for urgent, looser for low. Business seconds.
 */
export const DEFAULT_SLA_TARGETS: Record<Priority, SlaTargets> = {
  urgent: { firstResponseS: 120, nextResponseS: 300, resolutionS: 4 * 3600 },
  high: { firstResponseS: 180, nextResponseS: 600, resolutionS: 8 * 3600 },
  normal: { firstResponseS: 300, nextResponseS: 900, resolutionS: 24 * 3600 },
  low: { firstResponseS: 900, nextResponseS: 1800, resolutionS: 72 * 3600 },
};

/** The warning share when a tenant has set none. */
export const DEFAULT_WARN_PERCENT = 80;

/** A tenant with nothing configured: round the clock, default targets. */
export const DEFAULT_SLA_CONFIG: SlaConfig = { calendar: null, warnAtPercent: DEFAULT_WARN_PERCENT, policies: [] };

/** The targets for a team and priority: its policy, else the defaults. */
export function targetsFor(config: SlaConfig, team: string, priority: Priority): SlaTargets {
  const p = config.policies.find((x) => x.team === team && x.priority === priority);
  return p ? { firstResponseS: p.firstResponseS, nextResponseS: p.nextResponseS, resolutionS: p.resolutionS } : DEFAULT_SLA_TARGETS[priority];
}

/**
 * One running or paused clock as agents see it. `warnAt`/`dueAt` are wall-clock instants (ms) at
 * which the business time reaches the warning share and the target; null while paused.
 */
export interface SlaClock {
  kind: SlaKind;
  warnAt: number | null;
  dueAt: number | null;
  /** Business seconds left of the target (negative when past it), as of the last change. */
  leftS: number;
  /** The target, in business seconds. */
  targetS: number;
}

/** A conversation's SLA on its queue row and in the agents' view; never in the customer's. */
export interface SlaStatus {
  /** The first or next response clock while the customer waits for an answer; else null. */
  response: SlaClock | null;
  /** The resolution clock, running or paused; null once resolved. */
  resolution: SlaClock | null;
  /** The level the conversation's own alarm last raised: what escalations and counts go by. */
  state: SlaLevel;
  /** The tenant's warning share, so a paused clock's level can be told. */
  warnAtPercent: number;
}

const rank: Record<SlaLevel, number> = { ok: 0, warning: 1, breached: 2 };

/** A clock's level at `now`: a paused clock keeps what its business time left says. */
export function clockLevel(c: SlaClock, warnAtPercent: number, now: number): SlaLevel {
  if (c.dueAt !== null) return now >= c.dueAt ? 'breached' : c.warnAt !== null && now >= c.warnAt ? 'warning' : 'ok';
  return c.leftS <= 0 ? 'breached' : c.leftS <= (c.targetS * (100 - warnAtPercent)) / 100 ? 'warning' : 'ok';
}

/** The live level of a conversation's SLA at `now`: the worst of its clocks and what its alarm raised. */
export function slaLevelAt(sla: SlaStatus | null | undefined, now: number): SlaLevel {
  if (!sla) return 'ok';
  let level = sla.state;
  for (const c of [sla.response, sla.resolution]) {
    if (!c) continue;
    const l = clockLevel(c, sla.warnAtPercent, now);
    if (rank[l] > rank[level]) level = l;
  }
  return level;
}

/** The running clock that is due first (for a countdown), or null when none runs. */
export function nextDue(sla: SlaStatus | null | undefined): SlaClock | null {
  const running = [sla?.response, sla?.resolution].filter((c): c is SlaClock => !!c && c.dueAt !== null);
  return running.sort((a, b) => a.dueAt! - b.dueAt!)[0] ?? null;
}

/** How a clock's kind reads to agents. */
export const SLA_KIND_LABEL: Record<SlaKind, string> = { first_response: 'first response', next_response: 'next response', resolution: 'resolution' };
