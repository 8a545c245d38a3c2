// Partners' data is walled off: a visitor or agent of one tenant gets 403/404 for anything of another.
import { beforeAll, describe, expect, it } from 'vitest';
import { Client, MVNO, OPERATOR, agentSocketToken, api, drainToD1, expectError, identityToken, login, seed, session } from '../helpers';
import type { SessionResponse } from '../../protocol';

let operatorAgent: string;
let mvnoAgent: string;
let mvnoChat: SessionResponse;
let operatorChat: SessionResponse;

beforeAll(async () => {
  await seed();
  operatorAgent = await login('anna@northwind.test');
  mvnoAgent = await login('olga@volna.test');
  mvnoChat = await session(MVNO.key, 'web');
  const { client } = await Client.join(mvnoChat.conversationId, mvnoChat.socketToken);
  await client.say('Volna secret');
  client.close();
  // A conversation is a ticket, listed, from its first customer message on (once projected to D1).
  operatorChat = await session(OPERATOR.key, 'web');
  const operatorCustomer = (await Client.join(operatorChat.conversationId, operatorChat.socketToken)).client;
  await operatorCustomer.say('Northwind question');
  operatorCustomer.close();
  await drainToD1(operatorChat.conversationId);
});

describe('agents see only their tenant', () => {
  it("lists only their tenant's conversations", async () => {
    const res = await api('/v1/agent/conversations?limit=200', { cookie: operatorAgent });
    const { conversations } = (await res.json()) as { conversations: { id: string }[] };
    expect(conversations.map((c) => c.id)).toContain(operatorChat.conversationId);
    expect(conversations.map((c) => c.id)).not.toContain(mvnoChat.conversationId);
  });

  it.each([
    ['GET', ''],
    ['PATCH', ''],
    ['POST', '/messages'],
    ['POST', '/socket-token'],
  ])("%s %s on another tenant's conversation is 404", async (method, suffix) => {
    const json = method === 'PATCH' ? { status: 'resolved' } : suffix === '/messages' ? { clientId: 'x', text: 'hi' } : undefined;
    const res = await api(`/v1/agent/conversations/${mvnoChat.conversationId}${suffix}`, { method, cookie: operatorAgent, ...(json ? { json } : {}) });
    await expectError(res, 404, 'conversation.not_found');
    // And nothing changed for the owner.
    const own = await api(`/v1/agent/conversations/${mvnoChat.conversationId}`, { cookie: mvnoAgent });
    const detail = (await own.json()) as { state: { status: string }; messages: { text: string }[] };
    expect(detail.state.status).toBe('open');
    expect(detail.messages.map((m) => m.text)).toEqual(['Volna secret']);
  });

  it("cannot assign another tenant's agent", async () => {
    const mvnoAgentId = MVNO.agents[2]!.id;
    const supervisor = await login('supervisor@northwind.test');
    const res = await api(`/v1/agent/conversations/${operatorChat.conversationId}`, { method: 'PATCH', json: { assigneeId: mvnoAgentId }, cookie: supervisor });
    await expectError(res, 404, 'agent.not_found');
  });

  it("cannot filter by another tenant's agent to see their work", async () => {
    const res = await api(`/v1/agent/conversations?assignee=${MVNO.agents[2]!.id}`, { cookie: operatorAgent });
    expect(((await res.json()) as { conversations: unknown[] }).conversations).toEqual([]);
  });
});

describe('sockets refuse the wrong tenant', () => {
  it("an operator agent's token for their own conversation does not open an MVNO conversation (4403)", async () => {
    const token = await agentSocketToken(operatorAgent, operatorChat.conversationId);
    const c = await Client.open(mvnoChat.conversationId);
    c.send({ type: 'hello', token, lastSeq: 0 });
    expect((await c.next('error')).code).toBe('auth.forbidden');
    expect((await c.closedWith()).code).toBe(4403);
  });

  it("a visitor's token for one conversation does not open another's (4403)", async () => {
    const c = await Client.open(mvnoChat.conversationId);
    c.send({ type: 'hello', token: operatorChat.socketToken, lastSeq: 0 });
    expect((await c.closedWith()).code).toBe(4403);
    expect(c.frames.some((f) => f.type === 'welcome' || f.type === 'message.created')).toBe(false);
  });

  it("a token signed with another tenant's identity secret is refused", async () => {
    const forged = await identityToken(MVNO.identitySecret, 'someone');
    await expectError(await api('/v1/widget/session', { method: 'POST', json: { brand: OPERATOR.key, channel: 'web', identityToken: forged } }), 401, 'auth.token_invalid');
  });

  it("a visitor token of one brand starts a separate contact in another brand", async () => {
    const s = await session(OPERATOR.key, 'web', { visitorToken: mvnoChat.visitorToken });
    expect(s.contactId).not.toBe(mvnoChat.contactId);
    expect(s.conversationId).not.toBe(mvnoChat.conversationId);
  });
});
