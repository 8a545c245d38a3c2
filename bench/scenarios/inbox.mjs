// Scenario 6: the agent inbox with a real backlog. Seeds 10,000 open conversations through the
// public API (session, socket, one message each) with nobody online, then times the queue query
// from Node and the inbox app in headless Chromium: first 50 rows, and switching filters.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { root } from '../../scripts/server.mjs';
import { sizes } from '../../scripts/widget-budget.mjs';
import { freshPage, launchBrowser } from '../lib/browser.mjs';
import { createSession, loginAgent, mapLimit } from '../lib/http.mjs';
import { agentsOnline, queuePage } from '../lib/inbox.mjs';
import { BenchSocket } from '../lib/socket.mjs';
import { percentile, summarize } from '../lib/stats.mjs';
import { row } from '../lib/report.mjs';

/** BENCH_INBOX_SEED=500 makes a quick trial run; the benchmark proper is 10,000. */
const SEED = Number(process.env.BENCH_INBOX_SEED ?? 10_000);
// The dev server saturates near 25 conversations/s on 2 cores; more in flight only lengthens each one.
const SEED_CONCURRENCY = 25;
/**
 * Seeding stops starting new conversations past this, or earlier when the run's deadline leaves less
 * (keeping RESERVE_MS for the measurements); what was seeded by then is what is measured.
 */
const SEED_BUDGET_MS = 540_000;
const RESERVE_MS = 150_000;
const STEP_TIMEOUT_MS = 15_000;
/** How long the Inbox may take to count every seeded conversation. */
const COUNT_WAIT_MS = 90_000;
const QUERIES = 200;
const SMALL_QUERIES = 50;
const WARMUP = 10;
/** Deep paging: every page of `open` by cursor, at most this many pages. */
const MAX_PAGES = 250;
const QUERY_BUDGET_MS = 90_000;
const UI_RUNS = 5;
const UI_BUDGET_MS = 120_000;
const ROWS = 50;
/** The deep-scroll check: rows to scroll to, its time cap, and the idle window measured before and after. */
const DEEP_ROWS = 1000;
const DEEP_BUDGET_MS = 30_000;
const IDLE_S = 5;

const p95 = (xs) => percentile(Float64Array.from(xs).sort(), 95);
const med = (xs) => percentile(Float64Array.from(xs).sort(), 50);
const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;

/** One customer: new session (new contact + conversation), socket, hello, one message, its ack. */
async function seedOne(url, i) {
  const session = await createSession(url, { channel: 'web' });
  const socket = await BenchSocket.open(session.socketUrl, { label: `seed-${i}`, timeoutMs: STEP_TIMEOUT_MS });
  try {
    await socket.hello(session.socketToken, { timeoutMs: STEP_TIMEOUT_MS });
    const clientId = `seed-${i}`;
    const ack = socket.waitFor((f) => (f.type === 'message.ack' && f.clientId === clientId) || (f.type === 'error' && f.ref === clientId), STEP_TIMEOUT_MS, `ack of ${clientId}`);
    socket.send({ type: 'message.send', clientId, text: `Seeded question ${i}: my modem shows no service since this morning.` });
    const { frame } = await ack;
    if (frame.type === 'error') throw new Error(`${clientId}: error ${frame.code}: ${frame.message}`);
    return session.conversationId;
  } finally {
    await socket.close();
  }
}

/** Time `n` sequential queue calls after a short warm-up; returns wall times in ms and the last body. */
async function timeQueries(url, cookie, opts, n, deadline) {
  const times = [];
  let last = null;
  for (let i = 0; i < WARMUP + n && Date.now() < deadline; i++) {
    const t0 = process.hrtime.bigint();
    last = await queuePage(url, cookie, opts);
    if (i >= WARMUP) times.push(ms(t0));
  }
  return { times, last };
}

/**
 * Runs in the inbox page before its scripts: the first animation frame in which the queue shows
 * one row and `want` rows, and the time of the click on the sign-in button, if any.
 */
function probe(want) {
  const B = (window.__sbBench = { tFirstRow: null, tRows: null, rows: 0, tSignIn: null, longTasks: [] });
  try {
    new PerformanceObserver((l) => {
      for (const e of l.getEntries()) B.longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch {}
  addEventListener('click', (e) => {
    if (B.tSignIn === null && e.composedPath().some((n) => n instanceof HTMLButtonElement && n.type === 'submit')) B.tSignIn = performance.now();
  }, true);
  const tick = () => {
    const q = document.querySelector('sb-inbox')?.shadowRoot?.querySelector('sb-queue')?.shadowRoot;
    const n = q ? q.querySelectorAll('ol button.row').length : 0;
    B.rows = n;
    if (n > 0 && B.tFirstRow === null) B.tFirstRow = performance.now();
    if (n >= want && B.tRows === null) B.tRows = performance.now();
    if (B.tRows === null) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}

/**
 * In the page: click a filter tab and resolve with the time until its rows are rendered (tab pressed,
 * list not busy, `want` rows or all of that filter's count). Timed with performance.now() in the page.
 */
function switchFilter([label, want]) {
  const q = document.querySelector('sb-inbox').shadowRoot.querySelector('sb-queue');
  const r = q.shadowRoot;
  const btn = [...r.querySelectorAll('.filters button')].find((b) => b.textContent.trim().startsWith(label));
  if (!btn) return Promise.resolve({ ms: null, rows: 0, error: `no filter button "${label}"` });
  return new Promise((resolve) => {
    const t0 = performance.now();
    btn.click();
    const tick = () => {
      const ol = r.querySelector('ol');
      const n = r.querySelectorAll('ol button.row').length;
      const count = Number(btn.querySelector('.count')?.textContent ?? NaN);
      const need = Number.isFinite(count) ? Math.min(want, count) : want;
      if (btn.getAttribute('aria-pressed') === 'true' && ol?.getAttribute('aria-busy') === 'false' && n >= need) resolve({ ms: performance.now() - t0, rows: n, count });
      else if (performance.now() - t0 > 15_000) resolve({ ms: null, rows: n, count, error: `rows not rendered within 15 s (${n} rows, count ${count})` });
      else requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
}

/**
 * In the page: scroll the queue a screenful back, then to its end, a frame or two apart, as a person's
 * scrolling does; returns the number of rows rendered. (Jumping straight to the end again and again
 * can stall the queue's infinite scroll: its IntersectionObserver only loads on a change into view.)
 */
async function scrollQueue() {
  const r = document.querySelector('sb-inbox').shadowRoot.querySelector('sb-queue').shadowRoot;
  const sc = r.querySelector('.scroll');
  const frame = () => new Promise((res) => requestAnimationFrame(() => res()));
  sc.scrollTop = Math.max(0, sc.scrollHeight - sc.clientHeight - 1500);
  await frame();
  await frame();
  sc.scrollTop = sc.scrollHeight;
  await frame();
  await frame();
  return r.querySelectorAll('ol button.row').length;
}

/** Main-thread task and layout time per second of an idle page (the inbox re-renders its clock every second). */
async function idleMsPerSec(cdp, page, seconds) {
  const read = async () => Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
  const a = await read();
  await page.waitForTimeout(seconds * 1000);
  const z = await read();
  return { task: ((z.TaskDuration - a.TaskDuration) * 1000) / seconds, layout: ((z.LayoutDuration - a.LayoutDuration) * 1000) / seconds };
}

/**
 * One inbox load in a fresh context; signs in through the form when `viaForm`, else with the cookie.
 * With `deep`, it also scrolls the open queue to DEEP_ROWS rows and compares idle main-thread time.
 */
async function inboxLoad(browser, url, cookie, { viaForm, deep = false }) {
  const [name, value] = cookie.split('=');
  const { context, page, cdp } = await freshPage(browser, { cookies: viaForm ? [] : [{ name, value, url }] });
  try {
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => m.type() === 'error' && !m.text().startsWith('Failed to load resource') && errors.push(m.text()));
    // Failed calls by URL; the 401 of /v1/agent/me before signing in is how the app finds out it must.
    page.on('response', (r) => {
      const path = new URL(r.url()).pathname;
      if (r.status() >= 400 && path !== '/favicon.ico' && !(viaForm && r.status() === 401 && path === '/v1/agent/me')) errors.push(`${r.request().method()} ${path} → ${r.status()}`);
    });
    await page.addInitScript(probe, ROWS);
    await page.goto(`${url}/inbox`, { waitUntil: 'load' });
    if (viaForm) {
      await page.locator('sb-login input[name=email]').fill('supervisor@northwind.test');
      await page.locator('sb-login input[name=password]').fill('switchboard-demo');
      await page.locator('sb-login button[type=submit]').click();
    }
    await page.waitForFunction(() => window.__sbBench.tRows !== null, null, { timeout: 20_000, polling: 100 });
    const b = await page.evaluate(() => window.__sbBench);
    // Where the time to the rows goes: the bundle, who-am-I, the first queue page (response ends, ms since navigation).
    const timing = await page.evaluate(() => {
      const end = (p) => performance.getEntriesByType('resource').find((e) => new URL(e.name).pathname === p)?.responseEnd ?? null;
      return { domContentLoaded: performance.getEntriesByType('navigation')[0]?.domContentLoadedEventEnd ?? null, bundle: end('/sb/inbox.js'), me: end('/v1/agent/me'), queue: end('/v1/agent/queue') };
    });
    let filters = null;
    if (!viaForm) {
      // Let the first render settle (socket welcome, assignment) before switching.
      await page.waitForTimeout(500);
      // The inbox opens on All open; go to Unassigned and back.
      const toUnassigned = await page.evaluate(switchFilter, ['Unassigned', ROWS]);
      const back = await page.evaluate(switchFilter, ['All open', ROWS]);
      const mine = await page.evaluate(switchFilter, ['Mine', ROWS]);
      filters = { toUnassigned, back, mine };
    }
    let scroll = null;
    if (deep) {
      // An agent scrolling a long queue: pages come by infinite scroll, and every row stays rendered.
      await page.evaluate(switchFilter, ['All open', ROWS]);
      await cdp.send('Performance.enable');
      const idle50 = await idleMsPerSec(cdp, page, IDLE_S);
      const t0 = Date.now();
      let n = 0;
      while (n < DEEP_ROWS && Date.now() - t0 < DEEP_BUDGET_MS) {
        const before = n;
        n = await page.evaluate(scrollQueue);
        // Give the page that scroll asked for a moment to arrive before scrolling again.
        const t1 = Date.now();
        while (n === before && Date.now() - t1 < 3000) {
          await page.waitForTimeout(50);
          n = await page.evaluate(() => document.querySelector('sb-inbox').shadowRoot.querySelector('sb-queue').shadowRoot.querySelectorAll('ol button.row').length);
        }
      }
      const loadMs = Date.now() - t0;
      const idleDeep = await idleMsPerSec(cdp, page, IDLE_S);
      const lt0 = await page.evaluate(() => window.__sbBench.longTasks.length);
      const idleLong = await page.waitForTimeout(IDLE_S * 1000).then(() => page.evaluate((k) => window.__sbBench.longTasks.slice(k).map((t) => t.duration), lt0));
      scroll = { rows: n, loadMs, idleMsPerSecAt50: idle50, idleMsPerSecAtDeep: idleDeep, idleLongTasksAtDeep: idleLong, idleWindowS: IDLE_S };
    }
    return { ...b, timing, filters, scroll, errors };
  } finally {
    await context.close().catch(() => {});
  }
}

/** The inbox scenario: seed, count, query timings, UI timings. */
export async function inbox({ url, cookies, log, deadline: runDeadline = Infinity }) {
  const problems = [];
  const rows = [];
  const metrics = {};
  const cookie = cookies.supervisor ?? (await loginAgent(url, 'supervisor@northwind.test'));

  // 1. Seeding, with nobody online so every conversation stays unassigned and open.
  const online = await agentsOnline(url);
  if (online !== 0) problems.push(`${online} agents online before seeding; their inbox sockets will take conversations`);
  const base = (await queuePage(url, cookie, { filter: 'open', limit: 1 })).counts;
  // The same query on the small queue, to see what the backlog itself costs.
  const small = await timeQueries(url, cookie, { filter: 'open', limit: ROWS }, SMALL_QUERIES, Date.now() + 30_000);
  // Earlier scenarios of the same run leave open conversations behind; they count toward the backlog.
  const toSeed = Math.max(0, SEED - base.open);
  const seedBudgetMs = Math.max(30_000, Math.min(SEED_BUDGET_MS, runDeadline - Date.now() - RESERVE_MS));
  log(`  seeding ${toSeed} conversations (concurrency ${SEED_CONCURRENCY}, budget ${(seedBudgetMs / 1000).toFixed(0)} s); queue before: ${JSON.stringify(base)}`);
  const seedErrors = [];
  let seeded = 0;
  let stopped = 0;
  const deadline = Date.now() + seedBudgetMs;
  const tSeed = process.hrtime.bigint();
  await mapLimit(Array.from({ length: toSeed }), SEED_CONCURRENCY, async (_, i) => {
    if (Date.now() > deadline) {
      stopped++;
      return;
    }
    try {
      await seedOne(url, i);
      seeded++;
      if (seeded % 1000 === 0) log(`  ${seeded} seeded in ${(ms(tSeed) / 1000).toFixed(0)} s`);
    } catch (err) {
      seedErrors.push(err.message.split('\n')[0]);
    }
  });
  const seedSecs = ms(tSeed) / 1000;
  const rate = seeded / seedSecs;
  if (stopped) problems.push(`seeding stopped at its ${(seedBudgetMs / 1000).toFixed(0)} s budget: ${seeded} of ${toSeed} seeded, ${stopped} not started`);
  if (seedErrors.length) problems.push(`${seedErrors.length} seeding failures, e.g. ${[...new Set(seedErrors)].slice(0, 3).join(' | ')}`);
  rows.push(row(`conversations seeded (session + socket + 1 message; ${base.open} open before)`, `${seeded} of ${toSeed}`, { target: `${toSeed}`, ok: seeded === toSeed }));
  rows.push(row(`seeding time (concurrency ${SEED_CONCURRENCY})`, seedSecs, { unit: 's', target: '—' }));
  rows.push(row('seeding rate', rate, { unit: 'conv/s', target: '—' }));

  // The Inbox hears of each conversation a moment later (coalesced); wait until it counts them all.
  const want = base.open + seeded;
  const tCount = Date.now();
  let counts = base;
  while (Date.now() - tCount < COUNT_WAIT_MS) {
    counts = (await queuePage(url, cookie, { filter: 'open', limit: 1 })).counts;
    if (counts.open >= want) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const countLagMs = Date.now() - tCount;
  const counted = counts.open >= want;
  if (!counted) problems.push(`after ${COUNT_WAIT_MS / 1000} s the queue counts ${counts.open} open, expected ≥ ${want} (${base.open} before + ${seeded} seeded)`);
  rows.push(row('queue counts.open after seeding', `${counts.open} (unassigned ${counts.unassigned})`, { target: `≥ ${Math.max(SEED, want)}`, ok: counted && counts.open >= SEED }));
  rows.push(row('  wait after seeding until counted', countLagMs, { unit: 'ms', target: '—' }));
  metrics.seeding = { backlogWanted: SEED, toSeed, seeded, notStarted: stopped, errors: seedErrors.length, errorSamples: [...new Set(seedErrors)].slice(0, 10), seconds: seedSecs, budgetSeconds: seedBudgetMs / 1000, ratePerSec: rate, concurrency: SEED_CONCURRENCY, countsBefore: base, countsAfter: counts, countWaitMs: countLagMs, onlineBefore: online };

  // 2. The queue query from Node: wall time on loopback through wrangler dev's proxy.
  const qDeadline = Date.now() + QUERY_BUDGET_MS;
  const open = await timeQueries(url, cookie, { filter: 'open', limit: ROWS }, QUERIES, qDeadline);
  const unassigned = await timeQueries(url, cookie, { filter: 'unassigned', limit: ROWS }, QUERIES, qDeadline);
  // One row: what every call pays whatever the page size (session check, the Inbox RPC, the live counts).
  const one = await timeQueries(url, cookie, { filter: 'open', limit: 1 }, SMALL_QUERIES, qDeadline);
  const pageBytes = Buffer.byteLength(JSON.stringify(open.last));
  // Deep pages: walk the whole open queue by cursor; keyset paging should cost the same at page 200 as at page 1.
  const pageMs = [];
  const seen = new Set();
  let dup = 0;
  let cursor;
  let pages = 0;
  while (pages < MAX_PAGES && Date.now() < qDeadline) {
    const t0 = process.hrtime.bigint();
    const p = await queuePage(url, cookie, { filter: 'open', limit: ROWS, cursor });
    pageMs.push(ms(t0));
    pages++;
    for (const it of p.items) {
      if (seen.has(it.id)) dup++;
      seen.add(it.id);
    }
    if (!p.nextCursor) break;
    cursor = p.nextCursor;
  }
  if (cursor && pages >= MAX_PAGES) problems.push(`deep paging stopped at ${MAX_PAGES} pages`);
  if (dup) problems.push(`deep paging of open returned ${dup} rows twice`);
  if (seen.size < Math.min(counts.open, MAX_PAGES * ROWS)) problems.push(`deep paging of open saw ${seen.size} distinct rows, counts.open is ${counts.open}`);
  const o = summarize(open.times);
  const u = summarize(unassigned.times);
  const first10 = pageMs.slice(0, 10);
  const deep = pageMs.slice(100);
  metrics.query = {
    note: 'wall time in Node for GET /v1/agent/queue on 127.0.0.1, through wrangler dev (its proxy, the Worker, the Inbox DO RPC and SQLite); not edge latency',
    open: { ...o, p95: p95(open.times) },
    openBeforeSeeding: { openCount: base.open, ...summarize(small.times), p95: p95(small.times) },
    openLimit1: { ...summarize(one.times), p95: p95(one.times) },
    unassigned: { ...u, p95: p95(unassigned.times) },
    responseBytes50: pageBytes,
    deepPaging: { pages, distinctRows: seen.size, duplicates: dup, allMs: summarize(pageMs), first10Ms: summarize(first10), page100onMs: summarize(deep) },
  };
  rows.push(row(`GET queue?filter=open&limit=50 p50 / p95 (n=${open.times.length}, loopback via wrangler dev)`, `${o.p50.toFixed(1)} / ${p95(open.times).toFixed(1)}`, { unit: 'ms', target: '—' }));
  rows.push(row(`  same query before seeding (${base.open} open) p50 / p95 (n=${small.times.length})`, `${med(small.times).toFixed(1)} / ${p95(small.times).toFixed(1)}`, { unit: 'ms' }));
  rows.push(row(`  same query with limit=1 p50 / p95 (n=${one.times.length})`, `${med(one.times).toFixed(1)} / ${p95(one.times).toFixed(1)}`, { unit: 'ms' }));
  rows.push(row(`GET queue?filter=unassigned&limit=50 p50 / p95 (n=${unassigned.times.length})`, `${u.p50.toFixed(1)} / ${p95(unassigned.times).toFixed(1)}`, { unit: 'ms', target: '—' }));
  rows.push(row('  response size, 50 rows', pageBytes, { unit: 'B' }));
  rows.push(row(`deep paging open by cursor: ${pages} pages, ${seen.size} rows`, `p50 pages 1–10 ${med(first10).toFixed(1)} / pages 101+ ${deep.length ? med(deep).toFixed(1) : '—'}`, { unit: 'ms', target: '—' }));

  // 3. The inbox app in headless Chromium, as the supervisor.
  const browser = await launchBrowser();
  const ui = [];
  let viaForm = null;
  try {
    const uiDeadline = Date.now() + UI_BUDGET_MS;
    try {
      viaForm = await inboxLoad(browser, url, cookie, { viaForm: true });
      for (const e of viaForm.errors) problems.push(`inbox (form sign-in): ${e.slice(0, 200)}`);
    } catch (err) {
      problems.push(`inbox sign-in through the form: ${err.message.split('\n')[0]}`);
    }
    for (let i = 0; i < UI_RUNS; i++) {
      if (Date.now() > uiDeadline) {
        problems.push(`inbox loads stopped after ${UI_BUDGET_MS / 1000} s at ${i} of ${UI_RUNS}`);
        break;
      }
      try {
        const r = await inboxLoad(browser, url, cookie, { viaForm: false, deep: i === UI_RUNS - 1 });
        for (const e of r.errors) problems.push(`inbox load ${i}: ${e.slice(0, 200)}`);
        for (const [k, f] of Object.entries(r.filters)) if (f.error) problems.push(`inbox load ${i}, filter ${k}: ${f.error}`);
        ui.push(r);
      } catch (err) {
        problems.push(`inbox load ${i}: ${err.message.split('\n')[0]}`);
      }
    }
  } finally {
    await browser.close().catch(() => {});
  }
  const nav50 = ui.map((r) => r.tRows);
  const navFirst = ui.map((r) => r.tFirstRow);
  const f = (k) => ui.map((r) => r.filters[k].ms).filter((x) => x !== null);
  const bundle = await readFile(join(root, 'dist/public/sb/inbox.js')).then(sizes, () => null);
  metrics.ui = {
    runs: ui.length,
    how: 'performance.now() in the page at the first animation frame with the rows in sb-queue; filters clicked in the page and timed there',
    navTo50RowsMs: summarize(nav50),
    navToFirstRowMs: summarize(navFirst),
    responseEndsMs: Object.fromEntries(['bundle', 'domContentLoaded', 'me', 'queue'].map((k) => [k, summarize(ui.map((r) => r.timing[k]).filter((x) => x !== null))])),
    filterToUnassignedMs: summarize(f('toUnassigned')),
    filterBackToOpenMs: summarize(f('back')),
    filterToMineMs: summarize(f('mine')),
    filterRows: ui.map((r) => r.filters),
    longTasksPerLoad: ui.map((r) => r.longTasks.length),
    longTaskMs: ui.flatMap((r) => r.longTasks.map((t) => t.duration)),
    signInViaForm: viaForm ? { signInClickTo50RowsMs: viaForm.tRows - viaForm.tSignIn, navTo50RowsMs: viaForm.tRows } : null,
    bundle: bundle ? { path: 'dist/public/sb/inbox.js', ...bundle } : null,
  };
  if (bundle) rows.push(row('inbox bundle sb/inbox.js raw / gzip / brotli', `${bundle.raw} / ${bundle.gzip} / ${bundle.brotli}`, { unit: 'B', target: '—' }));
  rows.push(row('inbox loads that rendered the queue (cookie set)', `${ui.length} of ${UI_RUNS}`, { target: `${UI_RUNS}`, ok: ui.length === UI_RUNS }));
  if (ui.length) {
    rows.push(row(`/inbox navigation → first ${ROWS} rows of the default filter (All open) p50 (n=${nav50.length}, cookie set)`, med(nav50), { unit: 'ms', target: '—' }));
    rows.push(row(`  max of ${nav50.length}`, Math.max(...nav50), { unit: 'ms' }));
    const end = (k) => med(ui.map((r) => r.timing[k]).filter((x) => x !== null));
    rows.push(row('  p50 response ends: inbox.js / DOMContentLoaded / me / first queue page', `${end('bundle').toFixed(0)} / ${end('domContentLoaded').toFixed(0)} / ${end('me').toFixed(0)} / ${end('queue').toFixed(0)}`, { unit: 'ms' }));
  }
  if (viaForm?.tRows && viaForm.tSignIn) rows.push(row(`sign in through the form: click → ${ROWS} rows (1 run)`, viaForm.tRows - viaForm.tSignIn, { unit: 'ms', target: '—' }));
  for (const [k, label] of [['toUnassigned', 'filter All open → Unassigned'], ['back', 'filter Unassigned → All open'], ['mine', 'filter → Mine']]) {
    const xs = f(k);
    const shown = ui.map((r) => r.filters[k].rows);
    if (xs.length) rows.push(row(`${label} (${Math.min(...shown)}–${Math.max(...shown)} rows): rendered p50 (n=${xs.length})`, med(xs), { unit: 'ms', target: '—' }));
  }
  const sc = ui.find((r) => r.scroll)?.scroll;
  if (sc) {
    metrics.ui.deepScroll = sc;
    rows.push(row(`scrolled All open to ${sc.rows} rows (infinite scroll)`, sc.loadMs, { unit: 'ms', target: '—' }));
    rows.push(row(`  idle main thread (CDP TaskDuration), ${ROWS} rows / ${sc.rows} rows`, `${sc.idleMsPerSecAt50.task.toFixed(1)} / ${sc.idleMsPerSecAtDeep.task.toFixed(1)}`, { unit: 'ms per s', target: '—' }));
    rows.push(row(`    of which layout, ${ROWS} rows / ${sc.rows} rows`, `${sc.idleMsPerSecAt50.layout.toFixed(1)} / ${sc.idleMsPerSecAtDeep.layout.toFixed(1)}`, { unit: 'ms per s' }));
    rows.push(row(`  long tasks while idle ${sc.idleWindowS} s with ${sc.rows} rows`, `${sc.idleLongTasksAtDeep.length}${sc.idleLongTasksAtDeep.length ? ` (p50 ${med(sc.idleLongTasksAtDeep).toFixed(0)} ms)` : ''}`, { target: '—' }));
  }
  if (ui.length) rows.push(row('long tasks (≥ 50 ms) per inbox load', `${ui.map((r) => r.longTasks.length).join(', ')}`, { target: '—' }));
  return { metrics, problems, rows };
}
