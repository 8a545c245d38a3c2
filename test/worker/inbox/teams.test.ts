// Teams as a contact centre runs them: routing by pre-chat topic, channel and signed attributes;
// each team's own queue, positions and assignment; serving order urgent/VIP first; overflow to
// another team after its time; and team walls for agents, with supervisors seeing their teams.
// Real sockets, real D1, real Durable Objects (one Inbox per tenant and team).
import { runInDurableObject } from 'cloudflare:test';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MAX_WATCH } from '../../../protocol';
import type { ConversationEventsResponse, QueueItem, QueueResponse, RoutingConfig, ServerFrame, SupervisorResponse, TeamsResponse } from '../../../protocol';
import { Client, FrameInbox, InboxClient, MVNO, OPERATOR, api, conversationStub, drainToD1, expectError, identityToken, inboxStub, login, seed, session } from '../../helpers';

type Updated = Extract<ServerFrame, { type: 'conversation.updated' }>;

const ADMIN = OPERATOR.agents[0]!;
const ANNA = OPERATOR.agents[2]!; // general (4) + billing (2)
const BORIS = OPERATOR.agents[3]!; // general (4) + roaming (2) + modem (2)

let admin: string;
let anna: string;
let boris: string;
let supervisor: string;
const open: { close(): unknown }[] = [];

beforeAll(async () => {
  await seed();
  [admin, anna, boris, supervisor] = await Promise.all([login(ADMIN.email), login(ANNA.email), login(BORIS.email), login('supervisor@northwind.test')]);
});

afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
  // Whatever a test left open is resolved, so the next one starts with empty hands and queues. A
  // report still on its way (coalesced) may add a row after a listing: list and resolve until empty.
  for (const team of ['general', 'billing', 'roaming', 'modem']) {
    await expect
      .poll(
        async () => {
          const items = ((await (await api(`/v1/agent/queue?filter=open&team=${team}&limit=200`, { cookie: supervisor })).json()) as QueueResponse).items;
          for (const i of items) await api(`/v1/agent/conversations/${i.id}`, { method: 'PATCH', cookie: admin, json: { status: 'resolved' } });
          return items.length;
        },
        { timeout: 10_000 },
      )
      .toBe(0);
  }
});

async function inboxOf(cookie: string, team: string | null): Promise<InboxClient> {
  const { inbox } = await InboxClient.open(cookie, team);
  open.push(inbox);
  return inbox;
}

/** A customer with the widget open; `topic` is picked before the first message when given. */
async function customer(opts: { topic?: string; identity?: string; channel?: 'web' | 'app' | 'modem' } = {}) {
  const s = await session(OPERATOR.key, opts.channel ?? 'web', opts.identity ? { identityToken: opts.identity } : {});
  const { client } = await Client.join(s.conversationId, s.socketToken);
  open.push(client);
  if (opts.topic) client.send({ type: 'prechat', topic: opts.topic });
  return { id: s.conversationId, client };
}

/** The conversation's live state as agents see it. */
async function stateOf(id: string) {
  const r = await conversationStub(id).snapshot(OPERATOR.id);
  if (!r.ok) throw new Error(r.message);
  return r.value.state;
}

async function queue(cookie: string, query: string): Promise<QueueResponse> {
  const res = await api(`/v1/agent/queue?${query}`, { cookie });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as QueueResponse;
}

/** The next state the customer sees that matches. */
async function customerSees(c: Client, where: (u: Updated) => boolean): Promise<Updated> {
  for (;;) {
    const u = await c.next('conversation.updated');
    if (where(u)) return u;
  }
}

describe('routing', () => {
  it('a pre-chat topic puts the conversation in its team; no topic, the default team', async () => {
    const billing = await customer({ topic: 'billing' });
    await billing.client.say('Why is my bill so high?');
    const plain = await customer();
    await plain.client.say('Hello');
    expect((await stateOf(billing.id)).team).toBe('billing');
    expect((await stateOf(billing.id)).topic).toBe('billing');
    expect((await stateOf(plain.id)).team).toBe('general');
    // Each row stands in its own team's queue only.
    await expect.poll(async () => (await queue(supervisor, 'filter=open&team=billing')).items.map((i) => i.id)).toEqual([billing.id]);
    await expect.poll(async () => (await queue(supervisor, 'filter=open&team=general')).items.map((i) => i.id)).toEqual([plain.id]);
    expect((await queue(supervisor, 'filter=open&team=billing')).items.map((i) => i.id)).toEqual([billing.id]);
  });

  it('a topic after the first message is refused, and an unknown topic too', async () => {
    const c = await customer();
    c.client.send({ type: 'prechat', topic: 'nonsense' });
    expect((await c.client.next('error')).code).toBe('request.invalid');
    await c.client.say('First words');
    c.client.send({ type: 'prechat', topic: 'roaming' });
    expect((await c.client.next('error')).code).toBe('prechat.too_late');
    expect((await stateOf(c.id)).team).toBe('general');
  });

  it('rules route by channel and by signed attribute; a signed VIP is VIP, an unsigned one is not', async () => {
    const before = (await (await api('/v1/admin/routing', { cookie: admin })).json()) as RoutingConfig;
    const rules = [{ channel: 'modem' as const, team: 'modem' }, { attribute: { key: 'plan', value: 'roamer' }, team: 'roaming' }, ...before.rules];
    expect((await api('/v1/admin/routing', { method: 'PUT', cookie: admin, json: { ...before, rules } })).status).toBe(200);
    try {
      const modem = await customer({ channel: 'modem' });
      await modem.client.say('No signal on my USB modem');
      expect((await stateOf(modem.id)).team).toBe('modem');

      const vip = await customer({ identity: await identityToken(OPERATOR.identitySecret, `vip-${crypto.randomUUID()}`, { attributes: { plan: 'roamer', segment: 'vip' } }) });
      await vip.client.say('I am abroad');
      const st = await stateOf(vip.id);
      expect({ team: st.team, vip: st.vip }).toEqual({ team: 'roaming', vip: true });

      // The same attributes sent unsigned by the page route nowhere and make nobody a VIP.
      const res = await api('/v1/widget/session', { method: 'POST', json: { brand: OPERATOR.key, channel: 'web', attributes: { plan: 'roamer', segment: 'vip' } } });
      const s = (await res.json()) as { conversationId: string; socketToken: string };
      const { client } = await Client.join(s.conversationId, s.socketToken);
      open.push(client);
      await client.say('Me too');
      const unsigned = await stateOf(s.conversationId);
      expect({ team: unsigned.team, vip: unsigned.vip }).toEqual({ team: 'general', vip: false });
    } finally {
      await api('/v1/admin/routing', { method: 'PUT', cookie: admin, json: before });
    }
  });
});

describe('assignment within a team', () => {
  it('urgent and VIP go first, then the longest wait; positions and the estimate are per team', async () => {
    // Nobody of billing is here: its customers line up. Anna (billing) comes later.
    const first = await customer({ topic: 'billing' });
    await first.client.say('waiting longest');
    const vipToken = await identityToken(OPERATOR.identitySecret, `vip-${crypto.randomUUID()}`, { attributes: { segment: 'vip' } });
    const vip = await customer({ topic: 'billing', identity: vipToken });
    await vip.client.say('VIP, came second');
    const third = await customer({ topic: 'billing' });
    await third.client.say('came third');
    // A general customer does not stand in billing's line.
    const other = await customer();
    await other.client.say('general question');

    // The VIP is first in billing's line, then the longest wait.
    expect((await customerSees(vip.client, (u) => u.queue?.position === 1)).queue).toEqual({ position: 1, etaS: null });
    await customerSees(first.client, (u) => u.queue?.position === 2);
    await customerSees(third.client, (u) => u.queue?.position === 3);
    expect((await queue(supervisor, 'filter=unassigned&team=billing')).items.map((i) => i.id)).toEqual([vip.id, first.id, third.id]);

    // An agent raises the third to urgent: it joins the first band, behind the VIP who waited longer.
    expect((await api(`/v1/agent/conversations/${third.id}`, { method: 'PATCH', cookie: supervisor, json: { priority: 'urgent' } })).status).toBe(200);
    await customerSees(third.client, (u) => u.queue?.position === 2);
    await customerSees(first.client, (u) => u.queue?.position === 3);

    // Anna opens billing with room for 2 (her billing capacity): the first two in serving order are hers.
    const a = await inboxOf(anna, 'billing');
    await a.next('assigned', (f) => f.conversationId === vip.id);
    await a.next('assigned', (f) => f.conversationId === third.id);
    await customerSees(first.client, (u) => u.queue?.position === 1);
    expect((await stateOf(first.id)).assignee).toBeNull();
    expect((await stateOf(other.id)).assignee?.id).not.toBe(ANNA.id);
  });

  it('the least-loaded online member with room gets it; a watcher without seats (the supervisor) never does', async () => {
    const sup = await inboxOf(supervisor, 'roaming');
    const b = await inboxOf(boris, 'roaming');
    const c1 = await customer({ topic: 'roaming' });
    await c1.client.say('roaming 1');
    await b.next('assigned', (f) => f.conversationId === c1.id);
    const c2 = await customer({ topic: 'roaming' });
    await c2.client.say('roaming 2');
    await b.next('assigned', (f) => f.conversationId === c2.id);
    // Boris is full in roaming (2): the third waits, and the supervisor watching is not given it.
    const c3 = await customer({ topic: 'roaming' });
    await c3.client.say('roaming 3');
    await customerSees(c3.client, (u) => u.queue?.position === 1);
    await sup.sync();
    expect(sup.frames.filter((f) => f.type === 'assigned')).toEqual([]);
    const view = (await (await api('/v1/agent/supervisor', { cookie: supervisor })).json()) as SupervisorResponse;
    const roaming = view.teams.find((t) => t.id === 'roaming')!;
    expect({ waiting: roaming.waiting, agentsOnline: roaming.agentsOnline }).toEqual({ waiting: 1, agentsOnline: 1 });
    // Two assignments taken so far: still too little history for an estimate.
    expect(roaming.etaS).toBeNull();
  });
});

describe('overflow', () => {
  it('after the overflow time, a free agent of the other team takes the customer, waiting time kept and audited', async () => {
    // Billing overflows to general after 120 s (the demo setting). Nobody of billing is here.
    const b = await inboxOf(boris, 'general');
    const c = await customer({ topic: 'billing' });
    await c.client.say('Is anyone in billing?');
    await expect.poll(async () => (await queue(supervisor, 'filter=unassigned&team=billing')).items.map((i) => i.id)).toEqual([c.id]);
    const row = (await queue(supervisor, 'filter=unassigned&team=billing')).items[0]!;
    expect(b.frames.filter((f) => f.type === 'assigned')).toEqual([]);

    // The controlled clock: billing's Inbox is told the customer has waited past the overflow time.
    const longAgo = Date.now() - 121_000;
    await inboxStub(OPERATOR.id, 'billing').conversationChanged({ ...row, waitingSince: longAgo }, OPERATOR.id, 'billing');
    await b.next('assigned', (f) => f.conversationId === c.id);
    const st = await stateOf(c.id);
    expect({ team: st.team, assignee: st.assignee?.id }).toEqual({ team: 'general', assignee: BORIS.id });
    await expect.poll(async () => (await queue(supervisor, 'filter=open&team=billing')).items.map((i) => i.id)).toEqual([]);
    expect((await queue(boris, 'filter=mine&team=general')).items.map((i) => i.id)).toEqual([c.id]);
    await drainToD1(c.id);
    const events = ((await (await api(`/v1/agent/conversations/${c.id}/events`, { cookie: supervisor })).json()) as ConversationEventsResponse).events;
    expect(events.some((e) => e.kind === 'team.changed' && (e.data as { from: string; to: string }).from === 'billing' && (e.data as { to: string }).to === 'general')).toBe(true);
  });

  it('before the overflow time nothing moves, and with nobody free in the other team it waits where it is', async () => {
    const c = await customer({ topic: 'billing' });
    await c.client.say('Billing please');
    await expect.poll(async () => (await queue(supervisor, 'filter=unassigned&team=billing')).items.map((i) => i.id)).toEqual([c.id]);
    const row = (await queue(supervisor, 'filter=unassigned&team=billing')).items[0]!;
    // Past the time, but general has nobody online: it stays in billing, unassigned.
    await inboxStub(OPERATOR.id, 'billing').conversationChanged({ ...row, waitingSince: Date.now() - 121_000 }, OPERATOR.id, 'billing');
    await runInDurableObject(inboxStub(OPERATOR.id, 'billing'), async (inbox) => inbox.alarm());
    const st = await stateOf(c.id);
    expect({ team: st.team, assignee: st.assignee }).toEqual({ team: 'billing', assignee: null });
  });
});

describe('team walls', () => {
  it('agents see their own teams; supervisors the teams they supervise; another tenant none', async () => {
    const teamsOf = async (cookie: string) => ((await (await api('/v1/agent/teams', { cookie })).json()) as TeamsResponse).teams.map((t) => t.id).sort();
    expect(await teamsOf(anna)).toEqual(['billing', 'general']);
    expect(await teamsOf(boris)).toEqual(['general', 'modem', 'roaming']);
    expect(await teamsOf(supervisor)).toEqual(['billing', 'general', 'modem', 'roaming']);

    await expectError(await api('/v1/agent/queue?team=roaming', { cookie: anna }), 403, 'auth.forbidden');
    // A socket off the wall is accepted only to be told why and closed with 4403, which a browser can see.
    const refused = await api('/v1/agent/inbox/socket?team=roaming', { cookie: anna, headers: { upgrade: 'websocket' } });
    refused.webSocket!.accept();
    const frames = new FrameInbox<{ type: string; code?: string }>(refused.webSocket!);
    expect((await frames.take((f) => f.type === 'error', 'error', 5000)).code).toBe('auth.forbidden');
    expect((await frames.closedWith(5000)).code).toBe(4403);
    const pavel = await login(MVNO.agents[3]!.email);
    await expectError(await api('/v1/agent/queue?team=billing', { cookie: pavel }), 403, 'auth.forbidden');
  });

  it("an agent cannot open another team's conversation, nor find it in lists; once it is theirs they can", async () => {
    const c = await customer({ topic: 'roaming' });
    await c.client.say('Roaming is off');
    await drainToD1(c.id);
    await expectError(await api(`/v1/agent/conversations/${c.id}`, { cookie: anna }), 403, 'auth.forbidden');
    await expectError(await api(`/v1/agent/conversations/${c.id}/socket-token`, { method: 'POST', cookie: anna }), 403, 'auth.forbidden');
    const listed = async (cookie: string) => ((await (await api('/v1/agent/conversations?limit=200', { cookie })).json()) as { conversations: { id: string }[] }).conversations.map((x) => x.id);
    expect(await listed(anna)).not.toContain(c.id);
    expect(await listed(boris)).toContain(c.id);
    // Once the roaming queue has it (the report is coalesced), the supervisor's merged queue shows
    // it and Anna's, merged over her teams, does not.
    await expect.poll(async () => (await queue(supervisor, 'filter=open&limit=200')).items.map((i: QueueItem) => i.id)).toContain(c.id);
    expect((await queue(anna, 'filter=open&limit=200')).items.map((i: QueueItem) => i.id)).not.toContain(c.id);

    // The supervisor hands it to Anna: now she holds it, so she may open it.
    expect((await api(`/v1/agent/conversations/${c.id}`, { method: 'PATCH', cookie: supervisor, json: { assigneeId: ANNA.id } })).status).toBe(200);
    await drainToD1(c.id);
    expect((await api(`/v1/agent/conversations/${c.id}`, { cookie: anna })).status).toBe(200);
  });

  it("live rows reach only the team's watchers: a billing change sends roaming's watcher nothing", async () => {
    const r = await inboxOf(boris, 'roaming');
    await r.watch('open', MAX_WATCH);
    const c = await customer({ topic: 'billing' });
    await c.client.say('billing only');
    await expect.poll(async () => (await queue(supervisor, 'filter=open&team=billing')).items.map((i) => i.id)).toEqual([c.id]);
    // Sentinel: a roaming change after it. Roaming's watcher gets that one first and nothing of billing.
    const s = await customer({ topic: 'roaming' });
    await s.client.say('roaming sentinel');
    await r.row(s.id);
    expect(r.frames.filter((f) => JSON.stringify(f).includes(c.id))).toEqual([]);
  });
});

describe('routing administration', () => {
  it('refuses a broken configuration in the one error shape and keeps what was stored', async () => {
    const before = (await (await api('/v1/admin/routing', { cookie: admin })).json()) as RoutingConfig;
    const put = (json: unknown) => api('/v1/admin/routing', { method: 'PUT', cookie: admin, json });
    await expectError(await put({ ...before, rules: [{ team: 'nowhere' }] }), 404, 'team.not_found');
    await expectError(await put({ ...before, teams: before.teams.filter((t) => t.id !== 'general') }), 400, 'request.invalid');
    await expectError(await put({ ...before, teams: before.teams.map((t) => (t.id === 'billing' ? { ...t, overflowTo: 'billing' } : t)) }), 400, 'request.invalid');
    await expectError(await put({ ...before, rules: [{ topic: 'unknown-topic', team: 'billing' }] }), 400, 'request.invalid');
    // A team with a customer in it cannot be removed under them.
    const c = await customer({ topic: 'modem' });
    await c.client.say('modem blinking red');
    await drainToD1(c.id);
    await expectError(await put({ ...before, teams: before.teams.filter((t) => t.id !== 'modem'), rules: before.rules.filter((r) => r.team !== 'modem'), topics: before.topics.filter((t) => t.key !== 'modem') }), 409, 'team.in_use');
    expect(await (await api('/v1/admin/routing', { cookie: admin })).json()).toEqual(before);
    await expectError(await api('/v1/admin/routing', { cookie: anna }), 403, 'auth.forbidden');
  });

  it('places an agent in teams with capacities; they then see exactly those teams', async () => {
    const url = `/v1/admin/routing/agents/${ANNA.id}/teams`;
    const before = ((await (await api(url, { cookie: admin })).json()) as { teams: unknown[] }).teams;
    try {
      await expectError(await api(url, { method: 'PUT', cookie: admin, json: { teams: [{ teamId: 'nowhere' }] } }), 404, 'team.not_found');
      const billing = await inboxOf(anna, 'billing');
      expect((await api(url, { method: 'PUT', cookie: admin, json: { teams: [{ teamId: 'modem', capacity: 3 }] } })).status).toBe(200);
      // The team she left closes her socket with 4403 at once.
      expect((await billing.closedWith()).code).toBe(4403);
      const teams = ((await (await api('/v1/agent/teams', { cookie: anna })).json()) as TeamsResponse).teams;
      expect(teams).toEqual([{ id: 'modem', name: 'Modem / Internet', member: true, supervises: false, capacity: 3 }]);
    } finally {
      await api(url, { method: 'PUT', cookie: admin, json: { teams: before } });
    }
    expect(((await (await api('/v1/agent/teams', { cookie: anna })).json()) as TeamsResponse).teams.map((t) => t.id).sort()).toEqual(['billing', 'general']);
  });
});
