// A visitor's files follow their history when they sign in: the merged copies carry them, under
// the contact's conversation's own keys and links; a retried merge makes no second file.
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DownloadLinkResponse, UploadResponse } from '../../../protocol';
import type { Env } from '../../../worker/env';
import { mergeFiles } from '../../../worker/documents/merge-files';
import { Client, OPERATOR, api, identityToken, login, seed, session } from '../../helpers';
import { customerUpload, png } from './fixtures';

let anna: string;
beforeAll(async () => {
  await seed();
  anna = await login('anna@northwind.test');
});

const keys = async (conversationId: string) => (await env.FILES.list({ prefix: `t/${OPERATOR.id}/c/${conversationId}/` })).objects.map((o) => o.key.split('/').pop());

describe('merging a visitor into their contact', () => {
  it("carries the visitor's file into the contact's conversation, downloadable there, once", async () => {
    const sub = `sub-${crypto.randomUUID()}`;
    const known = await session(OPERATOR.key, 'app', { identityToken: await identityToken(OPERATOR.identitySecret, sub) });
    const k = await Client.join(known.conversationId, known.socketToken);
    await k.client.say('signed in on the app');

    const anon = await session(OPERATOR.key, 'web');
    const a = await Client.join(anon.conversationId, anon.socketToken);
    const bytes = png(96);
    const up = (await (await customerUpload(anon.socketToken, bytes, { clientId: 'photo', type: 'image/png', name: 'modem.png' })).json()) as UploadResponse;
    a.client.send({ type: 'message.send', clientId: 'photo', text: 'my modem', attachments: [up.attachment.id] });
    await a.client.next('message.created');

    const joined = await session(OPERATOR.key, 'web', { visitorToken: anon.visitorToken, identityToken: await identityToken(OPERATOR.identitySecret, sub) });
    expect(joined.conversationId).toBe(known.conversationId);
    const { welcome } = await Client.join(joined.conversationId, joined.socketToken);
    const carried = welcome.messages.find((m) => m.text === 'my modem')!;
    expect(carried.attachments).toEqual([up.attachment]);
    // Its own copy, under the contact's conversation's key.
    expect(await keys(known.conversationId)).toEqual([up.attachment.id]);

    // The customer downloads it through a link bound to the contact's conversation, bytes intact.
    const link = (await (await api(`/v1/widget/files/${up.attachment.id}/link`, { headers: { authorization: `Bearer ${joined.socketToken}` } })).json()) as DownloadLinkResponse;
    const file = await api(new URL(link.url).pathname);
    expect(file.status).toBe(200);
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(bytes);
    // And an agent of the contact's conversation too.
    expect((await api(`/v1/agent/conversations/${known.conversationId}/files/${up.attachment.id}/link`, { cookie: anna })).status).toBe(200);

    // A retried merge: the same rows and objects, no second file or message.
    await mergeFiles(env as unknown as Env, OPERATOR.id, anon.conversationId, known.conversationId);
    const again = await Client.join(joined.conversationId, joined.socketToken);
    expect(again.welcome.messages.filter((m) => m.attachments?.length).map((m) => m.attachments)).toEqual([[up.attachment]]);
    expect(await keys(known.conversationId)).toEqual([up.attachment.id]);
    // The visitor's own conversation keeps its file for its own retention.
    expect(await keys(anon.conversationId)).toEqual([up.attachment.id]);
    for (const c of [k.client, a.client, again.client]) c.close();
  });
});
