// Many agents' inbox sockets, held in a worker thread: at load the product sends them frames for
// queue changes, and parsing those on the main thread would delay the very deliveries the bench
// times. Each agent opens what the inbox app opens: the presence socket (/v1/agent/inbox/socket,
// the tenant's Floor) and one team socket per team on their wall (/v1/agent/inbox/socket?team=…,
// that team's Inbox object), and on every team socket watches one window (`open`, 50 rows by
// default), as an agent looking at their team's queue does.
//
// The thread keeps, per team socket, the window the frames describe (reset, upserts, removed) with
// the times each row entered and left it. That is the client's own view, so it can say, for a
// message acknowledged at time t in conversation c of team T, how many of T's agents had c in view
// around t: the agents whose visible list that message changed (every message changes its row's
// last text). It also counts frames by type and the deltas that changed nothing the client had.
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';

/** The fleet as seen from the main thread. */
export class InboxFleet {
  /**
   * Open the sockets of `agents[i] = { id, cookie, teams: string[] }`; resolves once every socket
   * said welcome (or failed): { fleet, open (agents with every socket open), sockets, errors }.
   */
  static async open(baseUrl, agents, { concurrency = 10, timeoutMs = 15_000, watch = { filter: 'open', limit: 50 } } = {}) {
    const worker = new Worker(fileURLToPath(import.meta.url), { workerData: { baseUrl, agents, concurrency, timeoutMs, watch } });
    const fleet = new InboxFleet(worker);
    const opened = await fleet.ask('opened', 180_000);
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

  /** Ask the thread something ('opened' | 'counts' | 'assigned' | 'inView' | 'close'). */
  ask(what, timeoutMs = 60_000, arg = null) {
    const id = ++this.seq;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => (this.pending.delete(id), reject(new Error(`inbox fleet: no answer to ${what}`))), timeoutMs);
      this.pending.set(id, { resolve: (d) => (clearTimeout(timer), resolve(d)), reject: (e) => (clearTimeout(timer), reject(e)) });
      this.worker.postMessage({ id, what, arg });
    });
  }

  /**
   * Frame counts so far. Team sockets: { total, byType, deltas, deltasNoop, deltaRows, closed };
   * presence sockets: { total, byType, closed }.
   */
  counts() {
    return this.ask('counts');
  }

  /** conversationId → agent id, from the `assigned` frames seen so far. */
  async assigned() {
    return new Map(Object.entries(await this.ask('assigned')));
  }

  /**
   * For each [conversationId, team, tNs]: how many of the team's sockets had the conversation in
   * their window at any time in [tNs − beforeMs, tNs + afterMs] (as the frames described it).
   */
  inView(items, { beforeMs = 0, afterMs = 1000 } = {}) {
    return this.ask('inView', 120_000, { items: items.map(([c, t, ns]) => [c, t, String(ns)]), beforeMs, afterMs });
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
  const { baseUrl, agents, concurrency, timeoutMs, watch } = workerData;
  const team = { total: 0, byType: {}, deltas: 0, deltasNoop: 0, deltaRows: 0, closed: 0 };
  const presence = { total: 0, byType: {}, closed: 0 };
  const errors = [];
  const assigned = {};
  const sockets = [];
  /** team → [{ agentId, rows: Map<conv, json>, spans: Map<conv, [inNs, outNs|null][]> }] */
  const views = new Map();
  const typeOf = (text) => text.match(/^\{"type":"([^"]+)"/)?.[1] ?? 'other';
  const now = () => process.hrtime.bigint();

  function enter(view, id, json, t) {
    if (!view.rows.has(id)) {
      let s = view.spans.get(id);
      if (!s) view.spans.set(id, (s = []));
      s.push([t, null]);
    }
    view.rows.set(id, json);
  }
  function leave(view, id, t) {
    if (!view.rows.delete(id)) return;
    const s = view.spans.get(id);
    if (s?.length && s[s.length - 1][1] === null) s[s.length - 1][1] = t;
  }

  /** Apply a queue.delta to the socket's view; true when it changed anything the client had. */
  function applyDelta(view, f, t) {
    let changed = false;
    if (f.reset) {
      const keep = new Set(f.upserts.map((r) => r.id));
      for (const id of [...view.rows.keys()]) if (!keep.has(id)) (leave(view, id, t), (changed = true));
    }
    for (const r of f.upserts) {
      const json = JSON.stringify(r);
      if (view.rows.get(r.id) !== json) changed = true;
      enter(view, r.id, json, t);
    }
    for (const id of f.removed) {
      if (view.rows.has(id)) changed = true;
      leave(view, id, t);
    }
    return changed;
  }

  const openOne = (agent, teamId) =>
    new Promise((resolve) => {
      const url = new URL('/v1/agent/inbox/socket', baseUrl);
      url.protocol = 'ws:';
      if (teamId) url.searchParams.set('team', teamId);
      const ws = new WebSocket(url, { headers: { cookie: agent.cookie, origin: new URL(baseUrl).origin }, perMessageDeflate: false, handshakeTimeout: timeoutMs });
      const c = teamId ? team : presence;
      const view = teamId ? { agentId: agent.id, rows: new Map(), spans: new Map() } : null;
      let welcomed = false;
      const label = `${agent.id}${teamId ? ` team ${teamId}` : ' presence'}`;
      const timer = setTimeout(() => {
        if (welcomed) return;
        errors.push(`${label}: no inbox.welcome within ${timeoutMs} ms`);
        ws.terminate();
        resolve(false);
      }, timeoutMs);
      ws.on('message', (data) => {
        const t = now();
        const text = data.toString();
        const type = typeOf(text);
        c.total++;
        c.byType[type] = (c.byType[type] ?? 0) + 1;
        if (type === 'queue.delta' && view) {
          const f = JSON.parse(text);
          team.deltas++;
          team.deltaRows += f.upserts.length + f.removed.length;
          if (!applyDelta(view, f, t) && !f.reset) team.deltasNoop++;
        } else if (type === 'assigned') {
          const m = text.match(/"conversationId":"([^"]+)"/);
          if (m) assigned[m[1]] = agent.id;
        } else if (type === 'inbox.welcome' && !welcomed) {
          welcomed = true;
          if (teamId) {
            ws.send(JSON.stringify({ type: 'queue.watch', filter: watch.filter, limit: watch.limit }));
            let list = views.get(teamId);
            if (!list) views.set(teamId, (list = []));
            list.push(view);
          }
          clearTimeout(timer);
          sockets.push(ws);
          resolve(true);
        }
      });
      ws.on('close', () => {
        if (welcomed) c.closed++;
      });
      ws.on('unexpected-response', (_req, res) => {
        errors.push(`${label}: HTTP ${res.statusCode}`);
        clearTimeout(timer);
        resolve(false);
      });
      ws.on('error', (err) => {
        if (!welcomed) {
          errors.push(`${label}: ${err.message}`);
          clearTimeout(timer);
          resolve(false);
        }
      });
    });

  const opening = (async () => {
    let next = 0;
    let ok = 0;
    let n = 0;
    await Promise.all(
      Array.from({ length: Math.min(concurrency, agents.length) }, async () => {
        while (next < agents.length) {
          const a = agents[next++];
          // Presence first, as the inbox app does, then each team's queue.
          let all = await openOne(a, null);
          for (const t of a.teams ?? []) all = (await openOne(a, t)) && all;
          n += 1 + (a.teams?.length ?? 0);
          if (all) ok++;
        }
      }),
    );
    return { open: ok, sockets: sockets.length, attempted: n, errors: errors.slice(0, 10) };
  })();

  function inView({ items, beforeMs, afterMs }) {
    const before = BigInt(Math.round(beforeMs * 1e6));
    const after = BigInt(Math.round(afterMs * 1e6));
    return items.map(([conv, teamId, ns]) => {
      const t = BigInt(ns);
      const lo = t - before;
      const hi = t + after;
      let n = 0;
      for (const view of views.get(teamId) ?? []) {
        const spans = view.spans.get(conv);
        if (spans?.some(([a, b]) => a <= hi && (b === null || b >= lo))) n++;
      }
      return n;
    });
  }

  parentPort.on('message', async ({ id, what, arg }) => {
    let data = null;
    if (what === 'opened') data = await opening;
    else if (what === 'counts') data = { team: { ...team, byType: { ...team.byType } }, presence: { ...presence, byType: { ...presence.byType } }, errors: errors.slice(0, 10) };
    else if (what === 'assigned') data = { ...assigned };
    else if (what === 'inView') data = inView(arg);
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
