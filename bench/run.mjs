// `npm run bench`: the conversation-core benchmarks against a real `wrangler dev`, started here on
// a private port with throwaway state, so a run never touches the developer's .state/ or server.
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir, cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { prepare, root, startServer } from '../scripts/server.mjs';
import { loginAgent } from './lib/http.mjs';
import { formatTable, row, writeResults } from './lib/report.mjs';
import { changedSince, sourceStamp } from './lib/sources.mjs';
import { latency } from './scenarios/latency.mjs';
import { throughput } from './scenarios/throughput.mjs';
import { concurrency } from './scenarios/concurrency.mjs';
import { firstMessage } from './scenarios/first-message.mjs';

const here = dirname(fileURLToPath(import.meta.url));
/** The whole run, server start included, must end within this; past it we stop and exit 1. */
const RUN_BUDGET_MS = 12 * 60_000;
const AGENTS = { anna: 'anna@northwind.test', boris: 'boris@northwind.test', supervisor: 'supervisor@northwind.test', admin: 'admin@northwind.test' };

const SCENARIOS = [
  { key: 'latency', title: '1 send→agent delay', run: latency },
  { key: 'throughput', title: '2 throughput, 10 listeners', run: throughput },
  { key: 'concurrency', title: '3 1000 sockets / 500 convs', run: concurrency },
  { key: 'firstMessage', title: '4 first message, new conv', run: firstMessage },
];

const log = (m) => console.log(`[bench] ${m}`);

/** The first port from `start` that nothing listens on at 127.0.0.1. */
function freePort(start = 8790, end = 8890) {
  return new Promise((resolve, reject) => {
    const attempt = (port) => {
      if (port > end) return reject(new Error(`no free port in ${start}–${end}`));
      const srv = createServer();
      srv.once('error', () => attempt(port + 1));
      srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(port)));
    };
    attempt(start);
  });
}

let server = null;
let stateDir = null;
let cleaning = null;

/** Stop the server and drop the temp state; safe to call twice, from any exit path. */
function cleanup() {
  cleaning ??= (async () => {
    if (server) await server.stop().catch(() => {});
    if (stateDir) await rm(stateDir, { recursive: true, force: true }).catch(() => {});
  })();
  return cleaning;
}

for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    log(`${sig}: stopping the server`);
    cleanup().finally(() => process.exit(130));
  });
}
// Whatever goes wrong, the server must not outlive the bench.
for (const ev of ['uncaughtException', 'unhandledRejection']) {
  process.on(ev, (err) => {
    console.error(`[bench] ${ev}:`, err?.stack ?? err);
    cleanup().finally(() => process.exit(1));
  });
}
const watchdog = setTimeout(() => {
  log(`run exceeded ${RUN_BUDGET_MS / 60_000} min; stopping`);
  cleanup().finally(() => process.exit(1));
}, RUN_BUDGET_MS);
watchdog.unref();

async function main() {
  const startedAt = Date.now();
  stateDir = await mkdtemp(join(tmpdir(), 'switchboard-bench-'));
  const port = await freePort();
  log(`state in ${stateDir}, port ${port}`);
  await prepare({ persistTo: stateDir, log });
  log('starting wrangler dev…');
  server = await startServer({ port, persistTo: stateDir });
  // Server warnings (e.g. a failed outbox drain) belong in the report, not only on its console.
  const serverOutput = [];
  for (const stream of [server.child.stdout, server.child.stderr]) stream?.on('data', (d) => serverOutput.push(String(d)));
  log(`server at ${server.url}`);

  const cookies = {};
  for (const [k, email] of Object.entries(AGENTS)) cookies[k] = await loginAgent(server.url, email);

  // BENCH_ONLY=latency,throughput runs a subset, for looking into one scenario.
  const only = process.env.BENCH_ONLY?.split(',').map((x) => x.trim());
  const results = [];
  for (const s of SCENARIOS.filter((x) => !only || only.includes(x.key))) {
    log(`scenario ${s.title}…`);
    const t0 = Date.now();
    const stamp = await sourceStamp(root);
    let result;
    try {
      const r = await s.run({ url: server.url, cookies, log });
      result = { key: s.key, title: s.title, seconds: (Date.now() - t0) / 1000, ...r };
      log(`  done in ${((Date.now() - t0) / 1000).toFixed(1)} s${r.problems.length ? `, ${r.problems.length} problem(s)` : ''}`);
    } catch (err) {
      // One broken scenario should not hide the others' numbers.
      result = { key: s.key, title: s.title, seconds: (Date.now() - t0) / 1000, error: err.stack ?? String(err), rows: [], problems: [] };
      log(`  FAILED: ${err.message}`);
    }
    const changed = await changedSince(stamp);
    if (changed.length) {
      result.sourcesChanged = changed;
      result.problems.unshift(`INVALID RUN: ${changed.join(', ')} changed during the scenario; wrangler dev reloaded the Worker, which drops every socket (close 1006)`);
      result.rows.push(row('sources unchanged during run (no reload)', `changed: ${changed.slice(0, 3).join(', ')}${changed.length > 3 ? ' …' : ''}`, { target: 'unchanged', ok: false }));
      log(`  WARNING: ${changed.join(', ')} changed while the scenario ran; its numbers are not valid`);
    }
    results.push(result);
  }

  const output = serverOutput.join('');
  const data = {
    benchmark: 'conversation-core',
    startedAt: new Date(startedAt).toISOString(),
    finishedAt: new Date().toISOString(),
    machine: { node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryGb: Math.round(totalmem() / 2 ** 30), platform: process.platform },
    server: { url: server.url, kind: 'wrangler dev (local workerd)', output: output.slice(-20_000) },
    client: { library: 'ws', perMessageDeflate: false },
    scenarios: results,
  };

  console.log('\n' + formatTable(results) + '\n');
  const problems = results.flatMap((r) => [...(r.error ? [`${r.title}: ${r.error.split('\n')[0]}`] : []), ...r.problems.map((p) => `${r.title}: ${p}`)]);
  if (problems.length) console.log(`Problems seen (${problems.length}):\n  ${problems.slice(0, 40).join('\n  ')}\n`);
  if (output.trim()) console.log(`Server output during the run (last lines):\n${output.trim().split('\n').slice(-15).join('\n')}\n`);
  const files = await writeResults(join(here, 'results'), 'conversation-core', data);
  log(`wrote ${files.map((f) => f.slice(here.length - 'bench'.length)).join(', ')}`);
  return results.some((r) => r.error) ? 1 : 0;
}

let code = 1;
try {
  code = await main();
} catch (err) {
  console.error(err.stack ?? err);
} finally {
  await cleanup();
}
process.exit(code);
