// One person, one conversation: the same verified `sub` on web, app and modem lands in one thread,
// and an anonymous visitor who identifies brings their history along.
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { Client, OPERATOR, api, drainToD1, identityToken, login, seed, session } from '../../helpers';

let agentCookie: string;
beforeAll(async () => {
  await seed();
  agentCookie = await login('boris@northwind.test');
});

describe('the unified conversation ID', () => {
  it('the same sub on web, app and modem is one conversation whose messages carry three channels', async () => {
    const sub = `subscriber-${crypto.randomUUID()}`;
    const ids: string[] = [];
    for (const channel of ['web', 'app', 'modem'] as const) {
      const s = await session(OPERATOR.key, channel, { identityToken: await identityToken(OPERATOR.identitySecret, sub, { name: 'Ivan' }) });
      ids.push(s.conversationId);
      const { client } = await Client.join(s.conversationId, s.socketToken);
      await client.say(`from ${channel}`);
      client.close();
    }
    expect(new Set(ids).size).toBe(1);

    const res = await api(`/v1/agent/conversations/${ids[0]}`, { cookie: agentCookie });
    const detail = (await res.json()) as { messages: { channel: string; text: string }[]; state: { channels: string[] } };
    expect(detail.messages.map((m) => [m.channel, m.text])).toEqual([
      ['web', 'from web'],
      ['app', 'from app'],
      ['modem', 'from modem'],
    ]);
    expect(detail.state.channels).toEqual(['web', 'app', 'modem']);
  });

  it('a new conversation starts only after the previous one is resolved', async () => {
    const token = await identityToken(OPERATOR.identitySecret, `sub-${crypto.randomUUID()}`);
    const first = await session(OPERATOR.key, 'app', { identityToken: token });
    expect((await session(OPERATOR.key, 'web', { identityToken: token })).conversationId).toBe(first.conversationId);
    const res = await api(`/v1/agent/conversations/${first.conversationId}`, { method: 'PATCH', json: { status: 'resolved' }, cookie: agentCookie });
    expect(res.status).toBe(200);
    await drainToD1(first.conversationId);
    const second = await session(OPERATOR.key, 'web', { identityToken: token });
    expect(second.conversationId).not.toBe(first.conversationId);
    expect(second.contactId).toBe(first.contactId);
  });

  it('an anonymous visitor who identifies keeps their conversation and becomes the contact', async () => {
    const anon = await session(OPERATOR.key, 'web');
    const { client } = await Client.join(anon.conversationId, anon.socketToken);
    await client.say('I have no signal');
    client.close();
    const sub = `sub-${crypto.randomUUID()}`;
    const identified = await session(OPERATOR.key, 'web', { visitorToken: anon.visitorToken, identityToken: await identityToken(OPERATOR.identitySecret, sub) });
    expect(identified.conversationId).toBe(anon.conversationId);
    expect(identified.contactId).toBe(anon.contactId);
    // The app, identified as the same person, now joins that very thread.
    const app = await session(OPERATOR.key, 'app', { identityToken: await identityToken(OPERATOR.identitySecret, sub) });
    const { welcome } = await Client.join(app.conversationId, app.socketToken);
    expect(welcome.messages.map((m) => m.text)).toEqual(['I have no signal']);
  });

  it("an anonymous visitor's history joins the identified contact's open thread", async () => {
    const sub = `sub-${crypto.randomUUID()}`;
    const known = await session(OPERATOR.key, 'app', { identityToken: await identityToken(OPERATOR.identitySecret, sub) });
    const k = await Client.join(known.conversationId, known.socketToken);
    await k.client.say('from the app, signed in');

    const anon = await session(OPERATOR.key, 'web');
    const a = await Client.join(anon.conversationId, anon.socketToken);
    await a.client.say('from the website, anonymous');
    await a.client.say('still anonymous');

    const joined = await session(OPERATOR.key, 'web', { visitorToken: anon.visitorToken, identityToken: await identityToken(OPERATOR.identitySecret, sub) });
    expect(joined.conversationId).toBe(known.conversationId);
    expect(joined.contactId).toBe(known.contactId);
    // The open socket of the anonymous thread learns where the conversation went.
    const moved = await a.client.next('conversation.updated');
    expect(moved).toMatchObject({ status: 'closed', mergedInto: known.conversationId });
    // The signed-in app socket receives the history live.
    expect((await k.client.next('message.created')).message.text).toBe('from the app, signed in');
    expect((await k.client.next('message.created')).message).toMatchObject({ text: 'from the website, anonymous', channel: 'web', author: { role: 'customer' } });

    const { welcome } = await Client.join(joined.conversationId, joined.socketToken);
    expect(welcome.messages.map((m) => m.text)).toEqual(['from the app, signed in', 'from the website, anonymous', 'still anonymous']);
    expect(welcome.conversation.channels).toEqual(['app', 'web']);

    // Retrying the same identification copies nothing twice.
    const again = await session(OPERATOR.key, 'web', { visitorToken: joined.visitorToken, identityToken: await identityToken(OPERATOR.identitySecret, sub) });
    expect(again.conversationId).toBe(known.conversationId);
    const rejoin = await Client.join(again.conversationId, again.socketToken);
    expect(rejoin.welcome.messages).toHaveLength(3);

    // D1 agrees: the anonymous contact is merged and its conversation points at the thread.
    await drainToD1(anon.conversationId);
    const row = await env.DB.prepare('SELECT status, merged_into, contact_id FROM conversations WHERE id = ?').bind(anon.conversationId).first();
    expect(row).toEqual({ status: 'closed', merged_into: known.conversationId, contact_id: known.contactId });
    const contact = await env.DB.prepare('SELECT merged_into FROM contacts WHERE id = ?').bind(anon.contactId).first();
    expect(contact).toEqual({ merged_into: known.contactId });
    for (const c of [k.client, a.client, rejoin.client]) c.close();
  });

  it('a shared device signed into by someone else does not hand over the first person\'s thread', async () => {
    const alice = await session(OPERATOR.key, 'web', { identityToken: await identityToken(OPERATOR.identitySecret, `alice-${crypto.randomUUID()}`) });
    const bob = await session(OPERATOR.key, 'web', { visitorToken: alice.visitorToken, identityToken: await identityToken(OPERATOR.identitySecret, `bob-${crypto.randomUUID()}`) });
    expect(bob.contactId).not.toBe(alice.contactId);
    expect(bob.conversationId).not.toBe(alice.conversationId);
    expect(bob.visitorToken).not.toBe(alice.visitorToken);
  });
});
