import type { Figures } from '../../protocol';

/** How the Reports view writes figures: durations as m:ss or h:mm, shares as percent, none as "–". */

/** A duration in ms as "42 s", "3:05" (m:ss) or "1 h 20 min". */
export function duration(ms: number | null): string {
  if (ms === null) return '–';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
  return `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min`;
}

/** A share (0.25) as "25 %", one decimal under 10 %. */
export function percent(x: number | null): string {
  if (x === null) return '–';
  const p = x * 100;
  return `${p < 10 && p > 0 ? p.toFixed(1) : Math.round(p)} %`;
}

/** A figure as the tables show it. */
export function figureText(f: Figures, key: keyof Figures): string {
  const x = f[key];
  if (key.endsWith('Ms')) return duration(x);
  if (key === 'csatGoodPct' || key === 'csatBadPct' || key === 'csatResponseRate' || key === 'reopenRate' || key === 'slaAttainment') return percent(x);
  return x === null ? '–' : String(x);
}

/** YYYY-MM-DD of a local date. */
export function isoDay(d: Date): string {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}
