// Scenario 3, a load profile: many small conversations at once, the common shape of a contact
// center. Every message must reach the other participant exactly once; anything else is an error.
//
// It is a CLOSED loop: each socket sends its next message only after the last one was acknowledged
// (plus a random pause), so the client slows down whenever the server does. The rate it reaches is
// what this pace produced, not what the server can take; the delays are those of a server never
// offered more than it could answer. A capacity figure needs an open loop at a fixed offered rate,
// which is another bench (issue 7). Nothing here is named or reported as a capacity.
import { BenchSocket, closeAll } from '../lib/socket.mjs';
import { agentSocketToken, createSession, mapLimit } from '../lib/http.mjs';
import { until } from '../lib/session.mjs';
import { msBetween, summarize } from '../lib/stats.mjs';
import { row } from '../lib/report.mjs';

const CONVERSATIONS = 500;
const MESSAGES_PER_SOCKET = 20;
const HTTP_CONCURRENCY = 20;
const OPEN_CONCURRENCY = 50;
const MAX_PAUSE_MS = 50;
const ACK_TIMEOUT_MS = 30_000;
const DRAIN_TIMEOUT_MS = 30_000;
/** Past this, sockets stop sending, so a slow server shortens the scenario instead of the whole bench overrunning. */
const TRAFFIC_BUDGET_MS = 240_000;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** How each socket paces itself, reported with the numbers so nobody reads them as a capacity. */
export const PACING = `closed loop: each socket sends after its previous ack plus a random 0–${MAX_PAUSE_MS} ms pause`;

/** The load profile: 500 conversations × (customer + agent) sockets, 20 messages from each socket, closed loop. */
export async function loadProfile({ url, cookies, log }) {
  const sockets = [];
  const setupErrors = [];
  const sent = new Map(); // clientId → { t0, to: receiving socket index, got: count, delay }
  const echoes = new Map(); // clientId → times the sender saw its own message.created
  const unknown = [];
  let ticker;
  try {
    const tSetup = Date.now();
    const sessions = await mapLimit(Array.from({ length: CONVERSATIONS }), HTTP_CONCURRENCY, async (_, i) =>
      createSession(url, { channel: ['web', 'app', 'modem'][i % 3] }).catch((e) => (setupErrors.push(`session ${i}: ${e.message}`), null)),
    );
    const sessionSecs = (Date.now() - tSetup) / 1000;
    const live = sessions.filter(Boolean);
    const tTokens = Date.now();
    const agentTokens = await mapLimit(live, HTTP_CONCURRENCY, (s) =>
      agentSocketToken(url, cookies.anna, s.conversationId).catch((e) => (setupErrors.push(`agent token ${s.conversationId}: ${e.message}`), null)),
    );
    const tokenSecs = (Date.now() - tTokens) / 1000;
    log(`  ${live.length} sessions in ${sessionSecs.toFixed(1)} s, agent tokens in ${tokenSecs.toFixed(1)} s; opening sockets…`);

    // Pairs: [customer, agent] per conversation, each socket knowing its peer.
    const plan = [];
    live.forEach((s, i) => {
      if (!agentTokens[i]) return;
      plan.push({ pair: i, role: 'customer', url: s.socketUrl, token: s.socketToken });
      plan.push({ pair: i, role: 'agent', url: agentTokens[i].socketUrl, token: agentTokens[i].socketToken });
    });
    const tOpen = Date.now();
    const opened = await mapLimit(plan, OPEN_CONCURRENCY, async (p) => {
      let s;
      try {
        s = await BenchSocket.open(p.url, { label: `c${p.pair}-${p.role}`, timeoutMs: 15_000 });
        sockets.push(s);
        await s.hello(p.token, { timeoutMs: 15_000 });
        return s;
      } catch (e) {
        setupErrors.push(e.message);
        return null;
      }
    });
    const openSecs = (Date.now() - tOpen) / 1000;
    const pairs = [];
    for (let i = 0; i < opened.length; i += 2) if (opened[i] && opened[i + 1]) pairs.push([opened[i], opened[i + 1]]);
    log(`  ${sockets.length} sockets open (${opened.filter(Boolean).length} said hello) in ${openSecs.toFixed(1)} s; sending…`);

    // Receivers: a message from the peer is a delivery, our own is an echo; both must be exactly once.
    pairs.forEach(([a, b], pi) => {
      for (const [me, label] of [[a, 'customer'], [b, 'agent']]) {
        const prefix = `m${pi}-${label}-`;
        me.onFrame = (f, t) => {
          if (f.type !== 'message.created') return;
          const id = f.message.clientId;
          if (id.startsWith(prefix)) {
            echoes.set(id, (echoes.get(id) ?? 0) + 1);
            return;
          }
          const m = sent.get(id);
          if (!m || m.to !== me) {
            unknown.push(`${me.label} got ${id}`);
            return;
          }
          m.got++;
          if (m.got === 1) m.delay = msBetween(m.t0, t);
        };
      }
    });

    const sendErrors = [];
    let overBudget = false;
    const tTraffic = process.hrtime.bigint();
    const trafficStartMs = Date.now();
    // Progress every 5 s: a stall or a mass disconnect shows when it happened, not only that it did.
    const progress = [];
    ticker = setInterval(() => {
      let delivered = 0;
      for (const m of sent.values()) if (m.got) delivered++;
      const p = { atS: (Date.now() - trafficStartMs) / 1000, sent: sent.size, delivered, closed: sockets.filter((s) => s.closed).length };
      progress.push(p);
      log(`  t+${p.atS.toFixed(0)} s: sent ${p.sent}, delivered ${p.delivered}, closed sockets ${p.closed}`);
    }, 5000);
    await Promise.all(
      pairs.flatMap(([a, b], pi) =>
        [[a, b, 'customer'], [b, a, 'agent']].map(async ([me, peer, label]) => {
          for (let i = 0; i < MESSAGES_PER_SOCKET; i++) {
            await sleep(Math.random() * MAX_PAUSE_MS);
            if (Date.now() - trafficStartMs > TRAFFIC_BUDGET_MS) {
              overBudget = true;
              return;
            }
            const clientId = `m${pi}-${label}-${i}`;
            const ack = me.waitFor((f) => (f.type === 'message.ack' || f.type === 'error') && (f.clientId === clientId || f.ref === clientId), ACK_TIMEOUT_MS, `ack ${clientId}`);
            const m = { t0: 0n, to: peer, got: 0, delay: null };
            sent.set(clientId, m);
            m.t0 = me.send({ type: 'message.send', clientId, text: `hello from ${label} ${i}` });
            try {
              const { frame } = await ack;
              if (frame.type === 'error') sendErrors.push(`${clientId}: error ${frame.code}`);
            } catch (e) {
              sendErrors.push(e.message);
              return;
            }
          }
        }),
      ),
    );
    await until(() => [...sent.values()].every((m) => m.got > 0), DRAIN_TIMEOUT_MS, 20);
    await sleep(300); // late duplicates
    clearInterval(ticker);
    const trafficSecs = msBetween(tTraffic, process.hrtime.bigint()) / 1000 - 0.3;

    const all = [...sent.values()];
    const missing = all.filter((m) => m.got === 0).length;
    const duplicated = all.filter((m) => m.got > 1).length;
    const echoMissing = [...sent.keys()].filter((id) => !echoes.get(id)).length;
    const echoDuplicated = [...echoes.values()].filter((n) => n > 1).length;
    const errorFrames = sockets.reduce((n, s) => n + s.errorFrames.length, 0);
    const unexpectedCloses = sockets.filter((s) => s.closedUnexpectedly).length;
    const errors = setupErrors.length + sendErrors.length + errorFrames + unexpectedCloses + missing + duplicated + echoMissing + echoDuplicated + unknown.length;
    const d = summarize(all.filter((m) => m.delay !== null).map((m) => m.delay));

    const closeTimes = sockets.filter((s) => s.closedUnexpectedly).map((s) => (s.closed.at - trafficStartMs) / 1000);
    const closeCodes = {};
    for (const s of sockets) if (s.closedUnexpectedly) closeCodes[s.closed.code] = (closeCodes[s.closed.code] ?? 0) + 1;
    const problems = [...setupErrors.slice(0, 20), ...sendErrors.slice(0, 20), ...unknown.slice(0, 20)];
    for (const s of sockets) {
      for (const e of s.errorFrames.slice(0, 3)) problems.push(`${s.label} error frame ${e.code}: ${e.message}`);
      if (s.closedUnexpectedly) problems.push(`${s.label} closed unexpectedly: ${s.closed.code} ${s.closed.reason}`);
    }
    if (overBudget) problems.push(`traffic stopped after ${TRAFFIC_BUDGET_MS / 1000} s with ${sent.size} of ${CONVERSATIONS * 2 * MESSAGES_PER_SOCKET} messages sent`);
    if (missing) problems.push(`${missing} messages never reached the other socket`);
    if (duplicated) problems.push(`${duplicated} messages reached the other socket more than once`);
    if (echoMissing) problems.push(`${echoMissing} messages never came back to their sender as message.created`);
    if (echoDuplicated) problems.push(`${echoDuplicated} messages came back to their sender more than once`);

    return {
      metrics: {
        kind: 'load profile',
        loop: 'closed',
        pacing: PACING,
        conversations: pairs.length,
        socketsOpened: sockets.length,
        socketsReady: opened.filter(Boolean).length,
        messagesSent: sent.size,
        errors,
        breakdown: { setupErrors: setupErrors.length, sendErrors: sendErrors.length, errorFrames, unexpectedCloses, missing, duplicated, echoMissing, echoDuplicated, unknown: unknown.length },
        delayMs: d,
        progress,
        stoppedByBudget: overBudget,
        unexpectedCloses: closeTimes.length ? { codes: closeCodes, firstAtS: Math.min(...closeTimes), lastAtS: Math.max(...closeTimes) } : null,
        seconds: { sessions: sessionSecs, agentTokens: tokenSecs, openAndHello: openSecs, traffic: trafficSecs },
        // What the closed loop reached at its own pace; not an offered rate and not a capacity.
        achievedRateMsgPerS: sent.size / trafficSecs,
      },
      problems,
      rows: [
        row('sockets opened (said hello)', `${sockets.length} (${opened.filter(Boolean).length})`, { target: '1000', ok: opened.filter(Boolean).length === CONVERSATIONS * 2 }),
        row('messages sent', sent.size, { target: `${CONVERSATIONS * 2 * MESSAGES_PER_SOCKET}`, ok: sent.size === CONVERSATIONS * 2 * MESSAGES_PER_SOCKET }),
        row('errors (frames, closes, lost, dup)', errors, { target: '0', ok: errors === 0 }),
        row('send→peer p50 (closed loop)', d.p50, { unit: 'ms' }),
        row('send→peer p99 (closed loop)', d.p99, { unit: 'ms' }),
        row('send→peer max (closed loop)', d.max, { unit: 'ms' }),
        row('setup: sessions / tokens / open+hello', `${sessionSecs.toFixed(1)} / ${tokenSecs.toFixed(1)} / ${openSecs.toFixed(1)}`, { unit: 's' }),
        row('traffic duration', trafficSecs, { unit: 's' }),
        row('achieved rate at this pace (not a capacity)', sent.size / trafficSecs, { unit: 'msg/s' }),
      ],
    };
  } finally {
    clearInterval(ticker);
    await closeAll(sockets);
  }
}
