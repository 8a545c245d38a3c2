// SLA clocks driven by the conversation's own alarm under a controlled clock: business hours only,
// paused while the conversation waits on the customer or is on hold, and a breach that escalates
// to the team's supervisors by itself, audited, shown to agents and never to the customer.
import { env, runDurableObjectAlarm } from 'cloudflare:test';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ConversationDetailResponse, SlaConfig, SupervisorResponse } from '../../../protocol';
import { Client, InboxClient, OPERATOR, api, conversationStub, drainToD1, login, seed, session } from '../../helpers';

// Friday 5 March 2027, 16:50 in Riga (UTC+2): ten business minutes before the weekend.
const FRIDAY_1650 = Date.parse('2027-03-05T14:50:00Z');
const MONDAY_0914 = Date.parse('2027-03-08T07:14:00Z');
const MONDAY_0920 = Date.parse('2027-03-08T07:20:00Z');
const CONFIG: SlaConfig = {
  calendar: { timezone: 'Europe/Riga', hours: [1, 2, 3, 4, 5].map((day) => ({ day, from: '09:00', to: '17:00' })), holidays: ['2027-03-09'] },
  warnAtPercent: 80,
  policies: [{ team: 'general', priority: 'normal', firstResponseS: 1800, nextResponseS: 900, resolutionS: 4 * 3600 }],
};

let before: SlaConfig;
beforeAll(async () => {
  await seed();
  const admin = await login('admin@northwind.test');
  before = (await (await api('/v1/admin/sla', { cookie: admin })).json()) as SlaConfig;
  expect((await api('/v1/admin/sla', { method: 'PUT', cookie: admin, json: CONFIG })).status).toBe(200);
});
afterAll(async () => {
  vi.useRealTimers();
  await api('/v1/admin/sla', { method: 'PUT', cookie: await login('admin@northwind.test'), json: before });
});
afterEach(() => {
  vi.useRealTimers();
});

/** The agents' detail of a conversation, signed in now (the controlled clock may be days on). */
async function detail(id: string): Promise<ConversationDetailResponse> {
  return (await (await api(`/v1/agent/conversations/${id}`, { cookie: await login('anna@northwind.test') })).json()) as ConversationDetailResponse;
}

describe('an SLA breach by alarm', () => {
  it('counts business hours only, warns at 80 %, breaches at the target and escalates to the supervisors by itself', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(FRIDAY_1650);
    const s = await session(OPERATOR.key, 'web');
    const customer = (await Client.join(s.conversationId, s.socketToken)).client;
    await customer.say('My modem has no signal since this morning');
    const stub = conversationStub(s.conversationId);
    const alarmAt = async (ms: number) => {
      vi.setSystemTime(ms);
      expect(await runDurableObjectAlarm(stub)).toBe(true);
    };

    // Thirty business minutes from Friday 16:50 is Monday 09:20, not Friday 17:20; the warning at 24 minutes.
    const first = (await detail(s.conversationId)).state.sla!;
    expect(first.response).toMatchObject({ kind: 'first_response', targetS: 1800, warnAt: MONDAY_0914, dueAt: MONDAY_0920 });
    expect(first.state).toBe('ok');

    // The weekend passes: 64 hours of wall clock, no business time, nothing raised.
    await alarmAt(Date.parse('2027-03-07T12:00:00Z'));
    expect((await detail(s.conversationId)).lines.filter((l) => l.kind === 'sla')).toEqual([]);

    await alarmAt(MONDAY_0914);
    let d = await detail(s.conversationId);
    expect(d.state.sla!.state).toBe('warning');
    expect(d.state.escalation).toBeNull();

    const supervisorCookie = await login('supervisor@northwind.test');
    const { inbox: supervisor } = await InboxClient.open(supervisorCookie);
    await alarmAt(MONDAY_0920);
    expect(await supervisor.next('escalated', (f) => f.conversationId === s.conversationId, 8000)).toMatchObject({ reason: 'SLA breached: first response', by: { id: 'system', name: 'Switchboard' } });
    d = await detail(s.conversationId);
    expect(d.state.sla!.state).toBe('breached');
    expect(d.state.escalation).toMatchObject({ reason: 'SLA breached: first response' });
    expect(d.lines.filter((l) => l.kind === 'sla' || l.kind === 'escalated').map((l) => [l.kind, 'level' in l ? l.level : l.by])).toEqual([
      ['sla', 'warning'],
      ['sla', 'breached'],
      ['escalated', null],
    ]);
    // The supervisor sees the breach on the team's floor.
    const floor = (await (await api('/v1/agent/supervisor', { cookie: supervisorCookie })).json()) as SupervisorResponse;
    expect(floor.teams.find((t) => t.id === 'general')!.breached).toBeGreaterThanOrEqual(1);
    await supervisor.close();

    // A late alarm raises nothing twice.
    await alarmAt(MONDAY_0920 + 3600_000);
    await drainToD1(s.conversationId);
    // The ticket in D1 carries the level and the time the first response was due.
    expect(await env.DB.prepare('SELECT sla_state AS state, sla_due_at AS dueAt FROM conversations WHERE id = ?').bind(s.conversationId).first()).toEqual({ state: 'breached', dueAt: MONDAY_0920 });
    const { events } = (await (await api(`/v1/agent/conversations/${s.conversationId}/events`, { cookie: await login('anna@northwind.test') })).json()) as { events: { kind: string; actorRole: string; data: Record<string, unknown> }[] };
    expect(events.filter((e) => e.kind.startsWith('sla.') || e.kind === 'escalated').map((e) => [e.kind, e.actorRole, e.data.clock ?? e.data.reason])).toEqual([
      ['sla.warning', 'system', 'first_response'],
      ['sla.breached', 'system', 'first_response'],
      ['escalated', 'system', 'SLA breached: first response'],
    ]);

    // The customer saw none of it: no SLA, no escalation, in frames or in a fresh welcome.
    expect(JSON.stringify(customer.frames)).not.toMatch(/sla|escalat/i);
    customer.close();
    const again = await Client.join(s.conversationId, (await session(OPERATOR.key, 'web', { visitorToken: s.visitorToken })).socketToken);
    expect(JSON.stringify(again.welcome)).not.toMatch(/sla|escalat/i);
    again.client.close();
  });
});

describe('pauses', () => {
  it('stop while the agent spoke last and while on hold, and the next response is a clock of its own', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const monday10 = Date.parse('2027-03-15T08:00:00Z'); // 10:00 in Riga, a working Monday
    vi.setSystemTime(monday10);
    const s = await session(OPERATOR.key, 'web');
    const customer = (await Client.join(s.conversationId, s.socketToken)).client;
    await customer.say('Is roaming on for my line?');
    const stub = conversationStub(s.conversationId);

    vi.setSystemTime(monday10 + 5 * 60_000);
    const anna = await login('anna@northwind.test');
    const reply = (text: string) => api(`/v1/agent/conversations/${s.conversationId}/messages`, { method: 'POST', cookie: anna, json: { clientId: crypto.randomUUID(), text } });
    expect((await reply('Let me check')).status).toBe(201);
    let sla = (await detail(s.conversationId)).state.sla!;
    // Waiting on the customer: no response clock, and the resolution clock paused with 5 minutes used.
    expect(sla.response).toBeNull();
    expect(sla.resolution).toMatchObject({ kind: 'resolution', dueAt: null, warnAt: null, leftS: 4 * 3600 - 300 });

    // An hour later (the customer's turn all along) the customer writes: the next response, from now.
    const back = monday10 + 65 * 60_000;
    vi.setSystemTime(back);
    await customer.say('Any news?');
    sla = (await detail(s.conversationId)).state.sla!;
    expect(sla.response).toMatchObject({ kind: 'next_response', targetS: 900, dueAt: back + 900_000 });
    expect(sla.resolution).toMatchObject({ dueAt: back + (4 * 3600 - 300) * 1000 });

    // On hold for half an hour: paused; lifted, the response clock goes on from its 2 minutes.
    vi.setSystemTime(back + 2 * 60_000);
    const patch = (json: unknown) => api(`/v1/agent/conversations/${s.conversationId}`, { method: 'PATCH', cookie: anna, json });
    expect((await patch({ hold: { note: 'Asking the roaming partner', until: back + 60 * 60_000 } })).status).toBe(200);
    expect((await detail(s.conversationId)).state.sla!.response).toMatchObject({ dueAt: null, leftS: 900 - 120 });
    vi.setSystemTime(back + 32 * 60_000);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect((await detail(s.conversationId)).lines.filter((l) => l.kind === 'sla')).toEqual([]);
    expect((await patch({ hold: null })).status).toBe(200);
    sla = (await detail(s.conversationId)).state.sla!;
    expect(sla.response).toMatchObject({ dueAt: back + 32 * 60_000 + (900 - 120) * 1000 });

    // Raising the priority to one without a policy takes the default targets at once.
    expect((await patch({ priority: 'urgent' })).status).toBe(200);
    expect((await detail(s.conversationId)).state.sla!.response).toMatchObject({ kind: 'next_response', targetS: 300 });
    customer.close();
  });
});
