// Downloads only through short signed links bound to tenant, conversation and viewer; a message
// carries its files; a retried upload or send never makes a second file or message.
import { env } from 'cloudflare:test';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ConversationDetailResponse, DownloadLinkResponse, UploadResponse } from '../../../protocol';
import { Client, MVNO, OPERATOR, agentSocketToken, api, expectError, login, seed, session } from '../../helpers';
import { agentUpload, customerUpload, pdf, png } from './fixtures';

let anna: string;
beforeAll(async () => {
  await seed();
  anna = await login('anna@northwind.test');
});
afterEach(() => {
  vi.useRealTimers();
});

const path = (url: string) => new URL(url).pathname;

async function customerLink(token: string, id: string): Promise<Response> {
  return api(`/v1/widget/files/${id}/link`, { headers: { authorization: `Bearer ${token}` } });
}

/** A customer's conversation with one PNG sent in a message with a caption. */
async function sentPng() {
  const s = await session(OPERATOR.key, 'web');
  const up = (await (await customerUpload(s.socketToken, png(), { clientId: 'msg-1', type: 'image/png', name: 'passport.png' })).json()) as UploadResponse;
  const { client } = await Client.join(s.conversationId, s.socketToken);
  client.send({ type: 'message.send', clientId: 'msg-1', text: 'My passport', attachments: [up.attachment.id] });
  const created = await client.next('message.created');
  return { s, client, attachment: up.attachment, created };
}

describe('a message with files', () => {
  it('carries them to the agent (welcome and detail) with the caption, and the agent downloads through a signed link', async () => {
    const { s, client, attachment, created } = await sentPng();
    expect(created.message).toMatchObject({ text: 'My passport', attachments: [{ id: attachment.id, type: 'image/png', name: 'passport.png' }] });
    const agent = (await Client.join(s.conversationId, await agentSocketToken(anna, s.conversationId))).welcome;
    expect(agent.messages[0]!.attachments).toEqual([attachment]);
    const detail = (await (await api(`/v1/agent/conversations/${s.conversationId}`, { cookie: anna })).json()) as ConversationDetailResponse;
    expect(detail.messages[0]!.attachments).toEqual([attachment]);

    const link = (await (await api(`/v1/agent/conversations/${s.conversationId}/files/${attachment.id}/link`, { cookie: anna })).json()) as DownloadLinkResponse;
    expect(link.expiresAt - Date.now()).toBeLessThanOrEqual(5 * 60_000);
    const file = await api(path(link.url), { cookie: anna });
    expect(file.status).toBe(200);
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(png());
    expect(file.headers.get('content-type')).toBe('image/png');
    expect(file.headers.get('content-disposition')).toMatch(/^inline; filename="passport.png"/);
    expect(file.headers.get('x-content-type-options')).toBe('nosniff');
    expect(file.headers.get('content-security-policy')).toMatch(/default-src 'none'.*sandbox/);
    client.close();
  });

  it("lets the customer download their own file, and an agent's file once it is sent, never before", async () => {
    const { s, client, attachment } = await sentPng();
    const mine = (await (await customerLink(s.socketToken, attachment.id)).json()) as DownloadLinkResponse;
    expect((await api(path(mine.url))).status).toBe(200);

    const tariff = (await (await agentUpload(anna, s.conversationId, pdf(), { clientId: 'reply-1', type: 'application/pdf', name: 'Tariff 2026.pdf' })).json()) as UploadResponse;
    await expectError(await customerLink(s.socketToken, tariff.attachment.id), 404, 'document.not_found');
    const agent = (await Client.join(s.conversationId, await agentSocketToken(anna, s.conversationId))).client;
    agent.send({ type: 'message.send', clientId: 'reply-1', text: 'Our tariffs', attachments: [tariff.attachment.id] });
    expect((await client.next('message.created')).message.attachments).toEqual([tariff.attachment]);
    const link = (await (await customerLink(s.socketToken, tariff.attachment.id)).json()) as DownloadLinkResponse;
    const file = await api(path(link.url));
    expect(file.headers.get('content-disposition')).toMatch(/^inline; filename="Tariff 2026.pdf"/);
    expect((await api(`${path(link.url)}?download=1`)).headers.get('content-disposition')).toMatch(/^attachment;/);
    client.close();
    agent.close();
  });
});

describe('walls', () => {
  it('denies another visitor, another tenant, a link without its agent, and a forged link', async () => {
    const { s, client, attachment } = await sentPng();
    const other = await session(OPERATOR.key, 'web');
    await expectError(await customerLink(other.socketToken, attachment.id), 404, 'document.not_found');
    const mvno = await login('admin@volna.test');
    await expectError(await api(`/v1/agent/conversations/${s.conversationId}/files/${attachment.id}/link`, { cookie: mvno }), 404, 'conversation.not_found');

    const agentLink = (await (await api(`/v1/agent/conversations/${s.conversationId}/files/${attachment.id}/link`, { cookie: anna })).json()) as DownloadLinkResponse;
    await expectError(await api(path(agentLink.url)), 403, 'document.link_invalid');
    const boris = await login('boris@northwind.test');
    await expectError(await api(path(agentLink.url), { cookie: boris }), 403, 'document.link_invalid');

    const mine = (await (await customerLink(s.socketToken, attachment.id)).json()) as DownloadLinkResponse;
    const [body, sig] = path(mine.url).split('/').pop()!.split('.');
    const forgedBody = btoa(atob(body!.replace(/-/g, '+').replace(/_/g, '/')).replace(OPERATOR.id, MVNO.id)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    await expectError(await api(`/v1/files/${forgedBody}.${sig}`), 403, 'document.link_invalid');
    await expectError(await api(`/v1/files/garbage`), 403, 'document.link_invalid');
    client.close();
  });

  it('refuses an expired link', async () => {
    const { s, client, attachment } = await sentPng();
    const mine = (await (await customerLink(s.socketToken, attachment.id)).json()) as DownloadLinkResponse;
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(mine.expiresAt + 1);
    await expectError(await api(path(mine.url)), 403, 'document.link_expired');
    vi.setSystemTime(mine.expiresAt - 1000);
    expect((await api(path(mine.url))).status).toBe(200);
    client.close();
  });
});

describe('retries', () => {
  it('a retried upload and a resent message make one file and one message', async () => {
    const s = await session(OPERATOR.key, 'web');
    const first = (await (await customerUpload(s.socketToken, pdf(), { clientId: 'retry', type: 'application/pdf', name: 'contract.pdf' })).json()) as UploadResponse;
    const again = await customerUpload(s.socketToken, pdf(), { clientId: 'retry', type: 'application/pdf', name: 'contract.pdf' });
    expect(again.status).toBe(200);
    expect((await again.json()) as UploadResponse).toEqual({ attachment: first.attachment, duplicate: true });
    const { client } = await Client.join(s.conversationId, s.socketToken);
    const frame = { type: 'message.send', clientId: 'retry', text: 'Signed contract', attachments: [first.attachment.id] };
    client.send(frame);
    const ack1 = await client.next('message.ack');
    client.send(frame);
    const ack2 = await client.next('message.ack');
    expect(ack2.seq).toBe(ack1.seq);
    const detail = (await (await api(`/v1/agent/conversations/${s.conversationId}`, { cookie: anna })).json()) as ConversationDetailResponse;
    expect(detail.messages.map((m) => m.attachments?.length)).toEqual([1]);
    expect((await env.FILES.list({ prefix: `t/${OPERATOR.id}/c/${s.conversationId}/` })).objects).toHaveLength(1);
    client.close();
  });

  it("refuses a message naming a file uploaded for another message or by someone else", async () => {
    const s = await session(OPERATOR.key, 'web');
    const up = (await (await customerUpload(s.socketToken, png(), { clientId: 'one' })).json()) as UploadResponse;
    const { client } = await Client.join(s.conversationId, s.socketToken);
    client.send({ type: 'message.send', clientId: 'two', text: 'x', attachments: [up.attachment.id] });
    expect(await client.next('error')).toMatchObject({ code: 'document.not_found', ref: 'two' });
    client.close();
  });
});
