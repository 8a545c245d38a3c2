// "Request a document": the agent asks, the customer sees the request in their thread and answers
// with files; the request shows fulfilled, and a passport is blurred for agents until an audited reveal.
import { beforeAll, describe, expect, it } from 'vitest';
import type { DocumentRequestResponse, DownloadLinkResponse, UploadResponse } from '../../../protocol';
import { Client, OPERATOR, agentSocketToken, api, drainToD1, expectError, login, seed, session } from '../../helpers';
import { customerUpload, png } from './fixtures';

let anna: string;
beforeAll(async () => {
  await seed();
  anna = await login('anna@northwind.test');
});

const ask = (id: string, body: unknown) => api(`/v1/agent/conversations/${id}/document-requests`, { method: 'POST', cookie: anna, json: body });

describe('document requests', () => {
  it('puts the request in both threads, is fulfilled by the answer, and makes a passport sensitive until revealed', async () => {
    const s = await session(OPERATOR.key, 'web');
    const { client: customer } = await Client.join(s.conversationId, s.socketToken);
    await customer.say('I want a new SIM');
    const agent = (await Client.join(s.conversationId, await agentSocketToken(anna, s.conversationId))).client;
    const res = await ask(s.conversationId, { kind: 'passport', note: 'The page with your photo' });
    expect(res.status).toBe(201);
    const { request } = (await res.json()) as DocumentRequestResponse;
    expect(request).toMatchObject({ kind: 'passport', sensitive: true, fulfilledSeq: null });
    expect((await customer.next('system.line')).line).toMatchObject({ kind: 'document_requested', requestId: request.id, docKind: 'passport', note: 'The page with your photo', by: 'Anna' });
    expect((await agent.next('system.line')).line).toMatchObject({ kind: 'document_requested', requestId: request.id });

    const up = (await (await customerUpload(s.socketToken, png(), { clientId: 'answer', type: 'image/png', name: 'passport.png' })).json()) as UploadResponse;
    customer.send({ type: 'message.send', clientId: 'answer', text: 'Here it is', attachments: [up.attachment.id], requestId: request.id });
    const created = await agent.next('message.created');
    expect(created.message.attachments).toEqual([{ ...up.attachment, sensitive: true }]);
    expect((await customer.next('system.line')).line).toMatchObject({ kind: 'document_received', requestId: request.id, messageSeq: created.message.seq });

    // Blurred for agents: no link without the audited reveal.
    const base = `/v1/agent/conversations/${s.conversationId}/files/${up.attachment.id}`;
    await expectError(await api(`${base}/link`, { cookie: anna }), 403, 'auth.forbidden');
    const revealed = await api(`${base}/reveal`, { method: 'POST', cookie: anna });
    expect(revealed.status).toBe(200);
    const link = (await revealed.json()) as DownloadLinkResponse;
    expect((await api(new URL(link.url).pathname, { cookie: anna })).status).toBe(200);
    // The customer sees their own passport without any reveal.
    expect((await api(`/v1/widget/files/${up.attachment.id}/link`, { headers: { authorization: `Bearer ${s.socketToken}` } })).status).toBe(200);

    await drainToD1(s.conversationId);
    const { events } = (await (await api(`/v1/agent/conversations/${s.conversationId}/events`, { cookie: anna })).json()) as { events: { kind: string; actor?: unknown }[] };
    expect(events.map((e) => e.kind).filter((k) => k.startsWith('document.'))).toEqual(['document.requested', 'document.received', 'document.revealed']);
    customer.close();
    agent.close();
  });

  it('keeps a device label visible to agents, and refuses an "other" request that says nothing, a wrong request id and an answer without files', async () => {
    const s = await session(OPERATOR.key, 'web');
    const { client: customer } = await Client.join(s.conversationId, s.socketToken);
    await customer.say('My modem blinks red');
    await customer.next('message.created');
    await expectError(await ask(s.conversationId, { kind: 'other' }), 400, 'request.invalid');
    await expectError(await ask(s.conversationId, { kind: 'selfie' }), 400, 'request.invalid');
    const { request } = (await (await ask(s.conversationId, { kind: 'device_label' })).json()) as DocumentRequestResponse;
    expect(request.sensitive).toBe(false);
    const up = (await (await customerUpload(s.socketToken, png(), { clientId: 'label', type: 'image/png' })).json()) as UploadResponse;
    customer.send({ type: 'message.send', clientId: 'label', text: 'label', attachments: [up.attachment.id], requestId: 'no-such-request' });
    expect(await customer.next('error')).toMatchObject({ code: 'document.not_found', ref: 'label' });
    customer.send({ type: 'message.send', clientId: 'label2', text: 'no file', requestId: request.id });
    expect(await customer.next('error')).toMatchObject({ code: 'request.invalid', ref: 'label2' });
    customer.send({ type: 'message.send', clientId: 'label', text: 'label', attachments: [up.attachment.id], requestId: request.id });
    expect((await customer.next('message.created')).message.attachments![0]!.sensitive).toBe(false);
    expect((await api(`/v1/agent/conversations/${s.conversationId}/files/${up.attachment.id}/link`, { cookie: anna })).status).toBe(200);
    customer.close();
  });
});
