// The widget's public routes: the branded loader, brand JSON, presence, leave-a-message, CORS.
import { SELF, env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { BASE, InboxClient, MVNO, OPERATOR, api, expectError, login, seed } from '../helpers';

beforeAll(seed);

describe('brand and presence', () => {
  it('serves the public brand with long cache headers and no secrets', async () => {
    const res = await api(`/v1/widget/brands/${MVNO.key}`);
    expect(res.headers.get('cache-control')).toMatch(/max-age=3600/);
    const body = await res.text();
    expect(JSON.parse(body)).toMatchObject({ key: 'mvno', name: 'Volna Mobile', locale: 'ru', branding: { primary: '#e0245e', position: 'left' } });
    expect(body).not.toContain(MVNO.identitySecret);
    expect(body).not.toContain('allowed');
    await expectError(await api('/v1/widget/brands/nobody'), 404, 'brand.not_found');
  });

  it('counts agents online through their inbox sockets', async () => {
    const presence = async (brand: string) => ((await (await api(`/v1/widget/brands/${brand}/presence`)).json()) as { agentsOnline: number }).agentsOnline;
    const [operatorBefore, mvnoBefore] = [await presence(OPERATOR.key), await presence(MVNO.key)];
    const { inbox } = await InboxClient.open(await login('anna@northwind.test'), null);
    expect(await presence(OPERATOR.key)).toBe(operatorBefore + 1);
    // Another brand's agents are not this brand's.
    expect(await presence(MVNO.key)).toBe(mvnoBefore);
    await inbox.close();
    // The Inbox forgets the socket as it handles the close: poll for that, with a deadline.
    await expect.poll(() => presence(OPERATOR.key), { timeout: 5000 }).toBe(operatorBefore);
  });

  it('an inbox socket needs a session and a same-site origin', async () => {
    const anon = await SELF.fetch(`${BASE}/v1/agent/inbox/socket`, { headers: { upgrade: 'websocket' } });
    expect(anon.status).toBe(401);
    const cookie = await login('anna@northwind.test');
    const crossSite = await SELF.fetch(`${BASE}/v1/agent/inbox/socket`, { headers: { upgrade: 'websocket', cookie, origin: 'http://localhost:8787' } });
    expect(crossSite.status).toBe(403);
  });
});

describe('the loader script', () => {
  it('inlines the brand so the bubble needs no other request', async () => {
    const res = await api('/widget.js?brand=operator');
    expect(res.headers.get('content-type')).toMatch(/javascript/);
    const js = await res.text();
    expect(js.startsWith('var __SB_BRAND__={"key":"operator"')).toBe(true);
    expect(js).not.toContain(OPERATOR.identitySecret);
    await expectError(await api('/widget.js?brand=nobody'), 404, 'brand.not_found');
  });
});

describe('leave a message', () => {
  it('creates a ticket with the message and the contact', async () => {
    const res = await api('/v1/widget/offline-message', { method: 'POST', json: { brand: OPERATOR.key, name: 'Olga', email: 'Olga@Example.com', text: 'SIM broken' } });
    expect(res.status).toBe(201);
    const out = (await res.json()) as { conversationId: string; number: number; visitorToken: string };
    expect(out.number).toBeGreaterThan(0);
    const cookie = await login('anna@northwind.test');
    const detail = (await (await api(`/v1/agent/conversations/${out.conversationId}`, { cookie })).json()) as { conversation: { contact: { name: string; email: string } }; messages: { text: string; author: { name: string } }[] };
    expect(detail.conversation.contact).toEqual(expect.objectContaining({ name: 'Olga', email: 'olga@example.com' }));
    expect(detail.messages).toMatchObject([{ text: 'SIM broken', author: { role: 'customer', name: 'Olga' } }]);
  });

  it('refuses a bad email or an empty text without storing anything', async () => {
    // Everything a leave-a-message writes to D1 before its conversation exists: the contact, its
    // identities and the conversation row. Without a conversation there is no object to hold a message.
    const stored = () =>
      env.DB.prepare('SELECT (SELECT COUNT(*) FROM contacts) AS contacts, (SELECT COUNT(*) FROM contact_identities) AS identities, (SELECT COUNT(*) FROM conversations) AS conversations').first<{ contacts: number; identities: number; conversations: number }>();
    const before = await stored();
    await expectError(await api('/v1/widget/offline-message', { method: 'POST', json: { brand: OPERATOR.key, name: 'O', email: 'nope', text: 'x' } }), 400, 'request.invalid');
    await expectError(await api('/v1/widget/offline-message', { method: 'POST', json: { brand: OPERATOR.key, name: 'O', email: 'o@x.io', text: '   ' } }), 400, 'message.empty');
    expect(await stored()).toEqual(before);
    // The same count sees a stored message: one good request adds a contact and a conversation.
    expect((await api('/v1/widget/offline-message', { method: 'POST', json: { brand: OPERATOR.key, name: 'O', email: 'o@x.io', text: 'good' } })).status).toBe(201);
    const after = await stored();
    expect({ contacts: after!.contacts - before!.contacts, conversations: after!.conversations - before!.conversations }).toEqual({ contacts: 1, conversations: 1 });
  });
});

describe('CORS for partner sites', () => {
  it('answers preflights, and the real request is judged by the brand origins', async () => {
    const pre = await api('/v1/widget/session', { method: 'OPTIONS', headers: { origin: 'https://partner.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('https://partner.example');
    await expectError(await api('/v1/widget/session', { method: 'POST', json: { brand: OPERATOR.key, channel: 'web' }, headers: { origin: 'https://partner.example' } }), 403, 'auth.origin_forbidden');
  });
});
