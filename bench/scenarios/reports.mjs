// Scenario "reports over 90 days at 1,000,000 conversations" (issue 14): GET /v1/agent/reports and
// its tables over a 90-day range, p50/p95 per call. Target: the 90-day report under 300 ms.
//
// A million conversations through the product would take days on this box, so, like the search
// scenario, this one has its own server and state: migrations and the demo seed, then a bulk
// insert straight into the local D1 file with sqlite3 (before its server starts) of the hourly
// rollup those conversations make — 150 agents in three shifts of 50, 5 teams, 5 topics, 3
// channels, about 9 conversations per agent-hour, so ~7 active topic × channel buckets per agent
// and hour (756,000 rows) — with exactly 1,000,000 received, and the coarser rollups summed from
// it by the same GROUP BY the projection runs (the demo seed's own fortnight has its rollups already). Also 1,000,000 ticket rows (2 % still open, for the
// backlog), 13,500 agent-days, 50,000 long pauses and 250,000 ratings.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { prepare } from '../../scripts/server.mjs';
import { startBenchServer, snapshotAssets } from '../lib/server.mjs';
import { freePort, portRange } from '../lib/ports.mjs';
import { findD1File } from '../lib/d1-watch.mjs';
import { loginAgent } from '../lib/http.mjs';
import { percentile } from '../lib/stats.mjs';
import { row } from '../lib/report.mjs';

const run = promisify(execFile);
const DAYS = 90;
const HOURS = DAYS * 24;
const ROWS = HOURS * 50 * 7;
const CONVERSATIONS = 1_000_000;
const RUNS = 20;
const TARGET_MS = 300;
const WHO = 'admin@northwind.test';
const DAY = 86_400_000;
const SUMS = ['received', 'handled', 'resolved', 'reopened', 'abandoned', 'csat_good', 'csat_bad', 'csat_comments', 'frt_ms', 'frt_n', 'rt_ms', 'rt_n', 'handle_ms', 'handle_n', 'resolution_ms', 'resolution_n', 'sla_met', 'sla_n', 'pauses', 'pause_ms'];
const sumsOf = (alias) => SUMS.map((k) => `SUM(${alias}.${k})`).join(', ');

/** The bulk insert as one SQL script. Row i of the hourly rollup: hour i / 350, agent and bucket from i % 350. */
function seedSql(tenantId, start) {
  const agentOf = `'bench-a-' || printf('%03d', ((i / 7) % 50) + 50 * ((i / 350) % 24 / 8))`;
  const n = `(CASE WHEN i % 756 < 244 THEN 2 ELSE 1 END)`;
  return `
PRAGMA journal_mode = WAL;
BEGIN;
WITH RECURSIVE k(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM k WHERE i < 149)
INSERT INTO agents (id, tenant_id, email, name, role, password_hash, created_at) SELECT printf('bench-a-%03d', i), '${tenantId}', printf('bench%03d@northwind.test', i), printf('Agent %03d', i), 'agent', 'x', 0 FROM k;
WITH RECURSIVE k(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM k WHERE i < ${ROWS - 1})
INSERT INTO report_hourly (tenant_id, hour, team_id, agent_id, topic, channel, ${SUMS.join(', ')})
  SELECT '${tenantId}', ${start} + (i / 350) * 3600000, 'team' || (((i / 7) % 50) % 5), ${agentOf}, 'topic' || ((((i / 7) % 50) + i % 7) % 5), 'ch' || (i % 7 % 3),
    ${n}, ${n}, ${n}, (i % 40 = 0), (i % 50 = 1), (i % 4 = 0), (i % 9 = 0), (i % 12 = 0), ${n} * (30000 + (i % 17) * 9000), ${n},
    ${n} * 2 * (40000 + (i % 13) * 7000), ${n} * 2, ${n} * (300000 + (i % 23) * 30000), ${n}, ${n} * (900000 + (i % 29) * 60000), ${n}, ${n} - (i % 15 = 0), ${n}, (i % 20 = 0), (i % 20 = 0) * 95000
  FROM k;
INSERT INTO report_hourly_team SELECT h.tenant_id, h.hour, h.team_id, ${sumsOf('h')} FROM report_hourly h WHERE h.agent_id LIKE 'bench-a-%' GROUP BY h.tenant_id, h.hour, h.team_id;
INSERT INTO report_daily_agent SELECT h.tenant_id, h.hour / ${DAY} * ${DAY}, h.team_id, h.agent_id, ${sumsOf('h')} FROM report_hourly h WHERE h.agent_id LIKE 'bench-a-%' GROUP BY 1, 2, 3, 4;
INSERT INTO report_daily_agent_topic SELECT h.tenant_id, h.hour / ${DAY} * ${DAY}, h.team_id, h.agent_id, h.topic, h.channel, ${sumsOf('h')} FROM report_hourly h WHERE h.agent_id LIKE 'bench-a-%' GROUP BY 1, 2, 3, 4, 5, 6;
INSERT INTO report_daily_topic SELECT h.tenant_id, h.hour / ${DAY} * ${DAY}, h.team_id, h.topic, h.channel, ${sumsOf('h')} FROM report_hourly h WHERE h.agent_id LIKE 'bench-a-%' GROUP BY 1, 2, 3, 4, 5;
WITH RECURSIVE k(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM k WHERE i < ${CONVERSATIONS - 1})
INSERT INTO conversations (id, tenant_id, number, contact_id, status, priority, channels, created_at, updated_at, last_seq, version, opened_at, team_id, topic)
  SELECT printf('bench-c-%07d', i), '${tenantId}', 2000000 + i, 'bench-contact', CASE WHEN i % 50 = 0 THEN 'open' ELSE 'resolved' END, 'normal', '["web"]',
    ${start} + i * ${Math.floor((DAYS * DAY) / CONVERSATIONS)}, ${start} + i * ${Math.floor((DAYS * DAY) / CONVERSATIONS)}, 4, 1, ${start} + i * ${Math.floor((DAYS * DAY) / CONVERSATIONS)}, 'team' || (i % 5), 'topic' || (i % 5) FROM k;
WITH RECURSIVE k(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM k WHERE i < ${150 * DAYS - 1})
INSERT INTO report_agent_days SELECT '${tenantId}', printf('bench-a-%03d', i % 150), ${start} + (i / 150) * ${DAY}, ${start} + (i / 150) * ${DAY} + (i % 150 / 50) * 28800000, ${start} + (i / 150) * ${DAY} + (i % 150 / 50) * 28800000 + 28800000, 28800000, 27000000 - (i % 7) * 600000, 1800000, 19000000 - (i % 11) * 500000 FROM k;
WITH RECURSIVE k(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM k WHERE i < 49999)
INSERT INTO report_pauses SELECT '${tenantId}', printf('bench-c-%07d', i * 20), 3, 4, printf('bench-a-%03d', i % 150), 'team' || (i % 5), 'topic' || (i % 5), ${start} + i * ${Math.floor((DAYS * DAY) / 50000)}, 61000 + (i % 300) * 1000 FROM k;
WITH RECURSIVE k(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM k WHERE i < 249999)
INSERT INTO report_ratings SELECT '${tenantId}', printf('bench-c-%07d', i * 4), 1, ${start} + i * ${Math.floor((DAYS * DAY) / 250000)}, CASE WHEN i % 5 = 0 THEN 'bad' ELSE 'good' END, CASE WHEN i % 3 = 0 THEN 'Thanks, quick help' ELSE NULL END, printf('bench-a-%03d', i % 150), 'team' || (i % 5), 'topic' || (i % 5) FROM k;
COMMIT;
`;
}

/** Time `RUNS` calls of one path after a warm-up of 3; wall ms each. */
async function time(url, cookie, path) {
  const times = [];
  let body = null;
  for (let i = 0; i < RUNS + 3; i++) {
    const t0 = process.hrtime.bigint();
    const res = await fetch(`${url}${path}`, { headers: { cookie } });
    body = await res.text();
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (!res.ok) throw new Error(`${path}: ${res.status} ${body.slice(0, 300)}`);
    if (i >= 3) times.push(ms);
  }
  const sorted = Float64Array.from(times).sort();
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), max: sorted[sorted.length - 1], body };
}

/** The scenario: its own server on its own seeded state. */
export async function reportsAtScale({ log }) {
  const state = await mkdtemp(join(tmpdir(), 'switchboard-reports-'));
  let server = null;
  try {
    const seed = await prepare({ persistTo: state, build: 'if-missing' });
    const tenantId = seed.DEMO_TENANTS[0].id;
    const file = findD1File(state);
    if (!file) throw new Error('no local D1 file after migrations');
    const today = Math.floor(Date.now() / DAY) * DAY;
    const start = today - DAYS * DAY;
    const script = join(state, 'reports-seed.sql');
    await writeFile(script, seedSql(tenantId, start));
    log(`  seeding the rollups of ${CONVERSATIONS} conversations over ${DAYS} days (${ROWS} hourly rows) into ${file}…`);
    let t = Date.now();
    await run('sqlite3', ['-bail', file, `.read ${script}`], { maxBuffer: 1 << 24 });
    const seedS = (Date.now() - t) / 1000;
    const counts = (await run('sqlite3', ['-readonly', file, `SELECT SUM(received) FROM report_hourly WHERE tenant_id = '${tenantId}' AND hour >= ${start} AND agent_id LIKE 'bench-a-%'; SELECT COUNT(*) FROM report_hourly; SELECT COUNT(*) FROM report_daily_agent; SELECT COUNT(*) FROM report_daily_topic; SELECT COUNT(*) FROM report_hourly_team; SELECT SUM(received) FROM report_hourly WHERE tenant_id = '${tenantId}' AND hour >= ${start} AND hour < ${today};`])).stdout.trim().split('\n').map(Number);
    log(`  ${counts[0]} received in ${counts[1]} hourly rows (${counts[2]} agent-days, ${counts[3]} topic-days, ${counts[4]} team-hours) in ${seedS.toFixed(0)} s; starting the server…`);
    const [lo, hi] = portRange();
    const port = await freePort(lo, hi, [8790, 8791, 8792]);
    server = await startBenchServer({ port, persistTo: state, assetsDir: await snapshotAssets(join(state, 'assets')) });
    const cookie = await loginAgent(server.url, WHO);
    const range = `from=${new Date(start).toISOString().slice(0, 10)}&to=${new Date(today - DAY).toISOString().slice(0, 10)}`;
    const calls = {
      '90-day report by agent (tiles, table, daily chart, backlog)': `/v1/agent/reports?${range}&by=agent`,
      '90-day report by team': `/v1/agent/reports?${range}&by=team`,
      '90-day report by topic': `/v1/agent/reports?${range}&by=topic`,
      '90-day report by day': `/v1/agent/reports?${range}&by=day&tz=120`,
      '90-day report by hour of day': `/v1/agent/reports?${range}&by=hour`,
      '90-day report by agent, one topic': `/v1/agent/reports?${range}&by=agent&topic=topic2`,
      '90-day report by agent, one channel': `/v1/agent/reports?${range}&by=agent&channel=ch1`,
      '90-day shifts (13,500 agent-days)': `/v1/agent/reports/shifts?${range}`,
      '90-day long pauses by agent and topic': `/v1/agent/reports/pauses?${range}`,
      '90-day CSAT comments (newest 500)': `/v1/agent/reports/csat?${range}`,
      'today tiles': `/v1/agent/reports/today?${range}`,
    };
    const results = {};
    t = Date.now();
    for (const [name, path] of Object.entries(calls)) {
      const r = await time(server.url, cookie, path);
      results[name] = { p50: r.p50, p95: r.p95, max: r.max };
      log(`    ${name}: p50 ${r.p50.toFixed(1)} p95 ${r.p95.toFixed(1)} ms`);
      if (name.startsWith('90-day report by agent (')) results[name].received = JSON.parse(r.body).totals.received;
    }
    const main = results['90-day report by agent (tiles, table, daily chart, backlog)'];
    const rows = [
      row('conversations seeded / hourly rows / received in the 90-day report', `${counts[0]} / ${counts[1]} / ${main.received}`, { target: '1,000,000 (+ the demo fortnight)', ok: counts[0] === CONVERSATIONS && main.received === counts[5] }),
      row('bulk seed (sqlite3)', `${seedS.toFixed(0)} s`),
      ...Object.entries(results).map(([name, r]) => row(`${name}: p50 / p95`, `${r.p50.toFixed(1)} / ${r.p95.toFixed(1)} ms`, name.startsWith('90-day report by') ? { target: `p95 < ${TARGET_MS} ms`, ok: r.p95 < TARGET_MS } : {})),
    ];
    return {
      metrics: { kind: 'latency (sequential HTTP, one admin, after a warm-up of 3 per call)', conversations: CONVERSATIONS, days: DAYS, hourlyRows: counts[1], seedSeconds: seedS, results, reportReceived: main.received, secondsTimed: (Date.now() - t) / 1000 },
      // The demo brand's own fortnight of history lies in the range too: the report must count both.
      problems: counts[0] === CONVERSATIONS && main.received === counts[5] ? [] : [`the 90-day report counted ${main.received} received, the rollup holds ${counts[5]} (${counts[0]} seeded)`],
      rows,
    };
  } finally {
    if (server) await server.stop().catch(() => {});
    await rm(state, { recursive: true, force: true }).catch(() => {});
  }
}
