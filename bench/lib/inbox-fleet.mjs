// Many agents' inbox sockets (/v1/agent/inbox/socket, cookie auth), held in a worker thread: at
// load the product may send each of them frames for queue changes, and parsing those on the main
// thread would delay the very deliveries the bench times. Each socket watches its agent's own list
// ("mine", 50 rows), as an agent working their chats does. The thread counts frames by type and by
// whether the receiving agent's own list was the one that changed (every `queue.delta` is, by
// construction), and notes `assigned` frames.
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';

/** The fleet as seen from the main thread. */
export class InboxFleet {
  /** Open one inbox socket per `agents[i] = { id, cookie }`; resolves once all said welcome (or failed). */
  static async open(baseUrl, agents, { concurrency = 10, timeoutMs = 15_000 } = {}) {
    const worker = new Worker(fileURLToPath(import.meta.url), { workerData: { baseUrl, agents, concurrency, timeoutMs } });
    const fleet = new InboxFleet(worker);
    const opened = await fleet.ask('opened');
    return { fleet, ...opened };
  }

  constructor(worker) {
    this.worker = worker;
    this.pending = new Map();
    this.seq = 0;
    worker.on('message', (m) => {
      const p = this.pending.get(m.reply);
      if (p) {
        this.pending.delete(m.reply);
        p.resolve(m.data);
      }
    });
    worker.on('error', (err) => {
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    });
  }

  /** Ask the thread something ('opened' | 'counts' | 'assigned' | 'close'). */
  ask(what, timeoutMs = 60_000) {
    const id = ++this.seq;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => (this.pending.delete(id), reject(new Error(`inbox fleet: no answer to ${what}`))), timeoutMs);
      this.pending.set(id, { resolve: (d) => (clearTimeout(timer), resolve(d)), reject: (e) => (clearTimeout(timer), reject(e)) });
      this.worker.postMessage({ id, what });
    });
  }

  /** Frame counts so far: { total, byType, changedOwn, changedOther, closed, errors }. */
  counts() {
    return this.ask('counts');
  }

  /** conversationId → agent id, from the `assigned` frames seen so far. */
  async assigned() {
    return new Map(Object.entries(await this.ask('assigned')));
  }

  /** Close every socket and end the thread. */
  async close() {
    try {
      await this.ask('close', 15_000);
    } catch {}
    await this.worker.terminate();
  }
}

if (!isMainThread) {
  const { baseUrl, agents, concurrency, timeoutMs } = workerData;
  const counts = { total: 0, byType: {}, changedOwn: 0, changedOther: 0, closed: 0, errors: [] };
  const assigned = {};
  const sockets = [];
  const typeOf = (text) => text.match(/^\{"type":"([^"]+)"/)?.[1] ?? 'other';

  const openOne = (agent) =>
    new Promise((resolve) => {
      const url = new URL('/v1/agent/inbox/socket', baseUrl);
      url.protocol = 'ws:';
      const ws = new WebSocket(url, { headers: { cookie: agent.cookie, origin: new URL(baseUrl).origin }, perMessageDeflate: false, handshakeTimeout: timeoutMs });
      const own = `"assignee":{"id":"${agent.id}"`;
      let welcomed = false;
      const timer = setTimeout(() => {
        if (welcomed) return;
        counts.errors.push(`${agent.id}: no inbox.welcome within ${timeoutMs} ms`);
        ws.terminate();
        resolve(false);
      }, timeoutMs);
      ws.on('message', (data) => {
        const text = data.toString();
        const type = typeOf(text);
        counts.total++;
        counts.byType[type] = (counts.byType[type] ?? 0) + 1;
        if (type === 'queue.delta') {
          // Only the watched list's changes come as deltas; a row of someone else's is a leak.
          if (text.includes('"upserts":[]') || text.includes(own)) counts.changedOwn++;
          else counts.changedOther++;
        } else if (type === 'assigned') {
          const m = text.match(/"conversationId":"([^"]+)"/);
          if (m) assigned[m[1]] = agent.id;
        } else if (type === 'inbox.welcome' && !welcomed) {
          welcomed = true;
          ws.send(JSON.stringify({ type: 'queue.watch', filter: 'mine', limit: 50 }));
          clearTimeout(timer);
          sockets.push(ws);
          resolve(true);
        }
      });
      ws.on('close', () => {
        if (welcomed) counts.closed++;
      });
      ws.on('unexpected-response', (_req, res) => {
        counts.errors.push(`${agent.id}: HTTP ${res.statusCode}`);
        clearTimeout(timer);
        resolve(false);
      });
      ws.on('error', (err) => {
        if (!welcomed) {
          counts.errors.push(`${agent.id}: ${err.message}`);
          clearTimeout(timer);
          resolve(false);
        }
      });
    });

  const opening = (async () => {
    let next = 0;
    let ok = 0;
    await Promise.all(
      Array.from({ length: Math.min(concurrency, agents.length) }, async () => {
        while (next < agents.length) if (await openOne(agents[next++])) ok++;
      }),
    );
    return { open: ok, errors: counts.errors.slice(0, 10) };
  })();

  parentPort.on('message', async ({ id, what }) => {
    let data = null;
    if (what === 'opened') data = await opening;
    else if (what === 'counts') data = { ...counts, byType: { ...counts.byType }, errors: counts.errors.slice(0, 10) };
    else if (what === 'assigned') data = { ...assigned };
    else if (what === 'close') {
      await Promise.all(
        sockets.map(
          (ws) =>
            new Promise((done) => {
              if (ws.readyState === WebSocket.CLOSED) return done();
              const t = setTimeout(() => (ws.terminate(), done()), 3000);
              ws.once('close', () => (clearTimeout(t), done()));
              ws.close(1000, 'bench done');
            }),
        ),
      );
    }
    parentPort.postMessage({ reply: id, data });
  });
}
