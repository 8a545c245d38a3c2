// One table for the terminal and one JSON file per run, so runs can be compared later.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { round } from './stats.mjs';

/** A table row: metric value with unit, and the target (a predicate) if there is one. */
export function row(metric, value, { unit = '', target, ok } = {}) {
  const met = ok === undefined ? null : Boolean(ok);
  return { metric, value: round(value), unit, target: target ?? null, met };
}

function show(v, unit) {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'number') return `${Number.isInteger(v) ? v : v.toFixed(3)}${unit ? ' ' + unit : ''}`;
  return `${v}${unit ? ' ' + unit : ''}`;
}

/** Render every scenario's rows as one aligned text table. */
export function formatTable(scenarios) {
  const lines = [['scenario', 'metric', 'value', 'target', 'met?']];
  for (const s of scenarios) {
    if (s.error) lines.push([s.title, 'FAILED', s.error.split('\n')[0].slice(0, 120), '', 'no']);
    for (const r of s.rows ?? []) lines.push([s.title, r.metric, show(r.value, r.unit), r.target ?? '', r.met === null ? '' : r.met ? 'yes' : 'NO']);
  }
  const widths = lines[0].map((_, i) => Math.max(...lines.map((l) => String(l[i]).length)));
  const fmt = (l) => l.map((c, i) => String(c).padEnd(widths[i])).join('  ').trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  let last = null;
  const out = [fmt(lines[0]), rule];
  for (const l of lines.slice(1)) {
    // The scenario name only on its first row keeps the table readable.
    out.push(fmt([l[0] === last ? '' : l[0], ...l.slice(1)]));
    last = l[0];
  }
  return out.join('\n');
}

/** Write the run as bench/results/<name>-<timestamp>.json and latest-<name>.json; returns both paths. */
export async function writeResults(dir, name, data) {
  await mkdir(dir, { recursive: true });
  const stamp = new Date(data.startedAt).toISOString().replace(/[:.]/g, '-');
  const text = JSON.stringify(data, null, 2) + '\n';
  const files = [join(dir, `${name}-${stamp}.json`), join(dir, `latest-${name}.json`)];
  for (const f of files) await writeFile(f, text);
  return files;
}
