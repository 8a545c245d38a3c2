// Search (issue 11): messages, notes, contacts (by name, exact e-mail, exact phone number) and
// ticket numbers, ranked, with highlighted snippets; the index holds masked text only; tenant and
// team walls; filters and a cursor; bad input in the one error shape. Real D1 (FTS5), real Durable
// Objects and sockets.
import { env } from 'cloudflare:test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContactCard, SearchResponse } from '../../protocol';
import { Client, MVNO, OPERATOR, agentSocketToken, api, drainToD1, expectError, identityToken, login, seed, session } from '../helpers';

let boris: string; // roaming, modem, general
let anna: string; // billing, general
let supervisor: string;
let otherTenant: string;
const open: Client[] = [];
/** A word no other test writes, so every count below is this file's own. */
const WORD = `tallinnsk${Math.floor(Math.random() * 1e6)}`;
let roaming: { id: string; number: number };

async function find(cookie: string, query: string): Promise<SearchResponse> {
  const res = await api(`/v1/agent/search?${query}`, { cookie });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as SearchResponse;
}

/** The snippet's highlighted parts, as the inbox marks them. */
const marked = (h: SearchResponse['hits'][number]) => h.highlights.map(([a, b]) => h.snippet.slice(a, b));

beforeAll(async () => {
  await seed();
  [boris, anna, supervisor, otherTenant] = await Promise.all([login('boris@northwind.test'), login('anna@northwind.test'), login('supervisor@northwind.test'), login('admin@volna.test')]);
  // A signed-in subscriber picks Roaming and writes a phone number; Boris answers with a note.
  const token = await identityToken(OPERATOR.identitySecret, `sub-search-${WORD}`, { name: 'Zoya Searchova', email: `zoya.${WORD}@example.com` });
  const s = await session(OPERATOR.key, 'web', { identityToken: token });
  const { client } = await Client.join(s.conversationId, s.socketToken);
  open.push(client);
  client.send({ type: 'prechat', topic: 'roaming' });
  await client.say(`My roaming bill in ${WORD} lists +7 916 123-45-67 twice`);
  await client.say('And the data pack did not start');
  const agent = (await Client.join(s.conversationId, await agentSocketToken(boris, s.conversationId))).client;
  open.push(agent);
  agent.send({ type: 'note.send', clientId: `note-${WORD}`, text: `Ask the Estonian partner about ${WORD}` });
  await agent.next('message.ack');
  await drainToD1(s.conversationId);
  const detail = (await (await api(`/v1/agent/conversations/${s.conversationId}`, { cookie: boris })).json()) as { conversation: { number: number } };
  roaming = { id: s.conversationId, number: detail.conversation.number };
});

afterAll(() => {
  for (const c of open) c.close();
});

describe('search', () => {
  it('finds a message by a word and by the prefix being typed, highlighted, with the phone number masked', async () => {
    for (const q of [WORD, WORD.slice(0, 7)]) {
      const { hits } = await find(boris, `q=${q}`);
      const hit = hits.find((h) => h.kind === 'message');
      expect(hit, q).toMatchObject({ conversationId: roaming.id, number: roaming.number, seq: 1 });
      expect(marked(hit!)).toEqual([WORD]);
      expect(hit!.snippet).toBe(`My roaming bill in ${WORD} lists +• ••• •••-••-67 twice`);
      expect(hit!.snippet).not.toMatch(/916|123-45/);
    }
  });

  it('never finds the digits of a personal number: the index holds them masked', async () => {
    const { hits } = await find(supervisor, 'q=916 123');
    expect(hits.filter((h) => h.conversationId === roaming.id)).toEqual([]);
  });

  it('finds notes for agents, a ticket by its number, and a contact by name or exact e-mail', async () => {
    const note = (await find(boris, 'q=estonian partner')).hits.find((h) => h.conversationId === roaming.id);
    expect(note).toMatchObject({ kind: 'note', seq: 1 });
    expect(marked(note!)).toEqual(['Estonian', 'partner']);
    expect((await find(boris, `q=%23${roaming.number}`)).hits[0]).toMatchObject({ kind: 'ticket', conversationId: roaming.id, snippet: `#${roaming.number}` });
    expect((await find(boris, 'q=Zoya Search')).hits.find((h) => h.conversationId === roaming.id)).toMatchObject({ kind: 'contact', snippet: 'Zoya Searchova' });
    expect((await find(boris, `q=${encodeURIComponent(`Zoya.${WORD}@Example.com`)}`)).hits.map((h) => [h.kind, h.conversationId])).toEqual([['contact', roaming.id]]);
    // An e-mail is matched exactly, never by a part of it.
    expect((await find(boris, `q=${encodeURIComponent(`oya.${WORD}@example.com`)}`)).hits.filter((h) => h.kind === 'contact')).toEqual([]);
  });

  it("finds a contact by the partner's own id for them, exactly, and only within the tenant", async () => {
    const id = `sub-search-${WORD}`;
    const hit = (await find(boris, `q=${id}`)).hits.find((h) => h.kind === 'contact');
    expect(hit).toMatchObject({ conversationId: roaming.id, snippet: `Zoya Searchova · ${id}` });
    expect(marked(hit!)).toEqual([id]);
    expect((await find(boris, `q=${id.slice(0, -2)}`)).hits.filter((h) => h.kind === 'contact')).toEqual([]);
    expect((await find(otherTenant, `q=${id}`)).hits).toEqual([]);
  });

  it('keeps to the tenant and the team wall', async () => {
    // Anna is in billing and general, not roaming: nothing of the roaming conversation, in any form.
    for (const q of [WORD, `%23${roaming.number}`, 'Zoya']) expect((await find(anna, `q=${q}`)).hits.filter((h) => h.conversationId === roaming.id)).toEqual([]);
    // The supervisor supervises every team of the tenant.
    expect((await find(supervisor, `q=${WORD}`)).hits.map((h) => h.kind).sort()).toEqual(['message', 'note']);
    // Another tenant's admin sees nothing of this tenant.
    expect((await find(otherTenant, `q=${WORD}`)).hits).toEqual([]);
    expect((await find(otherTenant, `q=%23${roaming.number}`)).hits.filter((h) => h.conversationId === roaming.id)).toEqual([]);
    expect(MVNO.id).not.toBe(OPERATOR.id);
  });

  it('filters by status, channel, team, assignee, topic and time', async () => {
    const has = async (query: string) => (await find(supervisor, `q=${WORD}&${query}`)).hits.some((h) => h.conversationId === roaming.id);
    expect(await has('team=roaming')).toBe(true);
    expect(await has('team=billing')).toBe(false);
    expect(await has('topic=roaming')).toBe(true);
    expect(await has('topic=billing')).toBe(false);
    expect(await has('channel=web')).toBe(true);
    expect(await has('channel=modem')).toBe(false);
    expect(await has('status=open,pending')).toBe(true);
    expect(await has('status=resolved')).toBe(false);
    // Nobody has the inbox open here, so nobody was given it; a note does not take it either.
    expect(await has('assignee=none')).toBe(true);
    expect(await has('assignee=me')).toBe(false);
    expect(await has(`from=${Date.now() + 60_000}`)).toBe(false);
    expect(await has(`to=${Date.now() + 60_000}`)).toBe(true);
  });

  it('pages by cursor without repeats', async () => {
    const first = await find(supervisor, `q=${WORD}&limit=1`);
    expect(first.hits).toHaveLength(1);
    expect(first.nextCursor).not.toBeNull();
    const second = await find(supervisor, `q=${WORD}&limit=1&cursor=${first.nextCursor}`);
    expect(second.hits).toHaveLength(1);
    expect(second.hits[0]!.kind).not.toBe(first.hits[0]!.kind);
    expect(second.nextCursor).toBeNull();
  });

  it("finds a match of the team's own behind hundreds of newer ones in other teams", async () => {
    // 600 newer messages with the word, in a billing ticket Boris may not see, written straight into D1.
    const word = `${WORD}z`;
    const billing = `search-billing-${WORD}`;
    const now = Date.now();
    await env.DB.prepare("INSERT INTO conversations (id, tenant_id, number, contact_id, status, priority, channels, created_at, updated_at, last_seq, version, opened_at, team_id) SELECT ?, ?, 990000 + abs(random() % 9999), contact_id, 'open', 'normal', '[\"web\"]', ?, ?, 600, 1, ?, 'billing' FROM conversations WHERE id = ?")
      .bind(billing, OPERATOR.id, now, now, now, roaming.id).run();
    const older = `search-roaming-${WORD}`;
    await env.DB.prepare("INSERT INTO conversations (id, tenant_id, number, contact_id, status, priority, channels, created_at, updated_at, last_seq, version, opened_at, team_id) SELECT ?, ?, 980000 + abs(random() % 9999), contact_id, 'open', 'normal', '[\"web\"]', ?, ?, 1, 1, ?, 'roaming' FROM conversations WHERE id = ?")
      .bind(older, OPERATOR.id, now - 60_000, now - 60_000, now - 60_000, roaming.id).run();
    const insert = "INSERT INTO messages (conversation_id, seq, tenant_id, id, client_id, author_role, channel, text, created_at, text_masked) VALUES (?, ?, ?, ?, ?, 'customer', 'web', ?, ?, ?)";
    await env.DB.prepare(insert).bind(older, 1, OPERATOR.id, `${older}-1`, `${older}-1`, `old ${word}`, now - 60_000, `old ${word}`).run();
    const rows = Array.from({ length: 600 }, (_, i) => env.DB.prepare(insert).bind(billing, i + 1, OPERATOR.id, `${billing}-${i}`, `${billing}-${i}`, `new ${word}`, now + i, `new ${word}`));
    await env.DB.batch(rows);
    try {
      const { hits } = await find(boris, `q=${word}`);
      expect(hits.map((h) => h.conversationId)).toEqual([older]);
    } finally {
      await env.DB.prepare('DELETE FROM messages WHERE conversation_id IN (?, ?)').bind(billing, older).run();
      await env.DB.prepare('DELETE FROM conversations WHERE id IN (?, ?)').bind(billing, older).run();
    }
  });

  it('answers bad input in the one error shape', async () => {
    await expectError(await api('/v1/agent/search?q=', { cookie: boris }), 400, 'request.invalid');
    await expectError(await api(`/v1/agent/search?q=${WORD}&cursor=bogus`, { cookie: boris }), 400, 'request.invalid');
    await expectError(await api(`/v1/agent/search?q=${WORD}&limit=500`, { cookie: boris }), 400, 'request.invalid');
    await expectError(await api(`/v1/agent/search?q=${WORD}`), 401, 'auth.required');
    // FTS syntax typed by an agent is only words.
    expect((await find(boris, `q=${encodeURIComponent('"unbalanced OR NEAR(')}`)).hits).toEqual([]);
  });
});

describe('search by an exact phone number', () => {
  const NAME = 'Peteris Phonebook';
  let phoned: { id: string }; // operator, roaming: Boris and the supervisor see it, Anna does not
  let elsewhere: { id: string }; // another tenant's subscriber with the same number

  /** A subscriber the partner signed with `phone`, writing on the given brand (and topic). */
  async function subscriber(brand: typeof OPERATOR, sub: string, phone: string, text: string, topic?: string): Promise<{ id: string }> {
    const s = await session(brand.key, 'app', { identityToken: await identityToken(brand.identitySecret, sub, { name: NAME, phone }) });
    const { client } = await Client.join(s.conversationId, s.socketToken);
    open.push(client);
    if (topic) client.send({ type: 'prechat', topic });
    await client.say(text);
    await drainToD1(s.conversationId);
    return { id: s.conversationId };
  }

  /** The contact hits of a phone query, after checking no snippet of the answer shows the number. */
  async function phoneHits(cookie: string, q: string): Promise<SearchResponse['hits']> {
    const { hits } = await find(cookie, `q=${encodeURIComponent(q)}`);
    for (const h of hits) expect(h.snippet, q).not.toMatch(/371|2912|3456|\d{3}/);
    return hits.filter((h) => h.kind === 'contact');
  }

  beforeAll(async () => {
    phoned = await subscriber(OPERATOR, `sub-phone-${WORD}`, '+371 2912-3456', `Call me back on +371 2912 3456 about ${WORD}p`, 'roaming');
    elsewhere = await subscriber(MVNO, `sub-phone-${WORD}`, '0037129123456', 'Перезвоните мне');
  });

  it('finds the contact by the number in any common spelling, the number masked and marked', async () => {
    const first = await phoneHits(boris, '+371 2912 3456');
    expect(first.map((h) => [h.conversationId, h.snippet])).toEqual([[phoned.id, `${NAME} · +••• •••• ••56`]]);
    expect(marked(first[0]!)).toEqual(['+••• •••• ••56']);
    for (const q of ['+37129123456', '0037129123456', '00 371 2912-3456', '(+371) 2912.3456', '+371\u00a02912\u20113456']) {
      const hits = await phoneHits(boris, q);
      expect(hits.map((h) => h.conversationId), q).toEqual([phoned.id]);
      expect(marked(hits[0]!)[0]!.replace(/\D/g, ''), q).toBe('56');
    }
  });

  it('keeps the number hashed per tenant, and each tenant finds only its own subscriber', async () => {
    const rows = await env.DB.prepare("SELECT tenant_id, value FROM contact_identities WHERE kind = 'phone'").all<{ tenant_id: string; value: string }>();
    expect(rows.results.map((r) => r.tenant_id).sort()).toEqual([OPERATOR.id, MVNO.id].sort());
    const [a, b] = rows.results;
    expect(a!.value).not.toBe(b!.value);
    for (const r of rows.results) expect(r.value).toMatch(/^[0-9a-f]{64}$/);
    expect((await phoneHits(otherTenant, '+371 2912 3456')).map((h) => h.conversationId)).toEqual([elsewhere.id]);
    expect((await phoneHits(supervisor, '+371 2912 3456')).map((h) => h.conversationId)).toEqual([phoned.id]);
    // The contact card says a number was verified; it has neither the number nor its hash to show.
    const card = (await (await api(`/v1/agent/conversations/${phoned.id}`, { cookie: boris })).json()) as { contact: ContactCard };
    expect(card.contact.identities.filter((i) => i.kind === 'phone')).toEqual([{ kind: 'phone', value: 'verified by the partner' }]);
  });

  it('keeps the team wall: an agent outside the team finds nothing by the number', async () => {
    expect(await phoneHits(anna, '+371 2912 3456')).toEqual([]);
    expect(await phoneHits(anna, '0037129123456')).toEqual([]);
  });

  it('finds the number in a message only in its masked form', async () => {
    const byWord = (await find(boris, `q=${WORD}p`)).hits.filter((h) => h.kind === 'message');
    expect(byWord.map((h) => [h.conversationId, h.snippet])).toEqual([[phoned.id, `Call me back on +••• •••• ••56 about ${WORD}p`]]);
    for (const q of ['2912', '2912 3456', '371 2912']) expect((await find(supervisor, `q=${q}`)).hits.filter((h) => h.conversationId === phoned.id), q).toEqual([]);
  });

  it('answers a query that only looks like a number with no hit and no error', async () => {
    for (const q of ['+', '+371', '+371 2912', '+1234567890123456', '++37129123456', '+0371 2912 3456', '+371 2912 3456 ext', '0037129123456789012', '+371 29l2 3456']) {
      expect(await phoneHits(boris, q), q).toEqual([]);
    }
  });
});
