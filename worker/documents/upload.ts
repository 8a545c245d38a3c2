import type { UploadResponse } from '../../protocol';
import type { Env } from '../env';
import type { DocumentSettings } from '../db/document-settings';
import { ApiError, unwrap } from '../errors';
import { conversationStub } from '../stubs';
import { declaredAgrees, refusalMessage, sniff } from './sniff';
import { sanitiseFilename } from './filename';
import { MalformedJpeg, stripJpegMetadata } from './jpeg-filter';
import { scan, scannersOf } from './scan';
import { attachmentIdOf, objectKey } from './links';
import type { Viewer } from './do-documents';

/** Where an upload goes and who sends it; the Worker has checked both against the caller's session. */
export interface UploadTarget {
  tenantId: string;
  conversationId: string;
  uploader: Viewer;
  clientId: string;
  index: number;
  name: string | undefined;
  declaredType: string | null;
  sensitive: boolean;
}

const MB = 1024 * 1024;

/**
 * Take one uploaded file through every check, then store it: the per-message limit, the size cap
 * (before and while reading), the type from the bytes, the declared type, the scanner, location
 * metadata removed, the name sanitised. Nothing reaches R2 before every check passed, and the R2
 * object is removed again if the conversation refuses to record it, so a refusal leaves nothing.
 */
export async function receiveUpload(env: Env, body: ReadableStream<Uint8Array> | null, contentLength: string | undefined, t: UploadTarget, limits: DocumentSettings, now = Date.now()): Promise<UploadResponse> {
  if (t.index >= limits.maxFilesPerMessage) throw new ApiError('document.too_many', `A message can carry at most ${limits.maxFilesPerMessage} files`);
  const tooLarge = () => new ApiError('document.too_large', `This file is larger than ${Math.floor(limits.maxFileBytes / MB)} MB; please send a smaller one`);
  if (contentLength && Number(contentLength) > limits.maxFileBytes) throw tooLarge();
  const stub = conversationStub(env, t.conversationId);
  const id = await attachmentIdOf(t.tenantId, t.conversationId, `${t.uploader.role}:${t.uploader.id}`, t.clientId, t.index);
  // A retried upload (the widget's outbox after a dropped link) finds what the first one stored.
  const existing = unwrap(await stub.documents(t.tenantId, { op: 'find', id, viewer: t.uploader })).attachment;
  if (existing) {
    if (body) await body.cancel();
    return { attachment: existing, duplicate: true };
  }
  let bytes = await readCapped(body, limits.maxFileBytes, tooLarge);
  if (bytes.length === 0) throw new ApiError('request.invalid', 'The file is empty');
  const sniffed = sniff(bytes);
  if (!sniffed.ok) throw new ApiError('document.type_refused', refusalMessage(sniffed.kind));
  if (!declaredAgrees(t.declaredType, sniffed.type)) throw new ApiError('document.type_mismatch', `This file says it is ${t.declaredType} but it is not; please send the original file`);
  const verdict = await scan(scannersOf(env), bytes, { tenantId: t.tenantId, type: sniffed.type });
  if (!verdict.clean) throw new ApiError('document.infected', 'This file was refused by the virus check and was not sent');
  if (sniffed.type === 'image/jpeg') {
    try {
      bytes = stripJpegMetadata(bytes);
    } catch (err) {
      if (err instanceof MalformedJpeg) throw new ApiError('document.type_refused', 'This photo is damaged and cannot be sent; please take it again');
      throw err;
    }
  }
  const name = sanitiseFilename(t.name, sniffed.type);
  const key = objectKey(t.tenantId, t.conversationId, id);
  await env.FILES.put(key, bytes, { httpMetadata: { contentType: sniffed.type }, customMetadata: { name, uploader: t.uploader.role } });
  const attachment = {
    id,
    name,
    type: sniffed.type,
    size: bytes.length,
    sensitive: t.sensitive,
    uploaderRole: t.uploader.role,
    uploaderId: t.uploader.id,
    clientId: t.clientId,
    index: t.index,
    createdAt: now,
    deleteAt: now + limits.retentionDays * 86_400_000,
  };
  let recorded;
  try {
    recorded = await stub.documents(t.tenantId, { op: 'register', attachment });
  } catch (err) {
    await env.FILES.delete(key);
    throw err;
  }
  if (!recorded.ok) await env.FILES.delete(key);
  const r = unwrap(recorded);
  if (!r.attachment) throw new ApiError('server.error', 'The file was stored but could not be recorded');
  // A retry of an upload whose file retention has since deleted must not bring the bytes back.
  if (r.duplicate && r.attachment.deletedAt !== null) await env.FILES.delete(key);
  return { attachment: r.attachment, duplicate: r.duplicate };
}

/** The whole body, refused as soon as it passes `max` bytes (a lying or missing Content-Length changes nothing). */
async function readCapped(body: ReadableStream<Uint8Array> | null, max: number, tooLarge: () => ApiError): Promise<Uint8Array> {
  if (!body) return new Uint8Array(0);
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let n = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    n += value.length;
    if (n > max) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  const out = new Uint8Array(n);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}
