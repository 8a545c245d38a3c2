// Percentiles by nearest rank: with thousands of samples interpolation changes nothing that matters,
// and nearest rank never reports a value that was not observed.

/** Milliseconds between two process.hrtime.bigint() readings, as a float. */
export function msBetween(start, end) {
  return Number(end - start) / 1e6;
}

/** The p-th percentile (0–100) of an ascending array, by nearest rank; NaN when empty. */
export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

/** Count, mean, p50, p90, p99 and max of a list of millisecond samples. */
export function summarize(samples) {
  const sorted = Float64Array.from(samples).sort();
  let sum = 0;
  for (const x of sorted) sum += x;
  return {
    count: sorted.length,
    mean: sorted.length ? sum / sorted.length : NaN,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted.length ? sorted[sorted.length - 1] : NaN,
  };
}

/** Round for display and JSON: sub-millisecond values keep three decimals. */
export function round(x, digits = 3) {
  if (typeof x !== 'number' || !Number.isFinite(x)) return x;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
