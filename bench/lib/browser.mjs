// A local Chromium (Debian's by default) driven by playwright-core, for the widget and inbox
// benchmarks. A browser is never downloaded; every wait is bounded, and every context is fresh
// (empty cache, no storage).
import { chromium } from 'playwright-core';
import { findChromium, notFoundMessage } from '../../scripts/find-chromium.mjs';

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** Launch headless Chromium; throws the install command when there is none. */
export async function launchBrowser() {
  const executablePath = findChromium();
  if (!executablePath) throw new Error(notFoundMessage());
  return chromium.launch({ executablePath, args: ARGS, timeout: 30_000 });
}

/**
 * A new context (so a new, empty HTTP cache and storage) with one page and a CDP session on it,
 * the network domain on and the cache off. Returns { context, page, cdp }.
 */
export async function freshPage(browser, { cookies = [], viewport = { width: 1280, height: 800 } } = {}) {
  const context = await browser.newContext({ viewport });
  if (cookies.length) await context.addCookies(cookies);
  context.setDefaultTimeout(20_000);
  context.setDefaultNavigationTimeout(30_000);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  return { context, page, cdp };
}

/**
 * Record every request of a page from CDP Network events: URL, type, status, content-encoding and
 * the bytes on the wire (`loadingFinished.encodedDataLength`: headers plus the body as sent,
 * compressed if it was). WebSockets are recorded too, with the bytes of their frame payloads.
 */
export function recordNetwork(cdp) {
  const byId = new Map();
  const list = [];
  cdp.on('Network.requestWillBeSent', (e) => {
    // A redirect reuses the request id; keep one entry per hop.
    const r = { id: e.requestId, url: e.request.url, method: e.request.method, type: e.type ?? null, status: null, encoding: null, bytes: 0, finished: false, failed: null, ws: false };
    byId.set(e.requestId, r);
    list.push(r);
  });
  cdp.on('Network.responseReceived', (e) => {
    const r = byId.get(e.requestId);
    if (!r) return;
    r.status = e.response.status;
    const h = e.response.headers ?? {};
    r.encoding = h['content-encoding'] ?? h['Content-Encoding'] ?? null;
  });
  cdp.on('Network.loadingFinished', (e) => {
    const r = byId.get(e.requestId);
    if (!r) return;
    r.bytes = e.encodedDataLength;
    r.finished = true;
  });
  cdp.on('Network.loadingFailed', (e) => {
    const r = byId.get(e.requestId);
    if (r) r.failed = e.errorText;
  });
  cdp.on('Network.webSocketCreated', (e) => {
    const r = { id: e.requestId, url: e.url, method: 'GET', type: 'WebSocket', status: null, encoding: null, bytes: 0, finished: false, failed: null, ws: true };
    byId.set(e.requestId, r);
    list.push(r);
  });
  cdp.on('Network.webSocketHandshakeResponseReceived', (e) => {
    const r = byId.get(e.requestId);
    if (r) r.status = e.response.status;
  });
  const frame = (e) => {
    const r = byId.get(e.requestId);
    if (r) r.bytes += Buffer.byteLength(e.response.payloadData ?? '');
  };
  cdp.on('Network.webSocketFrameReceived', frame);
  cdp.on('Network.webSocketFrameSent', frame);
  return {
    list,
    /** Everything recorded so far, copied, so later events do not change a phase already taken. */
    snapshot: () => list.map((r) => ({ ...r })),
  };
}
