// Customers and agents see different projections of one conversation, and one rule decides each
// command whichever path it comes by.
import { beforeAll, describe, expect, it } from 'vitest';
import type { ServerFrame } from '../../../protocol';
import { CUSTOMER_MESSAGES } from '../../../worker/conversation/core';
import { Client, OPERATOR, agentSocketToken, api, expectError, login, seed, session } from '../../helpers';

beforeAll(seed);

const agentOf = (name: string) => OPERATOR.agents.find((a) => a.name.startsWith(name))!;

describe("the customer's projection", () => {
  it('never carries notes, escalations, priority, assignee ids or e-mail, audit or reveal state', async () => {
    const anna = agentOf('Anna');
    const [annaCookie, samCookie] = await Promise.all([login(anna.email), login(agentOf('Sam').email)]);
    const s = await session(OPERATOR.key, 'web');
    const { client: customer, welcome } = await Client.join(s.conversationId, s.socketToken);
    const { client: agent } = await Client.join(s.conversationId, await agentSocketToken(annaCookie, s.conversationId));
    await customer.say('My passport is 4510 123456, call me on +7 916 123-45-67');
    await agent.say('Looking into it');
    agent.send({ type: 'note.send', clientId: crypto.randomUUID(), text: 'Customer sounds upset, see ticket 99' });
    await agent.next('note.created');
    agent.send({ type: 'conversation.update', priority: 'urgent', hold: { note: 'Checking the outage map', until: Date.now() + 600_000 } });
    await agent.next('conversation.updated');
    expect((await api(`/v1/agent/conversations/${s.conversationId}/escalate`, { method: 'POST', cookie: annaCookie, json: { reason: 'Threatens to go to the regulator' } })).status).toBe(200);
    expect((await api(`/v1/agent/conversations/${s.conversationId}/reveal`, { method: 'POST', cookie: samCookie, json: { seq: 1 } })).status).toBe(200);
    expect((await api(`/v1/agent/conversations/${s.conversationId}`, { method: 'PATCH', cookie: annaCookie, json: { status: 'resolved' } })).status).toBe(200);
    customer.send({ type: 'csat.rate', score: 'good', comment: 'quick' });
    // Sentinel: the ack of the customer's own message comes after everything above was sent to them.
    const last = await customer.say('bye');
    const frames: unknown[] = [welcome, ...customer.frames];
    const lastSeen = customer.frames.filter((f): f is Extract<ServerFrame, { type: 'message.created' }> => f.type === 'message.created').at(-1);
    expect(lastSeen?.message.seq).toBe(last);

    const text = JSON.stringify(frames);
    for (const secret of ['note.created', 'Customer sounds upset', 'escalation', 'regulator', 'priority', 'urgent', 'masked', 'pii.revealed', anna.email, anna.id, 'agentRole', 'viewers']) {
      expect(text, `a customer frame carries "${secret}"`).not.toContain(secret);
    }
    // What the customer should see, they do: the hold note and time, their agent's name, their own words.
    expect(text).toContain('Checking the outage map');
    expect(text).toContain('"assignee":{"name":"Anna"}');
    expect(text).toContain('4510 123456');
    customer.close();
    agent.close();
  });
});

describe('one rule on every path', () => {
  it("a plain agent cannot take or unassign a colleague's conversation, by frame or by REST", async () => {
    const [anna, boris] = [agentOf('Anna'), agentOf('Boris')];
    const [annaCookie, borisCookie] = await Promise.all([login(anna.email), login(boris.email)]);
    const s = await session(OPERATOR.key, 'web');
    const { client: customer } = await Client.join(s.conversationId, s.socketToken);
    await customer.say('hello?');
    expect((await api(`/v1/agent/conversations/${s.conversationId}/take`, { method: 'POST', cookie: borisCookie })).status).toBe(200);

    const { client: agent } = await Client.join(s.conversationId, await agentSocketToken(annaCookie, s.conversationId));
    for (const assigneeId of [anna.id, null]) {
      agent.send({ type: 'conversation.update', assigneeId });
      expect(await agent.next('error')).toMatchObject({ code: 'auth.forbidden' });
      await expectError(await api(`/v1/agent/conversations/${s.conversationId}`, { method: 'PATCH', cookie: annaCookie, json: { assigneeId } }), 403, 'auth.forbidden');
    }
    await expectError(await api(`/v1/agent/conversations/${s.conversationId}/take`, { method: 'POST', cookie: annaCookie }), 403, 'auth.forbidden');
    const detail = (await (await api(`/v1/agent/conversations/${s.conversationId}`, { cookie: borisCookie })).json()) as { state: { assignee: { id: string } } };
    expect(detail.state.assignee.id).toBe(boris.id);
    customer.close();
    agent.close();
  });
});

describe('messages per customer', () => {
  it('a flood is refused with a time to wait, stores nothing extra, and a resend after the wait is kept', async () => {
    const cookie = await login(agentOf('Sam').email);
    const s = await session(OPERATOR.key, 'web');
    const { client: customer } = await Client.join(s.conversationId, s.socketToken);
    const ids = Array.from({ length: CUSTOMER_MESSAGES.capacity + 20 }, () => crypto.randomUUID());
    for (const [i, clientId] of ids.entries()) customer.send({ type: 'message.send', clientId, text: `flood ${i}` });
    // Sentinel: frames are answered in order, so once this refusal is here every answer before it is.
    customer.sendRaw('{sentinel');
    await customer.next('error', 5000).then(function skipRefusals(e): Promise<unknown> | void {
      if (e.code !== 'frame.invalid_json') return customer.next('error', 5000).then(skipRefusals);
    });
    const acks = customer.frames.filter((f): f is Extract<ServerFrame, { type: 'message.ack' }> => f.type === 'message.ack');
    const refused = ids.filter((id) => !acks.some((a) => a.clientId === id));
    expect(acks.length).toBeGreaterThanOrEqual(CUSTOMER_MESSAGES.capacity);
    expect(refused.length).toBeGreaterThan(0);
    // Gapless: what was accepted is numbered 1..n in the order sent.
    expect(acks.map((a) => a.seq)).toEqual(acks.map((_, i) => i + 1));
    expect(acks.map((a) => a.clientId)).toEqual(ids.slice(0, acks.length));

    // The widget's outbox resends the same clientId until the bucket has refilled: the first resend
    // that is taken is stored once, next in line (each try is answered before its sentinel).
    const resend = async (clientId: string): Promise<number | 'limited'> => {
      customer.send({ type: 'message.send', clientId, text: `flood ${acks.length}` });
      customer.sendRaw('{sentinel');
      while ((await customer.next('error')).code !== 'frame.invalid_json');
      return customer.frames.find((f): f is Extract<ServerFrame, { type: 'message.ack' }> => f.type === 'message.ack' && f.clientId === clientId)?.seq ?? 'limited';
    };
    await expect.poll(() => resend(refused[0]!), { timeout: 10_000, interval: 200 }).toBe(acks.length + 1);
    expect(await customer.say(`flood ${acks.length}`, refused[0])).toBe(acks.length + 1);
    const detail = (await (await api(`/v1/agent/conversations/${s.conversationId}`, { cookie })).json()) as { messages: unknown[] };
    expect(detail.messages).toHaveLength(acks.length + 1);
    customer.close();
  });

  it('every refusal names its message and a time to wait', async () => {
    const s = await session(OPERATOR.key, 'web');
    const { client: customer } = await Client.join(s.conversationId, s.socketToken);
    for (let i = 0; i < CUSTOMER_MESSAGES.capacity + 5; i++) customer.send({ type: 'message.send', clientId: `m${i}`, text: `x${i}` });
    customer.sendRaw('{sentinel');
    const errors: Extract<ServerFrame, { type: 'error' }>[] = [];
    for (;;) {
      const e = await customer.next('error');
      if (e.code === 'frame.invalid_json') break;
      errors.push(e);
    }
    expect(errors.length).toBeGreaterThan(0);
    for (const e of errors) expect(e).toMatchObject({ code: 'rate.limited', ref: expect.stringMatching(/^m\d+$/), retryAfter: expect.any(Number) });
    customer.close();
  });
});
