// The Inbox object and the agent routes around it: live queue, assignment, notes, masking,
// escalation, permissions, and a disabled agent losing every socket.
import { SELF, env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import type { InboxLiveFrame, QueueItem, QueueResponse, SupervisorResponse } from '../../../protocol';
import { BASE, Client, MVNO, OPERATOR, agentSocketToken, api, drainToD1, expectError, login, seed, session } from '../../helpers';

type Frame = InboxLiveFrame | { type: string; [k: string]: unknown };

/** An agent's inbox socket with a frame inbox. */
async function inboxSocket(cookie: string) {
  const res = await SELF.fetch(`${BASE}/v1/agent/inbox/socket`, { headers: { upgrade: 'websocket', cookie } });
  const ws = res.webSocket!;
  ws.accept();
  const frames: Frame[] = [];
  let closed: number | null = null;
  ws.addEventListener('message', (e) => frames.push(JSON.parse(e.data as string)));
  ws.addEventListener('close', (e) => (closed = e.code));
  const next = async <T extends Frame>(pred: (f: Frame) => boolean, timeoutMs = 5000): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const i = frames.findIndex(pred);
      if (i >= 0) return frames.splice(i, 1)[0] as T;
      if (Date.now() > deadline) throw new Error(`no matching inbox frame; have ${JSON.stringify(frames.map((f) => f.type))}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  return { ws, frames, next, closed: () => closed };
}

const ANNA = OPERATOR.agents[2]!;
const BORIS = OPERATOR.agents[3]!;

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
    const a = await inboxSocket(anna);
    await a.next((f) => f.type === 'inbox.welcome');
    const s = await session(OPERATOR.key, 'web');
    const customer = (await Client.join(s.conversationId, s.socketToken)).client;
    await customer.say('Is my bill ready?');
    const assigned = await a.next<{ type: 'assigned'; conversationId: string }>((f) => f.type === 'assigned' && f.conversationId === s.conversationId);
    expect(assigned.conversationId).toBe(s.conversationId);
    const row = await a.next<{ type: 'queue.changed'; item: QueueItem }>((f) => f.type === 'queue.changed' && (f as { item: QueueItem }).item.id === s.conversationId && (f as { item: QueueItem }).item.assignee !== null);
    expect(row.item).toMatchObject({ brand: 'operator', channels: ['web'], lastMessageText: 'Is my bill ready?', assignee: { id: ANNA.id } });
    expect(row.item.waitingSince).toBeGreaterThan(0);
    expect(await customer.next('conversation.updated')).toMatchObject({ assignee: { id: ANNA.id, name: 'Anna' } });

    const mine = (await (await api('/v1/agent/queue?filter=mine', { cookie: anna })).json()) as QueueResponse;
    expect(mine.items.map((i) => i.id)).toContain(s.conversationId);
    expect(mine.counts.mine).toBeGreaterThanOrEqual(1);
    customer.close();
    a.ws.close();
  });

  it('when everyone is full, customers wait and learn their position, longest-waiting first', async () => {
    // Boris alone, with room for one chat.
    await api(`/v1/admin/agents/${BORIS.id}`, { method: 'PATCH', cookie: admin, json: { maxChats: 1 } });
    const b = await inboxSocket(await login(BORIS.email));
    await b.next((f) => f.type === 'inbox.welcome');
    const customers = [];
    for (let i = 0; i < 3; i++) {
      const s = await session(MVNO.key === 'x' ? MVNO.key : OPERATOR.key, 'app');
      const c = (await Client.join(s.conversationId, s.socketToken)).client;
      await c.say(`customer ${i}`);
      customers.push({ s, c });
      await new Promise((r) => setTimeout(r, 5));
    }
    // Boris may already hold earlier conversations; at most one of these three is his, the rest queue.
    const states = await Promise.all(
      customers.map(async ({ c }) => {
        for (;;) {
          const u = await c.next('conversation.updated', 5000);
          if (u.assignee || u.queue) return u;
        }
      }),
    );
    const queued = states.filter((u) => u.queue);
    expect(queued.length).toBeGreaterThanOrEqual(2);
    const positions = queued.map((u) => u.queue!.position);
    expect([...positions].sort((x, y) => x - y)).toEqual(positions);
    for (const { c } of customers) c.close();
    b.ws.close();
    await api(`/v1/admin/agents/${BORIS.id}`, { method: 'PATCH', cookie: admin, json: { maxChats: 4 } });
  });

  it('pages the queue by cursor with counts', async () => {
    const first = (await (await api('/v1/agent/queue?filter=open&limit=2', { cookie: supervisor })).json()) as QueueResponse;
    expect(first.items).toHaveLength(2);
    expect(first.counts.open).toBeGreaterThanOrEqual(3);
    const second = (await (await api(`/v1/agent/queue?filter=open&limit=2&cursor=${encodeURIComponent(first.nextCursor!)}`, { cookie: supervisor })).json()) as QueueResponse;
    expect(second.items.map((i) => i.id)).not.toContain(first.items[0]!.id);
    await expectError(await api('/v1/agent/queue?filter=everything', { cookie: supervisor }), 400, 'request.invalid');
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
    await customer.say('hello?');
    await new Promise((r) => setTimeout(r, 100));
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
    await new Promise((r) => setTimeout(r, 300));
    const list = (await (await api('/v1/agent/queue?filter=open&limit=200', { cookie: supervisor })).json()) as QueueResponse;
    const row = list.items.find((i) => i.id === s.conversationId);
    expect(row?.lastMessageText).toBe('My number is +• ••• •••-••-67, passport •••• ••••56');
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
    const sup = await inboxSocket(supervisor);
    await sup.next((f) => f.type === 'inbox.welcome');
    const s = await session(OPERATOR.key, 'modem');
    const customer = (await Client.join(s.conversationId, s.socketToken)).client;
    await customer.say('I want to complain');
    const res = await api(`/v1/agent/conversations/${s.conversationId}/escalate`, { method: 'POST', cookie: anna, json: { reason: 'Wants compensation' } });
    expect(res.status).toBe(200);
    const note = await sup.next<{ type: 'escalated'; reason: string; by: { name: string } }>((f) => f.type === 'escalated' && f.conversationId === s.conversationId);
    expect(note).toMatchObject({ reason: 'Wants compensation', by: { name: 'Anna' } });
    await new Promise((r) => setTimeout(r, 300));
    const view = (await (await api('/v1/agent/supervisor', { cookie: supervisor })).json()) as SupervisorResponse;
    expect(view.escalations.map((i) => i.id)).toContain(s.conversationId);
    expect(view.agents.map((a) => a.name)).toContain('Sam Supervisor');
    await expectError(await api('/v1/agent/supervisor', { cookie: anna }), 403, 'auth.forbidden');

    const took = (await (await api(`/v1/agent/conversations/${s.conversationId}/take`, { method: 'POST', cookie: supervisor })).json()) as { state: { assignee: { name: string }; escalation: unknown } };
    expect(took.state).toMatchObject({ assignee: { name: 'Sam Supervisor' }, escalation: null });
    customer.close();
    sup.ws.close();
  });

  it('an overdue hold reminds the assigned agent', async () => {
    const a = await inboxSocket(anna);
    await a.next((f) => f.type === 'inbox.welcome');
    const s = await session(OPERATOR.key, 'web');
    await api(`/v1/agent/conversations/${s.conversationId}/take`, { method: 'POST', cookie: anna });
    await api(`/v1/agent/conversations/${s.conversationId}`, { method: 'PATCH', cookie: anna, json: { hold: { note: 'Checking with billing', until: Date.now() + 1500 } } });
    const reminder = await a.next<{ type: 'reminder'; note: string }>((f) => f.type === 'reminder' && f.conversationId === s.conversationId, 8000);
    expect(reminder).toMatchObject({ kind: 'hold.overdue', note: 'Checking with billing' });
    a.ws.close();
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
    expect(list.agents.every((a) => a.email.endsWith('@volna.test'))).toBe(true);
    const queue = (await (await api('/v1/agent/queue?filter=open&limit=200', { cookie: mvnoAdmin })).json()) as QueueResponse;
    expect(queue.items.every((i) => i.brand === 'mvno')).toBe(true);
    const s = await session(OPERATOR.key, 'web');
    for (const path of [`/v1/agent/conversations/${s.conversationId}/take`, `/v1/agent/conversations/${s.conversationId}/escalate`, `/v1/agent/conversations/${s.conversationId}/reveal`]) {
      const json = path.endsWith('escalate') ? { reason: 'x' } : path.endsWith('reveal') ? { seq: 1 } : undefined;
      await expectError(await api(path, { method: 'POST', cookie: mvnoAdmin, ...(json ? { json } : {}) }), 404, 'conversation.not_found');
    }
  });
});

describe('disabling an agent', () => {
  it('closes their inbox and conversation sockets at once and ends their session', async () => {
    const pavelCookie = await login('pavel@volna.test');
    const mvnoAdmin = await login('admin@volna.test');
    const inbox = await inboxSocket(pavelCookie);
    await inbox.next((f) => f.type === 'inbox.welcome');
    const s = await session(MVNO.key, 'web');
    const conv = (await Client.join(s.conversationId, await agentSocketToken(pavelCookie, s.conversationId))).client;
    const token = await agentSocketToken(pavelCookie, s.conversationId);
    await new Promise((r) => setTimeout(r, 50));
    const started = Date.now();
    const res = await api(`/v1/admin/agents/${MVNO.agents[3]!.id}`, { method: 'PATCH', cookie: mvnoAdmin, json: { disabled: true } });
    expect(res.status).toBe(200);
    expect((await conv.closedWith(5000)).code).toBe(4401);
    for (let i = 0; i < 100 && inbox.closed() === null; i++) await new Promise((r) => setTimeout(r, 20));
    expect(inbox.closed()).toBe(4401);
    expect(Date.now() - started).toBeLessThan(5000);
    await expectError(await api('/v1/agent/me', { cookie: pavelCookie }), 401, 'auth.required');
    // A socket token issued before the disable no longer opens anything.
    const late = await Client.open(s.conversationId);
    late.send({ type: 'hello', token, lastSeq: 0 });
    expect((await late.closedWith()).code).toBe(4401);
  });
});
