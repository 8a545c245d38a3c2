// Scenario 4: the first message of a brand-new conversation, the moment a customer is most
// likely to give up. Session creation and hello are timed apart from the send itself.
import { BenchSocket } from '../lib/socket.mjs';
import { createSession } from '../lib/http.mjs';
import { msBetween, summarize } from '../lib/stats.mjs';
import { row } from '../lib/report.mjs';

const ROUNDS = 200;
const WAIT_MS = 10_000;
/** Rounds stop past this, so a slow-but-alive server cannot stretch the run unbounded. */
const BUDGET_MS = 120_000;

/** 200 × (new session, open, hello, first message.send → ack), each step timed separately. */
export async function firstMessage({ url }) {
  const sessionMs = [];
  const openMs = [];
  const helloMs = [];
  const ackMs = [];
  const problems = [];
  const deadline = Date.now() + BUDGET_MS;
  for (let i = 0; i < ROUNDS; i++) {
    if (Date.now() > deadline) {
      problems.push(`stopped after ${BUDGET_MS / 1000} s at round ${i} of ${ROUNDS}`);
      break;
    }
    const t0 = process.hrtime.bigint();
    const session = await createSession(url, { channel: 'web' });
    const t1 = process.hrtime.bigint();
    const socket = await BenchSocket.open(session.socketUrl, { label: `first-${i}`, timeoutMs: WAIT_MS });
    const t2 = process.hrtime.bigint();
    try {
      const { t0: h0, t: h1 } = await socket.hello(session.socketToken, { timeoutMs: WAIT_MS });
      const clientId = `first-${i}`;
      const ack = socket.waitFor((f) => (f.type === 'message.ack' && f.clientId === clientId) || (f.type === 'error' && f.ref === clientId), WAIT_MS, 'ack');
      const s0 = socket.send({ type: 'message.send', clientId, text: 'Hi, my modem keeps dropping the connection.' });
      const { frame, t } = await ack;
      if (frame.type === 'error') problems.push(`${clientId}: error ${frame.code}: ${frame.message}`);
      else if (frame.seq !== 1) problems.push(`${clientId}: first message got seq ${frame.seq}, expected 1`);
      sessionMs.push(msBetween(t0, t1));
      openMs.push(msBetween(t1, t2));
      helloMs.push(msBetween(h0, h1));
      ackMs.push(msBetween(s0, t));
      for (const e of socket.errorFrames) if (e.ref !== clientId) problems.push(`${socket.label} error frame ${e.code}: ${e.message}`);
    } finally {
      await socket.close();
    }
    if (socket.closedUnexpectedly) problems.push(`${socket.label} closed unexpectedly: ${socket.closed.code}`);
  }
  const s = summarize(sessionMs);
  const o = summarize(openMs);
  const h = summarize(helloMs);
  const a = summarize(ackMs);
  return {
    metrics: { rounds: ackMs.length, sessionPostMs: s, socketOpenMs: o, helloToWelcomeMs: h, firstSendToAckMs: a },
    problems,
    rows: [
      row(`first send→ack p50 (n=${ackMs.length})`, a.p50, { unit: 'ms' }),
      row('first send→ack p99', a.p99, { unit: 'ms' }),
      row('POST /v1/widget/session p50', s.p50, { unit: 'ms' }),
      row('POST /v1/widget/session p99', s.p99, { unit: 'ms' }),
      row('socket upgrade p50 / p99', `${o.p50.toFixed(3)} / ${o.p99.toFixed(3)}`, { unit: 'ms' }),
      row('hello→welcome p50', h.p50, { unit: 'ms' }),
      row('hello→welcome p99', h.p99, { unit: 'ms' }),
      row('problems (errors, wrong seq)', problems.length, { target: '0', ok: problems.length === 0 }),
    ],
  };
}
