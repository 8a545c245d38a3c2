// Scenario "contact centre at load" (issue 10): one tenant with 5 teams routed by pre-chat topic,
// 100 agents spread over them (20 a team), each with what the inbox app opens: the presence socket
// and their team's socket watching `open`, 50 rows. 500 conversations, spread over the teams by the
// topic the customer picks before the first message, each with a customer and its assignee's
// socket; then an OPEN loop at a fixed offered rate (200, 400, 800 msg/s): sends are scheduled by
// the clock, never by replies, and every delay is measured from the scheduled send time, so a
// server that falls behind shows it instead of slowing the client down (no coordinated omission).
// The same loop runs against a raw Durable Object chat (bench/raw-chat/: one object per
// conversation, hibernating sockets, one SQLite insert and a broadcast per message) in the same
// run, interleaved step by step (product 200, raw 200, product 400, …), so every product figure
// comes with the floor's beside it.
//
// Per step: send→peer p50/p99 of both and their ratio, achieved vs offered rate, inbox frames per
// message (counted on the team and presence sockets) against the agents whose visible list each
// message changed (from the windows the client holds), projection lag (ack → row in D1, polled
// from the local D1 file read-only), and each server's CPU (user + system of its process tree, /proc).
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { root } from '../../scripts/server.mjs';
import { BenchSocket, closeAll } from '../lib/socket.mjs';
import { agentSocketToken, call, createSession, loginAgent, mapLimit } from '../lib/http.mjs';
import { until } from '../lib/session.mjs';
import { summarize } from '../lib/stats.mjs';
import { row } from '../lib/report.mjs';
import { InboxFleet } from '../lib/inbox-fleet.mjs';
import { startWranglerDev } from '../lib/wrangler-dev.mjs';
import { freePort, portRange } from '../lib/ports.mjs';
import { treeCpuMs, treeMembers } from '../lib/proc-cpu.mjs';
import { d1Bytes, findD1File, sqliteShell, watchProjection } from '../lib/d1-watch.mjs';
import { connectProfiler, summarizeProfile } from '../lib/cpu-profile.mjs';
import { writeFile } from 'node:fs/promises';

const here = dirname(fileURLToPath(import.meta.url));
const execFileP = promisify(execFile);
const wrangler = join(root, 'node_modules/.bin/wrangler');
const wranglerEnv = { ...process.env, CI: 'true', WRANGLER_SEND_METRICS: 'false', NO_UPDATE_NOTIFIER: '1' };
const num = (name, dflt) => (process.env[name] ? Number(process.env[name]) : dflt);

/** The shape of the run; CC_* variables shrink it for a smoke test (a shrunk run is labelled so). */
const CONFIG = {
  conversations: num('CC_CONVERSATIONS', 500),
  agents: num('CC_AGENTS', 100),
  rates: (process.env.CC_RATES ?? '200,400,800').split(',').map(Number),
  stepMs: num('CC_STEP_S', 15) * 1000,
  warmupRate: 100,
  warmupMs: 3000,
  /** After a step's last send: how long deliveries may still come. */
  drainMs: 15_000,
  /** After a product step: how long we wait for D1 to catch up before the next step starts. */
  settleMs: 20_000,
  /** At the end: a last wait for rows D1 has not got yet. */
  finalProjectionWaitMs: 30_000,
  pollMs: 250,
  /** Each bench agent may hold this many chats: 100 × 10 leaves room for what earlier scenarios left waiting. */
  maxChats: num('CC_MAX_CHATS', 10),
  idleSampleMs: 3000,
  /** Teams of the bench tenant (general, the demo's three, one more); agents and conversations spread evenly. */
  teams: num('CC_TEAMS', 5),
  /** What every team socket watches, as the inbox app's queue does. */
  watch: { filter: 'open', limit: 50 },
  /** "Agents whose view changed": those whose window held the conversation within this long after the ack. */
  viewAfterMs: 1000,
};
const TARGET = { p50Ratio: 2, p99Ms: 100, lagP99Ms: 5000, atRate: 800 };
const TENANT_AGENT = 'anna@northwind.test'; // whose tenant and password hash the bench agents share
const ADMIN = 'admin@northwind.test';
/** The bench tenant's teams: the demo's (general, billing, roaming, modem) and more; each but general has a topic of its name. */
const TEAM_NAMES = { general: 'General', billing: 'Billing', roaming: 'Roaming', modem: 'Modem / Internet', plans: 'Plans & upgrades', devices: 'Devices', business: 'Business lines', porting: 'Number porting' };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const msOf = (ns) => Number(ns) / 1e6;

/** Bench agents' ids look like the demo's (UUID-shaped) so nothing downstream treats them differently. */
const agentId = (i) => `0190a000-0000-7000-8000-00000000c${String(i).padStart(3, '0')}`;
const agentEmail = (i) => `bench-agent-${String(i).padStart(3, '0')}@northwind.test`;

/** Add `n` agents to the operator tenant, in the bench's own D1 state, with the demo password. */
async function createAgents(persistTo, n, maxChats) {
  const sql = `WITH RECURSIVE k(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM k WHERE i < ${n - 1})
    INSERT OR IGNORE INTO agents (id, tenant_id, email, name, role, password_hash, max_chats, created_at)
    SELECT printf('0190a000-0000-7000-8000-00000000c%03d', i), a.tenant_id, printf('bench-agent-%03d@northwind.test', i),
           printf('Bench Agent %03d', i), 'agent', a.password_hash, ${maxChats}, ${Date.now()}
    FROM k, agents a WHERE a.email = '${TENANT_AGENT}'`;
  await execFileP(wrangler, ['d1', 'execute', 'DB', '--local', '--persist-to', persistTo, '--command', sql], { cwd: root, env: wranglerEnv });
}

/**
 * The tenant's routing through the admin API: `n` teams, a pre-chat topic per team (but general,
 * where a customer who picks nothing goes) and a rule topic → team. Returns the team ids.
 */
async function setUpTeams(url, adminCookie, n) {
  const before = (await call(url, 'GET', '/v1/admin/routing', { cookie: adminCookie })).body;
  const ids = Object.keys(TEAM_NAMES).slice(0, n);
  const known = new Map(before.teams.map((t) => [t.id, t]));
  const teams = ids.map((id) => known.get(id) ?? { id, name: TEAM_NAMES[id], overflowAfterS: 120, overflowTo: 'general' });
  const topics = ids.filter((id) => id !== 'general').map((id) => ({ key: id, label: TEAM_NAMES[id] }));
  const rules = topics.map((t) => ({ topic: t.key, team: t.key }));
  await call(url, 'PUT', '/v1/admin/routing', { cookie: adminCookie, body: { teams, rules, topics } });
  return ids;
}

/** One customer: session, socket, hello, the pre-chat topic (if any), the first message and its ack. */
async function openCustomer(url, i, topic, errors) {
  try {
    const s = await createSession(url, { channel: ['web', 'app', 'modem'][i % 3] });
    const socket = await BenchSocket.open(s.socketUrl, { label: `p${i}-customer`, timeoutMs: 15_000 });
    await socket.hello(s.socketToken, { timeoutMs: 15_000 });
    if (topic) socket.send({ type: 'prechat', topic });
    const clientId = `first-${i}`;
    const ack = socket.waitFor((f) => (f.type === 'message.ack' && f.clientId === clientId) || (f.type === 'error' && (f.ref === clientId || f.code?.startsWith('prechat'))), 15_000, `ack of ${clientId}`);
    socket.send({ type: 'message.send', clientId, text: `Hello, question ${i}${topic ? ` about ${topic}` : ''}` });
    const { frame } = await ack;
    if (frame.type === 'error') throw new Error(`${clientId}: error ${frame.code}: ${frame.message}`);
    return { conversationId: s.conversationId, socket, team: topic ?? 'general' };
  } catch (e) {
    errors.push(`customer ${i}: ${e.message}`);
    return null;
  }
}

/** Connect [customer, agent] sockets for each conversation; failures are collected, not thrown. */
async function openPairs(plan, errors, concurrency = 50) {
  const sockets = [];
  const opened = await mapLimit(plan, concurrency, async (p) => {
    try {
      const s = await BenchSocket.open(p.url, { label: p.label, timeoutMs: 15_000 });
      sockets.push(s);
      await s.hello(p.token, { timeoutMs: 15_000 });
      return s;
    } catch (e) {
      errors.push(e.message);
      return null;
    }
  });
  const pairs = [];
  for (let i = 0; i < opened.length; i += 2) if (opened[i] && opened[i + 1]) pairs.push({ convId: plan[i].convId, customer: opened[i], agent: opened[i + 1] });
  return { pairs, sockets };
}

/**
 * The receiving side, shared by both targets: acks to the sender, message.created to the peer.
 * `records` maps clientId → the message's record; `onAck(rec)` runs once per acknowledged message.
 */
function listen(pairs, records, onAck, problems) {
  for (const p of pairs) {
    for (const me of [p.customer, p.agent]) {
      me.onFrame = (f, t) => {
        if (f.type === 'message.ack') {
          const rec = records.get(f.clientId);
          if (rec && rec.from === me && rec.ackAt === null) {
            rec.ackAt = t;
            rec.seq = f.seq;
            onAck(rec);
          }
        } else if (f.type === 'message.created') {
          const rec = records.get(f.message?.clientId);
          if (!rec || rec.to !== me) return;
          if (rec.peerAt === null) rec.peerAt = t;
          else rec.dups++;
        } else if (f.type === 'error' && problems.length < 50) {
          problems.push(`${me.label} error frame ${f.code}: ${f.message}${f.ref ? ` (ref ${f.ref})` : ''}`);
        }
      };
    }
  }
}

/**
 * One open-loop step: `rate` msg/s for `ms`, message k due at t0 + k/rate, to conversation k mod N,
 * from the customer in even rounds and the agent in odd ones. Returns the step's records.
 */
async function openLoop({ pairs, rate, ms, tag, records }) {
  const n = Math.round((rate * ms) / 1000);
  const intervalNs = 1e9 / rate;
  const recs = [];
  const t0 = process.hrtime.bigint() + 5_000_000n;
  let k = 0;
  while (k < n) {
    const elapsed = Number(process.hrtime.bigint() - t0);
    const due = elapsed < 0 ? 0 : Math.min(n, Math.floor(elapsed / intervalNs) + 1);
    for (; k < due; k++) {
      const p = pairs[k % pairs.length];
      const customerSends = Math.floor(k / pairs.length) % 2 === 0;
      const from = customerSends ? p.customer : p.agent;
      const to = customerSends ? p.agent : p.customer;
      const clientId = `${tag}-${k}`;
      const rec = { clientId, convId: p.convId, from, to, sched: t0 + BigInt(Math.round(k * intervalNs)), sentAt: null, ackAt: null, seq: null, peerAt: null, projAt: null, dups: 0, failed: null };
      records.set(clientId, rec);
      recs.push(rec);
      if (from.closed) {
        rec.failed = 'sender socket closed';
        continue;
      }
      try {
        rec.sentAt = from.send({ type: 'message.send', clientId, text: `${tag} message ${k} from the ${customerSends ? 'customer' : 'agent'}` });
      } catch (e) {
        rec.failed = e.message;
      }
    }
    await sleep(1);
  }
  return { recs, t0, tEnd: t0 + BigInt(ms) * 1_000_000n };
}

/** Delivery figures of one step: delays from the scheduled time, undelivered counted as infinite. */
function deliveryStats({ recs, t0, tEnd }, rate, ms) {
  const delays = recs.map((r) => (r.peerAt === null ? Infinity : msOf(r.peerAt - r.sched)));
  const d = summarize(delays);
  if (process.env.BENCH_TIMELINE) console.error(`[timeline] ${rate}/s worst send→peer per 50 ms of send time (ms, over 30): ${stalls(recs, t0)}`);
  const sendLag = summarize(recs.filter((r) => r.sentAt !== null).map((r) => msOf(r.sentAt - r.sched)));
  const inWindow = recs.filter((r) => r.peerAt !== null && r.peerAt <= tEnd).length;
  return {
    offeredRate: rate,
    scheduled: recs.length,
    sent: recs.filter((r) => r.sentAt !== null).length,
    acked: recs.filter((r) => r.ackAt !== null).length,
    delivered: recs.filter((r) => r.peerAt !== null).length,
    undelivered: recs.filter((r) => r.peerAt === null).length,
    duplicates: recs.reduce((n, r) => n + r.dups, 0),
    failedToSend: recs.filter((r) => r.failed).length,
    deliveredRateInWindow: inWindow / (ms / 1000),
    sendToPeerMs: d,
    clientSendLagMs: sendLag,
    windowS: msOf(tEnd - t0) / 1000,
  };
}

/**
 * Where the tail comes from (BENCH_TIMELINE=1): the worst delay of the messages due in each 50 ms,
 * as "offset:delay". A stall shows as a run of falling delays that starts at its length.
 */
function stalls(recs, t0) {
  const worst = new Map();
  for (const r of recs) {
    if (r.peerAt === null) continue;
    const slot = Math.floor(msOf(r.sched - t0) / 50) * 50;
    worst.set(slot, Math.max(worst.get(slot) ?? 0, msOf(r.peerAt - r.sched)));
  }
  return [...worst].filter(([, ms]) => ms > 30).sort((a, b) => a[0] - b[0]).map(([slot, ms]) => `${slot}:${ms.toFixed(0)}`).join(' ') || 'none';
}

/** CPU of a process tree between two samples, as cores used and ms per message. */
function cpuFigures(before, after, wallMs, messages, idleCores) {
  const used = after - before;
  return { cpuMs: used, cores: used / wallMs, idleCores, msPerMessage: messages ? (used - idleCores * wallMs) / messages : NaN, grossMsPerMessage: messages ? used / messages : NaN, wallMs };
}

/** Idle CPU of a server tree over `ms`, in cores: what it burns with sockets open and nobody writing. */
async function idleCores(pid, ms) {
  const a = treeCpuMs(pid);
  const t = Date.now();
  await sleep(ms);
  return (treeCpuMs(pid) - a) / (Date.now() - t);
}

const fmt = (x, d = 1) => (x === Infinity ? '∞' : Number.isFinite(x) ? x.toFixed(d) : '—');

/** The scenario; needs the bench's state dir (`persistTo`) and server pid from bench/run.mjs. */
export async function contactCentre({ url, log, persistTo, serverPid, inspectorPort }) {
  if (!persistTo || !serverPid) throw new Error('contact centre needs persistTo and serverPid from bench/run.mjs');
  const problems = [];
  const setupErrors = [];
  const sockets = [];
  const records = new Map();
  let fleet = null;
  let raw = null;
  let rawState = null;
  let watcher = null;
  let counter = null;
  const clientCpu0 = process.cpuUsage();
  let profilerConn = null;
  try {
    // Connected while the server is idle: under load its inspector proxy does not answer in time.
    if (process.env.BENCH_PROFILE && inspectorPort) profilerConn = await connectProfiler(inspectorPort);
    // ---- setup: teams and routing, agents and their memberships, their inbox sockets
    let t = Date.now();
    const adminCookie = await loginAgent(url, ADMIN);
    const teamIds = await setUpTeams(url, adminCookie, CONFIG.teams);
    // No API creates agents (they are invited in D1 today): the bench adds them to its own D1 state.
    await createAgents(persistTo, CONFIG.agents, CONFIG.maxChats);
    const agents = await mapLimit(Array.from({ length: CONFIG.agents }, (_, i) => i), 8, async (i) => {
      const teams = [teamIds[i % teamIds.length]];
      await call(url, 'PUT', `/v1/admin/routing/agents/${agentId(i)}/teams`, { cookie: adminCookie, body: { teams: teams.map((teamId) => ({ teamId, capacity: CONFIG.maxChats })) } });
      return { id: agentId(i), cookie: await loginAgent(url, agentEmail(i)), teams };
    });
    const cookieOf = new Map(agents.map((a) => [a.id, a.cookie]));
    const agentsSecs = (Date.now() - t) / 1000;
    t = Date.now();
    const opened = await InboxFleet.open(url, agents, { watch: CONFIG.watch });
    fleet = opened.fleet;
    if (opened.open !== CONFIG.agents) setupErrors.push(`${CONFIG.agents - opened.open} agents lack a socket: ${opened.errors.join(' | ')}`);
    const inboxSecs = (Date.now() - t) / 1000;
    log(`  ${teamIds.length} teams (${teamIds.join(', ')}); ${CONFIG.agents} agents created, placed and signed in (${agentsSecs.toFixed(1)} s); ${opened.sockets} inbox sockets open for ${opened.open} agents (${inboxSecs.toFixed(1)} s); creating ${CONFIG.conversations} conversations…`);

    // Customers pick their team's topic (general: none) and write; the team's Inbox assigns.
    t = Date.now();
    const customers = (
      await mapLimit(Array.from({ length: CONFIG.conversations }), 20, (_, i) => {
        const team = teamIds[i % teamIds.length];
        return openCustomer(url, i, team === 'general' ? null : team, setupErrors);
      })
    ).filter(Boolean);
    sockets.push(...customers.map((c) => c.socket));
    const teamOf = new Map(customers.map((c) => [c.conversationId, c.team]));
    const convIds = customers.map((c) => c.conversationId);
    let assigned = new Map();
    const assignDeadline = Date.now() + 30_000;
    while (Date.now() < assignDeadline) {
      assigned = await fleet.assigned();
      if (convIds.every((id) => assigned.has(id))) break;
      await sleep(250);
    }
    const assignedToBench = convIds.filter((id) => assigned.has(id)).length;
    const product = { pairs: [], sockets: [] };
    await mapLimit(customers, 20, async (c, i) => {
      const agentCookie = cookieOf.get(assigned.get(c.conversationId));
      if (!agentCookie) return;
      try {
        const tok = await agentSocketToken(url, agentCookie, c.conversationId);
        const s = await BenchSocket.open(tok.socketUrl, { label: `p${i}-agent`, timeoutMs: 15_000 });
        sockets.push(s);
        await s.hello(tok.socketToken, { timeoutMs: 15_000 });
        product.pairs.push({ convId: c.conversationId, customer: c.socket, agent: s });
      } catch (e) {
        setupErrors.push(`agent socket of ${c.conversationId}: ${e.message}`);
      }
    });
    const convSecs = (Date.now() - t) / 1000;
    const perTeam = {};
    for (const p of product.pairs) perTeam[teamOf.get(p.convId)] = (perTeam[teamOf.get(p.convId)] ?? 0) + 1;
    log(`  ${product.pairs.length} product conversations ready (${assignedToBench} assigned to bench agents; per team ${JSON.stringify(perTeam)}) in ${convSecs.toFixed(1)} s; starting the raw chat…`);

    // ---- the raw chat: its own wrangler dev, port and state
    rawState = await mkdtemp(join(tmpdir(), 'switchboard-rawchat-'));
    const [lo, hi] = portRange();
    const rawPort = await freePort(lo, hi, [Number(new URL(url).port)]);
    t = Date.now();
    raw = await startWranglerDev({ config: join(here, '../raw-chat/wrangler.toml'), port: rawPort, persistTo: rawState });
    const rawPlan = [];
    for (let i = 0; i < product.pairs.length; i++) {
      const u = `ws://127.0.0.1:${rawPort}/c/raw-${i}`;
      rawPlan.push({ convId: `raw-${i}`, url: u, token: 'none', label: `r${i}-customer` }, { convId: `raw-${i}`, url: u, token: 'none', label: `r${i}-agent` });
    }
    const rawSide = await openPairs(rawPlan, setupErrors);
    sockets.push(...rawSide.sockets);
    log(`  raw chat at ${raw.url}: ${rawSide.pairs.length} conversations ready in ${((Date.now() - t) / 1000).toFixed(1)} s`);

    // ---- projection watch on the product's D1
    const d1File = findD1File(persistTo);
    if (!d1File) throw new Error(`no local D1 file with a messages table under ${persistTo}`);
    const pendingByConv = new Map(product.pairs.map((p) => [p.convId, []]));
    const productConv = new Set(pendingByConv.keys());
    const advances = []; // [tNs, conversations whose projected seq moved since the previous poll]
    const lastMax = new Map();
    watcher = watchProjection(
      d1File,
      [...productConv],
      (max, tNs) => {
        let moved = 0;
        for (const [id, seq] of max) {
          if ((lastMax.get(id) ?? 0) < seq) moved++;
          lastMax.set(id, seq);
          const q = pendingByConv.get(id);
          if (!q?.length) continue;
          // Acks of one conversation may arrive slightly out of seq order (two senders' sockets).
          for (const rec of q) if (rec.seq <= seq) rec.projAt = tNs;
          pendingByConv.set(id, q.filter((rec) => rec.projAt === null));
        }
        advances.push([tNs, moved]);
      },
      { everyMs: CONFIG.pollMs },
    );
    counter = sqliteShell(d1File);
    const d1Counts = async () => {
      const ids = [...productConv].map((id) => `'${id}'`).join(',');
      const [[m]] = await counter.query(`SELECT count(*) FROM messages WHERE conversation_id IN (${ids})`);
      const [[e]] = await counter.query(`SELECT count(*) FROM conversation_events WHERE conversation_id IN (${ids})`);
      return { messages: Number(m), events: Number(e) };
    };
    const onAck = (rec) => {
      if (productConv.has(rec.convId)) pendingByConv.get(rec.convId).push(rec);
    };
    listen(product.pairs, records, onAck, problems);
    listen(rawSide.pairs, records, onAck, problems);

    // ---- idle baselines, warm-up (not reported)
    const idle = { product: await idleCores(serverPid, CONFIG.idleSampleMs), raw: await idleCores(raw.child.pid, CONFIG.idleSampleMs) };
    for (const [name, pairs] of [['product', product.pairs], ['raw', rawSide.pairs]]) {
      const w = await openLoop({ pairs, rate: CONFIG.warmupRate, ms: CONFIG.warmupMs, tag: `warm-${name}`, records });
      await until(() => w.recs.every((r) => r.peerAt !== null || r.failed), CONFIG.drainMs, 20);
    }
    await until(() => [...pendingByConv.values()].every((q) => q.length === 0), CONFIG.settleMs, 100);
    const d1Start = await d1Counts();
    const d1BytesStart = d1Bytes(d1File);

    // ---- the interleaved steps
    const steps = [];
    for (const rate of CONFIG.rates) {
      for (const target of ['product', 'raw']) {
        const isProduct = target === 'product';
        const pairs = isProduct ? product.pairs : rawSide.pairs;
        const pid = isProduct ? serverPid : raw.child.pid;
        const tag = `${target}${rate}`;
        log(`  ${target} at ${rate} msg/s for ${CONFIG.stepMs / 1000} s…`);
        const inbox0 = await fleet.counts();
        const d10 = isProduct ? await d1Counts() : null;
        const advIdx0 = advances.length;
        const cpu0 = treeCpuMs(pid);
        const client0 = process.cpuUsage();
        const wall0 = Date.now();
        // BENCH_PROFILE=400 takes a V8 CPU profile of the product's step at 400 msg/s (and its settling).
        const profiler = isProduct && Number(process.env.BENCH_PROFILE) === rate ? profilerConn : null;
        await profiler?.start();
        const loop = await openLoop({ pairs, rate, ms: CONFIG.stepMs, tag, records });
        const cpu1 = treeCpuMs(pid);
        const wall1 = Date.now();
        const client1 = process.cpuUsage(client0);
        await until(() => loop.recs.every((r) => (r.peerAt !== null && r.ackAt !== null) || r.failed), CONFIG.drainMs, 20);
        let settledS = null;
        if (isProduct) {
          const t2 = Date.now();
          await until(() => loop.recs.every((r) => r.projAt !== null || r.ackAt === null), CONFIG.settleMs, 100);
          settledS = (Date.now() - t2) / 1000;
        }
        await sleep(500); // the inbox's coalescing tick and late duplicates
        if (profiler) {
          const profile = await profiler.stop();
          const file = join(root, `bench/results/contact-centre-${rate}.cpuprofile`);
          await writeFile(file, JSON.stringify(profile));
          const sum = summarizeProfile(profile, 45);
          log(`    CPU profile (${file}): ${sum.totalMs.toFixed(0)} ms sampled`);
          for (const [title, list] of [['self', sum.self], ['total', sum.total], ['files', sum.files]]) {
            log(`    -- ${title}`);
            for (const x of list) log(`      ${x.pct.toFixed(1).padStart(5)} % ${x.ms.toFixed(0).padStart(6)} ms  ${x.fn}`);
          }
        }
        const cpu2 = treeCpuMs(pid);
        const wall2 = Date.now();
        const inbox1 = await fleet.counts();
        const d11 = isProduct ? await d1Counts() : null;
        const delivery = deliveryStats(loop, rate, CONFIG.stepMs);
        const step = { target, rate, tag, delivery, settleSeconds: settledS };
        step.cpuDuringLoad = cpuFigures(cpu0, cpu1, wall1 - wall0, delivery.sent, idle[target]);
        step.cpuUntilSettled = cpuFigures(cpu0, cpu2, wall2 - wall0, delivery.sent, idle[target]);
        step.clientCores = (client1.user + client1.system) / 1000 / (wall1 - wall0);
        if (isProduct) {
          const d = (k) => inbox1.team[k] - inbox0.team[k];
          const frames = d('total');
          const presenceFrames = inbox1.presence.total - inbox0.presence.total;
          const byType = {};
          for (const [k, v] of Object.entries(inbox1.team.byType)) if (v - (inbox0.team.byType[k] ?? 0)) byType[k] = v - (inbox0.team.byType[k] ?? 0);
          // Agents whose visible list a message changed: the team's sockets whose window (as the
          // frames drew it) held the conversation between the ack and CONFIG.viewAfterMs later.
          const acked = loop.recs.filter((r) => r.ackAt !== null);
          const views = await fleet.inView(acked.map((r) => [r.convId, teamOf.get(r.convId), r.ackAt]), { afterMs: CONFIG.viewAfterMs });
          const viewChanges = views.reduce((n, x) => n + x, 0);
          step.inbox = {
            frames,
            perMessage: frames / Math.max(1, delivery.sent),
            deltas: d('deltas'),
            deltasPerMessage: d('deltas') / Math.max(1, delivery.sent),
            deltasThatChangedNothing: d('deltasNoop'),
            rowsPerDelta: d('deltaRows') / Math.max(1, d('deltas')),
            byType,
            presenceFrames,
            agentViewChanges: viewChanges,
            boundPerMessage: viewChanges / Math.max(1, acked.length),
            agentsWithAConversationInView: summarize(views),
            agentsOnline: opened.open,
            teams: teamIds.length,
            socketsClosed: inbox1.team.closed + inbox1.presence.closed,
          };
          const lags = loop.recs.filter((r) => r.ackAt !== null).map((r) => (r.projAt === null ? Infinity : Math.max(0, msOf(r.projAt - r.ackAt))));
          const adv = advances.slice(advIdx0);
          const batches = adv.reduce((n, [, m]) => n + m, 0);
          const spanS = adv.length ? msOf(adv[adv.length - 1][0] - adv[0][0]) / 1000 : NaN;
          step.projection = {
            lagMs: summarize(lags),
            unprojectedAtSettle: lags.filter((x) => x === Infinity).length,
            resolutionMs: CONFIG.pollMs,
            d1MessagesWritten: d11.messages - d10.messages,
            d1EventsWritten: d11.events - d10.events,
            // A conversation's projected seq moving between two polls: at least one batch (D1 transaction).
            batchesSeen: batches,
            batchesPerSecond: batches / spanS,
            messagesPerBatch: (d11.messages - d10.messages) / Math.max(1, batches),
            pollSpanSeconds: spanS,
          };
        }
        steps.push(step);
        const d = delivery.sendToPeerMs;
        log(`    p50 ${fmt(d.p50)} p99 ${fmt(d.p99)} ms; delivered ${delivery.delivered}/${delivery.scheduled}; server ${step.cpuDuringLoad.cores.toFixed(2)} cores${step.inbox ? `; inbox ${step.inbox.perMessage.toFixed(1)} frames/msg; lag p99 ${fmt(step.projection.lagMs.p99, 0)} ms` : ''}`);
      }
    }

    // Rows still missing from D1 get a last chance before the lag figures are final.
    await until(() => [...pendingByConv.values()].every((q) => q.length === 0), CONFIG.finalProjectionWaitMs, 200);
    for (const s of steps.filter((x) => x.projection)) {
      const recs = [...records.values()].filter((r) => r.clientId.startsWith(`${s.tag}-`) && r.ackAt !== null);
      const lags = recs.map((r) => (r.projAt === null ? Infinity : Math.max(0, msOf(r.projAt - r.ackAt))));
      s.projection.lagMs = summarize(lags);
      s.projection.neverProjected = lags.filter((x) => x === Infinity).length;
    }
    const d1End = await d1Counts();
    const d1BytesEnd = d1Bytes(d1File);
    const productMessages = steps.filter((s) => s.target === 'product').reduce((n, s) => n + s.delivery.sent, 0);

    // ---- problems and rows
    const closed = sockets.filter((s) => s.closedUnexpectedly);
    if (closed.length) problems.unshift(`${closed.length} conversation sockets closed unexpectedly, e.g. ${closed[0].label}: ${closed[0].closed.code} ${closed[0].closed.reason}`);
    problems.unshift(...setupErrors.slice(0, 20));
    if (assignedToBench < convIds.length) problems.push(`${convIds.length - assignedToBench} conversations were not assigned to a bench agent within 30 s (left out of the run)`);
    const shrunk = CONFIG.conversations !== 500 || CONFIG.agents !== 100 || CONFIG.teams !== 5 || CONFIG.rates.join() !== '200,400,800' || CONFIG.stepMs !== 15_000 || CONFIG.maxChats !== 10;
    if (shrunk) problems.push(`CHANGED RUN (CC_* set): ${CONFIG.conversations} conversations, ${CONFIG.teams} teams, ${CONFIG.agents} agents × ${CONFIG.maxChats} chats, rates ${CONFIG.rates.join('/')}, ${CONFIG.stepMs / 1000} s steps; not the issue's scenario`);

    const rows = [
      row('setup: teams / conversations (customer+agent socket) / agents with presence+team sockets', `${teamIds.length} / ${product.pairs.length} / ${opened.open} (${opened.sockets} sockets)`, { target: `${CONFIG.teams} / ${CONFIG.conversations} / ${CONFIG.agents}`, ok: product.pairs.length === CONFIG.conversations && opened.open === CONFIG.agents }),
      row('setup: conversations per team', JSON.stringify(perTeam)),
      row('setup: raw chat conversations (same client, same loop)', rawSide.pairs.length, { target: `${CONFIG.conversations}`, ok: rawSide.pairs.length === CONFIG.conversations }),
      row('idle CPU with all sockets open: product / raw', `${(idle.product * 100).toFixed(1)} / ${(idle.raw * 100).toFixed(1)}`, { unit: '% of a core' }),
    ];
    for (const rate of CONFIG.rates) {
      const p = steps.find((s) => s.target === 'product' && s.rate === rate);
      const r = steps.find((s) => s.target === 'raw' && s.rate === rate);
      const pd = p.delivery.sendToPeerMs;
      const rd = r.delivery.sendToPeerMs;
      const ratio50 = pd.p50 / rd.p50;
      const ratio99 = pd.p99 / rd.p99;
      const judged = rate === TARGET.atRate;
      rows.push(
        row(`${rate}/s send→peer p50 product / raw (ratio)`, `${fmt(pd.p50)} / ${fmt(rd.p50)} ms (${fmt(ratio50)}×)`, judged ? { target: `≤ ${TARGET.p50Ratio}× raw`, ok: ratio50 <= TARGET.p50Ratio } : {}),
        row(`${rate}/s send→peer p99 product / raw (ratio)`, `${fmt(pd.p99)} / ${fmt(rd.p99)} ms (${fmt(ratio99)}×)`, judged ? { target: `product ≤ ${TARGET.p99Ms} ms`, ok: pd.p99 <= TARGET.p99Ms } : {}),
        row(`${rate}/s delivered in window / offered: product / raw`, `${fmt(p.delivery.deliveredRateInWindow, 0)} / ${fmt(r.delivery.deliveredRateInWindow, 0)} of ${rate} msg/s`, { target: 'all delivered', ok: p.delivery.undelivered === 0 && r.delivery.undelivered === 0 }),
        row(`${rate}/s team-socket frames per message (bound: agents whose list changed)`, `${fmt(p.inbox.perMessage, 2)} (${fmt(p.inbox.boundPerMessage, 2)}); deltas ${fmt(p.inbox.deltasPerMessage, 2)}, ${p.inbox.deltasThatChangedNothing} changed nothing`, { target: `≤ ${fmt(p.inbox.boundPerMessage, 2)}`, ok: p.inbox.perMessage <= p.inbox.boundPerMessage }),
        row(`${rate}/s projection lag p50 / p99 (ack → D1, ±${CONFIG.pollMs} ms)`, `${fmt(p.projection.lagMs.p50, 0)} / ${fmt(p.projection.lagMs.p99, 0)} ms`, { target: `p99 ≤ ${TARGET.lagP99Ms} ms`, ok: p.projection.lagMs.p99 <= TARGET.lagP99Ms }),
        row(`${rate}/s server CPU under load: product / raw`, `${fmt(p.cpuDuringLoad.cores * 100, 0)} / ${fmt(r.cpuDuringLoad.cores * 100, 0)} % of a core`),
        row(`${rate}/s server CPU per message (until settled): product / raw`, `${fmt(p.cpuUntilSettled.msPerMessage, 2)} / ${fmt(r.cpuUntilSettled.msPerMessage, 2)} ms`),
        row(`${rate}/s client: send lag p99 product / raw; client CPU`, `${fmt(p.delivery.clientSendLagMs.p99)} / ${fmt(r.delivery.clientSendLagMs.p99)} ms; ${fmt(p.clientCores * 100, 0)} / ${fmt(r.clientCores * 100, 0)} %`),
      );
    }
    const clientCpu = process.cpuUsage(clientCpu0);
    return {
      metrics: {
        kind: 'capacity (open loop at a fixed offered rate, raw Durable Object chat interleaved)',
        loop: 'open',
        config: CONFIG,
        targets: TARGET,
        servers: { product: { pid: serverPid, tree: treeMembers(serverPid) }, raw: { url: raw.url, pid: raw.child.pid, tree: treeMembers(raw.child.pid), config: 'bench/raw-chat/wrangler.toml' } },
        setup: { teams: teamIds, conversationsPerTeam: perTeam, agentsSeconds: agentsSecs, inboxSocketsSeconds: inboxSecs, conversationsSeconds: convSecs, conversations: product.pairs.length, rawConversations: rawSide.pairs.length, inboxSockets: opened.sockets, agentsFullyConnected: opened.open, assignedToBenchAgents: assignedToBench, errors: setupErrors.length },
        idleCores: idle,
        steps,
        d1: { file: d1File, messagesProjected: d1End.messages - d1Start.messages, eventsProjected: d1End.events - d1Start.events, productMessagesSent: productMessages, bytesGrowth: d1BytesEnd - d1BytesStart, bytesPerMessage: (d1BytesEnd - d1BytesStart) / Math.max(1, productMessages), watcher: { polls: watcher.stats.polls, failures: watcher.stats.failures, queryMs: summarize(watcher.stats.queryMs) } },
        clientCpuSeconds: (clientCpu.user + clientCpu.system) / 1e6,
        howMeasured: {
          latency: 'send→peer: scheduled send time (t0 + k/rate) to the message.created frame on the other participant\'s socket, hrtime on arrival; undelivered count as infinite',
          inboxFrames: 'every frame on the team sockets (and, apart, the presence sockets) between the step start and its settle, counted in a worker thread',
          agentsWhoseViewChanged: `per acknowledged message: the team's sockets whose watched window (${CONFIG.watch.filter}, ${CONFIG.watch.limit}; as the frames drew it) held the conversation at any time from the ack to ${CONFIG.viewAfterMs} ms later`,
          projectionLag: `ack at the sender → first poll (every ${CONFIG.pollMs} ms, sqlite3 -readonly on the local D1 file) whose MAX(seq) for the conversation reached the message's seq`,
          cpu: 'utime+stime of every process in the server\'s tree (/proc/<pid>/stat), per step; "per message" subtracts the idle baseline and runs until the step settled (deliveries and D1 caught up)',
        },
      },
      problems,
      rows,
    };
  } finally {
    profilerConn?.close();
    await closeAll(sockets);
    if (fleet) await fleet.close().catch(() => {});
    if (watcher) await watcher.stop().catch(() => {});
    counter?.close();
    if (raw) await raw.stop().catch(() => {});
    if (rawState) await rm(rawState, { recursive: true, force: true }).catch(() => {});
  }
}
