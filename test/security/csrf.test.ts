import { beforeAll, describe, expect, it } from 'vitest';
import { BASE, OPERATOR, api, expectError, login, seed, session } from '../helpers';

// A page on another port of the same host: same site, so SameSite=Strict still sends the cookie.
const ATTACKER = 'http://sb.test:9999';

let cookie: string;
let conversationId: string;

beforeAll(async () => {
  await seed();
  cookie = await login(OPERATOR.agents[2]!.email);
  conversationId = (await session(OPERATOR.key, 'web')).conversationId;
});

describe('CSRF: cookie-authenticated changes only from our own origin', () => {
  const changes = () => [
    { method: 'POST', path: `/v1/agent/conversations/${conversationId}/take` },
    { method: 'POST', path: `/v1/agent/conversations/${conversationId}/socket-token` },
    { method: 'PATCH', path: `/v1/agent/conversations/${conversationId}`, json: { status: 'pending' } },
    { method: 'PATCH', path: `/v1/admin/agents/${OPERATOR.agents[3]!.id}`, json: { maxChats: 3 } },
    { method: 'POST', path: '/v1/agent/logout' },
    { method: 'POST', path: '/v1/agent/login', json: { email: OPERATOR.agents[2]!.email, password: 'x' } },
  ];

  it('refuses a cross-origin Origin with 403 in the one shape, and changes nothing', async () => {
    for (const c of changes()) {
      const res = await api(c.path, { method: c.method, json: c.json, cookie, headers: { origin: ATTACKER } });
      await expectError(res, 403, 'auth.origin_forbidden');
    }
    // Neither the take nor the logout happened.
    expect((await api('/v1/agent/me', { cookie })).status).toBe(200);
    const conv = (await (await api(`/v1/agent/conversations/${conversationId}`, { cookie })).json()) as { conversation: { assignee: unknown; status: string } };
    expect(conv.conversation.assignee).toBeNull();
    expect(conv.conversation.status).toBe('open');
  });

  it('refuses Origin: null and a cross-site Sec-Fetch-Site without Origin', async () => {
    const take = `/v1/agent/conversations/${conversationId}/take`;
    await expectError(await api(take, { method: 'POST', cookie, headers: { origin: 'null' } }), 403, 'auth.origin_forbidden');
    await expectError(await api(take, { method: 'POST', cookie, headers: { 'sec-fetch-site': 'same-site' } }), 403, 'auth.origin_forbidden');
    await expectError(await api(take, { method: 'POST', cookie, headers: { 'sec-fetch-site': 'cross-site' } }), 403, 'auth.origin_forbidden');
  });

  it('lets our own origin through, and reads stay open', async () => {
    const take = await api(`/v1/agent/conversations/${conversationId}/take`, { method: 'POST', cookie, headers: { origin: BASE, 'sec-fetch-site': 'same-origin' } });
    expect(take.status, await take.clone().text()).toBe(200);
    expect((await api(`/v1/agent/conversations/${conversationId}/socket-token`, { method: 'POST', cookie, headers: { 'sec-fetch-site': 'same-origin' } })).status).toBe(200);
    expect((await api('/v1/agent/me', { cookie, headers: { origin: ATTACKER } })).status).toBe(200);
    const out = await api('/v1/agent/logout', { method: 'POST', cookie, headers: { origin: BASE } });
    expect(out.status).toBe(200);
    expect((await api('/v1/agent/me', { cookie })).status).toBe(401);
  });

  it('leaves the widget API to its own per-brand Origin check', async () => {
    // Widget calls come from partners' pages: another origin is normal there.
    const res = await api('/v1/widget/session', { method: 'POST', json: { brand: OPERATOR.key, channel: 'web' }, headers: { origin: 'http://127.0.0.1:8787' } });
    expect(res.status).toBe(200);
  });
});
