// Every field an agent can read over REST shows personal numbers masked, whichever way they came in
// (chat message, away form, identity token, host-page attributes, CSAT, notes typed by agents),
// until an agent reveals one: that returns the clear text and leaves a pii.revealed event.
import { beforeAll, describe, expect, it } from 'vitest';
import { Client, OPERATOR, agentSocketToken, api, drainToD1, identityToken, login, seed, session } from '../../helpers';
import type { ConversationDetailResponse, ConversationListResponse, QueueFilter, QueueResponse, SessionResponse, SupervisorResponse } from '../../../protocol';

/** A handful of the corpus's writings; test/worker/privacy/mask-corpus.test.ts has them all. */
const PII = {
  phone: '+7 (916) 123-45-67',
  slashes: '916/123/45/67',
  fullwidth: '８９１６１２３４５６７',
  arabicIndic: '٨٩١٦١٢٣٤٥٦٧',
  passportGlued: '4510№123456',
  passportWords: 'серия 4510 номер 123456',
  card: '4111 1111 1111 1111',
};

/** The digits of a secret as plain ASCII. */
function digitsOf(s: string): string {
  return Array.from(s.normalize('NFKC'))
    .filter((c) => /\p{Nd}/u.test(c))
    .map((c) => {
      const cp = c.codePointAt(0)!;
      let zero = cp;
      while (/\p{Nd}/u.test(String.fromCodePoint(zero - 1))) zero--;
      return String((cp - zero) % 10);
    })
    .join('');
}

// Four consecutive digits of a secret would already say too much (a passport series is four).
const FORBIDDEN = [...new Set(Object.values(PII).flatMap((s) => {
  const d = digitsOf(s);
  return Array.from({ length: d.length - 3 }, (_, i) => d.slice(i, i + 4)).filter((w) => w !== '1111' || s === PII.card);
}))];

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/**
 * Where in a response body a clear number shows: every string (and every number a partner sent as
 * an attribute), read as digits with separators and invisible marks dropped, our own ids aside.
 */
function leaks(body: unknown, path = '$'): string[] {
  if (typeof body === 'string' || (typeof body === 'number' && /\.attributes\./.test(path))) {
    const joined = Array.from(String(body).replace(UUID, '|').normalize('NFKC'))
      .map((c) => (/\p{Nd}/u.test(c) ? digitsOf(c) : /[\s\-‐-―−./_()[\]{}№\p{Mn}\p{Me}\p{Cf}]/u.test(c) ? '' : '|'))
      .join('');
    return FORBIDDEN.filter((w) => joined.includes(w)).map((w) => `${path} shows ${w}: ${JSON.stringify(body)}`);
  }
  if (Array.isArray(body)) return body.flatMap((v, i) => leaks(v, `${path}[${i}]`));
  if (body && typeof body === 'object') return Object.entries(body).flatMap(([k, v]) => [...leaks(k, `${path}.<key>`), ...leaks(v, `${path}.${k}`)]);
  return [];
}

/** Poll a read until `ready` holds: D1 is filled by the conversation's alarm, a moment later. */
async function eventually<T>(read: () => Promise<T>, ready: (v: T) => boolean, ids: string[], timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const id of ids) await drainToD1(id);
    const v = await read();
    if (ready(v)) return v;
    if (Date.now() > deadline) throw new Error(`not ready within ${timeoutMs} ms: ${JSON.stringify(v).slice(0, 500)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function getJson<T>(path: string, cookie: string): Promise<T> {
  const res = await api(path, { cookie });
  expect(res.status, `${path}: ${await res.clone().text()}`).toBe(200);
  return (await res.json()) as T;
}

let supervisor: string;
let chat: SessionResponse; // anonymous visitor with host-page attributes, every corpus writing as messages, rated
let identified: SessionResponse; // partner-verified subscriber whose token carries a name with a number
let away: { conversationId: string }; // the away form
let firstSeq: number;
let whileEscalated: unknown[]; // detail and queue rows while the hold note and escalation reason are live

beforeAll(async () => {
  await seed();
  supervisor = await login('supervisor@northwind.test');

  chat = await (async () => {
    const res = await api('/v1/widget/session', {
      method: 'POST',
      json: { brand: OPERATOR.key, channel: 'web', attributes: { phone: PII.phone, passport: PII.passportGlued, msisdn: 79161234567, plan: 'Тариф 350 ₽', [PII.slashes]: 'key' } },
    });
    expect(res.status, await res.clone().text()).toBe(200);
    return (await res.json()) as SessionResponse;
  })();
  const { client } = await Client.join(chat.conversationId, chat.socketToken);
  firstSeq = await client.say(`Мой телефон ${PII.phone}, запасной ${PII.slashes}`);
  for (const text of Object.values(PII).slice(2)) await client.say(`вот: ${text}`);

  const cid = chat.conversationId;
  const patch = (json: unknown) => api(`/v1/agent/conversations/${cid}`, { method: 'PATCH', cookie: supervisor, json });
  expect((await api(`/v1/agent/conversations/${cid}/take`, { method: 'POST', cookie: supervisor })).status).toBe(200);
  const agentSocket = await Client.join(cid, await agentSocketToken(supervisor, cid));
  agentSocket.client.send({ type: 'note.send', clientId: crypto.randomUUID(), text: `клиент продиктовал ${PII.card}` });
  await agentSocket.client.next('note.created');
  agentSocket.client.close();
  expect((await patch({ hold: { note: `перезвоню на ${PII.phone}`, until: Date.now() + 3_600_000 } })).status).toBe(200);
  expect((await api(`/v1/agent/conversations/${cid}/escalate`, { method: 'POST', cookie: supervisor, json: { reason: `проверить ${PII.passportWords}` } })).status).toBe(200);
  whileEscalated = [
    await getJson<ConversationDetailResponse>(`/v1/agent/conversations/${cid}`, supervisor),
    // The Inbox object hears of changes a moment later.
    await eventually(
      () => getJson<QueueResponse>('/v1/agent/queue?filter=escalated&limit=200', supervisor),
      (q) => q.items.some((i) => i.id === cid && i.hold && i.escalation),
      [],
    ),
    await getJson<SupervisorResponse>('/v1/agent/supervisor', supervisor),
  ];
  expect(JSON.stringify(whileEscalated)).toContain('проверить');
  expect((await patch({ hold: null, status: 'resolved' })).status).toBe(200);
  client.send({ type: 'csat.rate', score: 'bad', comment: `списали с карты ${PII.card}` });
  await client.next('conversation.updated');
  client.close();

  const token = await identityToken(OPERATOR.identitySecret, `sub-${crypto.randomUUID()}`, { name: `Иван ${PII.fullwidth}`, email: 'ivan89161234567@mail.test' });
  identified = await session(OPERATOR.key, 'app', { identityToken: token });
  const second = await Client.join(identified.conversationId, identified.socketToken);
  await second.client.say(`паспорт ${PII.passportWords}`);
  second.client.close();

  const offline = await api('/v1/widget/offline-message', {
    method: 'POST',
    json: { brand: OPERATOR.key, name: `Пётр ${PII.arabicIndic}`, email: 'petr@mail.test', text: `перезвоните ${PII.slashes}, паспорт ${PII.passportGlued}` },
  });
  expect(offline.status, await offline.clone().text()).toBe(201);
  away = (await offline.json()) as { conversationId: string };
});

describe('agent REST surfaces show personal numbers masked', () => {
  it('the ticket list', async () => {
    const ids = [chat.conversationId, identified.conversationId, away.conversationId];
    const list = await eventually(
      () => getJson<ConversationListResponse>('/v1/agent/conversations?limit=200', supervisor),
      (l) => ids.every((id) => l.conversations.find((c) => c.id === id)?.lastMessageText),
      ids,
    );
    const rows = list.conversations.filter((c) => ids.includes(c.id));
    expect(rows.map((c) => c.lastMessageText).join(' ')).toContain('•');
    expect(leaks(rows)).toEqual([]);
  });

  it.each([
    ['the visitor with attributes', () => chat.conversationId],
    ['the identified subscriber', () => identified.conversationId],
    ['the away form', () => away.conversationId],
  ])('the D1 parts of the detail (summary and contact card) for %s', async (_, id) => {
    const detail = await eventually(
      () => getJson<ConversationDetailResponse>(`/v1/agent/conversations/${id()}`, supervisor),
      (d) => d.conversation.lastMessageText !== null && d.contact.conversations.every((c) => c.lastMessageText !== null),
      [id()],
    );
    expect(leaks({ conversation: detail.conversation, contact: detail.contact })).toEqual([]);
  });

  it('the contact card keeps what is not a number readable', async () => {
    const { contact } = await getJson<ConversationDetailResponse>(`/v1/agent/conversations/${chat.conversationId}`, supervisor);
    expect(contact.attributes).toMatchObject({ phone: '+• (•••) •••-••-67', passport: '••••№••••56', msisdn: '•••••••••67', plan: 'Тариф 350 ₽', '•••/•••/••/67': 'key' });
    const who = await getJson<ConversationDetailResponse>(`/v1/agent/conversations/${identified.conversationId}`, supervisor);
    expect(who.contact.name).toBe('Иван •••••••••６７');
    expect(who.contact.email).toBe('ivan•••••••••67@mail.test');
  });

  it('the events, with hold note, escalation reason and CSAT comment', async () => {
    const { events } = await eventually(
      () => getJson<{ events: { kind: string; data: Record<string, unknown> }[] }>(`/v1/agent/conversations/${chat.conversationId}/events`, supervisor),
      (r) => r.events.some((e) => e.kind === 'csat.rated'),
      [chat.conversationId],
    );
    expect(events.map((e) => e.kind)).toEqual(expect.arrayContaining(['hold.set', 'escalated', 'csat.rated']));
    expect(leaks(events)).toEqual([]);
  });

  it('everything else the detail shows: live state, messages, CSAT', async () => {
    for (const id of [chat.conversationId, identified.conversationId, away.conversationId]) {
      expect(leaks(await getJson<ConversationDetailResponse>(`/v1/agent/conversations/${id}`, supervisor))).toEqual([]);
    }
  });

  it('the detail, queue and supervisor view while a hold note and an escalation reason are live', () => {
    expect(leaks(whileEscalated)).toEqual([]);
  });

  it('notes and hold notes too: in the detail, the welcome and queue rows', async () => {
    const [detail, queue] = whileEscalated as [ConversationDetailResponse, QueueResponse];
    const { client, welcome } = await Client.join(chat.conversationId, await agentSocketToken(supervisor, chat.conversationId));
    client.close();
    const queueHold = queue.items.find((i) => i.id === chat.conversationId)!.hold;
    const welcomeNotes = 'notes' in welcome ? welcome.notes : [];
    // The surfaces really carry the texts, so "no leak" means masked, not missing.
    expect(detail.notes.length).toBeGreaterThan(0);
    expect(detail.state.hold?.note).toBeTruthy();
    expect(queueHold?.note).toBeTruthy();
    expect(welcomeNotes.length).toBeGreaterThan(0);
    expect(leaks({ notes: detail.notes, detailHold: detail.state.hold, queueHold, welcomeNotes })).toEqual([]);
  });
});

describe('live agent surfaces show personal numbers masked', () => {
  it('the queue in every filter, and the supervisor view', async () => {
    const ids = [chat.conversationId, identified.conversationId, away.conversationId];
    const filters: QueueFilter[] = ['unassigned', 'mine', 'on_hold', 'escalated', 'open', 'resolved'];
    const pages = await eventually(
      () => Promise.all(filters.map((f) => getJson<QueueResponse>(`/v1/agent/queue?filter=${f}&limit=200`, supervisor))),
      (ps) => ids.every((id) => ps.some((p) => p.items.some((i) => i.id === id && i.lastMessageText))),
      [],
    );
    expect(leaks(pages)).toEqual([]);
    expect(leaks(await getJson<SupervisorResponse>('/v1/agent/supervisor', supervisor))).toEqual([]);
  });

  it("an agent's welcome: messages, notes and the conversation state", async () => {
    for (const id of [chat.conversationId, identified.conversationId, away.conversationId]) {
      const { client, welcome } = await Client.join(id, await agentSocketToken(supervisor, id));
      client.close();
      expect(welcome.messages.length).toBeGreaterThan(0);
      expect(leaks(welcome)).toEqual([]);
    }
  });
});

describe('reveal', () => {
  it('returns the clear text and writes pii.revealed', async () => {
    const res = await api(`/v1/agent/conversations/${chat.conversationId}/reveal`, { method: 'POST', cookie: supervisor, json: { seq: firstSeq } });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(((await res.json()) as { text: string }).text).toBe(`Мой телефон ${PII.phone}, запасной ${PII.slashes}`);
    const { events } = await eventually(
      () => getJson<{ events: { kind: string; data: Record<string, unknown> }[] }>(`/v1/agent/conversations/${chat.conversationId}/events`, supervisor),
      (r) => r.events.some((e) => e.kind === 'pii.revealed'),
      [chat.conversationId],
    );
    expect(events.filter((e) => e.kind === 'pii.revealed')).toMatchObject([{ data: { seq: firstSeq } }]);
  });
});
