// `npm run bench`: the conversation-core benchmarks against a real `wrangler dev`, started here on
// a private port with throwaway state, so a run never touches the developer's .state/ or server.
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
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
/** The whole run, server start included, must end within this; past it we report what we have and stop. */
const RUN_BUDGET_MS = 10 * 60_000;
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

const run = { startedAt: Date.now(), results: [], serverOutput: [], loadStart: loadavg() };
let server = null;
let stateDir = null;
let cleaning = null;
let reported = null;

/** Stop the server and drop the temp state; safe to call twice, from any exit path. */
function cleanup() {
  cleaning ??= (async () => {
    if (server) await server.stop().catch(() => {});
    if (stateDir) await rm(stateDir, { recursive: true, force: true }).catch(() => {});
  })();
  return cleaning;
}

/** Print the table and write the JSON for whatever scenarios finished; once per run. */
function report(note) {
  reported ??= (async () => {
    const output = run.serverOutput.join('');
    const data = {
      benchmark: 'conversation-core',
      startedAt: new Date(run.startedAt).toISOString(),
      finishedAt: new Date().toISOString(),
      note: note ?? null,
      // The load average shows whether something else was competing for the CPU during the run.
      machine: { node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryGb: Math.round(totalmem() / 2 ** 30), platform: process.platform, loadavgAtStart: run.loadStart, loadavgAtEnd: loadavg() },
      server: { url: server?.url ?? null, kind: 'wrangler dev (local workerd)', output: output.slice(-20_000) },
      client: { library: 'ws', perMessageDeflate: false },
      scenarios: run.results,
    };
    console.log('\n' + formatTable(run.results) + '\n');
    if (note) console.log(`NOTE: ${note}\n`);
    console.log(`load average (1/5/15 min) at start ${run.loadStart.map((x) => x.toFixed(2)).join(' ')}, at end ${loadavg().map((x) => x.toFixed(2)).join(' ')} on ${cpus().length} CPUs\n`);
    const problems = run.results.flatMap((r) => [...(r.error ? [`${r.title}: ${r.error.split('\n')[0]}`] : []), ...r.problems.map((p) => `${r.title}: ${p}`)]);
    if (problems.length) console.log(`Problems seen (${problems.length}${problems.length > 40 ? ', first 40' : ''}):\n  ${problems.slice(0, 40).join('\n  ')}\n`);
    if (output.trim()) console.log(`Server output during the run (last lines):\n${output.trim().split('\n').slice(-15).join('\n')}\n`);
    const files = await writeResults(join(here, 'results'), 'conversation-core', data);
    log(`wrote ${files.map((f) => f.slice(here.length - 'bench'.length)).join(', ')}`);
  })();
  return reported;
}

/** Report, stop everything, exit; the one way out on signals, crashes and the watchdog. */
function bail(code, note) {
  report(note)
    .catch((e) => console.error(e))
    .finally(() => cleanup().finally(() => process.exit(code)));
}

for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => bail(130, `interrupted by ${sig}`));
for (const ev of ['uncaughtException', 'unhandledRejection']) {
  process.on(ev, (err) => {
    console.error(`[bench] ${ev}:`, err?.stack ?? err);
    bail(1, `${ev}: ${err?.message ?? err}`);
  });
}
setTimeout(() => bail(1, `run exceeded ${RUN_BUDGET_MS / 60_000} min and was stopped; later scenarios did not run`), RUN_BUDGET_MS).unref();

async function main() {
  stateDir = await mkdtemp(join(tmpdir(), 'switchboard-bench-'));
  const port = await freePort();
  log(`state in ${stateDir}, port ${port}`);
  await prepare({ persistTo: stateDir, log, build: 'if-missing' }); // never rebuild dist/ under a running dev server
  log('starting wrangler dev…');
  server = await startServer({ port, persistTo: stateDir });
  // Server warnings (e.g. a failed outbox drain) belong in the report, not only on its console.
  for (const stream of [server.child.stdout, server.child.stderr]) stream?.on('data', (d) => run.serverOutput.push(String(d)));
  log(`server at ${server.url}`);

  const cookies = {};
  for (const [k, email] of Object.entries(AGENTS)) cookies[k] = await loginAgent(server.url, email);

  // BENCH_ONLY=latency,throughput runs a subset, for looking into one scenario.
  const only = process.env.BENCH_ONLY?.split(',').map((x) => x.trim());
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
      result.problems.unshift(`INVALID RUN: ${changed.join(', ')} changed during the scenario; wrangler dev reloads the Worker on that, which drops every socket (close 1006)`);
      result.rows.push(row('sources unchanged (no dev-server reload)', `${changed.length} changed, e.g. ${changed[0]}`, { target: 'unchanged', ok: false }));
      log(`  WARNING: ${changed.join(', ')} changed while the scenario ran; its numbers are not valid`);
    }
    run.results.push(result);
  }
  await report();
  return run.results.some((r) => r.error) ? 1 : 0;
}

let code = 1;
try {
  code = await main();
} catch (err) {
  console.error(err.stack ?? err);
  if (run.results.length) await report(`aborted: ${err.message}`).catch(() => {});
} finally {
  await cleanup();
}
process.exit(code);
