// `npm run bench`: the conversation-core, widget and inbox benchmarks against a real `wrangler dev`,
// started here on a private port with throwaway state, so a run never touches the developer's
// .state/ or server.
import { installExits } from './lib/exits.mjs';
import { mkdtemp, rm } from 'node:fs/promises';
import { freePort, portRange } from './lib/ports.mjs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { prepare, root } from '../scripts/server.mjs';
import { findChromium } from '../scripts/find-chromium.mjs';
import { snapshotAssets, startBenchServer } from './lib/server.mjs';
import { loginAgent } from './lib/http.mjs';
import { formatTable, row, writeResults } from './lib/report.mjs';
import { changedSince, sourceStamp, WATCHED } from './lib/sources.mjs';
import { latency } from './scenarios/latency.mjs';
import { throughput } from './scenarios/throughput.mjs';
import { loadProfile } from './scenarios/concurrency.mjs';
import { firstMessage } from './scenarios/first-message.mjs';
import { widget } from './scenarios/widget.mjs';
import { inbox } from './scenarios/inbox.mjs';
import { contactCentre } from './scenarios/contact-centre.mjs';
import { firstPage } from './scenarios/first-page.mjs';
import { searchAtScale } from './scenarios/search.mjs';
import { reportsAtScale } from './scenarios/reports.mjs';
import { documents } from './scenarios/documents.mjs';

const here = dirname(fileURLToPath(import.meta.url));
/**
 * The whole run, server start included, must end within this; past it we report what we have and
 * stop. Each scenario bounds itself; together they stay under it on 2 busy cores.
 */
const RUN_BUDGET_MS = 30 * 60_000;
const AGENTS = { anna: 'anna@northwind.test', boris: 'boris@northwind.test', supervisor: 'supervisor@northwind.test', admin: 'admin@northwind.test' };

// `suite` names the JSON file a scenario's results go to (bench/results/latest-<suite>.json).
const SCENARIOS = [
  { key: 'latency', suite: 'conversation-core', title: '1 send→agent delay', run: latency },
  { key: 'throughput', suite: 'conversation-core', title: '2 throughput, 10 listeners', run: throughput },
  // A closed loop (send after ack): a load profile of 1000 sockets, not a capacity figure.
  { key: 'loadProfile', suite: 'conversation-core', title: '3 load profile, 500 convs (closed loop)', run: loadProfile },
  { key: 'firstMessage', suite: 'conversation-core', title: '4 first message, new conv', run: firstMessage },
  // Uploads of 1 MB and 10 MB through every check into local R2, and the agent's preview time (issue 13).
  { key: 'documents', suite: 'documents', title: '10 documents: upload 1 MB / 10 MB, agent preview', run: documents },
  // Browser scenarios (a local Chromium, see scripts/find-chromium.mjs, through playwright-core).
  { key: 'widget', suite: 'widget', title: '5 widget (Chromium)', run: widget },
  // An open loop at 200/400/800 msg/s, 5 teams, 100 agents (presence + team sockets), a raw Durable Object chat interleaved (issue 10).
  { key: 'contactCentre', suite: 'contact-centre', title: '7 contact centre at load (open loop, vs raw DO chat)', run: contactCentre },
  // 10,000 open in one team (seeded through the offline-message call): the first page by HTTP and by queue.watch.
  // It leaves them behind, so the inbox scenario after it seeds next to nothing.
  { key: 'firstPage', suite: 'first-page', title: '8 first queue page at 10,000 open', run: firstPage },
  // Last: it leaves 10,000 open conversations behind.
  { key: 'inbox', suite: 'inbox', title: '6 inbox, 10k queue', run: inbox },
  // Its own server on its own state: 1,000,000 messages bulk-seeded into local D1 (issue 11).
  { key: 'search', suite: 'search', title: '9 search at 1,000,000 messages', run: searchAtScale },
  // Its own server on its own state: the rollups of 1,000,000 conversations over 90 days bulk-seeded into local D1 (issue 14).
  { key: 'reports', suite: 'reports', title: '11 reports over 90 days at 1,000,000 conversations', run: reportsAtScale },
];

const log = (m) => console.log(`[bench] ${m}`);


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
    const common = {
      startedAt: new Date(run.startedAt).toISOString(),
      finishedAt: new Date().toISOString(),
      note: note ?? null,
      // The load average shows whether something else was competing for the CPU during the run.
      machine: { node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryGb: Math.round(totalmem() / 2 ** 30), platform: process.platform, loadavgAtStart: run.loadStart, loadavgAtEnd: loadavg() },
      server: { url: server?.url ?? null, kind: 'wrangler dev (local workerd)', output: output.slice(-20_000) },
      client: { library: 'ws', perMessageDeflate: false, browser: `${findChromium() ?? 'none found'} (headless) via playwright-core` },
    };
    console.log('\n' + formatTable(run.results) + '\n');
    if (note) console.log(`NOTE: ${note}\n`);
    console.log(`load average (1/5/15 min) at start ${run.loadStart.map((x) => x.toFixed(2)).join(' ')}, at end ${loadavg().map((x) => x.toFixed(2)).join(' ')} on ${cpus().length} CPUs\n`);
    const problems = run.results.flatMap((r) => [...(r.error ? [`${r.title}: ${r.error.split('\n')[0]}`] : []), ...r.problems.map((p) => `${r.title}: ${p}`)]);
    if (problems.length) console.log(`Problems seen (${problems.length}${problems.length > 40 ? ', first 40' : ''}):\n  ${problems.slice(0, 40).join('\n  ')}\n`);
    if (output.trim()) console.log(`Server output during the run (last lines):\n${output.trim().split('\n').slice(-15).join('\n')}\n`);
    // One file per suite that ran, so a widget-only run never replaces the core's latest numbers.
    const files = [];
    for (const suite of [...new Set(run.results.map((r) => r.suite))]) {
      const data = { benchmark: suite, ...common, scenarios: run.results.filter((r) => r.suite === suite) };
      files.push(...(await writeResults(join(here, 'results'), suite, data)));
    }
    log(`wrote ${files.map((f) => f.slice(here.length - 'bench'.length)).join(', ')}`);
  })();
  return reported;
}

installExits({ label: 'bench', report, cleanup, budgetMs: RUN_BUDGET_MS, budgetNote: '; later scenarios did not run' });

async function main() {
  stateDir = await mkdtemp(join(tmpdir(), 'switchboard-bench-'));
  const port = await freePort(...portRange());
  log(`state in ${stateDir}, port ${port}`);
  await prepare({ persistTo: stateDir, log, build: 'if-missing' }); // never rebuild dist/ under a running dev server
  // Served from a copy: others' builds rewrite dist/public, which breaks a dev server serving it.
  const assetsDir = await snapshotAssets(join(stateDir, 'assets'));
  log(`starting wrangler dev (static assets: a copy of dist/public in ${assetsDir})…`);
  // A scenario that takes a CPU profile (BENCH_PROFILE) needs to know where the inspector proxy is.
  const inspectorPort = process.env.BENCH_PROFILE ? await freePort(...portRange(), [port]) : undefined;
  server = await startBenchServer({ port, persistTo: stateDir, assetsDir, inspectorPort });
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
    const stamp = await sourceStamp(root, WATCHED.filter((p) => p !== 'dist/public'));
    let result;
    try {
      // `deadline` lets a scenario with elastic work (the inbox's seeding) fit what is left of the run.
      const r = await s.run({ url: server.url, cookies, log, deadline: run.startedAt + RUN_BUDGET_MS, persistTo: stateDir, serverPid: server.child.pid, inspectorPort });
      result = { key: s.key, suite: s.suite, title: s.title, seconds: (Date.now() - t0) / 1000, ...r };
      log(`  done in ${((Date.now() - t0) / 1000).toFixed(1)} s${r.problems.length ? `, ${r.problems.length} problem(s)` : ''}`);
    } catch (err) {
      // One broken scenario should not hide the others' numbers.
      result = { key: s.key, suite: s.suite, title: s.title, seconds: (Date.now() - t0) / 1000, error: err.stack ?? String(err), rows: [], problems: [] };
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
