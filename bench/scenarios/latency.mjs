// Scenario 1: what the server adds between a customer's send and the agent seeing the message,
// the durable write included, next to the bare loopback cost of the same socket path.
import { closeAll, PING } from '../lib/socket.mjs';
import { joinAsAgent, joinAsCustomer, until } from '../lib/session.mjs';
import { msBetween, summarize } from '../lib/stats.mjs';
import { row } from '../lib/report.mjs';

const WARMUP = 100;
const MEASURED = 2000;
const WAIT_MS = 5000;
/** Each loop stops early past this, so a slow-but-alive server cannot stretch the run unbounded. */
const PHASE_BUDGET_MS = 90_000;

/** Sequential send → agent receipt delay, plus the ping → pong baseline on the same socket. */
export async function latency({ url, cookies }) {
  const sockets = [];
  try {
    const customer = await joinAsCustomer(url, { label: 'customer' });
    sockets.push(customer.socket);
    const agent = await joinAsAgent(url, cookies.anna, customer.session.conversationId, { label: 'agent' });
    sockets.push(agent.socket);
    const cust = customer.socket;
    const ag = agent.socket;

    let acks = 0;
    cust.onFrame = (f) => {
      if (f.type === 'message.ack') acks++;
    };
    // Everything the agent gets, to check exactly-once and order afterwards, not only what we await.
    const agentSeqs = [];
    ag.onFrame = (f) => {
      if (f.type === 'message.created') agentSeqs.push(f.message.seq);
    };

    const delays = [];
    const cut = [];
    let sent = 0;
    let phaseEnd = Date.now() + PHASE_BUDGET_MS;
    for (let i = 0; i < WARMUP + MEASURED; i++) {
      if (Date.now() > phaseEnd) {
        cut.push(`messages stopped after ${PHASE_BUDGET_MS / 1000} s at ${i} of ${WARMUP + MEASURED}`);
        break;
      }
      const clientId = `lat-${i}`;
      const got = ag.waitFor((f) => f.type === 'message.created' && f.message.clientId === clientId, WAIT_MS, `message.created ${clientId}`);
      const t0 = cust.send({ type: 'message.send', clientId, text: `latency probe ${i}` });
      sent++;
      const { t } = await got;
      if (i >= WARMUP) delays.push(msBetween(t0, t));
    }

    // Same socket, same proxy path; the runtime answers without running any of our code.
    const rtts = [];
    phaseEnd = Date.now() + PHASE_BUDGET_MS;
    for (let i = 0; i < WARMUP + MEASURED; i++) {
      if (Date.now() > phaseEnd) {
        cut.push(`pings stopped after ${PHASE_BUDGET_MS / 1000} s at ${i} of ${WARMUP + MEASURED}`);
        break;
      }
      const got = cust.waitFor((f) => f.type === 'pong', WAIT_MS, 'pong');
      const t0 = cust.sendText(PING);
      const { t } = await got;
      if (i >= WARMUP) rtts.push(msBetween(t0, t));
    }

    const total = sent;
    // Acks travel on the other socket and may trail the agent's copy by a moment.
    await until(() => acks >= total, 2000);
    const consecutive = agentSeqs.every((s, i) => i === 0 || s === agentSeqs[i - 1] + 1);
    const d = summarize(delays);
    const p = summarize(rtts);
    const problems = [...cut];
    if (acks !== total) problems.push(`customer got ${acks} acks for ${total} sends`);
    if (agentSeqs.length !== total || !consecutive) problems.push(`agent saw ${agentSeqs.length} message.created for ${total} sends (consecutive: ${consecutive})`);
    for (const s of sockets) {
      for (const e of s.errorFrames) problems.push(`${s.label} error frame ${e.code}: ${e.message}`);
      if (s.closedUnexpectedly) problems.push(`${s.label} closed unexpectedly: ${s.closed.code} ${s.closed.reason}`);
    }
    return {
      metrics: { sendToAgentMs: d, pingPongRttMs: p, oneWayTransportEstimateMs: { p50: p.p50 / 2, p99: p.p99 / 2 }, serverCodeEstimateMs: { p50: d.p50 - p.p50 }, acks, agentReceived: agentSeqs.length, warmup: WARMUP },
      problems,
      rows: [
        row(`send→agent p50 (n=${delays.length})`, d.p50, { unit: 'ms', target: '< 1 ms', ok: d.p50 < 1 }),
        row('send→agent p90', d.p90, { unit: 'ms' }),
        row('send→agent p99', d.p99, { unit: 'ms', target: '< 5 ms', ok: d.p99 < 5 }),
        row('send→agent max', d.max, { unit: 'ms' }),
        row('baseline ping→pong RTT p50', p.p50, { unit: 'ms' }),
        row('baseline ping→pong RTT p99', p.p99, { unit: 'ms' }),
        row('≈ one-way transport (RTT/2) p50', p.p50 / 2, { unit: 'ms' }),
        // A message crosses the proxy twice (customer in, agent out), like a ping's round trip,
        // so the full RTT, not half of it, is what to subtract to estimate our own code's share.
        row('≈ server code (send→agent p50 − RTT p50)', d.p50 - p.p50, { unit: 'ms' }),
        row('acks / agent deliveries exact', `${acks}/${agentSeqs.length} of ${total}`, { target: 'all, in order', ok: problems.length === 0 }),
      ],
    };
  } finally {
    await closeAll(sockets);
  }
}
