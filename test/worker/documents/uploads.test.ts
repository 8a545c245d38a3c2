// Uploads: only JPEG/PNG/WebP/HEIC/PDF by their bytes, the declared type must agree, the size and
// per-message caps are the tenant's, EICAR is refused, and a refusal leaves nothing in R2.
import { env } from 'cloudflare:test';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { UploadResponse } from '../../../protocol';
import { getDocumentSettings, setDocumentSettings } from '../../../worker/db/document-settings';
import { CUSTOMER_UPLOADS } from '../../../worker/documents/upload-limit';
import { MVNO, OPERATOR, api, expectError, login, seed, session } from '../../helpers';
import { EICAR_PDF, SVG_WITH_SCRIPT, agentUpload, contains, customerUpload, jpegWithLocation, pdf, png } from './fixtures';

let cookie: string;
beforeAll(async () => {
  await seed();
  cookie = await login('anna@northwind.test');
});

/** Every R2 object of one conversation. */
async function stored(tenantId: string, conversationId: string): Promise<string[]> {
  return (await env.FILES.list({ prefix: `t/${tenantId}/c/${conversationId}/` })).objects.map((o) => o.key);
}

describe('what passes', () => {
  it('stores a PNG under the tenant and conversation, with a sanitised name of its real type', async () => {
    const s = await session(OPERATOR.key, 'web');
    const res = await customerUpload(s.socketToken, png(), { clientId: 'm1', type: 'image/png', name: '../../etc/\u202Egnp.exe' });
    expect(res.status).toBe(201);
    const { attachment, duplicate } = (await res.json()) as UploadResponse;
    expect(duplicate).toBe(false);
    expect(attachment).toMatchObject({ type: 'image/png', size: 64, sensitive: false, deletedAt: null });
    expect(attachment.name).toBe('gnp.exe.png');
    expect(await stored(OPERATOR.id, s.conversationId)).toEqual([`t/${OPERATOR.id}/c/${s.conversationId}/${attachment.id}`]);
  });

  it('removes the location from a JPEG before it is stored', async () => {
    const s = await session(OPERATOR.key, 'web');
    const res = await customerUpload(s.socketToken, jpegWithLocation().bytes, { clientId: 'photo', type: 'image/jpeg', name: 'IMG_0001.JPG' });
    const { attachment } = (await res.json()) as UploadResponse;
    expect(attachment.name).toBe('IMG_0001.jpg');
    const obj = await env.FILES.get(`t/${OPERATOR.id}/c/${s.conversationId}/${attachment.id}`);
    const bytes = new Uint8Array(await obj!.arrayBuffer());
    expect(contains(bytes, 'GPS')).toBe(false);
    expect(contains(bytes, 'xmpmeta')).toBe(false);
  });

  it('takes a file with no declared type (as browsers send HEIC) by its bytes', async () => {
    const s = await session(OPERATOR.key, 'web');
    const heic = new Uint8Array([0, 0, 0, 24, ...new TextEncoder().encode('ftypheic'), 0, 0, 0, 0, ...new TextEncoder().encode('mif1heic')]);
    const res = await customerUpload(s.socketToken, heic, { clientId: 'h', name: 'IMG_2.HEIC' });
    expect(res.status).toBe(201);
    expect(((await res.json()) as UploadResponse).attachment).toMatchObject({ type: 'image/heic', name: 'IMG_2.heic' });
  });
});

describe('what is refused, leaving nothing stored', () => {
  it('refuses an SVG with a script, saying why in plain words', async () => {
    const s = await session(OPERATOR.key, 'web');
    const res = await customerUpload(s.socketToken, SVG_WITH_SCRIPT, { clientId: 'svg', type: 'image/svg+xml', name: 'logo.svg' });
    const body = (await res.clone().json()) as { error: { message: string } };
    await expectError(res, 415, 'document.type_refused');
    expect(body.error.message).toMatch(/SVG pictures can't be sent/);
    expect(await stored(OPERATOR.id, s.conversationId)).toEqual([]);
  });

  it('refuses HTML and programs whatever they are named', async () => {
    const s = await session(OPERATOR.key, 'web');
    await expectError(await customerUpload(s.socketToken, new TextEncoder().encode('  <!doctype html><script>x()</script>'), { clientId: 'a', type: 'image/jpeg', name: 'photo.jpg' }), 415, 'document.type_refused');
    await expectError(await customerUpload(s.socketToken, new Uint8Array([0x4d, 0x5a, 0x90, 0, 3]), { clientId: 'b', name: 'passport.pdf' }), 415, 'document.type_refused');
    await expectError(await customerUpload(s.socketToken, new TextEncoder().encode('#!/bin/sh\nrm -rf /'), { clientId: 'c', name: 'scan.png' }), 415, 'document.type_refused');
    expect(await stored(OPERATOR.id, s.conversationId)).toEqual([]);
  });

  it('refuses a declared type that disagrees with the bytes (a PDF declared as PNG, a PNG declared as SVG)', async () => {
    const s = await session(OPERATOR.key, 'web');
    await expectError(await customerUpload(s.socketToken, pdf(), { clientId: 'x', type: 'image/png', name: 'a.png' }), 415, 'document.type_mismatch');
    await expectError(await customerUpload(s.socketToken, png(), { clientId: 'y', type: 'image/svg+xml', name: 'a.svg' }), 415, 'document.type_mismatch');
    expect(await stored(OPERATOR.id, s.conversationId)).toEqual([]);
  });

  it('refuses the EICAR test signature through the scanning hook', async () => {
    const s = await session(OPERATOR.key, 'web');
    await expectError(await customerUpload(s.socketToken, EICAR_PDF, { clientId: 'v', type: 'application/pdf', name: 'contract.pdf' }), 422, 'document.infected');
    expect(await stored(OPERATOR.id, s.conversationId)).toEqual([]);
  });

  it('refuses an upload without a session token or with a forged one', async () => {
    await expectError(await api('/v1/widget/files?clientId=a&index=0', { method: 'POST', body: png() }), 401, 'auth.required');
    await expectError(await customerUpload('not-a-token', png(), { clientId: 'a' }), 401, 'auth.token_invalid');
  });
});

describe("the tenant's limits", () => {
  afterEach(async () => {
    await setDocumentSettings(env.DB, OPERATOR.id, { maxFileBytes: null, maxFilesPerMessage: null });
  });

  it('refuses a file over the size cap, declared or not, and stores nothing', async () => {
    await setDocumentSettings(env.DB, OPERATOR.id, { maxFileBytes: 1000 });
    expect((await getDocumentSettings(env.DB, OPERATOR.id)).maxFileBytes).toBe(1000);
    const s = await session(OPERATOR.key, 'web');
    const res = await customerUpload(s.socketToken, png(1001), { clientId: 'big', type: 'image/png' });
    await expectError(res, 413, 'document.too_large');
    // A stream with no Content-Length is cut off as it passes the cap.
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(png(600));
        c.enqueue(new Uint8Array(600));
        c.close();
      },
    });
    const q = new URLSearchParams({ clientId: 'big2', index: '0' });
    await expectError(await api(`/v1/widget/files?${q}`, { method: 'POST', headers: { authorization: `Bearer ${s.socketToken}` }, body: stream, duplex: 'half' } as RequestInit), 413, 'document.too_large');
    expect(await stored(OPERATOR.id, s.conversationId)).toEqual([]);
    expect((await customerUpload(s.socketToken, png(1000), { clientId: 'fits', type: 'image/png' })).status).toBe(201);
  });

  it('refuses a file past the per-message count, for customers and agents alike', async () => {
    await setDocumentSettings(env.DB, OPERATOR.id, { maxFilesPerMessage: 2 });
    const s = await session(OPERATOR.key, 'web');
    expect((await customerUpload(s.socketToken, png(), { clientId: 'many', index: 1 })).status).toBe(201);
    await expectError(await customerUpload(s.socketToken, png(), { clientId: 'many', index: 2 }), 400, 'document.too_many');
    await expectError(await agentUpload(cookie, s.conversationId, pdf(), { clientId: 'r', index: 2 }), 400, 'document.too_many');
    expect(await stored(OPERATOR.id, s.conversationId)).toHaveLength(1);
  });

  it('limits how many files one customer sends in a burst; another customer is not affected', async () => {
    const s = await session(OPERATOR.key, 'web');
    for (let i = 0; i < CUSTOMER_UPLOADS.capacity; i++) expect((await customerUpload(s.socketToken, png(), { clientId: `burst-${i}` })).status).toBe(201);
    const refused = await customerUpload(s.socketToken, png(), { clientId: 'one-too-many' });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    await expectError(refused, 429, 'rate.limited');
    const other = await session(OPERATOR.key, 'web');
    expect((await customerUpload(other.socketToken, png(), { clientId: 'x' })).status).toBe(201);
  });

  it('uses the defaults (10 MB, 5 files, 90 days) when the tenant set none, and a tenant\'s own when set', async () => {
    expect(await getDocumentSettings(env.DB, OPERATOR.id)).toEqual({ maxFileBytes: 10 * 1024 * 1024, maxFilesPerMessage: 5, retentionDays: 90 });
    // The demo MVNO sets its own (scripts/demo-seed.ts).
    expect(await getDocumentSettings(env.DB, MVNO.id)).toEqual({ maxFileBytes: 10 * 1024 * 1024, maxFilesPerMessage: 3, retentionDays: 30 });
  });
});
