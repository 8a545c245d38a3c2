// Macros: canned replies with variables and actions. The admin keeps them; an agent runs one on a
// conversation: the server renders the text, stores the reply once per clientId and applies the
// actions through the rules — set topic, set priority, hold, resolve (after the reply).
import { beforeAll, describe, expect, it } from 'vitest';
import { holdClock } from '../../protocol';
import type { CannedReply, CannedResponse, ConversationDetailResponse, MacroRunResponse, MacrosResponse, ServerFrame, TopicsResponse } from '../../protocol';
import { Client, MVNO, OPERATOR, api, expectError, login, seed, session } from '../helpers';
import { SAME_ORIGIN, customerToken, leaveMessage } from '../security/fixtures';

let admin: string;
let anna: string;
let mvnoAdmin: string;
let macros: CannedReply[];

beforeAll(async () => {
  await seed();
  [admin, anna, mvnoAdmin] = await Promise.all([login('admin@northwind.test'), login('anna@northwind.test'), login('admin@volna.test')]);
  await Promise.all([
    putMacro('vip-up', { title: 'Priority up', text: 'I am raising the priority of #{{conversation.number}}.', actions: { priority: 'urgent' } }),
    putMacro('typo', { title: 'Typo', text: 'Hello {{contact.nmae}}', actions: { priority: 'high' } }),
    putMacro('back-by', { title: 'Back by', text: 'I will be back by {{hold.until}}' }),
  ]);
  macros = ((await (await api('/v1/agent/canned', { cookie: anna })).json()) as CannedResponse).replies;
});

const putMacro = (shortcut: string, body: unknown, cookie = admin) => api(`/v1/admin/macros/${encodeURIComponent(shortcut)}`, { method: 'PUT', json: body, cookie, headers: SAME_ORIGIN });
const macroId = (shortcut: string) => macros.find((m) => m.shortcut === shortcut)!.id;
const run = (conversationId: string, id: string, body: unknown, cookie = anna) =>
  api(`/v1/agent/conversations/${conversationId}/macros/${encodeURIComponent(id)}`, { method: 'POST', json: body, cookie, headers: SAME_ORIGIN });
async function detail(id: string): Promise<ConversationDetailResponse> {
  return (await (await api(`/v1/agent/conversations/${id}`, { cookie: anna })).json()) as ConversationDetailResponse;
}
async function ranOk(res: Response, status = 201): Promise<MacroRunResponse> {
  expect(res.status, await res.clone().text()).toBe(status);
  return (await res.json()) as MacroRunResponse;
}
/** Frames of one type on a socket up to one matching `pred`. */
async function until<T extends ServerFrame['type']>(c: Client, type: T, pred: (f: Extract<ServerFrame, { type: T }>) => boolean) {
  for (;;) {
    const f = await c.next(type);
    if (pred(f)) return f;
  }
}

describe('running a macro', () => {
  it('renders the contact, the agent, the number and the hold it sets, sets the topic and holds', async () => {
    const conv = await leaveMessage(OPERATOR, 'Roaming is dead in Spain');
    const customer = (await Client.join(conv.id, (await customerToken(OPERATOR, conv)).socketToken)).client;
    const before = Date.now();
    const r = await ranOk(await run(conv.id, macroId('roaming-reset'), { clientId: 'run-1' }));
    const { number } = r.state;
    expect(r.duplicate).toBe(false);
    expect(r.state).toMatchObject({ status: 'on_hold', topic: 'roaming', hold: { note: 'Resetting roaming on your line', overdue: false } });
    const until15 = r.state.hold!.until;
    expect(until15).toBeGreaterThanOrEqual(before + 15 * 60_000);
    expect(until15).toBeLessThanOrEqual(Date.now() + 15 * 60_000);
    expect(r.message.text).toBe(`Hi Matrix Customer, this is Anna. I am resetting roaming on your line now (ticket #${number}); I will be back by ${holdClock(until15, 'en')} UTC.`);
    expect(r.message.author).toMatchObject({ role: 'agent', name: 'Anna' });
    // The customer gets the text and the hold, in that order.
    const got = await until(customer, 'message.created', (f) => f.message.author.role === 'agent');
    expect(got.message.text).toBe(r.message.text);
    expect(await until(customer, 'conversation.updated', (f) => f.status === 'on_hold')).toMatchObject({ hold: { until: until15 } });
    customer.close();
  });

  it('a retry with the same clientId sends nothing twice and applies nothing again', async () => {
    const conv = await leaveMessage(OPERATOR, 'Roaming please');
    const first = await ranOk(await run(conv.id, macroId('roaming-reset'), { clientId: 'retry-1' }));
    expect((await api(`/v1/agent/conversations/${conv.id}`, { method: 'PATCH', json: { hold: null, topic: 'billing' }, cookie: anna, headers: SAME_ORIGIN })).status).toBe(200);
    const again = await ranOk(await run(conv.id, macroId('roaming-reset'), { clientId: 'retry-1' }), 200);
    expect(again.duplicate).toBe(true);
    expect(again.message).toEqual(first.message);
    // The hold lifted and the topic changed since: the retry brought neither back.
    expect(again.state).toMatchObject({ status: 'open', hold: null, topic: 'billing' });
    const d = await detail(conv.id);
    expect(d.messages.filter((m) => m.author.role === 'agent')).toHaveLength(1);
    expect(d.state).toMatchObject({ status: 'open', topic: 'billing' });
  });

  it('sets the priority, and renders a text the agent edited, variables and all', async () => {
    const conv = await leaveMessage(OPERATOR, 'Urgent!');
    const r = await ranOk(await run(conv.id, macroId('vip-up'), { clientId: 'p-1', text: 'On it, {{contact.name}} — {{agent.name}}' }));
    expect(r.message.text).toBe('On it, Matrix Customer — Anna');
    expect(r.state.priority).toBe('urgent');
  });

  it('resolves after the reply, and a contact without a name gets the greeting without one', async () => {
    const s = await session(OPERATOR.key, 'web');
    const customer = (await Client.join(s.conversationId, s.socketToken)).client;
    await customer.say('Works now, thanks');
    // What the customer is told, in arrival order.
    const seen: string[] = [];
    customer.ws.addEventListener('message', (e) => {
      const f = JSON.parse(e.data as string) as ServerFrame;
      if (f.type === 'message.created' && f.message.author.role === 'agent') seen.push('reply');
      if (f.type === 'conversation.updated' && f.status === 'resolved') seen.push('resolved');
    });
    const r = await ranOk(await run(s.conversationId, macroId('solved'), { clientId: 'solved-1' }));
    expect(r.message.text).toBe('Thanks! Glad we could sort it out. Best regards, Anna');
    expect(r.state.status).toBe('resolved');
    await until(customer, 'conversation.updated', (f) => f.status === 'resolved');
    expect(seen).toEqual(['reply', 'resolved']);
    customer.close();
  });

  it('refuses to resolve without a topic when the tenant requires one, and sends nothing then', async () => {
    const conv = await leaveMessage(OPERATOR, 'Close it please');
    const config = (await (await api('/v1/agent/topics', { cookie: anna })).json()) as TopicsResponse;
    expect((await api('/v1/admin/topics', { method: 'PUT', json: { ...config, requireAtResolve: true }, cookie: admin, headers: SAME_ORIGIN })).status).toBe(200);
    try {
      await expectError(await run(conv.id, macroId('solved'), { clientId: 'req-1' }), 409, 'conversation.topic_required');
      expect((await detail(conv.id)).messages.filter((m) => m.author.role === 'agent')).toHaveLength(0);
      // With the topic set by a macro first, the same resolve goes through.
      await ranOk(await run(conv.id, macroId('roaming-reset'), { clientId: 'req-2' }));
      expect((await ranOk(await run(conv.id, macroId('solved'), { clientId: 'req-3' }))).state).toMatchObject({ status: 'resolved', topic: 'roaming' });
    } finally {
      expect((await api('/v1/admin/topics', { method: 'PUT', json: config, cookie: admin, headers: SAME_ORIGIN })).status).toBe(200);
    }
  });

  it('refuses an unknown variable, and {{hold.until}} with no hold, instead of sending braces', async () => {
    const conv = await leaveMessage(OPERATOR, 'Hello?');
    const typo = await run(conv.id, macroId('typo'), { clientId: 'v-1' });
    await expectError(typo.clone(), 400, 'macro.variable_unknown');
    expect(((await typo.json()) as { error: { message: string } }).error.message).toContain('{{contact.nmae}}');
    await expectError(await run(conv.id, macroId('back-by'), { clientId: 'v-2' }), 409, 'macro.variable_unavailable');
    await expectError(await run(conv.id, macroId('vip-up'), { clientId: 'v-3', text: 'Hi {{agent}}' }), 400, 'macro.variable_unknown');
    const d = await detail(conv.id);
    expect(d.messages.filter((m) => m.author.role === 'agent')).toHaveLength(0);
    expect(d.state.priority).toBe('normal');
    // On hold, still not: the reply would end that hold (rules.message), so its time is no promise.
    const until = Date.now() + 30 * 60_000;
    expect((await api(`/v1/agent/conversations/${conv.id}`, { method: 'PATCH', json: { hold: { note: 'checking', until } }, cookie: anna, headers: SAME_ORIGIN })).status).toBe(200);
    await expectError(await run(conv.id, macroId('back-by'), { clientId: 'v-4' }), 409, 'macro.variable_unavailable');
    expect((await detail(conv.id)).state).toMatchObject({ status: 'on_hold', hold: { until } });
  });

  it("does not find another tenant's macro, nor a made-up one", async () => {
    const conv = await leaveMessage(OPERATOR, 'Hi');
    const listed = await api('/v1/admin/macros', { cookie: mvnoAdmin });
    expect(listed.status, await listed.clone().text()).toBe(200);
    const theirs = ((await listed.json()) as MacrosResponse).macros[0]!;
    await expectError(await run(conv.id, theirs.id, { clientId: 'x-1' }), 404, 'macro.not_found');
    await expectError(await run(conv.id, 'no-such-macro', { clientId: 'x-2' }), 404, 'macro.not_found');
    // And the other tenant's agent cannot reach the conversation at all.
    const olga = await login('olga@volna.test');
    await expectError(await run(conv.id, theirs.id, { clientId: 'x-3' }, olga), 404, 'conversation.not_found');
  });

  it('refuses bad input in the one error shape', async () => {
    const conv = await leaveMessage(OPERATOR, 'Hi');
    const id = macroId('vip-up');
    await expectError(await run(conv.id, id, {}), 400, 'request.invalid');
    await expectError(await run(conv.id, id, { clientId: '' }), 400, 'request.invalid');
    await expectError(await run(conv.id, id, { clientId: 'b-1', text: '' }), 400, 'message.empty');
    await expectError(await run(conv.id, id, { clientId: 'b-2', text: 'x'.repeat(8001) }), 400, 'message.too_long');
    await expectError(await run(conv.id, id, { clientId: 'b-3', extra: 1 }), 400, 'request.invalid');
    await expectError(await api(`/v1/agent/conversations/${conv.id}/macros/${id}`, { method: 'POST', body: 'nope', headers: { ...SAME_ORIGIN, 'content-type': 'application/json' }, cookie: anna }), 400, 'request.invalid_json');
    expect((await detail(conv.id)).state.priority).toBe('normal');
  });
});

describe('the admin keeps macros', () => {
  it('lists them with their actions, replaces one by shortcut (keeping its id) and deletes it', async () => {
    const created = await putMacro('temp-x', { title: 'Temp', text: 'Hi', actions: { holdMinutes: 60, holdNote: 'Checking' } });
    expect(created.status, await created.clone().text()).toBe(200);
    const { macro } = (await created.json()) as { macro: CannedReply };
    expect(macro).toMatchObject({ shortcut: 'temp-x', actions: { holdMinutes: 60, holdNote: 'Checking' } });
    const replaced = (await (await putMacro('temp-x', { title: 'Temp 2', text: 'Hello', actions: { resolve: true } })).json()) as { macro: CannedReply };
    expect(replaced.macro).toEqual({ id: macro.id, shortcut: 'temp-x', title: 'Temp 2', text: 'Hello', actions: { resolve: true } });
    const list = ((await (await api('/v1/admin/macros', { cookie: admin })).json()) as MacrosResponse).macros;
    expect(list.find((m) => m.shortcut === 'temp-x')).toEqual(replaced.macro);
    expect(list.find((m) => m.shortcut === 'hello')?.actions).toEqual({});
    expect((await api('/v1/admin/macros/temp-x', { method: 'DELETE', cookie: admin, headers: SAME_ORIGIN })).status).toBe(200);
    await expectError(await api('/v1/admin/macros/temp-x', { method: 'DELETE', cookie: admin, headers: SAME_ORIGIN }), 404, 'macro.not_found');
  });

  it('takes shortcuts in any script', async () => {
    const res = await putMacro('решено', { title: 'Решено', text: 'Спасибо, {{contact.name}}!', actions: { resolve: true } }, mvnoAdmin);
    expect(res.status, await res.clone().text()).toBe(200);
    expect(((await res.json()) as { macro: CannedReply }).macro.shortcut).toBe('решено');
    const list = ((await (await api('/v1/admin/macros', { cookie: mvnoAdmin })).json()) as MacrosResponse).macros;
    expect(list.filter((m) => m.shortcut === 'решено')).toEqual([expect.objectContaining({ title: 'Решено', actions: { resolve: true } })]);
    expect(list.length).toBe(MVNO.canned.length);
  });

  it('refuses bad actions, an unknown topic and a bad shortcut', async () => {
    await expectError(await putMacro('bad', { title: 'x', text: 'x', actions: { holdMinutes: 0 } }), 400, 'request.invalid');
    await expectError(await putMacro('bad', { title: 'x', text: 'x', actions: { holdMinutes: 10_081 } }), 400, 'request.invalid');
    await expectError(await putMacro('bad', { title: 'x', text: 'x', actions: { holdMinutes: 5, resolve: true } }), 400, 'request.invalid');
    await expectError(await putMacro('bad', { title: 'x', text: 'x', actions: { priority: 'asap' } }), 400, 'request.invalid');
    await expectError(await putMacro('bad', { title: 'x', text: 'x', actions: { topic: 'not-ours' } }), 404, 'topic.not_found');
    await expectError(await putMacro('two words', { title: 'x', text: 'x' }), 400, 'request.invalid');
    await expectError(await putMacro('bad', { title: '', text: 'x' }), 400, 'request.invalid');
    const list = ((await (await api('/v1/admin/macros', { cookie: admin })).json()) as MacrosResponse).macros;
    expect(list.some((m) => m.shortcut === 'bad')).toBe(false);
  });

  it("cannot delete another tenant's macro: the shortcut is looked up in the admin's own tenant", async () => {
    await expectError(await api('/v1/admin/macros/roaming-reset', { method: 'DELETE', cookie: mvnoAdmin, headers: SAME_ORIGIN }), 404, 'macro.not_found');
    expect(((await (await api('/v1/admin/macros', { cookie: admin })).json()) as MacrosResponse).macros.some((m) => m.shortcut === 'roaming-reset')).toBe(true);
  });
});
