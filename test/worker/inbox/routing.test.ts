// Routing as a new user meets it: opening the widget makes no ticket, the first message (or the
// away form) does; away stops new assignment; offline beyond the grace gives chats back; the
// supervisor counts who really waits. Real sockets, real D1, real alarms.
import { env, runInDurableObject } from 'cloudflare:test';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MAX_WATCH } from '../../../protocol';
import type { ConversationEventsResponse, ConversationListResponse, QueueItem, QueueResponse, ServerFrame, SupervisorResponse } from '../../../protocol';
import { Client, InboxClient, OPERATOR, api, drainToD1, inboxStub, login, seed, session } from '../../helpers';

type ConversationUpdated = Extract<ServerFrame, { type: 'conversation.updated' }>;

const ANNA = OPERATOR.agents[2]!;
const BORIS = OPERATOR.agents[3]!;

let anna: string;
let boris: string;
let supervisor: string;
/** Sockets a test opened, closed after it whatever happened. */
const open: { close(): unknown }[] = [];

beforeAll(async () => {
  await seed();
  [anna, boris, supervisor] = await Promise.all([login(ANNA.email), login(BORIS.email), login('supervisor@northwind.test')]);
});

afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
  await setOfflineGrace(null);
  // Each test starts with agents holding nothing: what they were given is resolved.
  const mine = async (cookie: string) => ((await (await api('/v1/agent/queue?filter=mine&limit=200', { cookie })).json()) as QueueResponse).items.map((i) => i.id);
  for (const cookie of [anna, boris]) {
    for (const id of await mine(cookie)) await api(`/v1/agent/conversations/${id}`, { method: 'PATCH', cookie, json: { status: 'resolved' } });
    // The Inbox hears of it a moment later (coalesced): the next test starts once it has.
    await expect.poll(() => mine(cookie), { timeout: 5000 }).toEqual([]);
  }
});

/** The operator's offline grace in seconds (null: the default); read as each inbox socket opens. */
async function setOfflineGrace(seconds: number | null): Promise<void> {
  await env.DB.prepare('UPDATE tenants SET offline_grace_s = ? WHERE id = ?').bind(seconds, OPERATOR.id).run();
}

/** An agent's inbox socket, closed after the test. */
async function inboxOf(cookie: string): Promise<InboxClient> {
  const { inbox } = await InboxClient.open(cookie);
  open.push(inbox);
  return inbox;
}

/** A widget session with the customer's socket open: what opening the widget does. */
async function widgetOpened() {
  const s = await session(OPERATOR.key, 'web');
  const customer = (await Client.join(s.conversationId, s.socketToken)).client;
  open.push(customer);
  return { s, customer };
}

async function supervisorView(): Promise<SupervisorResponse> {
  return (await (await api('/v1/agent/supervisor', { cookie: supervisor })).json()) as SupervisorResponse;
}

async function openQueueIds(): Promise<string[]> {
  const list = (await (await api('/v1/agent/queue?filter=open&limit=200', { cookie: supervisor })).json()) as QueueResponse;
  return list.items.map((i) => i.id);
}

async function listedIds(): Promise<string[]> {
  const list = (await (await api('/v1/agent/conversations?limit=200', { cookie: supervisor })).json()) as ConversationListResponse;
  return list.conversations.map((c) => c.id);
}

async function openedAt(id: string): Promise<number | null | undefined> {
  const row = await env.DB.prepare('SELECT opened_at FROM conversations WHERE id = ?').bind(id).first<{ opened_at: number | null }>();
  return row ? row.opened_at : undefined;
}

/** Anna's load as the supervisor sees it ("0/4"). */
async function loadOf(agentId: string): Promise<string> {
  const a = (await supervisorView()).agents.find((x) => x.id === agentId)!;
  return `${a.load}/${a.maxChats}`;
}

describe('opening the widget makes no ticket', () => {
  it('sessions without a message stand in no queue, no list and no agent; the first message makes a ticket and assigns it', async () => {
    const a = await inboxOf(anna);
    // The scenario: three visitors open the widget and write nothing.
    const idle = [await widgetOpened(), await widgetOpened(), await widgetOpened()];
    const idleIds = idle.map((x) => x.s.conversationId);
    expect(await loadOf(ANNA.id)).toBe('0/4');

    // Sentinel: a fourth customer writes. Their conversation is reported to the Inbox after the
    // idle ones were made, and the Inbox fans out in order, so by the time Anna gets this one, any
    // report of the idle ones would be here too.
    await a.watch('open', MAX_WATCH);
    const { s: real, customer } = await widgetOpened();
    await customer.say('My internet is down');
    await a.next('assigned', (f) => f.conversationId === real.conversationId, 5000);
    await a.row(real.conversationId, (i) => i.assignee?.id === ANNA.id);
    await a.sync();
    expect(a.frames.filter((f) => idleIds.some((id) => JSON.stringify(f).includes(id)))).toEqual([]);
    expect(await loadOf(ANNA.id)).toBe('1/4');
    const queue = await openQueueIds();
    expect(queue).toContain(real.conversationId);
    expect(queue.filter((id) => idleIds.includes(id))).toEqual([]);

    // D1 keeps the session's row (it names the object for socket upgrades), but not as a ticket.
    await drainToD1(idleIds[0]!);
    await drainToD1(real.conversationId);
    expect(await openedAt(idleIds[0]!)).toBeNull();
    expect(await openedAt(real.conversationId)).toBeGreaterThan(0);
    const listed = await listedIds();
    expect(listed).toContain(real.conversationId);
    expect(listed.filter((id) => idleIds.includes(id))).toEqual([]);

    // One of the idle visitors writes after all: now it is a ticket, assigned and listed.
    await idle[0]!.customer.say('Hello? Anyone?');
    await a.next('assigned', (f) => f.conversationId === idleIds[0], 5000);
    await drainToD1(idleIds[0]!);
    expect(await openedAt(idleIds[0]!)).toBeGreaterThan(0);
    expect(await listedIds()).toContain(idleIds[0]);
    expect(await loadOf(ANNA.id)).toBe('2/4');
  });

  it('the away form makes a ticket', async () => {
    const res = await api('/v1/widget/offline-message', { method: 'POST', json: { brand: OPERATOR.key, name: 'Ivan', email: 'ivan@example.test', text: 'Call me back please' } });
    expect(res.status).toBe(201);
    const { conversationId } = (await res.json()) as { conversationId: string };
    await expect.poll(openQueueIds, { timeout: 5000 }).toContain(conversationId);
    await drainToD1(conversationId);
    expect(await openedAt(conversationId)).toBeGreaterThan(0);
    expect(await listedIds()).toContain(conversationId);
  });

  it('an agent who acts on a session by its id makes it a ticket', async () => {
    const s = await session(OPERATOR.key, 'web');
    expect((await api(`/v1/agent/conversations/${s.conversationId}/take`, { method: 'POST', cookie: boris })).status).toBe(200);
    await expect.poll(openQueueIds, { timeout: 5000 }).toContain(s.conversationId);
    await drainToD1(s.conversationId);
    expect(await listedIds()).toContain(s.conversationId);
    expect((await api(`/v1/agent/conversations/${s.conversationId}`, { method: 'PATCH', cookie: boris, json: { status: 'resolved' } })).status).toBe(200);
  });
});

describe('assignment follows who is there', () => {
  it('away stops new assignment; online again takes the waiting customer', async () => {
    const a = await inboxOf(anna);
    a.send({ type: 'presence.set', status: 'away' });
    await a.next('presence', (f) => f.agents.some((x) => x.id === ANNA.id && x.status === 'away'));
    const { s, customer } = await widgetOpened();
    await customer.say('Is anybody there?');
    // The customer is told a place in line: the Inbox ran assignment and gave it to nobody.
    for (;;) {
      const u: ConversationUpdated = await customer.next('conversation.updated', 5000);
      expect(u.assignee).toBeNull();
      if (u.queue) break;
    }
    await a.sync();
    expect(a.frames.some((f) => f.type === 'assigned' && f.conversationId === s.conversationId)).toBe(false);

    a.send({ type: 'presence.set', status: 'online' });
    await a.next('assigned', (f) => f.conversationId === s.conversationId, 5000);
  });

  it('offline beyond the grace gives the chats back to the queue, waiting time kept and audited', async () => {
    await setOfflineGrace(1);
    const a = await inboxOf(await login(ANNA.email));
    await a.watch('mine');
    const { s, customer } = await widgetOpened();
    await customer.say('Roaming does not work');
    await a.next('assigned', (f) => f.conversationId === s.conversationId, 5000);
    const before = await a.row(s.conversationId, (i) => i.assignee?.id === ANNA.id);
    expect(before.waitingSince).toBeGreaterThan(0);

    const b = await inboxOf(boris);
    await b.watch('mine');
    await a.close();
    // The Inbox's own alarm fires a second later: Boris gets the chat, with its wait unchanged.
    await b.next('assigned', (f) => f.conversationId === s.conversationId, 8000);
    const after: QueueItem = await b.row(s.conversationId, (i) => i.assignee?.id === BORIS.id);
    expect(after.waitingSince).toBe(before.waitingSince);

    await drainToD1(s.conversationId);
    const { events } = (await (await api(`/v1/agent/conversations/${s.conversationId}/events`, { cookie: supervisor })).json()) as ConversationEventsResponse;
    const moves = events.filter((e) => e.kind === 'assignee.changed').map((e) => ({ actor: e.actorRole, ...e.data }));
    expect(moves).toEqual([
      { actor: 'system', from: null, to: ANNA.id, toName: ANNA.name },
      { actor: 'system', from: ANNA.id, to: null, reason: 'agent_offline' },
      { actor: 'system', from: null, to: BORIS.id, toName: BORIS.name },
    ]);
  });

  it('coming back within the grace keeps the chats', async () => {
    await setOfflineGrace(2);
    const annaCookie = await login(ANNA.email);
    const a = await inboxOf(annaCookie);
    const { s, customer } = await widgetOpened();
    await customer.say('Keep me with Anna');
    await a.next('assigned', (f) => f.conversationId === s.conversationId, 5000);
    const closedAt = Date.now();
    await a.close();
    await inboxOf(annaCookie); // a reload: back at once
    // Wait until the grace is over and the Inbox alarm due then has fired (the alarm has moved on
    // to a later time), so "nothing happened" is checked after the moment it could have.
    const alarm = () => runInDurableObject(inboxStub(OPERATOR.id), (_o, state) => state.storage.getAlarm());
    const graceOver = async () => {
      const at = await alarm();
      return Date.now() > closedAt + 2_000 && (at === null || at > closedAt + 2_500);
    };
    await expect.poll(graceOver, { timeout: 8000, interval: 100 }).toBe(true);
    const detail = (await (await api(`/v1/agent/conversations/${s.conversationId}`, { cookie: annaCookie })).json()) as { state: { assignee: { id: string } | null } };
    expect(detail.state.assignee?.id).toBe(ANNA.id);
  });
});

describe('the supervisor counts who really waits', () => {
  it('waiting, with an absent agent, the longest wait and the breaches', async () => {
    const start = await supervisorView();
    const { s, customer } = await widgetOpened();
    const t0 = Date.now();
    await customer.say('Waiting for someone');
    // Nobody online: the customer waits, and the longest wait is a time, never "—".
    await expect.poll(async () => (await supervisorView()).waiting, { timeout: 5000 }).toBe(start.waiting + 1);
    const waiting = await supervisorView();
    expect(waiting.longestWaitSince).not.toBeNull();
    expect(waiting.longestWaitSince!).toBeLessThanOrEqual(Date.now());
    expect(start.longestWaitSince === null ? waiting.longestWaitSince! >= t0 : true).toBe(true);

    // Assigned to Anna while she is online: someone is there, so the customer no longer counts.
    const a = await inboxOf(anna);
    await a.next('assigned', (f) => f.conversationId === s.conversationId, 5000);
    await expect.poll(async () => (await supervisorView()).waiting, { timeout: 5000 }).toBe(start.waiting);
    // Anna goes away: her customer waits on nobody again.
    a.send({ type: 'presence.set', status: 'away' });
    await a.next('presence', (f) => f.agents.some((x) => x.id === ANNA.id && x.status === 'away'));
    const away = await supervisorView();
    expect(away.waiting).toBe(start.waiting + 1);
    expect(away.waitingOnAbsent).toBe(start.waitingOnAbsent + 1);

    // A customer whose SLA clock is past its target is a breach (a row as a Conversation object
    // would report it; no object stands behind it, so nobody can be assigned it).
    const breached: QueueItem = { id: crypto.randomUUID(), number: 9999, brand: OPERATOR.key, team: 'general', topic: null, vip: false, status: 'open', priority: 'normal', assignee: null, channels: ['web'], contactName: null, lastMessageText: 'still here', lastMessageAt: t0 - 600_000, waitingSince: t0 - 600_000, escalation: null, hold: null, createdAt: t0 - 600_000, updatedAt: t0 - 600_000, sla: { response: { kind: 'first_response', warnAt: t0 - 360_000, dueAt: t0 - 300_000, leftS: -300, targetS: 300 }, resolution: null, state: 'breached', warnAtPercent: 80 } };
    await inboxStub(OPERATOR.id).conversationChanged(breached, OPERATOR.id, 'general');
    const late = await supervisorView();
    expect(late.breached).toBe(start.breached + 1);
    expect(late.waiting).toBe(away.waiting + 1);
    expect(late.longestWaitSince).toBe(t0 - 600_000);
  });
});
