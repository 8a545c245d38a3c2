// The thread's system lines: each ticket change is a line for agents, the customer-safe ones a line
// for the customer, live and in every welcome, read from the same audit events D1 keeps.
import { runDurableObjectAlarm } from 'cloudflare:test';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ServerFrame, SystemLine } from '../../../protocol';
import { CUSTOMER_LINES } from '../../../protocol';
import { lineForAgents, lineForCustomers, lineOf } from '../../../worker/conversation/system-lines';
import { Client, OPERATOR, agentSocketToken, api, conversationStub, login, seed, session } from '../../helpers';

beforeAll(seed);
afterEach(() => void vi.useRealTimers());

const agentOf = (name: string) => OPERATOR.agents.find((a) => a.name.startsWith(name))!;
type LineFrame = Extract<ServerFrame, { type: 'system.line' }>;
const linesIn = (frames: ServerFrame[]): SystemLine[] => frames.filter((f): f is LineFrame => f.type === 'system.line').map((f) => f.line);
const kinds = (lines: SystemLine[]) => lines.map((l) => l.kind);

describe('a line per event', () => {
  const ev = (kind: string, data: Record<string, unknown>, actorRole = 'agent') => lineOf({ seq: 7, kind, actorRole, actorName: actorRole === 'system' ? null : 'Anna', data, at: 1000 });

  it('reads each audit kind the thread shows, and none of the others', () => {
    expect(ev('assignee.changed', { from: null, to: 'a3', toName: 'Anna' })).toEqual({ seq: 7, at: 1000, by: 'Anna', kind: 'assigned', to: 'Anna' });
    expect(ev('assignee.changed', { from: 'a3', to: 'a4', toName: 'Boris' })).toMatchObject({ kind: 'transferred', to: 'Boris' });
    expect(ev('assignee.changed', { from: 'a3', to: null, reason: 'agent_offline' }, 'system')).toEqual({ seq: 7, at: 1000, by: null, kind: 'unassigned', reason: 'agent_offline' });
    // A team transfer's letting go is told by its transferred line alone.
    expect(ev('assignee.changed', { from: 'a3', to: null, reason: 'transferred' })).toBeNull();
    expect(ev('team.changed', { from: 'general', to: 'roaming' })).toMatchObject({ kind: 'transferred', to: null, team: 'roaming' });
    expect(ev('hold.set', { note: 'n', until: 5 })).toMatchObject({ kind: 'held', note: 'n', until: 5 });
    expect(ev('status.changed', { from: 'on_hold', to: 'open', reason: 'agent_replied' })).toMatchObject({ kind: 'lifted' });
    expect(ev('hold.overdue', { until: 5 }, 'system')).toMatchObject({ kind: 'hold_overdue', until: 5, by: null });
    expect(ev('escalated', { reason: 'r' })).toMatchObject({ kind: 'escalated', reason: 'r' });
    expect(ev('status.changed', { from: 'on_hold', to: 'resolved' })).toMatchObject({ kind: 'resolved' });
    expect(ev('status.changed', { from: 'resolved', to: 'open', reason: 'customer_replied' }, 'customer')).toMatchObject({ kind: 'reopened', byCustomer: true });
    expect(ev('status.changed', { from: 'resolved', to: 'open' })).toMatchObject({ kind: 'reopened', byCustomer: false });
    expect(ev('csat.rated', { score: 'bad', comment: 'slow' }, 'customer')).toMatchObject({ kind: 'rated', score: 'bad', comment: 'slow' });
    expect(ev('topic.set', { from: null, to: 'roaming' })).toMatchObject({ kind: 'topic_set', topic: 'roaming' });
    expect(ev('topic.picked', { topic: 'billing', team: 'billing' }, 'customer')).toMatchObject({ kind: 'topic_set', topic: 'billing' });
    for (const [kind, data] of [
      ['status.changed', { from: 'open', to: 'on_hold' }],
      ['status.changed', { from: 'open', to: 'pending' }],
      ['priority.changed', { from: 'normal', to: 'urgent' }],
      ['pii.revealed', { seq: 1 }],
      ['hold.reminded', { reminder: 2 }],
      ['csat.cleared', { score: 'good' }],
    ] as const) {
      expect(ev(kind, data), kind).toBeNull();
    }
  });

  it('masks numbers for agents and gives the customer only the customer-safe kinds, without teams', () => {
    const held = ev('hold.set', { note: 'Calling you back on +371 2912 3456', until: 5 })!;
    expect(JSON.stringify(lineForAgents(held))).not.toContain('2912');
    expect(lineForCustomers(held)).toEqual(held);
    const rated = ev('csat.rated', { score: 'bad', comment: 'my passport 4510 123456 was asked twice' }, 'customer')!;
    expect(JSON.stringify(lineForAgents(rated))).not.toContain('123456');
    const escalated = ev('escalated', { reason: 'Call +371 2912 3456 back' })!;
    expect(JSON.stringify(lineForAgents(escalated))).not.toContain('2912');
    for (const internal of [escalated, ev('hold.overdue', { until: 5 }, 'system')!, ev('topic.set', { from: null, to: 'roaming' })!, ev('assignee.changed', { from: 'a3', to: null, reason: 'agent_offline' }, 'system')!]) {
      expect(CUSTOMER_LINES).not.toContain(internal.kind);
      expect(lineForCustomers(internal), internal.kind).toBeNull();
    }
    expect(lineForCustomers(ev('team.changed', { from: 'general', to: 'roaming' })!)).toEqual({ seq: 7, at: 1000, by: 'Anna', kind: 'transferred', to: null });
  });
});

describe('lines in the thread', () => {
  it('reach agents and the customer live, each their projection, and come again whole in every welcome', async () => {
    const [anna, sam] = [agentOf('Anna'), agentOf('Sam')];
    const [annaCookie, samCookie] = await Promise.all([login(anna.email), login(sam.email)]);
    const s = await session(OPERATOR.key, 'web');
    const id = s.conversationId;
    const { client: customer } = await Client.join(id, s.socketToken);
    await customer.say('My roaming stopped');
    const { client: agent, welcome: first } = await Client.join(id, await agentSocketToken(annaCookie, id));
    expect(first.type === 'welcome' && first.lines).toEqual([]);

    await agent.say('Let me look'); // answering an unassigned chat takes it
    const patch = (cookie: string, json: unknown) => api(`/v1/agent/conversations/${id}`, { method: 'PATCH', cookie, json });
    const until = Date.now() + 600_000;
    expect((await patch(annaCookie, { hold: { note: 'Asking the partner network, call +371 2912 3456', until } })).status).toBe(200);
    await agent.say('The partner reset your profile'); // the reply lifts the hold
    expect((await api(`/v1/agent/conversations/${id}/escalate`, { method: 'POST', cookie: annaCookie, json: { reason: 'Third outage this month' } })).status).toBe(200);
    expect((await patch(samCookie, { team: 'roaming' })).status).toBe(200);
    expect((await patch(samCookie, { assigneeId: anna.id })).status).toBe(200);
    expect((await patch(annaCookie, { status: 'resolved' })).status).toBe(200);
    customer.send({ type: 'csat.rate', score: 'good', comment: 'fixed in 5 minutes' });
    await customer.say('One more thing'); // reopens it, and is the customer's sentinel

    const agentKinds = ['assigned', 'held', 'lifted', 'escalated', 'transferred', 'assigned', 'resolved', 'rated', 'reopened'];
    const sentinel = await agent.say('Yes?'); // the agent's sentinel: everything before it has arrived
    expect(agent.frames.some((f) => f.type === 'message.created' && f.message.seq === sentinel)).toBe(true);
    const live = linesIn(agent.frames);
    expect(kinds(live)).toEqual(agentKinds);
    expect(live[0]).toMatchObject({ kind: 'assigned', to: 'Anna', by: 'Anna' });
    expect(live[1]).toMatchObject({ kind: 'held', until, by: 'Anna' });
    expect(JSON.stringify(live)).not.toContain('2912 3456');
    expect(live[3]).toMatchObject({ kind: 'escalated', reason: 'Third outage this month' });
    expect(live[4]).toMatchObject({ kind: 'transferred', team: 'roaming', by: 'Sam Supervisor' });
    expect(live[7]).toMatchObject({ kind: 'rated', score: 'good', comment: 'fixed in 5 minutes' });
    expect(live[8]).toMatchObject({ kind: 'reopened', byCustomer: true });
    expect(live.map((l) => l.seq)).toEqual([...live.map((l) => l.seq)].sort((a, b) => a - b));

    const mine = linesIn(customer.frames);
    expect(kinds(mine)).toEqual(['assigned', 'held', 'lifted', 'transferred', 'assigned', 'resolved', 'rated', 'reopened']);
    expect(mine[1]).toMatchObject({ kind: 'held', note: 'Asking the partner network, call +371 2912 3456' });
    const text = JSON.stringify(mine);
    for (const secret of ['escalated', 'Third outage', 'roaming', anna.id, sam.id]) expect(text, secret).not.toContain(secret);

    // A new socket, agent or customer, gets the same lines in its welcome.
    const again = await Client.join(id, await agentSocketToken(samCookie, id));
    expect(again.welcome.type === 'welcome' && again.welcome.lines).toEqual(live);
    const back = await Client.join(id, s.socketToken);
    expect(back.welcome.type === 'welcome' && back.welcome.lines).toEqual(mine);
    // And the agents' REST view of the thread has them too.
    const detail = (await (await api(`/v1/agent/conversations/${id}`, { cookie: annaCookie })).json()) as { lines: SystemLine[] };
    expect(detail.lines).toEqual(live);
    for (const c of [customer, agent, again.client, back.client]) c.close();
  });

  it('shows an overdue hold to agents only, from the alarm under a controlled clock', async () => {
    const anna = agentOf('Anna');
    const cookie = await login(anna.email);
    const s = await session(OPERATOR.key, 'web');
    const { client: customer } = await Client.join(s.conversationId, s.socketToken);
    await customer.say('Is the outage over?');
    expect((await api(`/v1/agent/conversations/${s.conversationId}/take`, { method: 'POST', cookie })).status).toBe(200);
    const until = Date.now() + 60_000;
    expect((await api(`/v1/agent/conversations/${s.conversationId}`, { method: 'PATCH', cookie, json: { hold: { note: 'Checking', until } } })).status).toBe(200);
    const { client: agent } = await Client.join(s.conversationId, await agentSocketToken(cookie, s.conversationId));

    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(until);
    expect(await runDurableObjectAlarm(conversationStub(s.conversationId))).toBe(true);
    vi.useRealTimers();
    expect((await agent.next('system.line')).line).toMatchObject({ kind: 'hold_overdue', until, by: null });
    // The customer's sentinel: their next message's ack comes after anything the alarm sent them.
    await customer.say('Still there?');
    expect(kinds(linesIn(customer.frames)).filter((k) => k === 'hold_overdue' || k === 'held')).toEqual(['held']);
    customer.close();
    agent.close();
  });
});
