// "Mark sensitive": an agent covers a file already received; audited once, every agent's thread
// learns it live, no link without the audited reveal afterwards, and the walls hold.
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ConversationState, DownloadLinkResponse, MarkSensitiveResponse, Message, UploadResponse } from '../../../protocol';
import { Client, OPERATOR, agentSocketToken, api, drainToD1, expectError, login, seed, session } from '../../helpers';
import { customerUpload, png } from './fixtures';

let anna: string;
let boris: string;
beforeAll(async () => {
  await seed();
  [anna, boris] = await Promise.all([login('anna@northwind.test'), login('boris@northwind.test')]);
});

const files = (id: string, fileId: string) => `/v1/agent/conversations/${id}/files/${fileId}`;
const mark = (cookie: string, id: string, fileId: string) => api(`${files(id, fileId)}/sensitive`, { method: 'POST', cookie });

describe('marking a received file sensitive', () => {
  it('is audited once, covers the file for every agent live, and hands out no link before a reveal', async () => {
    const s = await session(OPERATOR.key, 'web');
    const { client: customer } = await Client.join(s.conversationId, s.socketToken);
    const up = (await (await customerUpload(s.socketToken, png(), { clientId: 'scan', type: 'image/png', name: 'passport.png' })).json()) as UploadResponse;
    customer.send({ type: 'message.send', clientId: 'scan', text: 'my passport', attachments: [up.attachment.id] });
    await customer.next('message.created');
    const a = (await Client.join(s.conversationId, await agentSocketToken(anna, s.conversationId))).client;
    const b = (await Client.join(s.conversationId, await agentSocketToken(boris, s.conversationId))).client;
    // Not sensitive yet: a link without any reveal.
    expect((await api(`${files(s.conversationId, up.attachment.id)}/link`, { cookie: boris })).status).toBe(200);

    const marked = await mark(anna, s.conversationId, up.attachment.id);
    expect(marked.status).toBe(200);
    expect((await marked.json()) as MarkSensitiveResponse).toEqual({ attachment: { ...up.attachment, sensitive: true }, duplicate: false });
    // Both agents' open threads are told at once; the customer is not.
    for (const agent of [a, b]) expect((await agent.next('system.line')).line).toMatchObject({ kind: 'document_marked_sensitive', attachmentId: up.attachment.id, name: up.attachment.name, by: 'Anna' });
    await customer.say('sentinel');
    expect(customer.frames.filter((f) => f.type === 'system.line')).toEqual([]);

    // Covered for every agent, the one who marked it too: no link without the audited reveal.
    await expectError(await api(`${files(s.conversationId, up.attachment.id)}/link`, { cookie: boris }), 403, 'auth.forbidden');
    await expectError(await api(`${files(s.conversationId, up.attachment.id)}/link`, { cookie: anna }), 403, 'auth.forbidden');
    const detail = (await (await api(`/v1/agent/conversations/${s.conversationId}`, { cookie: boris })).json()) as { messages: Message[]; state: ConversationState };
    expect(detail.messages.find((m) => m.attachments?.length)!.attachments![0]!.sensitive).toBe(true);
    const revealed = await api(`${files(s.conversationId, up.attachment.id)}/reveal`, { method: 'POST', cookie: boris });
    expect(revealed.status).toBe(200);
    expect((await api(new URL(((await revealed.json()) as DownloadLinkResponse).url).pathname, { cookie: boris })).status).toBe(200);
    // The customer's own file stays theirs to open, without any reveal.
    expect((await api(`/v1/widget/files/${up.attachment.id}/link`, { headers: { authorization: `Bearer ${s.socketToken}` } })).status).toBe(200);

    // Marking again changes nothing and audits nothing more.
    expect((await (await mark(boris, s.conversationId, up.attachment.id)).json()) as MarkSensitiveResponse).toMatchObject({ duplicate: true });
    await drainToD1(s.conversationId);
    const { events } = (await (await api(`/v1/agent/conversations/${s.conversationId}/events`, { cookie: anna })).json()) as { events: { kind: string }[] };
    expect(events.map((e) => e.kind).filter((k) => k.startsWith('document.'))).toEqual(['document.marked_sensitive', 'document.revealed']);
    customer.close();
    a.close();
    b.close();
  });

  it('is refused to another tenant, another team, a customer, and for a file that is not there', async () => {
    const s = await session(OPERATOR.key, 'web');
    const { client: customer } = await Client.join(s.conversationId, s.socketToken);
    const up = (await (await customerUpload(s.socketToken, png(), { clientId: 'doc', type: 'image/png', name: 'bill.png' })).json()) as UploadResponse;
    customer.send({ type: 'message.send', clientId: 'doc', text: 'the bill', attachments: [up.attachment.id] });
    await customer.next('message.created');
    await drainToD1(s.conversationId);

    await expectError(await mark(await login('admin@volna.test'), s.conversationId, up.attachment.id), 404, 'conversation.not_found');
    await expectError(await api(`${files(s.conversationId, up.attachment.id)}/sensitive`, { method: 'POST', headers: { authorization: `Bearer ${s.socketToken}` } }), 401, 'auth.required');
    await expectError(await mark(anna, s.conversationId, 'no-such-file-id-at-all'), 404, 'document.not_found');
    // In a team Anna is not in (and not hers): refused before the object is asked.
    await env.DB.prepare('UPDATE conversations SET team_id = ? WHERE id = ?').bind('roaming', s.conversationId).run();
    try {
      await expectError(await mark(anna, s.conversationId, up.attachment.id), 403, 'auth.forbidden');
    } finally {
      await env.DB.prepare('UPDATE conversations SET team_id = ? WHERE id = ?').bind('general', s.conversationId).run();
    }
    // Nothing was marked by any of these.
    expect((await api(`${files(s.conversationId, up.attachment.id)}/link`, { cookie: anna })).status).toBe(200);
    customer.close();
  });
});
