// Agents: sign-in, the ticket list, and working a conversation through frames and the API.
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ConversationListResponse, ConversationSummary } from '../../protocol';
import { Client, OPERATOR, agentSocketToken, api, drainToD1, expectError, login, seed, session } from '../helpers';
import { DEMO_PASSWORD } from '../../scripts/demo-seed';

beforeAll(seed);

describe('sign-in', () => {
  it('sets an HttpOnly SameSite session cookie, and logout ends the session', async () => {
    const res = await api('/v1/agent/login', { method: 'POST', json: { email: 'Anna@Northwind.test ', password: DEMO_PASSWORD } });
    expect(res.status).toBe(200);
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const session = cookie.split(';')[0]!;
    const me = await api('/v1/agent/me', { cookie: session });
    expect(((await me.json()) as { agent: { email: string; role: string } }).agent).toMatchObject({ email: 'anna@northwind.test', role: 'agent' });
    await api('/v1/agent/logout', { method: 'POST', cookie: session });
    await expectError(await api('/v1/agent/me', { cookie: session }), 401, 'auth.required');
  });

  it('refuses a wrong password and an unknown email alike', async () => {
    await expectError(await api('/v1/agent/login', { method: 'POST', json: { email: 'anna@northwind.test', password: 'nope' } }), 401, 'auth.invalid_credentials');
    await expectError(await api('/v1/agent/login', { method: 'POST', json: { email: 'ghost@northwind.test', password: DEMO_PASSWORD } }), 401, 'auth.invalid_credentials');
  });

  it('stores passwords as slow PBKDF2 hashes, never as text', async () => {
    const row = await env.DB.prepare("SELECT password_hash FROM agents WHERE email = 'anna@northwind.test'").first<{ password_hash: string }>();
    expect(row!.password_hash).toMatch(/^pbkdf2-sha256\$100000\$/);
    expect(row!.password_hash).not.toContain(DEMO_PASSWORD);
  });

  it('a disabled agent cannot sign in and their session stops working', async () => {
    const cookie = await login('boris@northwind.test');
    await env.DB.prepare("UPDATE agents SET disabled = 1 WHERE email = 'boris@northwind.test'").run();
    try {
      await expectError(await api('/v1/agent/me', { cookie }), 401, 'auth.required');
      await expectError(await api('/v1/agent/login', { method: 'POST', json: { email: 'boris@northwind.test', password: DEMO_PASSWORD } }), 401, 'auth.invalid_credentials');
    } finally {
      await env.DB.prepare("UPDATE agents SET disabled = 0 WHERE email = 'boris@northwind.test'").run();
    }
  });
});

describe('working a conversation', () => {
  it('an agent replies, sees typing and reads, and changes status and assignee by frame', async () => {
    const cookie = await login('anna@northwind.test');
    const s = await session(OPERATOR.key, 'modem');
    const customer = (await Client.join(s.conversationId, s.socketToken)).client;
    const { client: agent, welcome } = await Client.join(s.conversationId, await agentSocketToken(cookie, s.conversationId));
    expect(welcome.you).toMatchObject({ role: 'agent', name: 'Anna' });

    customer.send({ type: 'typing.set', on: true });
    expect(await agent.next('typing')).toMatchObject({ on: true, author: { role: 'customer' } });
    const seq = await customer.say('My modem says no service');
    agent.send({ type: 'read.set', seq });
    expect(await customer.next('read')).toMatchObject({ seq, author: { role: 'agent', name: 'Anna' } });
    await agent.say('Let me check the tower near you');
    const reply = (await customer.next('message.created')).message;
    expect(reply).toMatchObject({ text: 'My modem says no service', channel: 'modem' });
    expect((await customer.next('message.created')).message).toMatchObject({ author: { role: 'agent', name: 'Anna' }, text: 'Let me check the tower near you' });

    const annaId = OPERATOR.agents[2]!.id;
    // Answering an unassigned conversation makes it hers: agents see who, the customer only a name.
    expect(await agent.next('conversation.updated')).toMatchObject({ assignee: { id: annaId, name: 'Anna' }, priority: 'normal' });
    expect((await customer.next('conversation.updated')).assignee).toEqual({ name: 'Anna' });
    agent.send({ type: 'conversation.update', priority: 'high' });
    expect(await agent.next('conversation.updated')).toMatchObject({ assignee: { id: annaId, name: 'Anna' }, priority: 'high', status: 'open' });
    expect(await customer.next('conversation.updated')).not.toHaveProperty('priority');
    agent.send({ type: 'conversation.update', status: 'resolved' });
    expect(await customer.next('conversation.updated')).toMatchObject({ status: 'resolved' });

    // CSAT: one rating per conversation, changeable a few times, not stackable: of fifty alternating
    // presses the first five change it; after that each press that would change it (the 23 'good'
    // ones) is refused with a time to wait, and each that repeats the stored 'bad' changes nothing.
    for (let i = 0; i < 50; i++) customer.send({ type: 'csat.rate', score: i % 2 ? 'good' : 'bad', comment: 'fast' });
    await customer.say('thanks!'); // the frames before it are handled in order
    const refusals = customer.frames.filter((f) => f.type === 'error');
    expect(refusals).toHaveLength(23);
    expect(refusals.every((f) => f.type === 'error' && f.code === 'rate.limited' && (f.retryAfter ?? 0) >= 1)).toBe(true);
    await drainToD1(s.conversationId);
    const row = await env.DB.prepare('SELECT csat_score, csat_comment, status, assignee_id, priority FROM conversations WHERE id = ?').bind(s.conversationId).first();
    // The customer's "thanks!" after resolution reopened it: a reopened conversation starts without
    // the old score (issue 11); the rating itself stays in the audit log.
    expect(row).toEqual({ csat_score: null, csat_comment: null, status: 'open', assignee_id: annaId, priority: 'high' });
    const kinds = (await env.DB.prepare('SELECT kind FROM conversation_events WHERE conversation_id = ? ORDER BY seq').bind(s.conversationId).all<{ kind: string }>()).results.map((e) => e.kind);
    const csat = kinds.filter((k) => k.startsWith('csat.'));
    expect({ rated: csat.includes('csat.rated'), last: csat.at(-1) }).toEqual({ rated: true, last: 'csat.cleared' });
    const ratings = await env.DB.prepare("SELECT COUNT(*) AS n FROM conversation_events WHERE conversation_id = ? AND kind = 'csat.rated'").bind(s.conversationId).first<{ n: number }>();
    expect(ratings?.n).toBe(5);
    const events = await env.DB.prepare('SELECT kind, actor_role FROM conversation_events WHERE conversation_id = ? ORDER BY seq').bind(s.conversationId).all();
    expect(events.results.filter((e) => e.kind === 'assignee.changed')).toEqual([{ kind: 'assignee.changed', actor_role: 'agent' }]);
    expect(events.results.filter((e) => e.kind === 'priority.changed')).toEqual([{ kind: 'priority.changed', actor_role: 'agent' }]);
    expect(events.results.filter((e) => e.kind === 'status.changed').map((e) => e.actor_role)).toEqual(['agent', 'customer']);
    customer.close();
    agent.close();
  });

  it('replies through the API are deduplicated like socket messages', async () => {
    const cookie = await login('anna@northwind.test');
    const s = await session(OPERATOR.key, 'app');
    const customer = (await Client.join(s.conversationId, s.socketToken)).client;
    const send = () => api(`/v1/agent/conversations/${s.conversationId}/messages`, { method: 'POST', cookie, json: { clientId: 'api-1', text: 'We fixed it' } });
    const first = (await (await send()).json()) as { seq: number };
    const second = (await (await send()).json()) as { seq: number };
    expect(second.seq).toBe(first.seq);
    expect((await customer.next('message.created')).message).toMatchObject({ text: 'We fixed it', channel: 'api', author: { role: 'agent' } });
    customer.close();
  });

  it('assigning an unknown agent is refused and changes nothing', async () => {
    const cookie = await login('supervisor@northwind.test');
    const s = await session(OPERATOR.key, 'web');
    const res = await api(`/v1/agent/conversations/${s.conversationId}`, { method: 'PATCH', cookie, json: { assigneeId: 'nobody' } });
    await expectError(res, 404, 'agent.not_found');
    const detail = (await (await api(`/v1/agent/conversations/${s.conversationId}`, { cookie })).json()) as { state: { assignee: unknown } };
    expect(detail.state.assignee).toBeNull();
  });
});

describe('the ticket list', () => {
  it('filters by status and assignee and pages by cursor without repeats or gaps', async () => {
    const cookie = await login('supervisor@northwind.test');
    const borisId = OPERATOR.agents[3]!.id;
    const created: string[] = [];
    for (let i = 0; i < 7; i++) {
      const s = await session(OPERATOR.key, 'web');
      created.push(s.conversationId);
      const patch = i % 2 === 0 ? { status: 'pending', assigneeId: borisId } : { status: 'pending' };
      expect((await api(`/v1/agent/conversations/${s.conversationId}`, { method: 'PATCH', cookie, json: patch })).status).toBe(200);
      await drainToD1(s.conversationId);
    }
    // Other tests of this file may leave pending conversations too: this one checks its own seven
    // are all there, each once, and that the filters keep exactly the right ones of them.
    const pages: ConversationSummary[][] = [];
    let cursor: string | null = null;
    do {
      const q: string = `/v1/agent/conversations?status=pending&limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const body = (await (await api(q, { cookie })).json()) as ConversationListResponse;
      pages.push(body.conversations);
      cursor = body.nextCursor;
    } while (cursor);
    const all = pages.flat();
    expect(pages.slice(0, -1).every((p) => p.length === 3)).toBe(true);
    expect(pages.at(-1)!.length).toBeGreaterThanOrEqual(1);
    expect(pages.at(-1)!.length).toBeLessThanOrEqual(3);
    expect(new Set(all.map((c) => c.id)).size).toBe(all.length);
    expect(all.map((c) => c.id)).toEqual(expect.arrayContaining(created));
    expect(all.every((c) => c.status === 'pending')).toBe(true);
    for (let i = 1; i < all.length; i++) expect(all[i - 1]!.updatedAt >= all[i]!.updatedAt).toBe(true);

    const mine = (ids: string[]) => ids.filter((id) => created.includes(id)).sort();
    const boris = (await (await api(`/v1/agent/conversations?assignee=${borisId}&status=pending,open`, { cookie })).json()) as ConversationListResponse;
    expect(mine(boris.conversations.map((c) => c.id))).toEqual(created.filter((_, i) => i % 2 === 0).sort());
    expect(boris.conversations.every((c) => c.assignee?.id === borisId)).toBe(true);
    expect(boris.conversations[0]!.assignee).toEqual({ id: borisId, name: 'Boris' });
    const unassigned = (await (await api('/v1/agent/conversations?assignee=none&status=pending', { cookie })).json()) as ConversationListResponse;
    expect(mine(unassigned.conversations.map((c) => c.id))).toEqual(created.filter((_, i) => i % 2 === 1).sort());
    expect(unassigned.conversations.every((c) => c.assignee === null)).toBe(true);
  });
});
