// Tenant topics: the admin's list and setting, what agents read, an agent setting the topic (checked
// against the list, audited, projected), and a resolve refused without a topic when the tenant
// requires one — over REST and over the socket alike.
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent, ConversationStateResponse, TopicsConfig, TopicsResponse } from '../../protocol';
import { Client, OPERATOR, agentSocketToken, api, drainToD1, expectError, login, seed } from '../helpers';
import { SAME_ORIGIN, leaveMessage } from '../security/fixtures';

let admin: string;
let anna: string;
let mvnoAdmin: string;

beforeAll(async () => {
  await seed();
  [admin, anna, mvnoAdmin] = await Promise.all([login('admin@northwind.test'), login('anna@northwind.test'), login('admin@volna.test')]);
});

const putTopics = (config: unknown, cookie = admin) => api('/v1/admin/topics', { method: 'PUT', json: config, cookie, headers: SAME_ORIGIN });
const patch = (id: string, body: unknown, cookie = anna) => api(`/v1/agent/conversations/${id}`, { method: 'PATCH', json: body, cookie, headers: SAME_ORIGIN });
async function topicsOf(cookie: string): Promise<TopicsResponse> {
  const res = await api('/v1/agent/topics', { cookie });
  expect(res.status).toBe(200);
  return (await res.json()) as TopicsResponse;
}

/** The first conversation.updated saying resolved (queue positions and the topic come as updates too). */
async function resolvedOn(c: Client) {
  for (;;) {
    const f = await c.next('conversation.updated');
    if (f.status === 'resolved') return f;
  }
}

/** Run `fn` with the operator requiring a topic at resolve, then put the setting back. */
async function requiringTopic(fn: () => Promise<void>): Promise<void> {
  const before = await topicsOf(admin);
  expect((await putTopics({ ...before, requireAtResolve: true })).status).toBe(200);
  try {
    await fn();
  } finally {
    expect((await putTopics(before)).status).toBe(200);
  }
}

describe('the tenant topic list', () => {
  it('is seeded for each demo tenant in its own words, the pre-chat topics among them, not required', async () => {
    const op = await topicsOf(anna);
    expect(op).toEqual({
      topics: [
        { key: 'roaming', label: 'Roaming' },
        { key: 'billing', label: 'Billing' },
        { key: 'porting', label: 'Number porting' },
        { key: 'modem', label: 'Modem / Internet' },
        { key: 'complaint', label: 'Complaint' },
      ],
      requireAtResolve: false,
    });
    for (const t of OPERATOR.topics) expect(op.topics.map((x) => x.key)).toContain(t.key);
    expect((await topicsOf(mvnoAdmin)).topics.map((t) => t.label)).toContain('Перенос номера');
  });

  it('an admin replaces it in order and agents read the new list; another tenant keeps its own', async () => {
    const before = (await (await api('/v1/admin/topics', { cookie: admin })).json()) as TopicsConfig;
    const next = { topics: [{ key: 'modem', label: 'Internet' }, { key: 'billing', label: 'Bills' }, { key: 'roaming', label: 'Roaming' }, { key: 'esim', label: 'eSIM' }], requireAtResolve: true };
    try {
      const res = await putTopics(next);
      expect(res.status, await res.clone().text()).toBe(200);
      expect(await topicsOf(anna)).toEqual(next);
      expect((await topicsOf(mvnoAdmin)).topics).toHaveLength(5);
    } finally {
      expect((await putTopics(before)).status).toBe(200);
    }
    expect(await topicsOf(anna)).toEqual(before);
  });

  it('refuses a key twice, a key that is no slug, a missing label, dropping a pre-chat topic or one a macro sets', async () => {
    const { topics } = await topicsOf(admin);
    await expectError(await putTopics({ topics: [...topics, topics[0]], requireAtResolve: false }), 400, 'request.invalid');
    await expectError(await putTopics({ topics: [{ key: 'Number Porting', label: 'x' }], requireAtResolve: false }), 400, 'request.invalid');
    await expectError(await putTopics({ topics: [{ key: 'x' }], requireAtResolve: false }), 400, 'request.invalid');
    await expectError(await putTopics({ topics }), 400, 'request.invalid');
    const noBilling = await putTopics({ topics: topics.filter((t) => t.key !== 'billing'), requireAtResolve: false });
    await expectError(noBilling.clone(), 400, 'request.invalid');
    expect(((await noBilling.json()) as { error: { message: string } }).error.message).toMatch(/pre-chat/);
    // /roaming-reset sets the topic roaming.
    await expectError(await putTopics({ topics: topics.filter((t) => t.key !== 'roaming'), requireAtResolve: false }), 400, 'request.invalid');
    await expectError(await putTopics({ topics: [], requireAtResolve: true }), 400, 'request.invalid');
    expect((await topicsOf(admin)).topics).toEqual(topics);
  });

  it('keeps pre-chat topics a subset: a new one saved with the routing joins the list', async () => {
    const routing = await (await api('/v1/admin/routing', { cookie: admin })).json() as { topics: { key: string; label: string }[] };
    const res = await api('/v1/admin/routing', { method: 'PUT', json: { ...routing, topics: [...routing.topics, { key: 'esim-help', label: 'eSIM help' }] }, cookie: admin, headers: SAME_ORIGIN });
    expect(res.status, await res.clone().text()).toBe(200);
    try {
      const { topics } = await topicsOf(anna);
      expect(topics.at(-1)).toEqual({ key: 'esim-help', label: 'eSIM help' });
      expect(topics).toHaveLength(6);
    } finally {
      expect((await api('/v1/admin/routing', { method: 'PUT', json: routing, cookie: admin, headers: SAME_ORIGIN })).status).toBe(200);
      const { topics, requireAtResolve } = await topicsOf(admin);
      expect((await putTopics({ topics: topics.filter((t) => t.key !== 'esim-help'), requireAtResolve })).status).toBe(200);
    }
  });
});

describe('an agent sets the topic', () => {
  it('to one of the tenant topics: audited as topic.set and projected to the ticket', async () => {
    const conv = await leaveMessage(OPERATOR, 'My roaming does not work');
    const res = await patch(conv.id, { topic: 'roaming' });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(((await res.json()) as ConversationStateResponse).state.topic).toBe('roaming');
    expect((await patch(conv.id, { topic: 'porting' })).status).toBe(200);
    await drainToD1(conv.id);
    const row = await env.DB.prepare('SELECT topic FROM conversations WHERE id = ?').bind(conv.id).first<{ topic: string | null }>();
    expect(row?.topic).toBe('porting');
    const { events } = (await (await api(`/v1/agent/conversations/${conv.id}/events`, { cookie: anna })).json()) as { events: AuditEvent[] };
    expect(events.filter((e) => e.kind === 'topic.set').map((e) => e.data)).toEqual([
      { from: null, to: 'roaming' },
      { from: 'roaming', to: 'porting' },
    ]);
  });

  it('refuses a key that is not one of the tenant topics (another tenant has none of them), in the one error shape', async () => {
    const conv = await leaveMessage(OPERATOR, 'A question');
    await expectError(await patch(conv.id, { topic: 'not-a-topic' }), 404, 'topic.not_found');
    await expectError(await patch(conv.id, { topic: 'Not A Slug' }), 400, 'request.invalid');
    const { state } = (await (await api(`/v1/agent/conversations/${conv.id}`, { cookie: anna })).json()) as ConversationStateResponse;
    expect(state.topic).toBeNull();
  });

  it('null clears it', async () => {
    const conv = await leaveMessage(OPERATOR, 'A question');
    expect((await patch(conv.id, { topic: 'billing' })).status).toBe(200);
    const res = await patch(conv.id, { topic: null });
    expect(((await res.json()) as ConversationStateResponse).state.topic).toBeNull();
  });
});

describe('a topic required at resolve', () => {
  it('refuses a REST resolve without one with a message an agent understands, and resolves once it is set', async () => {
    const conv = await leaveMessage(OPERATOR, 'Please close my complaint');
    await requiringTopic(async () => {
      const refused = await patch(conv.id, { status: 'resolved' });
      await expectError(refused.clone(), 409, 'conversation.topic_required');
      expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(/Set a topic before resolving/);
      const res = await patch(conv.id, { status: 'resolved', topic: 'complaint' });
      expect(res.status, await res.clone().text()).toBe(200);
      expect(((await res.json()) as ConversationStateResponse).state).toMatchObject({ status: 'resolved', topic: 'complaint' });
    });
  });

  it('is not asked for when the tenant does not require it', async () => {
    const conv = await leaveMessage(OPERATOR, 'Thanks');
    const res = await patch(conv.id, { status: 'resolved' });
    expect(((await res.json()) as ConversationStateResponse).state).toMatchObject({ status: 'resolved', topic: null });
  });

  it('holds over the socket too: the agent token carries the setting', async () => {
    const conv = await leaveMessage(OPERATOR, 'Socket resolve');
    await requiringTopic(async () => {
      const { client: agent } = await Client.join(conv.id, await agentSocketToken(anna, conv.id));
      agent.send({ type: 'conversation.update', status: 'resolved' });
      expect(await agent.next('error')).toMatchObject({ code: 'conversation.topic_required' });
      expect((await patch(conv.id, { topic: 'billing' })).status).toBe(200);
      agent.send({ type: 'conversation.update', status: 'resolved' });
      expect(await resolvedOn(agent)).toMatchObject({ status: 'resolved', topic: 'billing' });
      agent.close();
    });
  });
});
