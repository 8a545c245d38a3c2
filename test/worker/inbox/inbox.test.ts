// The Inbox object and the agent routes around it: live queue, assignment, notes, masking,
// escalation, permissions, and a disabled agent losing every socket.
import { env, runInDurableObject } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import type { QueueResponse, ServerFrame, SupervisorResponse } from '../../../protocol';
import { Client, InboxClient, MVNO, OPERATOR, agentSocketToken, api, drainToD1, expectError, floorStub, inboxStub, login, seed, session } from '../../helpers';

type ConversationUpdated = Extract<ServerFrame, { type: 'conversation.updated' }>;

/** Open a conversation whose customer has said something, so it stands in its tenant's queue. */
async function waitingCustomer(brand: string, text: string) {
  const s = await session(brand, 'web');
  const customer = (await Client.join(s.conversationId, s.socketToken)).client;
  await customer.say(text);
  return { s, customer };
}

/** The first update that places a customer: assigned to someone, or told a place in line. */
async function placed(c: Client): Promise<ConversationUpdated> {
  for (;;) {
    const u = await c.next('conversation.updated', 5000);
    if (u.assignee || u.queue) return u;
  }
}

/** Who a customer's conversation update names as its assignee: only a name, never an id (their projection). */
const assigneeName = (u: ConversationUpdated): string | null => u.assignee?.name ?? null;

/** Everything the supervisor's queue lists as open right now, across pages. */
async function openQueueIds(cookie: string): Promise<string[]> {
  const list = (await (await api('/v1/agent/queue?filter=open&limit=200', { cookie })).json()) as QueueResponse;
  return list.items.map((i) => i.id);
}

/** An agent's current capacity, as the admin sees it. */
async function maxChatsOf(adminCookie: string, agentId: string): Promise<number> {
  const { agents } = (await (await api('/v1/admin/agents', { cookie: adminCookie })).json()) as { agents: { id: string; maxChats: number }[] };
  return agents.find((a) => a.id === agentId)!.maxChats;
}

const ANNA = OPERATOR.agents[2]!;
const BORIS = OPERATOR.agents[3]!;
const PAVEL = MVNO.agents[3]!;

let anna: string;
let boris: string;
let supervisor: string;
let admin: string;
beforeAll(async () => {
  await seed();
  [anna, boris, supervisor, admin] = await Promise.all([login(ANNA.email), login(BORIS.email), login('supervisor@northwind.test'), login('admin@northwind.test')]);
});

describe('the live queue and assignment', () => {
  it('a new conversation appears live and is offered to the least-loaded online agent', async () => {
    const before = await maxChatsOf(admin, ANNA.id);
    // Room for whatever earlier tests of this file left waiting (offered first, longest-waiting
    // first) and still for the new one; her capacity is read when her inbox socket opens.
    await api(`/v1/admin/agents/${ANNA.id}`, { method: 'PATCH', cookie: admin, json: { maxChats: 100 } });
    const { inbox: a } = await InboxClient.open(await login(ANNA.email));
    try {
      await a.watch('mine');
      const { s, customer } = await waitingCustomer(OPERATOR.key, 'Is my bill ready?');
      const assigned = await a.next('assigned', (f) => f.conversationId === s.conversationId);
      expect(assigned.conversationId).toBe(s.conversationId);
      const row = { item: await a.row(s.conversationId, (i) => i.assignee !== null) };
      expect(row.item).toMatchObject({ brand: 'operator', channels: ['web'], lastMessageText: 'Is my bill ready?', assignee: { id: ANNA.id } });
      expect(row.item.waitingSince).toBeGreaterThan(0);
      expect((await customer.next('conversation.updated')).assignee).toEqual({ name: 'Anna' });

      const mine = (await (await api('/v1/agent/queue?filter=mine', { cookie: anna })).json()) as QueueResponse;
      expect(mine.items.map((i) => i.id)).toContain(s.conversationId);
      expect(mine.counts.mine).toBeGreaterThanOrEqual(1);
      customer.close();
    } finally {
      await a.close();
      await api(`/v1/admin/agents/${ANNA.id}`, { method: 'PATCH', cookie: admin, json: { maxChats: before } });
    }
  });

  it('when everyone is full, customers wait and learn their position, longest-waiting first, in their own tenant\'s line', async () => {
    const before = await maxChatsOf(admin, BORIS.id);
    // Boris alone, with room for one chat (his capacity is read when his inbox socket opens).
    await api(`/v1/admin/agents/${BORIS.id}`, { method: 'PATCH', cookie: admin, json: { maxChats: 1 } });
    const sockets: { close(): unknown }[] = [];
    try {
      const { inbox: b } = await InboxClient.open(await login(BORIS.email));
      sockets.push(b);
      // Boris works for the operator, so the operator's customers compete for his one seat. Each is
      // placed before the next arrives, so "longest-waiting" has a real order to keep.
      const states: ConversationUpdated[] = [];
      for (let i = 0; i < 3; i++) {
        const { customer } = await waitingCustomer(OPERATOR.key, `customer ${i}`);
        sockets.push(customer);
        states.push(await placed(customer));
        if (i === 1) {
          // A customer of the other tenant arrives in between: they never take Boris's seat, and
          // they do not stand in the operator's line (the next operator position stays +1).
          const other = await waitingCustomer(MVNO.key, 'другой клиент');
          sockets.push(other.customer);
          expect(assigneeName(await placed(other.customer))).not.toBe(BORIS.name);
        }
      }
      expect(states.filter((u) => u.assignee).map(assigneeName)).toEqual(states.filter((u) => u.assignee).map(() => BORIS.name));
      // Boris may already hold an earlier conversation; then all three wait, else the first is his.
      const positions = states.filter((u) => u.queue).map((u) => u.queue!.position);
      expect(positions.length).toBeGreaterThanOrEqual(2);
      expect(positions).toEqual(positions.map((_, i) => positions[0]! + i));
    } finally {
      for (const c of sockets) await c.close();
      await api(`/v1/admin/agents/${BORIS.id}`, { method: 'PATCH', cookie: admin, json: { maxChats: before } });
    }
  });

  it('pages the queue by cursor with counts, without repeats', async () => {
    const created = await Promise.all([1, 2, 3].map((i) => waitingCustomer(OPERATOR.key, `page me ${i}`)));
    const ids = created.map((c) => c.s.conversationId);
    // The Conversation objects tell the Inbox a moment later (coalesced): wait until all three stand.
    await expect.poll(() => openQueueIds(supervisor), { timeout: 5000 }).toEqual(expect.arrayContaining(ids));

    const seen: string[] = [];
    let cursor: string | null = null;
    let first: QueueResponse | undefined;
    do {
      const page: QueueResponse = (await (await api(`/v1/agent/queue?filter=open&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { cookie: supervisor })).json()) as QueueResponse;
      first ??= page;
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(first!.items).toHaveLength(2);
    expect(first!.counts.open).toBeGreaterThanOrEqual(3);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(expect.arrayContaining(ids));
    await expectError(await api('/v1/agent/queue?filter=everything', { cookie: supervisor }), 400, 'request.invalid');
    for (const c of created) c.customer.close();
  });
});

describe('notes, masking and the audit', () => {
  it('a note reaches agents and never the customer', async () => {
    const s = await session(OPERATOR.key, 'web');
    const customer = (await Client.join(s.conversationId, s.socketToken)).client;
    const a1 = (await Client.join(s.conversationId, await agentSocketToken(anna, s.conversationId))).client;
    const a2 = (await Client.join(s.conversationId, await agentSocketToken(boris, s.conversationId))).client;
    expect((await a1.next('viewers')).agents.map((x) => x.name).sort()).toEqual(['Anna', 'Boris']);
    a1.send({ type: 'note.send', clientId: 'n1', text: 'Customer is a VIP, be nice' });
    expect((await a2.next('note.created')).note).toMatchObject({ text: 'Customer is a VIP, be nice', author: { name: 'Anna' } });
    // Sentinel: the object answers in order, so when the ack of a later message reaches the
    // customer, a note.created sent to them before it would already be here.
    await customer.say('hello?');
    expect(customer.frames.some((f) => f.type === 'note.created')).toBe(false);
    const again = await Client.join(s.conversationId, (await session(OPERATOR.key, 'web', { visitorToken: s.visitorToken })).socketToken);
    expect(JSON.stringify(again.welcome)).not.toContain('VIP');
    const detail = (await (await api(`/v1/agent/conversations/${s.conversationId}`, { cookie: anna })).json()) as { notes: { text: string }[] };
    expect(detail.notes.map((n) => n.text)).toEqual(['Customer is a VIP, be nice']);
    await drainToD1(s.conversationId);
    const d1 = await env.DB.prepare('SELECT text FROM notes WHERE conversation_id = ?').bind(s.conversationId).all();
    expect(d1.results).toEqual([{ text: 'Customer is a VIP, be nice' }]);
    for (const c of [customer, a1, a2, again.client]) c.close();
  });

  it('phone and passport numbers are masked for agents; reveal shows them and is audited', async () => {
    const s = await session(OPERATOR.key, 'web');
    const customer = (await Client.join(s.conversationId, s.socketToken)).client;
    const agent = (await Client.join(s.conversationId, await agentSocketToken(anna, s.conversationId))).client;
    const seq = await customer.say('My number is +7 916 123-45-67, passport 4510 123456');
    expect((await customer.next('message.created')).message.text).toBe('My number is +7 916 123-45-67, passport 4510 123456');
    const seen = (await agent.next('message.created')).message;
    expect(seen).toMatchObject({ text: 'My number is +• ••• •••-••-67, passport •••• ••••56', masked: true });
    // The queue row follows the conversation a moment later (coalesced): poll it, with a deadline.
    const lastText = async () => {
      const list = (await (await api('/v1/agent/queue?filter=open&limit=200', { cookie: supervisor })).json()) as QueueResponse;
      return list.items.find((i) => i.id === s.conversationId)?.lastMessageText;
    };
    await expect.poll(lastText, { timeout: 5000 }).toBe('My number is +• ••• •••-••-67, passport •••• ••••56');
    const revealed = (await (await api(`/v1/agent/conversations/${s.conversationId}/reveal`, { method: 'POST', cookie: anna, json: { seq } })).json()) as { text: string };
    expect(revealed.text).toContain('+7 916 123-45-67');
    await drainToD1(s.conversationId);
    const { events } = (await (await api(`/v1/agent/conversations/${s.conversationId}/events`, { cookie: anna })).json()) as { events: { kind: string; actorId: string; data: { seq: number } }[] };
    expect(events.filter((e) => e.kind === 'pii.revealed')).toMatchObject([{ actorId: ANNA.id, data: { seq } }]);
    customer.close();
    agent.close();
  });
});

describe('escalation and the supervisor', () => {
  it('escalating tells supervisors; the supervisor view lists it; taking over clears it', async () => {
    const { inbox: sup } = await InboxClient.open(supervisor);
    const s = await session(OPERATOR.key, 'modem');
    const customer = (await Client.join(s.conversationId, s.socketToken)).client;
    await customer.say('I want to complain');
    const res = await api(`/v1/agent/conversations/${s.conversationId}/escalate`, { method: 'POST', cookie: anna, json: { reason: 'Wants compensation' } });
    expect(res.status).toBe(200);
    const note = await sup.next('escalated', (f) => f.conversationId === s.conversationId);
    expect(note).toMatchObject({ reason: 'Wants compensation', by: { name: 'Anna' } });
    const escalations = async () => ((await (await api('/v1/agent/supervisor', { cookie: supervisor })).json()) as SupervisorResponse).escalations.map((i) => i.id);
    await expect.poll(escalations, { timeout: 5000 }).toContain(s.conversationId);
    const view = (await (await api('/v1/agent/supervisor', { cookie: supervisor })).json()) as SupervisorResponse;
    expect(view.agents.map((a) => a.name)).toContain('Sam Supervisor');
    await expectError(await api('/v1/agent/supervisor', { cookie: anna }), 403, 'auth.forbidden');

    const took = (await (await api(`/v1/agent/conversations/${s.conversationId}/take`, { method: 'POST', cookie: supervisor })).json()) as { state: { assignee: { name: string }; escalation: unknown } };
    expect(took.state).toMatchObject({ assignee: { name: 'Sam Supervisor' }, escalation: null });
    customer.close();
    await sup.close();
  });

  it('an overdue hold reminds the assigned agent', async () => {
    const { inbox: a } = await InboxClient.open(anna);
    const s = await session(OPERATOR.key, 'web');
    await api(`/v1/agent/conversations/${s.conversationId}/take`, { method: 'POST', cookie: anna });
    await api(`/v1/agent/conversations/${s.conversationId}`, { method: 'PATCH', cookie: anna, json: { hold: { note: 'Checking with billing', until: Date.now() + 1500 } } });
    // The hold's own alarm fires at the promised time; the reminder frame is awaited, with a deadline.
    const reminder = await a.next('reminder', (f) => f.conversationId === s.conversationId, 8000);
    expect(reminder).toMatchObject({ kind: 'hold.overdue', note: 'Checking with billing' });
    await a.close();
  });
});

describe('permissions', () => {
  it("an agent cannot move someone else's conversation; a supervisor can", async () => {
    const s = await session(OPERATOR.key, 'web');
    await api(`/v1/agent/conversations/${s.conversationId}/take`, { method: 'POST', cookie: boris });
    await expectError(await api(`/v1/agent/conversations/${s.conversationId}/take`, { method: 'POST', cookie: anna }), 403, 'auth.forbidden');
    await expectError(await api(`/v1/agent/conversations/${s.conversationId}`, { method: 'PATCH', cookie: anna, json: { assigneeId: ANNA.id } }), 403, 'auth.forbidden');
    // Boris hands it back to the queue himself; a supervisor assigns it to Anna.
    expect((await api(`/v1/agent/conversations/${s.conversationId}`, { method: 'PATCH', cookie: boris, json: { assigneeId: null } })).status).toBe(200);
    expect((await api(`/v1/agent/conversations/${s.conversationId}`, { method: 'PATCH', cookie: supervisor, json: { assigneeId: ANNA.id } })).status).toBe(200);
  });

  it.each([
    ['GET', '/v1/admin/agents'],
    ['PATCH', `/v1/admin/agents/${OPERATOR.agents[3]!.id}`],
    ['GET', '/v1/agent/supervisor'],
  ])('%s %s is refused to a plain agent (403) and to nobody (401)', async (method, path) => {
    const json = method === 'PATCH' ? { maxChats: 3 } : undefined;
    await expectError(await api(path, { method, cookie: anna, ...(json ? { json } : {}) }), 403, 'auth.forbidden');
    await expectError(await api(path, { method, ...(json ? { json } : {}) }), 401, 'auth.required');
  });

  it("a supervisor of another tenant sees none of this tenant's agents or conversations", async () => {
    const mvnoAdmin = await login('admin@volna.test');
    await expectError(await api(`/v1/admin/agents/${ANNA.id}`, { method: 'PATCH', cookie: mvnoAdmin, json: { disabled: true } }), 404, 'agent.not_found');
    const list = (await (await api('/v1/admin/agents', { cookie: mvnoAdmin })).json()) as { agents: { email: string }[] };
    expect(list.agents.length).toBeGreaterThan(0);
    expect(list.agents.every((a) => a.email.endsWith('@volna.test'))).toBe(true);
    // An operator conversation that stands in the operator's queue is absent from the MVNO's.
    const { s, customer } = await waitingCustomer(OPERATOR.key, 'operator only');
    await expect.poll(() => openQueueIds(supervisor), { timeout: 5000 }).toContain(s.conversationId);
    const queue = (await (await api('/v1/agent/queue?filter=open&limit=200', { cookie: mvnoAdmin })).json()) as QueueResponse;
    expect(queue.items.map((i) => i.id)).not.toContain(s.conversationId);
    expect(queue.items.every((i) => i.brand === 'mvno')).toBe(true);
    for (const path of [`/v1/agent/conversations/${s.conversationId}/take`, `/v1/agent/conversations/${s.conversationId}/escalate`, `/v1/agent/conversations/${s.conversationId}/reveal`]) {
      const json = path.endsWith('escalate') ? { reason: 'x' } : path.endsWith('reveal') ? { seq: 1 } : undefined;
      await expectError(await api(path, { method: 'POST', cookie: mvnoAdmin, ...(json ? { json } : {}) }), 404, 'conversation.not_found');
    }
    customer.close();
  });
});

describe('disabling an agent', () => {
  it('closes their inbox and conversation sockets at once and ends their session', async () => {
    const pavelCookie = await login(PAVEL.email);
    const mvnoAdmin = await login('admin@volna.test');
    try {
      const { inbox } = await InboxClient.open(pavelCookie);
      const s = await session(MVNO.key, 'web');
      const conv = (await Client.join(s.conversationId, await agentSocketToken(pavelCookie, s.conversationId))).client;
      const token = await agentSocketToken(pavelCookie, s.conversationId);
      // The conversation tells the Inbox whom it shows in the background; wait until the Inbox
      // knows, since that is how a disable reaches the conversation's socket.
      const viewing = () => runInDurableObject(floorStub(MVNO.id), (_o, state) => state.storage.sql.exec<{ n: number }>('SELECT COUNT(*) AS n FROM viewing WHERE agent_id = ? AND conversation_id = ?', PAVEL.id, s.conversationId).one().n);
      await expect.poll(viewing, { timeout: 5000 }).toBe(1);
      const started = Date.now();
      const res = await api(`/v1/admin/agents/${PAVEL.id}`, { method: 'PATCH', cookie: mvnoAdmin, json: { disabled: true } });
      expect(res.status).toBe(200);
      expect((await conv.closedWith(5000)).code).toBe(4401);
      expect((await inbox.closedWith(5000)).code).toBe(4401);
      expect(Date.now() - started).toBeLessThan(5000);
      await expectError(await api('/v1/agent/me', { cookie: pavelCookie }), 401, 'auth.required');
      // A socket token issued before the disable no longer opens anything.
      const late = await Client.open(s.conversationId);
      late.send({ type: 'hello', token, lastSeq: 0 });
      expect((await late.closedWith()).code).toBe(4401);
    } finally {
      await api(`/v1/admin/agents/${PAVEL.id}`, { method: 'PATCH', cookie: mvnoAdmin, json: { disabled: false } });
    }
  });
});
