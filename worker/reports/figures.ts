import { EMPTY_SUMS, SUM_KEYS } from '../../protocol/reports';
import type { Figures, ReportSums } from '../../protocol/reports';

/** Figures from rollup sums, pure. docs/kpis.md holds each formula; a ratio over nothing is null. */

const ratio = (a: number, b: number): number | null => (b > 0 ? a / b : null);

/** The figures a group's sums make. */
export function figuresOf(s: ReportSums): Figures {
  const rated = s.csat_good + s.csat_bad;
  return {
    received: s.received,
    handled: s.handled,
    resolved: s.resolved,
    csatGoodPct: ratio(s.csat_good, rated),
    csatBadPct: ratio(s.csat_bad, rated),
    csatResponseRate: ratio(rated, s.resolved),
    csatComments: s.csat_comments,
    frtMs: ratio(s.frt_ms, s.frt_n),
    artMs: ratio(s.rt_ms, s.rt_n),
    ahtMs: ratio(s.handle_ms, s.handle_n),
    resolutionMs: ratio(s.resolution_ms, s.resolution_n),
    reopenRate: ratio(s.reopened, s.resolved),
    slaAttainment: ratio(s.sla_met, s.sla_n),
    abandoned: s.abandoned,
    longPauses: s.pauses,
  };
}

/** The sum of many sums. */
export function addSums(rows: Iterable<Partial<ReportSums>>): ReportSums {
  const out = { ...EMPTY_SUMS };
  for (const r of rows) for (const k of SUM_KEYS) out[k] += Number(r[k] ?? 0);
  return out;
}
