// Reports through the real projection: the hand-worked day (hand-worked-day.ts) delivered as queue
// slices to the Worker's own queue handler, then read back through GET /v1/agent/reports/* as an
// admin, with the answers worked out by hand; a redelivered batch and a stale slice change nothing.
// Then the live path: a real conversation and a real presence socket reach the rollups.
import { createExecutionContext, createMessageBatch, env, getQueueResult } from 'cloudflare:test';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import worker from '../../../worker/index';
import type { ProjectionPayload } from '../../../worker/projection/payload';
import type { CsatResponse, PausesResponse, ReportResponse, ShiftsResponse, TodayResponse } from '../../../protocol';
import { appendStateLog } from '../../../worker/db/agent-days';
import { updateAgentDays } from '../../../worker/reports/update';
import { hashPassword } from '../../../worker/auth/password';
import { Client, InboxClient, OPERATOR, agentSocketToken, api, drainToD1, login, seed, session } from '../../helpers';
import { ANNA_LOG, CONVERSATIONS, DAY, END_OF_DAY, at } from './hand-worked-day';

const ANNA = OPERATOR.agents.find((a) => a.email === 'anna@northwind.test')!;
const RANGE = 'from=2026-03-02&to=2026-03-02';
const S = 1000;
const MIN = 60 * S;
let admin: string;

/** The hand-worked day's conversations as slices, Anna's id in place of the day's placeholder, `cut` rows dropped from each. */
function slices(prefix: string, cut = 0): ProjectionPayload[] {
  return CONVERSATIONS.map((c, i) => {
    const id = `${prefix}-${c.info.id}`;
    const who = (a: string | null) => (a === 'agent-anna' ? ANNA.id : a);
    const messages = c.messages.map((m) => ({ id: `${id}-m${m.seq}`, conversationId: id, seq: m.seq, clientId: `${id}-m${m.seq}`, author: { role: m.role as 'customer', id: who(m.agentId), name: m.role === 'agent' ? 'Anna' : 'Customer' }, channel: 'web' as const, text: m.role === 'customer' ? `Question ${m.seq}, my number is +371 2912 3456` : `Answer ${m.seq}`, createdAt: m.at }));
    const events = c.events.map((e) => ({ seq: e.seq, kind: e.kind, actorRole: 'agent', actorId: ANNA.id, data: JSON.stringify({ ...e.data, to: who(e.data.to as string | null) ?? e.data.to }), createdAt: e.at }));
    const ticket = { id, tenantId: OPERATOR.id, number: 70000 + i + (prefix === 'a' ? 0 : 100), contactId: `${prefix}-contact`, status: 'open', priority: 'normal', assigneeId: null, channels: ['web'], createdAt: c.info.openedAt!, updatedAt: END_OF_DAY, lastSeq: messages.length, lastMessageAt: null, lastMessageText: null, mergedInto: null, csatScore: null, csatComment: null, csatAt: null, openedAt: c.info.openedAt, version: 10 - cut, team: 'general', topic: 'roaming' };
    return { v: 1, conversationId: id, tenantId: OPERATOR.id, enqueuedAt: END_OF_DAY, ticket, messages: messages.slice(0, messages.length - cut), events: events.slice(0, Math.max(0, events.length - cut)), notes: [] } satisfies ProjectionPayload;
  });
}

/** Hand a batch to the Worker's queue handler, as the queue would. */
async function deliver(payloads: ProjectionPayload[]) {
  const batch = createMessageBatch<ProjectionPayload>('switchboard-projection', payloads.map((body, i) => ({ id: `r${i}`, timestamp: new Date(), attempts: 1, body })));
  const ctx = createExecutionContext();
  await worker.queue(batch as MessageBatch<unknown>, env);
  return getQueueResult(batch, ctx);
}

const get = async <T>(path: string, cookie = admin): Promise<T> => {
  const res = await api(path, { cookie });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as T;
};

const rollup = () => env.DB.prepare('SELECT * FROM report_hourly WHERE tenant_id = ? AND hour >= ? AND hour < ? ORDER BY hour, agent_id').bind(OPERATOR.id, DAY, DAY + 86_400_000).all().then((r) => r.results);

beforeAll(async () => {
  await seed();
  admin = await login('admin@northwind.test');
  await env.DB.prepare("INSERT INTO contacts (id, tenant_id, created_at, updated_at) VALUES ('a-contact', ?1, 0, 0)").bind(OPERATOR.id).run();
  expect((await deliver(slices('a'))).explicitAcks).toHaveLength(4);
});

describe('the hand-worked day through the projection and the reports API', () => {
  it('every conversation figure, as worked out by hand', async () => {
    const r = await get<ReportResponse>(`/v1/agent/reports?${RANGE}&by=agent`);
    const t = r.totals;
    expect([t.received, t.handled, t.resolved, t.abandoned, t.longPauses]).toEqual([4, 2, 4, 1, 3]);
    expect([t.frtMs, t.ahtMs, t.resolutionMs]).toEqual([210 * S, 18 * MIN, 32.5 * MIN]);
    expect(t.artMs).toBeCloseTo((1620 * S) / 7, 6);
    expect([t.reopenRate, t.slaAttainment, t.csatGoodPct, t.csatBadPct, t.csatResponseRate, t.csatComments]).toEqual([0.25, 0.75, 0.5, 0.5, 0.5, 2]);
    // By agent: Anna has everything but C3, which nobody answered.
    expect(r.rows.map((x) => [x.label, x.figures.received])).toEqual([['No agent', 1], ['Anna', 3]]);
    expect(r.backlog).toBeGreaterThanOrEqual(0);
  });

  it('every rollup a query may read gives the same totals (hourly, per team and hour, per agent and day, per topic and day)', async () => {
    const totals = async (q: string) => (await get<ReportResponse>(`/v1/agent/reports?${RANGE}&${q}`)).totals;
    const full = await totals('by=agent&channel=web');
    for (const q of ['by=agent', 'by=team', 'by=topic', 'by=channel', 'by=day', 'by=hour', 'by=brand', 'by=agent&topic=roaming', 'by=topic&team=general']) expect(await totals(q), q).toEqual(full);
  });

  it('the chart series adds up to the totals, in the viewer’s days or (with an agent and a topic) UTC days', async () => {
    for (const q of ['by=agent', `by=topic&agent=${ANNA.id}&topic=roaming`, `by=agent&agent=${ANNA.id}&channel=web`]) {
      const r = await get<ReportResponse>(`/v1/agent/reports?${RANGE}&${q}`);
      expect(r.daily.reduce((a, d) => a + d.received, 0), q).toBe(r.totals.received);
    }
    expect((await get<ReportResponse>(`/v1/agent/reports?${RANGE}&by=topic&agent=${ANNA.id}&topic=roaming`)).dailyUtc).toBe(true);
  });

  it('by hour of the day: received at 09, 11, 13 and 14', async () => {
    const r = await get<ReportResponse>(`/v1/agent/reports?${RANGE}&by=hour`);
    expect(r.rows.filter((x) => x.figures.received > 0).map((x) => x.label)).toEqual(['09:00', '11:00', '13:00', '14:00']);
  });

  it('a redelivered batch, and a stale slice with fewer rows, change nothing', async () => {
    const before = await rollup();
    await deliver(slices('a'));
    expect(await rollup()).toEqual(before);
    await deliver(slices('a', 2));
    expect(await rollup()).toEqual(before);
  });

  it('long pauses by agent and topic, and the drill-down to the message pair, masked', async () => {
    const g = await get<PausesResponse>(`/v1/agent/reports/pauses?${RANGE}`);
    expect(g.groups).toEqual([expect.objectContaining({ agentName: 'Anna', topic: 'roaming', count: 3, maxMs: 300 * S })]);
    const d = await get<PausesResponse>(`/v1/agent/reports/pauses?${RANGE}&agent=${ANNA.id}&topic=roaming`);
    expect(d.pauses!.map((p) => [p.waitedMs / S, p.customer.seq, p.agent.seq])).toEqual([[300, 5, 6], [150, 3, 4], [120, 3, 4]]);
    expect(d.pauses![0]!.customer.text).not.toContain('2912 3456');
    expect(d.pauses![0]!.agent.text).toBe('Answer 6');
  });

  it('CSAT comments, masked', async () => {
    const r = await get<CsatResponse>(`/v1/agent/reports/csat?${RANGE}`);
    expect(r.ratings.map((x) => x.score)).toEqual(['bad', 'good']);
    expect(r.ratings[0]!.comment).toMatch(/^Took too long, call me at /);
    expect(r.ratings[0]!.comment).not.toContain('2912 3456');
  });

  it("Anna's shift from the state log: utilization 93.75 %, occupancy 114 / 450 min", async () => {
    await appendStateLog(env.DB, OPERATOR.id, ANNA_LOG.map((e, i) => ({ seq: 900 + i, agentId: ANNA.id, state: e.state, at: e.at })));
    await updateAgentDays(env.DB, [{ tenantId: OPERATOR.id, agentId: ANNA.id, day: DAY }], END_OF_DAY);
    const r = await get<ShiftsResponse>(`/v1/agent/reports/shifts?${RANGE}`);
    const anna = r.shifts.find((s) => s.agentId === ANNA.id)!;
    expect([anna.shiftStart, anna.shiftEnd, anna.availableMs, anna.handlingMs]).toEqual([at(8), at(16), 450 * MIN, 114 * MIN]);
    expect(anna.utilization).toBe(0.9375);
    expect(anna.occupancy).toBeCloseTo(114 / 450, 9);
  });

  it('every table exports as CSV, masked', async () => {
    const res = await api(`/v1/agent/reports/export.csv?${RANGE}&table=csat`, { cookie: admin });
    expect(res.headers.get('content-type')).toContain('text/csv');
    const csv = await res.text();
    expect(csv.split('\r\n')[0]).toBe('"conversation","rated","score","comment","agent","team","topic"');
    expect(csv).toContain('"bad"');
    expect(csv).not.toContain('2912 3456');
    for (const table of ['figures', 'shifts', 'pauses']) expect((await api(`/v1/agent/reports/export.csv?${RANGE}&table=${table}`, { cookie: admin })).status).toBe(200);
  });

  it('a supervisor sees only the teams they supervise: one of billing sees none of the day (it is all in general)', async () => {
    const id = crypto.randomUUID();
    await env.DB.batch([
      env.DB.prepare("INSERT INTO agents (id, tenant_id, email, name, role, password_hash, created_at) VALUES (?, ?, 'billing-lead@northwind.test', 'Bea', 'supervisor', ?, 0)").bind(id, OPERATOR.id, await hashPassword('switchboard-demo', 1000)),
      env.DB.prepare("INSERT INTO team_members (tenant_id, team_id, agent_id, capacity, supervises) VALUES (?, 'billing', ?, 0, 1)").bind(OPERATOR.id, id),
    ]);
    const bea = await login('billing-lead@northwind.test');
    const r = await get<ReportResponse>(`/v1/agent/reports?${RANGE}&by=team`, bea);
    expect([r.totals.received, r.rows.length]).toEqual([0, 0]);
    expect((await get<PausesResponse>(`/v1/agent/reports/pauses?${RANGE}`, bea)).groups).toEqual([]);
    expect((await get<CsatResponse>(`/v1/agent/reports/csat?${RANGE}`, bea)).ratings).toEqual([]);
    // Naming another team in the filter does not widen the wall.
    expect((await get<ReportResponse>(`/v1/agent/reports?${RANGE}&team=general`, bea)).totals.received).toBe(0);
    expect((await get<ReportResponse>(`/v1/agent/reports?${RANGE}&team=general`)).totals.received).toBe(4);
  });

  it('agents may not read reports; a bad range is refused in the one error shape', async () => {
    const anna = await login('anna@northwind.test');
    expect((await api(`/v1/agent/reports?${RANGE}`, { cookie: anna })).status).toBe(403);
    const bad = await api('/v1/agent/reports?from=2026-03-05&to=2026-03-01', { cookie: admin });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('request.invalid');
    const channel = await api(`/v1/agent/reports?${RANGE}&channel=fax`, { cookie: admin });
    expect(channel.status).toBe(400);
    expect(((await channel.json()) as { error: { code: string } }).error.code).toBe('request.invalid');
  });
});

describe('the live path', () => {
  it("a real conversation and a real presence socket reach today's tiles", async () => {
    const boris = await login('boris@northwind.test');
    const { inbox } = await InboxClient.open(boris, null);
    const s = await session(OPERATOR.key, 'web');
    const customer = (await Client.join(s.conversationId, s.socketToken)).client;
    await customer.say('Is roaming on?');
    const agent = (await Client.join(s.conversationId, await agentSocketToken(boris, s.conversationId))).client;
    await agent.say('It is now');
    customer.close();
    agent.close();
    await drainToD1(s.conversationId);
    const day = new Date().toISOString().slice(0, 10);
    await vi.waitFor(async () => {
      const t = await get<TodayResponse>(`/v1/agent/reports/today?from=${day}&to=${day}`);
      expect(t.figures.received).toBeGreaterThanOrEqual(1);
      expect(t.figures.handled).toBeGreaterThanOrEqual(1);
      expect(t.utilization).not.toBeNull();
    });
    inbox.ws.close();
    // The Floor's state log reached D1 in order, keyed by its own ids: signed in, then out.
    const BORIS = OPERATOR.agents.find((a) => a.email === 'boris@northwind.test')!.id;
    await vi.waitFor(async () => {
      const log = await env.DB.prepare('SELECT state FROM agent_state_log WHERE tenant_id = ? AND agent_id = ? AND seq > 0 ORDER BY seq').bind(OPERATOR.id, BORIS).all<{ state: string }>();
      expect(log.results.map((r) => r.state)).toEqual(['online', 'offline']);
    });
  });
});
