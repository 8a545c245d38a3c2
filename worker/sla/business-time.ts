import type { BusinessCalendar } from '../../protocol';

/**
 * Business-time arithmetic, pure: instants are ms since the epoch, durations business seconds.
 * A calendar is weekly opening hours in an IANA time zone, less its holidays; null means round
 * the clock. Each opening interval is turned into two instants through Intl for that very local
 * date, so a day of a DST change is as long (or short) as it really is, and an interval is never
 * shifted by an hour on the other side of the change.
 */

/** A business calendar, or null for round the clock. */
export type Calendar = BusinessCalendar | null;

const DAY_MS = 86_400_000;
/** A calendar whose holidays leave no opening for this long has none: the clock never runs out. */
const MAX_DAYS = 2000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formatters.set(tz, f);
  }
  return f;
}

interface LocalDate {
  y: number;
  m: number;
  d: number;
}

/**
 * Offsets change only at a zone's transitions, and every transition of the tz database in use
 * falls on a quarter hour of UTC (offsets are whole quarter hours since the 1970s). So an offset
 * read at the start of a quarter hour holds for all of it, and is kept: Intl's formatToParts
 * costs tens of microseconds, and the SLA clocks ask for it on every message (it was ~5 % of the
 * Worker's CPU at 800 msg/s). Bounded: cleared when full.
 */
const QUARTER_MS = 15 * 60_000;
const OFFSET_CACHE_MAX = 20_000;
const offsets = new Map<string, number>();

/** The wall-clock fields of an instant in `tz`, read through Intl. */
function intlParts(ms: number, tz: string): LocalDate & { h: number; mi: number; s: number } {
  const out: Record<string, number> = {};
  for (const p of formatter(tz).formatToParts(ms)) if (p.type !== 'literal') out[p.type] = Number(p.value);
  return { y: out.year!, m: out.month!, d: out.day!, h: out.hour! % 24, mi: out.minute!, s: out.second! };
}

/** How far `tz`'s wall clock is ahead of UTC at `ms` (ms; whole seconds). */
export function offsetAt(ms: number, tz: string): number {
  const quarter = Math.floor(ms / QUARTER_MS) * QUARTER_MS;
  const key = `${tz}|${quarter}`;
  let off = offsets.get(key);
  if (off === undefined) {
    const p = intlParts(quarter, tz);
    off = Date.UTC(p.y, p.m - 1, p.d, p.h, p.mi, p.s) - quarter;
    if (offsets.size >= OFFSET_CACHE_MAX) offsets.clear();
    offsets.set(key, off);
  }
  return off;
}

/** The wall-clock fields of an instant in `tz`. */
function localParts(ms: number, tz: string): LocalDate & { h: number; mi: number; s: number } {
  const t = new Date(Math.floor(ms / 1000) * 1000 + offsetAt(ms, tz));
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate(), h: t.getUTCHours(), mi: t.getUTCMinutes(), s: t.getUTCSeconds() };
}

/**
 * The instant `tz`'s wall clock shows `minutes` after midnight of a local date (1440 is the next
 * midnight). A time repeated by a DST change is its first occurrence; a time skipped by one is the
 * instant of the change itself (the clock's next reading).
 */
export function zonedInstant(date: LocalDate, minutes: number, tz: string): number {
  const wall = Date.UTC(date.y, date.m - 1, date.d, 0, minutes);
  const before = offsetAt(wall - DAY_MS / 2, tz);
  const after = offsetAt(wall + DAY_MS / 2, tz);
  const fits = (t: number) => t + offsetAt(t, tz) === wall;
  const candidates = [wall - before, wall - after].filter(fits);
  if (candidates.length) return Math.min(...candidates);
  // Skipped: find the change between the two readings, to the second.
  let lo = Math.min(wall - before, wall - after);
  let hi = Math.max(wall - before, wall - after);
  while (hi - lo > 1000) {
    const mid = Math.floor((lo + hi) / 2000) * 1000;
    if (offsetAt(mid, tz) === before) lo = mid;
    else hi = mid;
  }
  return hi;
}

const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
const iso = (d: LocalDate): string => `${d.y}-${String(d.m).padStart(2, '0')}-${String(d.d).padStart(2, '0')}`;
const nextDate = (d: LocalDate): LocalDate => {
  const t = new Date(Date.UTC(d.y, d.m - 1, d.d + 1));
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
};

/**
 * Each calendar's opening intervals by local date, once computed. A conversation's object keeps its
 * calendar as one object, and every change and queue row asks for the same few days again.
 */
const cache = new WeakMap<BusinessCalendar, Map<string, [number, number][]>>();
const CACHED_DAYS = 500;

/** The opening intervals of one local date as instants, in order; none on a holiday. */
function openings(cal: BusinessCalendar, date: LocalDate): [number, number][] {
  let days = cache.get(cal);
  if (!days) cache.set(cal, (days = new Map()));
  const key = iso(date);
  let out = days.get(key);
  if (!out) {
    if (days.size >= CACHED_DAYS) days.clear();
    days.set(key, (out = openingsOf(cal, date)));
  }
  return out;
}

function openingsOf(cal: BusinessCalendar, date: LocalDate): [number, number][] {
  if (cal.holidays.includes(iso(date))) return [];
  const weekday = new Date(Date.UTC(date.y, date.m - 1, date.d)).getUTCDay();
  return cal.hours
    .filter((h) => h.day === weekday)
    .map((h): [number, number] => [zonedInstant(date, minutesOf(h.from), cal.timezone), zonedInstant(date, minutesOf(h.to), cal.timezone)])
    .sort((a, b) => a[0] - b[0]);
}

/** The local date of an instant in the calendar's zone. */
function dateOf(ms: number, tz: string): LocalDate {
  const p = localParts(ms, tz);
  return { y: p.y, m: p.m, d: p.d };
}

/**
 * The instant at which `seconds` of business time have passed since `start`. Infinity when the
 * calendar has no opening for years (every day a holiday).
 */
export function addBusinessSeconds(cal: Calendar, start: number, seconds: number): number {
  if (!cal) return start + seconds * 1000;
  let left = Math.max(0, seconds) * 1000;
  let date = dateOf(start, cal.timezone);
  for (let i = 0; i < MAX_DAYS; i++, date = nextDate(date)) {
    for (const [a, b] of openings(cal, date)) {
      const from = Math.max(a, start);
      if (b <= from) continue;
      if (left === 0) return from;
      if (b - from >= left) return from + left;
      left -= b - from;
      start = b;
    }
  }
  return Infinity;
}

/** Business seconds between two instants (0 when `to` is not after `from`). */
export function businessSecondsBetween(cal: Calendar, from: number, to: number): number {
  if (to <= from) return 0;
  if (!cal) return (to - from) / 1000;
  let total = 0;
  let date = dateOf(from, cal.timezone);
  const last = iso(dateOf(to, cal.timezone));
  for (let i = 0; i < MAX_DAYS; i++, date = nextDate(date)) {
    for (const [a, b] of openings(cal, date)) total += Math.max(0, Math.min(b, to) - Math.max(a, from));
    if (iso(date) === last) break;
  }
  return total / 1000;
}

/** Whether the calendar is open at `ms`. */
export function isOpenAt(cal: Calendar, ms: number): boolean {
  if (!cal) return true;
  return openings(cal, dateOf(ms, cal.timezone)).some(([a, b]) => a <= ms && ms < b);
}
