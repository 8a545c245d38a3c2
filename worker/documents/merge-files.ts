import type { Env } from '../env';
import type { ConversationCore, Result } from '../conversation/core';
import { ok } from '../conversation/core';
import { unwrap } from '../errors';
import { conversationStub } from '../stubs';
import { DocumentStore } from './doc-store';
import type { StoredAttachment } from './doc-store';
import type { DocumentAnswer } from './do-documents';
import { objectKey } from './links';

/**
 * Files go with a merged history. When a visitor's conversation is merged into their contact's,
 * importMessages copies the messages (clientId `merged:<from>:<seq>`); here the files those
 * messages carried follow: the bytes are COPIED to the target's own R2 keys and the target gets
 * its own rows (same attachment id, same retention time) pointing at the copied messages. Copying
 * rather than pointing at the source's keys keeps one owner per key: each conversation's retention
 * deletes its own objects exactly once, a signed link bound to the target reads the target's key,
 * and deleting either conversation's prefix never takes the other's files. A retried merge finds
 * the rows stored (same id) and writes the same objects again: no duplicate.
 */

/** The source's half: every file a message carries, with its stored fields. */
export function exportFiles(core: ConversationCore): Result<DocumentAnswer> {
  if (!DocumentStore.exists(core.ctx.storage.sql)) return ok({ attachment: null, duplicate: false, files: [] });
  const seqs = core.store.messagesAfter(core.s.id, 0).map((m) => m.seq);
  const files = [...new DocumentStore(core.ctx.storage.sql).bySeq(seqs).values()].flat();
  return ok({ attachment: null, duplicate: false, files });
}

/** The target's half: a row per copied file, on the message copied from the one that carried it. */
export async function importFiles(core: ConversationCore, fromId: string, files: readonly StoredAttachment[]): Promise<Result<DocumentAnswer>> {
  const docs = new DocumentStore(core.ctx.storage.sql);
  let copied = 0;
  for (const f of files) {
    const seq = f.messageSeq === null ? null : docs.seqOfClientId(`merged:${fromId}:${f.messageSeq}`);
    if (seq === null) continue;
    if (!docs.insert({ ...f, messageSeq: null, deletedAt: null })) continue;
    docs.link([f.id], seq);
    if (f.deletedAt !== null) docs.markDeleted(f.id, f.deletedAt);
    else if (f.deleteAt !== null) await core.schedule(f.deleteAt);
    copied++;
  }
  return ok({ attachment: null, duplicate: copied === 0 && files.length > 0 });
}

/** In the Worker, after importMessages: copy the source's files' bytes to the target's keys, then their rows. */
export async function mergeFiles(env: Env, tenantId: string, fromId: string, intoId: string): Promise<void> {
  const files = unwrap(await conversationStub(env, fromId).documents(tenantId, { op: 'export' })).files ?? [];
  if (files.length === 0) return;
  for (const f of files) {
    if (f.deletedAt !== null) continue;
    const obj = await env.FILES.get(objectKey(tenantId, fromId, f.id));
    // Retention got there first: the row still says the file was deleted.
    if (!obj) continue;
    await env.FILES.put(objectKey(tenantId, intoId, f.id), obj.body, { httpMetadata: obj.httpMetadata, customMetadata: obj.customMetadata });
  }
  unwrap(await conversationStub(env, intoId).documents(tenantId, { op: 'import', fromId, files }));
}
