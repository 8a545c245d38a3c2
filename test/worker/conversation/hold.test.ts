// Holds: the customer sees the note and the promised time; an overdue hold is flagged and audited.
import { beforeAll, describe, expect, it } from 'vitest';
import { Client, OPERATOR, agentSocketToken, api, drainToD1, expectError, login, seed, session } from '../../helpers';

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
