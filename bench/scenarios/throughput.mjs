// Scenario 2: one busy conversation. A single sender pipelines messages while ten sockets listen;
// we count what is acknowledged and what every listener actually received, seq by seq.
import { closeAll } from '../lib/socket.mjs';
import { call } from '../lib/http.mjs';
import { joinAsAgent, joinAsCustomer, until } from '../lib/session.mjs';
import { msBetween } from '../lib/stats.mjs';
import { row } from '../lib/report.mjs';

const AGENT_SOCKETS = 9;
const MAX_IN_FLIGHT = 200;
const SEND_FOR_MS = 5000;
const MAX_MESSAGES = 10_000;
const DRAIN_TIMEOUT_MS = 60_000;

/** Pipelined sends into one conversation with 10 listeners; rates and an exact delivery check. */
export async function throughput({ url, cookies }) {
  const sockets = [];
  try {
    const customer = await joinAsCustomer(url, { label: 'sender' });
    sockets.push(customer.socket);
    const convId = customer.session.conversationId;
    const agentCookies = Object.values(cookies);
    for (let i = 0; i < AGENT_SOCKETS; i++) {
      const a = await joinAsAgent(url, agentCookies[i % agentCookies.length], convId, { label: `agent-${i}` });
      sockets.push(a.socket);
    }
    const sender = customer.socket;

    // Per listener: seqs and clientIds in arrival order, and when the last one came.
    const listeners = sockets.map((s) => ({ label: s.label, seqs: [], clientIds: [], lastAt: 0n }));
    sockets.forEach((s, i) => {
      const l = listeners[i];
      s.onFrame = (f, t) => {
        if (f.type !== 'message.created' || !f.message.clientId.startsWith('tp-')) return;
        l.seqs.push(f.message.seq);
        l.clientIds.push(f.message.clientId);
        l.lastAt = t;
      };
    });

    let sent = 0;
    let acked = 0;
    let failed = 0;
    let inFlight = 0;
    let lastAckAt = 0n;
    const ackSeqByIndex = [];
    const ackProblems = [];
    let stopSending = false;
    const t0 = process.hrtime.bigint();
    const pump = () => {
      while (!stopSending && inFlight < MAX_IN_FLIGHT && sent < MAX_MESSAGES) {
        sender.send({ type: 'message.send', clientId: `tp-${sent}`, text: `throughput ${sent}` });
        sent++;
        inFlight++;
      }
    };
    const senderListener = sender.onFrame;
    sender.onFrame = (f, t) => {
      senderListener(f, t);
      if (f.type === 'message.ack' && f.clientId.startsWith('tp-')) {
        const i = Number(f.clientId.slice(3));
        if (ackSeqByIndex[i] !== undefined) ackProblems.push(`second ack for ${f.clientId}`);
        ackSeqByIndex[i] = f.seq;
        acked++;
        inFlight--;
        lastAckAt = t;
        pump();
      } else if (f.type === 'error' && f.ref?.startsWith('tp-')) {
        // A refused send is never acked; free its slot so the run ends and the refusal is reported.
        failed++;
        inFlight--;
        pump();
      }
    };
    const stopTimer = setTimeout(() => (stopSending = true), SEND_FOR_MS);
    pump();
    await until(() => (stopSending || sent >= MAX_MESSAGES) && acked + failed >= sent, SEND_FOR_MS + DRAIN_TIMEOUT_MS);
    clearTimeout(stopTimer);
    stopSending = true;
    const allAcked = acked === sent;
    const allDelivered = await until(() => listeners.every((l) => l.seqs.length >= acked), DRAIN_TIMEOUT_MS);
    // Give duplicates a moment to show up before judging exactly-once.
    await new Promise((r) => setTimeout(r, 200));

    const ackSecs = msBetween(t0, lastAckAt) / 1000;
    const lastDelivery = listeners.reduce((m, l) => (l.lastAt > m ? l.lastAt : m), 0n);
    const deliverSecs = msBetween(t0, lastDelivery) / 1000;

    // The check: seqs acked to the sender are consecutive in send order, and every listener got
    // exactly those seqs, each once, in that order, each with its own clientId.
    const problems = [...ackProblems];
    const firstSeq = ackSeqByIndex[0];
    for (let i = 0; i < sent; i++) {
      if (ackSeqByIndex[i] !== firstSeq + i) {
        problems.push(`ack of tp-${i} has seq ${ackSeqByIndex[i]}, expected ${firstSeq + i}`);
        break;
      }
    }
    const perListener = listeners.map((l) => {
      let firstBad = null;
      for (let i = 0; i < Math.max(sent, l.seqs.length); i++) {
        if (l.seqs[i] !== firstSeq + i || l.clientIds[i] !== `tp-${i}`) {
          firstBad = { index: i, seq: l.seqs[i] ?? null, clientId: l.clientIds[i] ?? null, expectedSeq: firstSeq + i };
          break;
        }
      }
      const unique = new Set(l.seqs).size;
      return { label: l.label, received: l.seqs.length, unique, duplicates: l.seqs.length - unique, exact: firstBad === null, firstBad };
    });
    for (const p of perListener) if (!p.exact) problems.push(`${p.label}: received ${p.received} (${p.duplicates} duplicates), first mismatch ${JSON.stringify(p.firstBad)}`);
    for (const s of sockets) {
      for (const e of s.errorFrames) problems.push(`${s.label} error frame ${e.code}: ${e.message}${e.ref ? ` (ref ${e.ref})` : ''}`);
      if (s.closedUnexpectedly) problems.push(`${s.label} closed unexpectedly: ${s.closed.code} ${s.closed.reason}`);
    }

    // The object's own log, read over the agent API, must hold every acknowledged message once.
    const detail = (await call(url, 'GET', `/v1/agent/conversations/${convId}`, { cookie: cookies.anna })).body;
    const stored = detail.messages.filter((m) => m.clientId.startsWith('tp-')).length;
    if (stored !== sent) problems.push(`agent API lists ${stored} stored messages for ${sent} sent`);

    const ackRate = acked / ackSecs;
    const deliverRate = allDelivered ? sent / deliverSecs : NaN;
    const exactCount = perListener.filter((p) => p.exact).length;
    return {
      metrics: { sent, acked, refused: failed, allAcked, allDelivered, ackSeconds: ackSecs, deliverSeconds: deliverSecs, ackRate, deliverRate, listeners: perListener, storedViaApi: stored, maxInFlight: MAX_IN_FLIGHT },
      problems,
      rows: [
        row('messages sent / acked', `${sent} / ${acked}`, { target: 'all acked', ok: allAcked }),
        row('acked rate', ackRate, { unit: 'msg/s', target: '≥ 2000 msg/s', ok: ackRate >= 2000 }),
        row('delivered to all 10 rate', deliverRate, { unit: 'msg/s', target: '≥ 2000 msg/s', ok: deliverRate >= 2000 }),
        row('listeners with every seq once, in order', `${exactCount} / ${listeners.length}`, { target: 'all', ok: exactCount === listeners.length }),
        row('stored (agent API) / sent', `${stored} / ${sent}`, { target: 'equal', ok: stored === sent }),
        row('error frames / unexpected closes', `${sockets.reduce((n, s) => n + s.errorFrames.length, 0)} / ${sockets.filter((s) => s.closedUnexpectedly).length}`, { target: '0 / 0', ok: sockets.every((s) => !s.errorFrames.length && !s.closedUnexpectedly) }),
      ],
    };
  } finally {
    await closeAll(sockets);
  }
}
