// The agent side as the inbox app uses it: the inbox socket that makes an agent "online", presence
// as the widget sees it, and the queue API.
import { WebSocket } from 'ws';
import { call } from './http.mjs';

/** Agents online for a brand, as the widget asks before offering a live chat. */
export async function agentsOnline(baseUrl, brand = 'operator') {
  return (await call(baseUrl, 'GET', `/v1/widget/brands/${encodeURIComponent(brand)}/presence`)).body.agentsOnline;
}

/**
 * Open the agent's inbox socket with their session cookie, which puts them online (and makes them
 * eligible for assignment). Resolves once the server's `inbox.welcome` arrived; `close()` ends it.
 */
export function openInboxSocket(baseUrl, cookie, { timeoutMs = 10_000 } = {}) {
  const url = new URL('/v1/agent/inbox/socket', baseUrl);
  url.protocol = 'ws:';
  return new Promise((resolve, reject) => {
    // Same origin as the server, as the inbox page sends it.
    const ws = new WebSocket(url, { headers: { cookie, origin: new URL(baseUrl).origin }, perMessageDeflate: false, handshakeTimeout: timeoutMs });
    const frames = [];
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error(`inbox socket: no inbox.welcome within ${timeoutMs} ms`));
    }, timeoutMs);
    ws.on('message', (d) => {
      let f;
      try {
        f = JSON.parse(String(d));
      } catch {
        return;
      }
      frames.push(f);
      if (f.type === 'inbox.welcome') {
        clearTimeout(timer);
        resolve({
          frames,
          close: () =>
            new Promise((done) => {
              if (ws.readyState === WebSocket.CLOSED) return done();
              const t = setTimeout(() => (ws.terminate(), done()), 3000);
              ws.once('close', () => (clearTimeout(t), done()));
              ws.close(1000, 'bench done');
            }),
        });
      }
    });
    ws.once('unexpected-response', (_req, res) => {
      clearTimeout(timer);
      reject(new Error(`inbox socket: HTTP ${res.statusCode}`));
    });
    ws.once('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`inbox socket: ${err.message}`));
    });
  });
}

/** Wait (bounded) until the brand's presence reports `n` agents online; returns the last count seen. */
export async function waitForOnline(baseUrl, n, { brand = 'operator', timeoutMs = 10_000 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last = await agentsOnline(baseUrl, brand);
  while (last !== n && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    last = await agentsOnline(baseUrl, brand);
  }
  return last;
}

/** One page of the agent queue (over the agent's teams, or one `team`): { items, counts, nextCursor }. */
export async function queuePage(baseUrl, cookie, { filter = 'open', limit = 50, cursor, team } = {}) {
  const q = new URLSearchParams({ filter, limit: String(limit) });
  if (cursor) q.set('cursor', cursor);
  if (team) q.set('team', team);
  return (await call(baseUrl, 'GET', `/v1/agent/queue?${q}`, { cookie })).body;
}
