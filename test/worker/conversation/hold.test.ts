// Holds: the customer sees the note and the promised time; an overdue hold is flagged and audited,
// and its agent is reminded again while it stays overdue.
import { runDurableObjectAlarm } from 'cloudflare:test';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { HOLD_REMIND_EVERY_MS } from '../../../worker/conversation/rules';
import { Client, InboxClient, OPERATOR, agentSocketToken, api, conversationStub, drainToD1, expectError, login, seed, session } from '../../helpers';

let cookie: string;
beforeAll(async () => {
  await seed();
  cookie = await login('anna@northwind.test');
});

describe('hold with a promised follow-up', () => {
  it('shows the note and time to the customer, goes overdue at the time, and ends when the agent replies', async () => {
    const s = await session(OPERATOR.key, 'web');
    const customer = (await Client.join(s.conversationId, s.socketToken)).client;
    const agent = (await Client.join(s.conversationId, await agentSocketToken(cookie, s.conversationId))).client;
    // A promise a second and a half out: the object's own alarm marks it overdue when the time comes.
    const until = Date.now() + 1500;
    agent.send({ type: 'conversation.update', hold: { note: 'Checking the tower in your area', until } });
    expect(await customer.next('conversation.updated')).toMatchObject({ status: 'on_hold', hold: { note: 'Checking the tower in your area', until, overdue: false } });

    // No clock is moved and nothing is poked inside: the update is awaited, with a deadline.
    const overdue = await customer.next('conversation.updated', 8000);
    expect(overdue).toMatchObject({ status: 'on_hold', hold: { until, overdue: true } });
    expect(Date.now()).toBeGreaterThanOrEqual(until);

    await agent.say('The tower is back, please restart your modem');
    expect(await customer.next('conversation.updated')).toMatchObject({ status: 'open', hold: null });
    await drainToD1(s.conversationId);
    const { events } = (await (await api(`/v1/agent/conversations/${s.conversationId}/events`, { cookie })).json()) as { events: { kind: string }[] };
    expect(events.map((e) => e.kind)).toEqual(['hold.set', 'status.changed', 'hold.overdue', 'assignee.changed', 'status.changed']);
    customer.close();
    agent.close();
  });

  it('refuses a hold in the past, too far out, or without a note', async () => {
    const s = await session(OPERATOR.key, 'web');
    const patch = (hold: unknown) => api(`/v1/agent/conversations/${s.conversationId}`, { method: 'PATCH', cookie, json: { hold } });
    await expectError(await patch({ note: 'x', until: Date.now() - 1000 }), 400, 'request.invalid');
    await expectError(await patch({ note: 'x', until: Date.now() + 30 * 24 * 3600_000 }), 400, 'request.invalid');
    await expectError(await patch({ note: '', until: Date.now() + 60_000 }), 400, 'request.invalid');
    const ok = await patch({ note: 'Back soon', until: Date.now() + 60_000 });
    expect(((await ok.json()) as { state: { status: string } }).state.status).toBe('on_hold');
    const lifted = await patch(null);
    expect(((await lifted.json()) as { state: { status: string; hold: unknown } }).state).toMatchObject({ status: 'open', hold: null });
  });
});

describe('an overdue hold under a controlled clock', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("reminds the agent again every HOLD_REMIND_EVERY_MS it stays overdue, one per late alarm, audited, and the customer's view stays put", async () => {
    const { inbox: anna } = await InboxClient.open(cookie);
    await anna.watch('on_hold');
    const s = await session(OPERATOR.key, 'web');
    const customer = (await Client.join(s.conversationId, s.socketToken)).client;
    const stub = conversationStub(s.conversationId);
    expect((await api(`/v1/agent/conversations/${s.conversationId}/take`, { method: 'POST', cookie })).status).toBe(200);
    const until = Date.now() + 60 * 60_000;
    expect((await api(`/v1/agent/conversations/${s.conversationId}`, { method: 'PATCH', cookie, json: { hold: { note: 'Asking the roaming partner', until } } })).status).toBe(200);
    await customer.next('conversation.updated', 5000); // taken
    expect(await customer.next('conversation.updated')).toMatchObject({ status: 'on_hold', hold: { overdue: false } });

    // The objects read this clock (they run in the test's isolate); the alarm is run at each instant.
    vi.useFakeTimers({ toFake: ['Date'] });
    const alarmAt = async (ms: number) => {
      vi.setSystemTime(ms);
      expect(await runDurableObjectAlarm(stub)).toBe(true);
    };
    const reminder = () => anna.next('reminder', (f) => f.conversationId === s.conversationId, 8000);

    await alarmAt(until);
    expect(await reminder()).toMatchObject({ kind: 'hold.overdue', note: 'Asking the roaming partner' });
    expect(await customer.next('conversation.updated')).toMatchObject({ status: 'on_hold', hold: { until, overdue: true } });
    // The Inbox's row counts the reminders; the customer's projection never carries the count.
    expect((await anna.row(s.conversationId, (i) => i.hold?.overdue === true)).hold).toMatchObject({ overdue: true, reminders: 1 });

    await alarmAt(until + HOLD_REMIND_EVERY_MS - 1); // not yet: the audit below has no reminder for it
    await alarmAt(until + HOLD_REMIND_EVERY_MS);
    expect(await reminder()).toMatchObject({ kind: 'hold.overdue', note: 'Asking the roaming partner' });
    // An alarm that comes 12 minutes late sends one reminder, not the two it missed.
    await alarmAt(until + 3 * HOLD_REMIND_EVERY_MS + 2 * 60_000);
    expect(await reminder()).toMatchObject({ kind: 'hold.overdue' });
    expect((await anna.row(s.conversationId, (i) => i.hold?.reminders === 4)).hold).toMatchObject({ overdue: true, reminders: 4 });

    vi.useRealTimers();
    await api(`/v1/agent/conversations/${s.conversationId}/messages`, { method: 'POST', cookie, json: { clientId: 'back', text: 'Roaming is fixed now' } });
    // The reminders changed nothing the customer sees: the next update they get is the hold ending.
    expect(await customer.next('conversation.updated')).toMatchObject({ status: 'open', hold: null });
    expect(customer.frames.filter((f) => f.type === 'conversation.updated')).toEqual([]);

    await drainToD1(s.conversationId);
    const { events } = (await (await api(`/v1/agent/conversations/${s.conversationId}/events`, { cookie })).json()) as { events: { kind: string; actorRole: string; data: Record<string, unknown> }[] };
    const holdEvents = events.filter((e) => e.kind.startsWith('hold.'));
    expect(holdEvents.map((e) => [e.kind, e.data.reminder ?? null])).toEqual([
      ['hold.set', null],
      ['hold.overdue', null],
      ['hold.reminded', 2],
      ['hold.reminded', 4],
    ]);
    expect(holdEvents[3]).toMatchObject({ actorRole: 'system', data: { until, overdueMs: 3 * HOLD_REMIND_EVERY_MS + 2 * 60_000 } });
    customer.close();
    await anna.close();
  });
});
