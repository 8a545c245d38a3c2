// A V8 CPU profile of the product's Worker (every Durable Object runs in the same workerd isolate
// locally), taken through wrangler's inspector proxy: workerd admits one inspector session and
// wrangler holds it, but its proxy forwards one DevTools client, which is what we are.
import WebSocket from 'ws';

/** Connect to the inspector proxy on `port`; resolves to { start(), stop() → profile, close() }. */
export async function connectProfiler(port) {
  const targets = await (await fetch(`http://127.0.0.1:${port}/json`)).json();
  const target = targets.find((t) => t.title?.includes('Cloudflare Worker')) ?? targets[0];
  if (!target) throw new Error(`no inspector target on port ${port}`);
  const ws = new WebSocket(target.webSocketDebuggerUrl, { headers: { Origin: 'http://127.0.0.1' } });
  await new Promise((ok, fail) => {
    ws.once('open', ok);
    ws.once('error', fail);
  });
  let nextId = 1;
  const waiting = new Map();
  ws.on('message', (data) => {
    const msg = JSON.parse(String(data));
    const w = msg.id !== undefined ? waiting.get(msg.id) : undefined;
    if (!w) return;
    waiting.delete(msg.id);
    if (msg.error) w.fail(new Error(`${msg.error.message} (${msg.error.code})`));
    else w.ok(msg.result);
  });
  const send = (method, params = {}) =>
    new Promise((ok, fail) => {
      const id = nextId++;
      waiting.set(id, { ok, fail });
      ws.send(JSON.stringify({ id, method, params }));
    });
  await send('Profiler.enable');
  // 200 µs: fine enough to see a 1 ms message path split into its parts.
  await send('Profiler.setSamplingInterval', { interval: 200 });
  return {
    start: () => send('Profiler.start'),
    stop: async () => (await send('Profiler.stop')).profile,
    close: () => ws.close(),
  };
}

/**
 * Self and total time per function (and self time per file) of a profile, heaviest first.
 * Total time counts a function once per sample however deep it recurses.
 */
export function summarizeProfile(profile, top = 40) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const dt = new Map();
  const { samples, timeDeltas } = profile;
  for (let i = 0; i < samples.length; i++) dt.set(samples[i], (dt.get(samples[i]) ?? 0) + (timeDeltas[i + 1] ?? 0));
  const keyOf = (n) => {
    const f = n.callFrame;
    const file = (f.url || '').replace(/^.*\/(\.wrangler|worker|protocol|node_modules)\//, '$1/');
    return `${f.functionName || '(anonymous)'} ${file}:${f.lineNumber + 1}`;
  };
  const self = new Map();
  const total = new Map();
  const files = new Map();
  let all = 0;
  for (const [id, us] of dt) {
    all += us;
    const n = byId.get(id);
    const k = keyOf(n);
    self.set(k, (self.get(k) ?? 0) + us);
    const file = n.callFrame.url || `(${n.callFrame.functionName})`;
    files.set(file, (files.get(file) ?? 0) + us);
    const seen = new Set();
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const ck = keyOf(byId.get(cur));
      if (seen.has(ck)) continue;
      seen.add(ck);
      total.set(ck, (total.get(ck) ?? 0) + us);
    }
  }
  const rank = (m) => [...m].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, us]) => ({ fn: k, ms: us / 1000, pct: (100 * us) / all }));
  return { totalMs: all / 1000, self: rank(self), total: rank(total), files: rank(files) };
}
