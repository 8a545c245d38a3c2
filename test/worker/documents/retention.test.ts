// Retention: the Conversation object's alarm deletes a document's bytes after the tenant's days,
// audits it, and the thread keeps a "document deleted" line; under a controlled clock.
import { env, runDurableObjectAlarm } from 'cloudflare:test';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ConversationDetailResponse, DownloadLinkResponse, UploadResponse } from '../../../protocol';
import { setDocumentSettings } from '../../../worker/db/document-settings';
import { Client, OPERATOR, api, conversationStub, drainToD1, expectError, login, seed, session } from '../../helpers';
import { customerUpload, pdf } from './fixtures';

let anna: string;
beforeAll(async () => {
  await seed();
  anna = await login('anna@northwind.test');
});
afterEach(async () => {
  vi.useRealTimers();
  await setDocumentSettings(env.DB, OPERATOR.id, { retentionDays: null });
});

const DAY = 86_400_000;

describe('document retention', () => {
  it('deletes the file at the end of its retention days, audits it, and both threads keep a line', async () => {
    await setDocumentSettings(env.DB, OPERATOR.id, { retentionDays: 2 });
    const s = await session(OPERATOR.key, 'web');
    const uploadedAt = Date.now();
    const up = (await (await customerUpload(s.socketToken, pdf(), { clientId: 'c1', type: 'application/pdf', name: 'contract.pdf' })).json()) as UploadResponse;
    const { client } = await Client.join(s.conversationId, s.socketToken);
    client.send({ type: 'message.send', clientId: 'c1', text: 'Signed', attachments: [up.attachment.id] });
    await client.next('message.ack');
    const key = `t/${OPERATOR.id}/c/${s.conversationId}/${up.attachment.id}`;
    const stub = conversationStub(s.conversationId);

    vi.useFakeTimers({ toFake: ['Date'] });
    // A day in, the alarm keeps it.
    vi.setSystemTime(uploadedAt + DAY);
    await runDurableObjectAlarm(stub);
    expect(await env.FILES.head(key)).not.toBeNull();
    // Past the second day it goes: bytes gone, row kept as deleted, a line in the customer's thread.
    vi.setSystemTime(uploadedAt + 2 * DAY + 1000);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await env.FILES.head(key)).toBeNull();
    const line = await client.next('system.line');
    expect(line.line).toMatchObject({ kind: 'document_deleted', name: 'contract.pdf', by: null });

    vi.useRealTimers();
    // Back on the real clock, where the session token is still good: the file is gone for the customer too.
    await expectError(await api(`/v1/widget/files/${up.attachment.id}/link`, { headers: { authorization: `Bearer ${s.socketToken}` } }), 404, 'document.not_found');
    const detail = (await (await api(`/v1/agent/conversations/${s.conversationId}`, { cookie: anna })).json()) as ConversationDetailResponse;
    expect(detail.messages[0]!.attachments![0]).toMatchObject({ id: up.attachment.id, deletedAt: uploadedAt + 2 * DAY + 1000 });
    expect(detail.lines.filter((l) => l.kind === 'document_deleted')).toHaveLength(1);
    await drainToD1(s.conversationId);
    const { events } = (await (await api(`/v1/agent/conversations/${s.conversationId}/events`, { cookie: anna })).json()) as { events: { kind: string }[] };
    expect(events.filter((e) => e.kind === 'document.deleted')).toHaveLength(1);
    client.close();
  });

  it('an agent link made before the deletion no longer opens the file after it', async () => {
    await setDocumentSettings(env.DB, OPERATOR.id, { retentionDays: 1 });
    const s = await session(OPERATOR.key, 'web');
    const up = (await (await customerUpload(s.socketToken, pdf(), { clientId: 'c2', type: 'application/pdf' })).json()) as UploadResponse;
    const link = (await (await api(`/v1/agent/conversations/${s.conversationId}/files/${up.attachment.id}/link`, { cookie: anna })).json()) as DownloadLinkResponse;
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + DAY + 1000);
    await runDurableObjectAlarm(conversationStub(s.conversationId));
    vi.setSystemTime(link.expiresAt - 1000);
    await expectError(await api(new URL(link.url).pathname, { cookie: anna }), 404, 'document.not_found');
  });

  it('deletes what a session uploaded when the session is discarded unused (no message was ever sent)', async () => {
    await env.DB.prepare('UPDATE tenants SET unused_session_ttl_s = 1 WHERE id = ?').bind(OPERATOR.id).run();
    try {
      const s = await session(OPERATOR.key, 'web');
      expect((await customerUpload(s.socketToken, pdf(), { clientId: 'never-sent', type: 'application/pdf' })).status).toBe(201);
      const files = async () => (await env.FILES.list({ prefix: `t/${OPERATOR.id}/c/${s.conversationId}/` })).objects.length;
      expect(await files()).toBe(1);
      // The object's real alarm discards the session after its quiet period; polled with a deadline.
      await expect.poll(files, { timeout: 8000, interval: 100 }).toBe(0);
    } finally {
      await env.DB.prepare('UPDATE tenants SET unused_session_ttl_s = NULL WHERE id = ?').bind(OPERATOR.id).run();
    }
  });
});
