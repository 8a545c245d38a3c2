// Every bad input gets the one error shape (or a 44xx close), and nothing stored changes.
import { runInDurableObject } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { MAX_TEXT } from '../../protocol';
import type { SessionResponse } from '../../protocol';
import { Client, OPERATOR, api, conversationStub, expectError, identityToken, login, seed, session } from '../helpers';

let chat: SessionResponse;
let agentCookie: string;

/** Messages stored in a conversation's object. */
async function storedCount(conversationId = chat.conversationId): Promise<number> {
  return runInDurableObject(conversationStub(conversationId), (_o, state) => state.storage.sql.exec<{ n: number }>('SELECT COUNT(*) AS n FROM messages').one().n);
}

/** A fresh conversation of its own for one test, with its customer joined. */
async function freshChat(): Promise<{ chat: SessionResponse; customer: Client }> {
  const s = await session(OPERATOR.key, 'web');
  return { chat: s, customer: (await Client.join(s.conversationId, s.socketToken)).client };
}

// Shared and never changed by a test: the conversation the HTTP and socket refusals aim at. Each
// test that counts stored messages compares with its own count before, not with a number left behind.
beforeAll(async () => {
  await seed();
  agentCookie = await login('anna@northwind.test');
  chat = await session(OPERATOR.key, 'web');
});

describe('HTTP bodies', () => {
  const post = (json: unknown) => api('/v1/widget/session', { method: 'POST', json });

  it('malformed JSON', async () => {
    await expectError(await api('/v1/widget/session', { method: 'POST', body: '{"brand":', headers: { 'content-type': 'application/json' } }), 400, 'request.invalid_json');
  });
  it('not JSON at all', async () => {
    await expectError(await api('/v1/widget/session', { method: 'POST', body: 'brand=operator', headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 400, 'request.invalid');
  });
  it('wrong field types and unknown fields', async () => {
    await expectError(await post({ brand: 42, channel: 'web' }), 400, 'request.invalid');
    await expectError(await post({ brand: OPERATOR.key, channel: 'fax' }), 400, 'request.invalid');
    await expectError(await post({ brand: OPERATOR.key, channel: 'web', admin: true }), 400, 'request.invalid');
  });
  it('unknown brand', async () => {
    await expectError(await post({ brand: 'nobody', channel: 'web' }), 404, 'brand.not_found');
  });
  it('invalid, expired and unsigned identity tokens', async () => {
    await expectError(await post({ brand: OPERATOR.key, channel: 'web', identityToken: 'not.a.jwt' }), 401, 'auth.token_invalid');
    const expired = await identityToken(OPERATOR.identitySecret, 'u1', { expiresIn: -60 });
    await expectError(await post({ brand: OPERATOR.key, channel: 'web', identityToken: expired }), 401, 'auth.token_expired');
    const wrongKey = await identityToken('not-the-secret', 'u1');
    await expectError(await post({ brand: OPERATOR.key, channel: 'web', identityToken: wrongKey }), 401, 'auth.token_invalid');
    const unsigned = `${btoa('{"alg":"none"}')}.${btoa(JSON.stringify({ sub: 'u1', exp: 9999999999 }))}.`.replace(/=/g, '');
    await expectError(await post({ brand: OPERATOR.key, channel: 'web', identityToken: unsigned }), 401, 'auth.token_invalid');
  });
  it('an identity token without exp is refused', async () => {
    const { SignJWT } = await import('jose');
    const noExp = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('u1').sign(new TextEncoder().encode(OPERATOR.identitySecret));
    await expectError(await post({ brand: OPERATOR.key, channel: 'web', identityToken: noExp }), 401, 'auth.token_invalid');
  });
  it('a disallowed Origin', async () => {
    const res = await api('/v1/widget/session', { method: 'POST', json: { brand: OPERATOR.key, channel: 'web' }, headers: { origin: 'https://evil.example' } });
    await expectError(res, 403, 'auth.origin_forbidden');
  });
  it('an allowed Origin passes', async () => {
    const res = await api('/v1/widget/session', { method: 'POST', json: { brand: OPERATOR.key, channel: 'web' }, headers: { origin: 'http://localhost:8787' } });
    expect(res.status).toBe(200);
  });
  it('a text over 8,000 characters through the agent API', async () => {
    const before = await storedCount();
    const res = await api(`/v1/agent/conversations/${chat.conversationId}/messages`, { method: 'POST', cookie: agentCookie, json: { clientId: 'long', text: 'x'.repeat(MAX_TEXT + 1) } });
    await expectError(res, 400, 'message.too_long');
    expect(await storedCount()).toBe(before);
  });
  it('an unknown route, and a list with a forged cursor', async () => {
    await expectError(await api('/v1/nothing'), 404, 'request.not_found');
    await expectError(await api('/v1/agent/conversations?cursor=garbage', { cookie: agentCookie }), 400, 'request.invalid');
    await expectError(await api('/v1/agent/conversations?status=sleeping', { cookie: agentCookie }), 400, 'request.invalid');
  });
  it('agent routes without a session', async () => {
    await expectError(await api('/v1/agent/conversations'), 401, 'auth.required');
    await expectError(await api('/v1/agent/me', { cookie: 'sb_session=forged' }), 401, 'auth.required');
  });
});

describe('socket frames', () => {
  it('bad frames get an error frame and the socket lives on', async () => {
    const { chat: own, customer } = await freshChat();
    expect(await customer.say('the one good message')).toBe(1);
    customer.sendRaw('{not json');
    expect((await customer.next('error')).code).toBe('frame.invalid_json');
    customer.send({ type: 'message.explode' });
    expect((await customer.next('error')).code).toBe('frame.invalid');
    customer.send({ type: 'message.send', clientId: 42, text: 'typed wrong' });
    expect((await customer.next('error')).code).toBe('frame.invalid');
    customer.send({ type: 'message.send', clientId: 'too-long', text: 'x'.repeat(MAX_TEXT + 1) });
    const tooLong = await customer.next('error');
    expect(tooLong).toMatchObject({ code: 'message.too_long', ref: 'too-long' });
    customer.send({ type: 'message.send', clientId: 'empty', text: '' });
    expect(await customer.next('error')).toMatchObject({ code: 'message.empty', ref: 'empty' });
    customer.send({ type: 'conversation.update', status: 'resolved' });
    expect((await customer.next('error')).code).toBe('auth.forbidden');
    customer.send({ type: 'csat.rate', score: 'good' });
    expect((await customer.next('error')).code).toBe('csat.not_resolved');
    // Still open and working, and nothing was stored by any of the above.
    expect(customer.closed).toBeNull();
    expect(await customer.say('still here')).toBe(2);
    expect(await storedCount(own.conversationId)).toBe(2);
    customer.close();
  });

  it('a frame before hello is refused without storing it', async () => {
    const { chat: own, customer } = await freshChat();
    await customer.say('already here');
    const before = await storedCount(own.conversationId);
    const c = await Client.open(own.conversationId);
    c.send({ type: 'message.send', clientId: 'early', text: 'sneaky' });
    expect((await c.next('error')).code).toBe('auth.hello_required');
    expect(await storedCount(own.conversationId)).toBe(before);
    c.close();
    customer.close();
  });

  it('no hello within 5 s closes with 4401', async () => {
    const c = await Client.open(chat.conversationId);
    const started = Date.now();
    const closed = await c.closedWith(9000);
    expect(closed.code).toBe(4401);
    expect(Date.now() - started).toBeGreaterThanOrEqual(4500);
  }, 15_000);

  it('an invalid token closes with 4401', async () => {
    const c = await Client.open(chat.conversationId);
    c.send({ type: 'hello', token: 'garbage', lastSeq: 0 });
    expect((await c.next('error')).code).toBe('auth.token_invalid');
    expect((await c.closedWith()).code).toBe(4401);
  });

  it('an expired token closes with 4401', async () => {
    const { SignJWT } = await import('jose');
    const now = Math.floor(Date.now() / 1000);
    const expired = await new SignJWT({ tid: 't', cid: chat.conversationId, role: 'customer' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(chat.contactId)
      .setAudience('switchboard:socket')
      .setExpirationTime(now - 10)
      .sign(new TextEncoder().encode('test-socket-secret'));
    const c = await Client.open(chat.conversationId);
    c.send({ type: 'hello', token: expired, lastSeq: 0 });
    expect((await c.next('error')).code).toBe('auth.token_expired');
    expect((await c.closedWith()).code).toBe(4401);
  });

  it('an identity token is not a socket token', async () => {
    const c = await Client.open(chat.conversationId);
    c.send({ type: 'hello', token: await identityToken(OPERATOR.identitySecret, chat.contactId), lastSeq: 0 });
    expect((await c.closedWith()).code).toBe(4401);
  });

  it('a disallowed Origin cannot open the socket', async () => {
    await expect(Client.open(chat.conversationId, { origin: 'https://evil.example' })).rejects.toThrow(/403/);
  });

  it('an unknown conversation cannot be opened', async () => {
    await expect(Client.open('00000000-0000-7000-8000-000000000000')).rejects.toThrow(/404/);
  });
});
