// Scenario 5: what the customer widget costs a partner's page. Sizes of what is served, the requests
// and bytes before the bubble shows and before the panel is usable, time to a visible launcher and
// to a usable composer in headless Chromium, and the main-thread time the widget adds to its host.
import { BUDGETS, sizes } from '../../scripts/widget-budget.mjs';
import { freshPage, launchBrowser, recordNetwork } from '../lib/browser.mjs';
import { openInboxSocket, waitForOnline } from '../lib/inbox.mjs';
import { percentile, summarize } from '../lib/stats.mjs';
import { row } from '../lib/report.mjs';

/** Fresh page loads (new context each: empty cache, no visitor token) timed to launcher and composer. */
const LOADS = 20;
/** Page loads per variant (with the widget, without it) for the main-thread comparison. */
const CPU_LOADS = 10;
/** After `load`, how long both variants idle before the main-thread counters are read. */
const SETTLE_MS = 1500;
/** A quiet spell after the launcher shows, to catch anything fetched late but before any interaction. */
const QUIET_MS = 500;
/** Each phase stops starting new page loads past its budget. */
const PHASE_BUDGET_MS = 120_000;
/** The minimal host: a strict-CSP page with one stylesheet and the widget's script tag. */
const HOST_PATH = '/demo/strict/';
// The browser's own /favicon.ico request is the host's business too, not the widget's.
const HOST_OWN = ['/demo/strict/', '/demo/strict/aggressive.css', '/favicon.ico'];

/** Peers' script weight before their bubble shows, as published by others; we do not measure them. */
const PEERS = [
  ['Chatwoot', '~170 KB'],
  ['Crisp', '~130–155 KB'],
  ['Intercom', '~280–300 KB'],
  ['Zendesk', '> 500 KB'],
];

const kb = (b) => `${(b / 1024).toFixed(1)} KB`;
const p95 = (xs) => percentile(Float64Array.from(xs).sort(), 95);

/**
 * Runs in the page before any of its scripts: notes (performance.now(), ms since navigation start)
 * the first animation frame in which the launcher has a box, the first pointer contact and click on
 * it, when the panel and its composer have a box, `sb-ready`, and every long task.
 */
function probe() {
  const B = (window.__sbBench = { tLauncher: null, tHover: null, tClick: null, tPanel: null, tComposer: null, tReady: null, longTasks: [] });
  try {
    new PerformanceObserver((l) => {
      for (const e of l.getEntries()) B.longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch {}
  const launcher = () => document.querySelector('sb-chat')?.shadowRoot?.querySelector('button[part=launcher]') ?? null;
  const hasBox = (el) => {
    if (!el) return false;
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0;
  };
  const onLauncher = (e) => {
    const l = launcher();
    return l !== null && e.composedPath().includes(l);
  };
  addEventListener('pointerover', (e) => {
    if (B.tHover === null && onLauncher(e)) B.tHover = performance.now();
  }, true);
  addEventListener('click', (e) => {
    if (B.tClick === null && onLauncher(e)) B.tClick = performance.now();
  }, true);
  addEventListener('sb-ready', () => {
    if (B.tReady === null) B.tReady = performance.now();
  });
  const tick = () => {
    if (B.tLauncher === null && hasBox(launcher())) B.tLauncher = performance.now();
    if (B.tHover !== null || B.tClick !== null) {
      const root = document.querySelector('sb-chat')?.shadowRoot?.querySelector('sb-panel')?.shadowRoot;
      if (B.tPanel === null && hasBox(root?.querySelector('[part~=panel]'))) B.tPanel = performance.now();
      if (B.tComposer === null && hasBox(root?.querySelector('form[part~=composer] textarea'))) B.tComposer = performance.now();
    }
    if (B.tLauncher === null || B.tComposer === null) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}

/** Only the widget's requests: everything except the host document and the host's own stylesheet. */
function widgetRequests(list, base) {
  return list.filter((r) => {
    const u = new URL(r.url);
    return !(u.origin === base && HOST_OWN.includes(u.pathname));
  });
}

function describe(list) {
  return list.map((r) => ({ url: r.url.replace(/^https?:\/\/[^/]+/, '').replace(/^wss?:\/\/[^/]+/, 'ws:'), type: r.type, status: r.status, encoding: r.encoding, bytes: r.bytes, failed: r.failed }));
}

/** Sizes of the loader (brand inlined, as served) and the panel, fetched from the running server. */
async function servedSizes(url) {
  const res = await fetch(`${url}/widget.js?brand=operator`, { signal: AbortSignal.timeout(20_000) });
  if (!res.ok) throw new Error(`GET /widget.js?brand=operator → ${res.status}`);
  const loader = Buffer.from(await res.arrayBuffer());
  const panelPath = loader.toString('utf8').match(/\/sb\/panel\.js\?v=[0-9a-z]+/)?.[0];
  if (!panelPath) throw new Error('the served loader names no /sb/panel.js?v=… URL');
  const pres = await fetch(url + panelPath, { signal: AbortSignal.timeout(20_000) });
  if (!pres.ok) throw new Error(`GET ${panelPath} → ${pres.status}`);
  const panel = Buffer.from(await pres.arrayBuffer());
  return {
    panelPath,
    loader: { ...sizes(loader), budget: BUDGETS.loader, servedEncoding: res.headers.get('content-encoding'), cacheControl: res.headers.get('cache-control') },
    panel: { ...sizes(panel), budget: BUDGETS.panel, servedEncoding: pres.headers.get('content-encoding'), cacheControl: pres.headers.get('cache-control') },
  };
}

/** One fresh load of the host page: launcher, then a click, then the composer; requests by phase. */
async function timedLoad(browser, url, problems, i) {
  const { context, page, cdp } = await freshPage(browser);
  try {
    const net = recordNetwork(cdp);
    const consoleErrors = [];
    // Failed loads are judged from the network record below (the browser's favicon 404 is not ours).
    page.on('console', (m) => m.type() === 'error' && !m.text().startsWith('Failed to load resource') && consoleErrors.push(m.text()));
    page.on('pageerror', (e) => consoleErrors.push(String(e)));
    await page.addInitScript(probe);
    await page.goto(url + HOST_PATH, { waitUntil: 'load' });
    await page.waitForFunction(() => window.__sbBench.tLauncher !== null, null, { timeout: 15_000, polling: 100 });
    await page.waitForTimeout(QUIET_MS);
    const before = widgetRequests(net.snapshot(), url);
    // Cross-check with the page's own Resource Timing: requests started before the launcher had a box.
    // Also where the time to the launcher goes: the host document, the script's fetch, then running it.
    const { rt, timing } = await page.evaluate((own) => {
      const t = window.__sbBench.tLauncher;
      const res = performance.getEntriesByType('resource');
      const nav = performance.getEntriesByType('navigation')[0];
      const script = res.find((e) => new URL(e.name).pathname === '/widget.js');
      return {
        rt: res.filter((e) => e.startTime <= t && !own.includes(new URL(e.name).pathname)).map((e) => ({ url: e.name, transferSize: e.transferSize })),
        timing: {
          documentResponseEnd: nav?.responseEnd ?? null,
          domContentLoaded: nav?.domContentLoadedEventEnd ?? null,
          scriptStart: script?.startTime ?? null,
          scriptResponseEnd: script?.responseEnd ?? null,
        },
      };
    }, HOST_OWN);
    // A person's click: Playwright moves the pointer onto the button (hover → the panel prefetch starts), then clicks.
    await page.click('sb-chat button[part=launcher]');
    await page.waitForFunction(() => window.__sbBench.tComposer !== null && window.__sbBench.tReady !== null, null, { timeout: 20_000, polling: 100 });
    await page.waitForTimeout(QUIET_MS);
    const b = await page.evaluate(() => window.__sbBench);
    const all = widgetRequests(net.snapshot(), url);
    const ids = new Set(before.map((r) => r.id));
    const after = all.filter((r) => !ids.has(r.id));
    for (const r of all) if (r.failed || (r.status !== null && r.status >= 400 && !r.ws)) problems.push(`load ${i}: ${r.url} → ${r.failed ?? r.status}`);
    for (const e of consoleErrors) problems.push(`load ${i}: console error: ${e.slice(0, 200)}`);
    return { ...b, before, after, rt, timing };
  } finally {
    await context.close().catch(() => {});
  }
}

/** One load for the main-thread comparison; `withWidget` false serves an empty /widget.js. */
async function cpuLoad(browser, url, withWidget) {
  const { context, page, cdp } = await freshPage(browser);
  try {
    // Both variants go through the same interception, so its overhead cancels out.
    await page.route('**/widget.js*', (route) => (withWidget ? route.continue() : route.fulfill({ status: 200, contentType: 'text/javascript', body: '' })));
    await page.addInitScript(() => {
      window.__longTasks = [];
      try {
        new PerformanceObserver((l) => {
          for (const e of l.getEntries()) window.__longTasks.push(e.duration);
        }).observe({ type: 'longtask', buffered: true });
      } catch {}
    });
    await cdp.send('Performance.enable', { timeDomain: 'threadTicks' }).catch(() => cdp.send('Performance.enable'));
    await page.goto(url + HOST_PATH, { waitUntil: 'load' });
    await page.waitForTimeout(SETTLE_MS);
    const { metrics } = await cdp.send('Performance.getMetrics');
    const m = Object.fromEntries(metrics.map((x) => [x.name, x.value]));
    const after = await page.evaluate(() => ({
      longTasks: window.__longTasks,
      launcher: !!document.querySelector('sb-chat')?.shadowRoot?.querySelector('button[part=launcher]'),
    }));
    return {
      scriptMs: m.ScriptDuration * 1000,
      taskMs: m.TaskDuration * 1000,
      layoutMs: m.LayoutDuration * 1000,
      styleMs: m.RecalcStyleDuration * 1000,
      heapUsedKb: m.JSHeapUsedSize / 1024,
      longTasks: after.longTasks,
      launcher: after.launcher,
    };
  } finally {
    await context.close().catch(() => {});
  }
}

/** The widget scenario: sizes, requests, timings and main-thread cost, with one agent online. */
export async function widget({ url, cookies, log }) {
  const problems = [];
  const rows = [];
  const metrics = {};

  // 1. Sizes, as served by this server.
  const s = await servedSizes(url);
  metrics.sizes = s;
  for (const [name, x] of [['loader (/widget.js?brand=operator)', s.loader], [`panel (${s.panelPath})`, s.panel]]) {
    rows.push(row(`${name} raw / gzip`, `${x.raw} / ${x.gzip}`, { unit: 'B', target: '—' }));
    rows.push(row(`${name.split(' ')[0]} brotli (q11)`, x.brotli, { unit: 'B', target: `≤ ${x.budget / 1024} KB`, ok: x.brotli <= x.budget }));
  }
  for (const [peer, v] of PEERS) rows.push(row(`peer: ${peer}, script before bubble (published, not measured here)`, v, { target: '—' }));
  metrics.peersPublishedNotMeasured = Object.fromEntries(PEERS);

  // An agent online, so the panel opens the live chat (its composer), not the leave-a-message form.
  const agent = await openInboxSocket(url, cookies.anna);
  const browser = await launchBrowser();
  try {
    const online = await waitForOnline(url, 1);
    if (online !== 1) problems.push(`presence reported ${online} agents online with one inbox socket open, expected 1`);

    // 2 + 3. Fresh loads: requests, bytes and times.
    const loads = [];
    let deadline = Date.now() + PHASE_BUDGET_MS;
    for (let i = 0; i < LOADS; i++) {
      if (Date.now() > deadline) {
        problems.push(`page loads stopped after ${PHASE_BUDGET_MS / 1000} s at ${i} of ${LOADS}`);
        break;
      }
      try {
        loads.push(await timedLoad(browser, url, problems, i));
      } catch (err) {
        problems.push(`load ${i}: ${err.message.split('\n')[0]}`);
      }
    }
    log(`  ${loads.length} page loads timed`);
    const launcherMs = loads.map((l) => l.tLauncher);
    const clickToComposer = loads.map((l) => l.tComposer - l.tClick);
    const hoverToComposer = loads.map((l) => l.tComposer - (l.tHover ?? l.tClick));
    const clickToReady = loads.map((l) => l.tReady - l.tClick);
    const docMs = loads.map((l) => l.timing.documentResponseEnd);
    const scriptFetchMs = loads.map((l) => l.timing.scriptResponseEnd - l.timing.scriptStart);
    const scriptToLauncherMs = loads.map((l) => l.tLauncher - l.timing.scriptResponseEnd);
    // Where each long task fell: before the launcher showed, while idle, or after the first pointer contact.
    const ltPhase = { beforeLauncher: 0, idle: 0, afterInteraction: 0 };
    for (const l of loads) {
      const touch = l.tHover ?? l.tClick;
      for (const t of l.longTasks) ltPhase[t.start < l.tLauncher ? 'beforeLauncher' : t.start < touch ? 'idle' : 'afterInteraction']++;
    }
    const ltAfterMs = loads.flatMap((l) => l.longTasks.filter((t) => t.start >= (l.tHover ?? l.tClick)).map((t) => t.duration));
    const first = loads[0];
    const sum = (list) => list.reduce((n, r) => n + r.bytes, 0);
    const countsBefore = loads.map((l) => l.before.length);
    const countsAfter = loads.map((l) => l.after.length);
    const bytesBefore = loads.map((l) => sum(l.before));
    const bytesAfter = loads.map((l) => sum(l.after));
    for (const l of loads) {
      if (l.rt.length !== l.before.filter((r) => !r.ws).length) problems.push(`Resource Timing saw ${l.rt.length} widget requests started before the launcher showed, CDP saw ${l.before.length} before the click`);
    }
    const med = (xs) => percentile(Float64Array.from(xs).sort(), 50);
    metrics.loads = {
      hostPage: HOST_PATH,
      countedAs: 'every request except the host document and its stylesheet; bytes = CDP Network.loadingFinished.encodedDataLength (headers + body as sent; wrangler dev serves br) plus WebSocket frame payloads',
      n: loads.length,
      navToLauncherMs: summarize(launcherMs),
      navToLauncherP95Ms: p95(launcherMs),
      clickToComposerMs: summarize(clickToComposer),
      hoverToComposerMs: summarize(hoverToComposer),
      clickToReadyMs: summarize(clickToReady),
      requestsBeforeLauncher: countsBefore,
      bytesBeforeLauncher: bytesBefore,
      requestsClickToComposer: countsAfter,
      bytesClickToComposer: bytesAfter,
      exampleBefore: first ? describe(first.before) : null,
      exampleAfter: first ? describe(first.after) : null,
      longTasksDuringLoadAndOpen: loads.map((l) => l.longTasks.length),
      longTasksByPhase: ltPhase,
      longTaskMsAfterInteraction: summarize(ltAfterMs),
      breakdownMs: { documentResponseEnd: summarize(docMs), scriptFetch: summarize(scriptFetchMs), scriptResponseEndToLauncher: summarize(scriptToLauncherMs) },
    };
    if (first) {
      const ws = first.after.filter((r) => r.ws).length;
      rows.push(row(`widget requests until launcher visible +${QUIET_MS} ms (host ${HOST_PATH}, CDP)`, `${med(countsBefore)} (${describe(first.before).map((r) => r.url.split('?')[0]).join(', ')})`, { target: '1', ok: Math.max(...countsBefore) === 1 }));
      rows.push(row('  bytes on the wire until launcher visible p50', med(bytesBefore), { unit: 'B', target: '—' }));
      rows.push(row('widget requests, click → composer visible', `${med(countsAfter)} incl. ${ws} WebSocket`, { target: '—' }));
      rows.push(row('  bytes on the wire, click → composer (+ ws frames) p50', med(bytesAfter), { unit: 'B', target: '—' }));
    }
    rows.push(row(`navigation → launcher visible p50 (n=${launcherMs.length})`, med(launcherMs), { unit: 'ms', target: '—' }));
    rows.push(row('navigation → launcher visible p95', p95(launcherMs), { unit: 'ms', target: '—' }));
    rows.push(row('  of which host document response end p50', med(docMs), { unit: 'ms' }));
    rows.push(row('  of which /widget.js request start → response end p50', med(scriptFetchMs), { unit: 'ms' }));
    rows.push(row('  of which /widget.js response end → launcher visible p50', med(scriptToLauncherMs), { unit: 'ms' }));
    rows.push(row('click → composer visible p50 / p95', `${med(clickToComposer).toFixed(1)} / ${p95(clickToComposer).toFixed(1)}`, { unit: 'ms', target: '—' }));
    rows.push(row('first hover → composer visible p50', med(hoverToComposer), { unit: 'ms', target: '—' }));
    rows.push(row('click → connected (sb-ready) p50 / p95', `${med(clickToReady).toFixed(1)} / ${p95(clickToReady).toFixed(1)}`, { unit: 'ms', target: '—' }));

    // 4. Main-thread cost: the same host page with the widget and with an empty /widget.js, interleaved.
    const withW = [];
    const without = [];
    deadline = Date.now() + PHASE_BUDGET_MS;
    for (let i = 0; i < CPU_LOADS; i++) {
      if (Date.now() > deadline) {
        problems.push(`main-thread loads stopped after ${PHASE_BUDGET_MS / 1000} s at ${i} of ${CPU_LOADS}`);
        break;
      }
      for (const w of i % 2 ? [false, true] : [true, false]) {
        try {
          const r = await cpuLoad(browser, url, w);
          if (w && !r.launcher) problems.push(`main-thread load ${i}: no launcher after ${SETTLE_MS} ms`);
          (w ? withW : without).push(r);
        } catch (err) {
          problems.push(`main-thread load ${i} (${w ? 'with' : 'without'} widget): ${err.message.split('\n')[0]}`);
        }
      }
    }
    const p50 = (list, k) => med(list.map((r) => r[k]));
    const cpu = {};
    for (const k of ['scriptMs', 'taskMs', 'layoutMs', 'styleMs', 'heapUsedKb']) cpu[k] = { with: p50(withW, k), without: p50(without, k), diff: p50(withW, k) - p50(without, k) };
    const lt = (list) => list.map((r) => r.longTasks.length);
    cpu.longTasks = { with: lt(withW), without: lt(without), withMaxMs: Math.max(0, ...withW.flatMap((r) => r.longTasks)) };
    cpu.n = { with: withW.length, without: without.length };
    cpu.how = `CDP Performance.getMetrics read ${SETTLE_MS} ms after load; baseline serves an empty /widget.js through the same page.route`;
    metrics.mainThread = cpu;
    rows.push(row(`main thread: TaskDuration with − without widget, p50 (n=${withW.length}+${without.length})`, cpu.taskMs.diff, { unit: 'ms', target: '—' }));
    rows.push(row('  TaskDuration p50 with / without', `${cpu.taskMs.with.toFixed(1)} / ${cpu.taskMs.without.toFixed(1)}`, { unit: 'ms' }));
    rows.push(row('main thread: ScriptDuration with − without, p50', cpu.scriptMs.diff, { unit: 'ms', target: '—' }));
    rows.push(row('  ScriptDuration p50 with / without', `${cpu.scriptMs.with.toFixed(1)} / ${cpu.scriptMs.without.toFixed(1)}`, { unit: 'ms' }));
    rows.push(row('  layout + style recalc with − without, p50', cpu.layoutMs.diff + cpu.styleMs.diff, { unit: 'ms' }));
    rows.push(row('long tasks (≥ 50 ms) per load, with / without widget', `${lt(withW).reduce((a, b) => a + b, 0)} / ${lt(without).reduce((a, b) => a + b, 0)} in ${withW.length} / ${without.length} loads`, { target: '—' }));
    rows.push(row('long tasks in timed loads: before launcher / idle / after hover+click', `${ltPhase.beforeLauncher} / ${ltPhase.idle} / ${ltPhase.afterInteraction} in ${loads.length} loads`, { target: '—' }));
    if (ltAfterMs.length) rows.push(row('  long task after hover+click (panel) p50 / max', `${med(ltAfterMs).toFixed(0)} / ${Math.max(...ltAfterMs).toFixed(0)}`, { unit: 'ms' }));
  } finally {
    await browser.close().catch(() => {});
    await agent.close();
  }
  // Leave nobody online: the next scenario may depend on it.
  const left = await waitForOnline(url, 0);
  if (left !== 0) problems.push(`presence still reports ${left} agents online after the widget scenario`);
  return { metrics, problems, rows };
}
