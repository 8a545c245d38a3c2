/** Time formatting for the inbox: compact, in the agent's own locale and time zone. */

const clockFmt = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dateFmt = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric' });
const dateTimeFmt = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });

/** "14:05" */
export function clock(ms: number): string {
  return clockFmt.format(ms);
}

/** "3 Mar 2025" */
export function date(ms: number): string {
  return dateFmt.format(ms);
}

/** Clock time for today, date and time otherwise. */
export function when(ms: number, now = Date.now()): string {
  return new Date(ms).toDateString() === new Date(now).toDateString() ? clock(ms) : dateTimeFmt.format(ms);
}

/** How long since `since`, compact: "42s", "5m 03s", "1h 12m", "3d 4h". */
export function elapsed(since: number, now: number): string {
  const s = Math.max(0, Math.floor((now - since) / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h ${String(m % 60).padStart(2, '0')}m`;
  return `${Math.floor(h / 24)}d ${h % 24}h`;
}

/** An estimated wait in seconds, rounded as a promise should be: "< 1 min", "~4 min", "~1h 10m"; "—" when unknown. */
export function estimate(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '—';
  const m = Math.round(seconds / 60);
  if (m < 1) return '< 1 min';
  if (m < 60) return `~${m} min`;
  return `~${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}

/** Words for the status values, as agents say them. */
export const STATUS_LABEL: Record<string, string> = {
  open: 'Open',
  pending: 'Pending',
  on_hold: 'On hold',
  resolved: 'Resolved',
  closed: 'Closed',
};
