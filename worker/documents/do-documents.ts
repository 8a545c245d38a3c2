import { SENSITIVE_REQUEST_KINDS } from '../../protocol';
import type { Attachment, Author, DocumentRequest, DocumentRequestBody } from '../../protocol';
import { randomToken } from '../auth/crypto';
import type { Actor } from '../conversation/commands';
import { SYSTEM } from '../conversation/commands';
import type { ConversationCore, Result } from '../conversation/core';
import { fail, ok } from '../conversation/core';
import type { Env } from '../env';
import { DocumentStore, publicAttachment } from './doc-store';
import type { StoredAttachment } from './doc-store';
import { objectKey } from './links';
import { markSensitive } from './document-marks';
import { exportFiles, importFiles } from './merge-files';

/**
 * The Conversation object's half of documents: it keeps the attachment rows (who may see which
 * file, which message carries it) and runs retention on its alarm. The bytes and their checks are
 * the Worker's (upload.ts); this object is asked only once the bytes are in R2.
 */

/** Who is asking: a customer of this conversation (their contact id) or an agent the Worker let through its walls. */
export type Viewer = { role: 'customer' | 'agent'; id: string };

/** What the Worker asks of the object about documents (Conversation.documents). */
export type DocumentCall =
  | { op: 'find'; id: string; viewer: Viewer }
  | { op: 'register'; attachment: Omit<StoredAttachment, 'messageSeq' | 'deletedAt'> }
  /** An agent opens a sensitive document: audited like revealing a masked number. */
  | { op: 'reveal'; id: string; actor: Actor }
  /** An agent marks a file sensitive: audited, and covered for every agent from then on (document-marks.ts). */
  | { op: 'mark'; id: string; actor: Actor }
  /** Merge (merge-files.ts): the files the messages carry, then their rows in the target. */
  | { op: 'export' }
  | { op: 'import'; fromId: string; files: StoredAttachment[] }
  /** An agent asks the customer for a document: a card in the customer's thread. */
  | { op: 'request'; request: DocumentRequestBody; actor: Actor };

/** The answer: the attachment (null when there is none to see) and whether a retry found it stored. */
export interface DocumentAnswer {
  attachment: Attachment | null;
  duplicate: boolean;
  /** For `export`: the files the messages carry. */
  files?: StoredAttachment[];
  /** For `request`: the request made. */
  request?: DocumentRequest;
}

const storeOf = (core: ConversationCore) => new DocumentStore(core.ctx.storage.sql);

/** Carry out one documents call for a caller the Worker has checked belongs to this conversation's tenant. */
export async function handleDocuments(core: ConversationCore, call: DocumentCall): Promise<Result<DocumentAnswer>> {
  const docs = storeOf(core);
  switch (call.op) {
    case 'find': {
      const a = docs.find(call.id);
      return ok({ attachment: a && mayView(a, call.viewer) ? publicAttachment(a) : null, duplicate: false });
    }
    case 'reveal': {
      const a = docs.find(call.id);
      if (!a || !mayView(a, { role: 'agent', id: call.actor.id ?? '' })) return ok({ attachment: null, duplicate: false });
      core.record([{ kind: 'document.revealed', actor: authorOfActor(call.actor), data: { attachmentId: a.id, name: a.name } }], Date.now());
      await core.drain.soon(0);
      return ok({ attachment: publicAttachment(a), duplicate: false });
    }
    case 'export':
      return exportFiles(core);
    case 'import':
      return importFiles(core, call.fromId, call.files);
    case 'mark':
      return markSensitive(core, docs, call.id, call.actor);
    case 'request': {
      const now = Date.now();
      const b = call.request;
      const request: DocumentRequest = { id: randomToken(12), kind: b.kind, note: b.note || null, sensitive: b.sensitive === true || SENSITIVE_REQUEST_KINDS.includes(b.kind), createdAt: now, fulfilledSeq: null };
      docs.addRequest(request);
      core.record([{ kind: 'document.requested', actor: authorOfActor(call.actor), data: { requestId: request.id, kind: request.kind, note: request.note, sensitive: request.sensitive } }], now);
      await core.drain.soon(0);
      return ok({ attachment: null, duplicate: false, request });
    }
    case 'register': {
      const a = { ...call.attachment, messageSeq: null, deletedAt: null };
      const inserted = docs.insert(a);
      const stored = docs.find(a.id)!;
      if (a.deleteAt !== null) await core.schedule(a.deleteAt);
      return ok({ attachment: publicAttachment(stored), duplicate: !inserted });
    }
  }
}

/**
 * A customer sees their own uploads and every file a message carries (their thread is theirs);
 * an agent sees every file of a conversation they reach. An agent's upload not yet sent is the agent's only.
 */
export function mayView(a: StoredAttachment, v: Viewer): boolean {
  if (a.deletedAt !== null) return false;
  if (a.uploaderRole === v.role && a.uploaderId === v.id) return true;
  if (v.role === 'agent') return a.uploaderRole === 'customer' || a.messageSeq !== null;
  return a.messageSeq !== null;
}

/**
 * The attachments a new message names, checked: each uploaded by the sender under this very
 * message's clientId (so a message never carries more than the per-message limit allowed at
 * upload, and never someone else's file), not yet carried by another message, not deleted.
 */
export function claimAttachments(core: ConversationCore, actor: Actor, clientId: string, ids: readonly string[] | undefined, requestId?: string): Result<StoredAttachment[]> {
  if (!ids || ids.length === 0) return requestId ? fail('request.invalid', 'Answer a document request with at least one file') : ok([]);
  if (new Set(ids).size !== ids.length) return fail('request.invalid', 'A file is named twice in one message');
  const docs = storeOf(core);
  const request = requestId ? docs.request(requestId) : null;
  if (requestId && (!request || actor.role !== 'customer')) return fail('document.not_found', 'No such document request');
  const out: StoredAttachment[] = [];
  for (const id of ids) {
    const a = docs.find(id);
    if (!a || a.uploaderRole !== actor.role || a.uploaderId !== actor.id || a.clientId !== clientId || a.deletedAt !== null) return fail('document.not_found', 'A file of this message was not uploaded (or not by you); upload it again');
    out.push(a);
  }
  // Files answering a sensitive request are sensitive before anyone is told of the message.
  if (request?.sensitive) for (const a of out) docs.markSensitive(a.id);
  return ok(request?.sensitive ? out.map((a) => ({ ...a, sensitive: true })) : out);
}

/**
 * In the write of the message just stored (seq): point its files at it, and when they answer a
 * document request, mark the request fulfilled and put the line in both threads.
 */
export function attachToMessage(core: ConversationCore, actor: Actor, ids: readonly string[], seq: number, requestId?: string): void {
  if (!ids.length) return;
  const docs = storeOf(core);
  docs.link(ids, seq);
  if (requestId && docs.fulfil(requestId, seq)) core.record([{ kind: 'document.received', actor: authorOfActor(actor), data: { requestId, messageSeq: seq } }], Date.now());
}

/** The author an audit event names for this actor. */
export function authorOfActor(a: Actor): Author {
  return { role: a.role, id: a.id, name: a.name };
}

/**
 * Retention, on the object's alarm: delete the bytes of every file whose time has come, keep its
 * row (the thread says "document deleted on …"), audit each deletion. Returns the next wake-up.
 */
export async function runDocumentRetention(core: ConversationCore, env: Pick<Env, 'FILES'>, now: number): Promise<number> {
  if (!core.st || !DocumentStore.exists(core.ctx.storage.sql)) return Infinity;
  const docs = storeOf(core);
  const due = docs.due(now);
  if (due.length) {
    await env.FILES.delete(due.map((a) => objectKey(core.s.tenantId, core.s.id, a.id)));
    for (const a of due) docs.markDeleted(a.id, now);
    core.record(due.map((a) => ({ kind: 'document.deleted', actor: SYSTEM, data: { attachmentId: a.id, name: a.name, messageSeq: a.messageSeq } })), now);
    await core.drain.soon(0);
  }
  return docs.nextDeleteAt() ?? Infinity;
}

/** Delete every file of a conversation from R2 (an unused session goes with what it uploaded). */
export async function deleteConversationFiles(env: Pick<Env, 'FILES'>, tenantId: string, conversationId: string): Promise<void> {
  const prefix = objectKey(tenantId, conversationId, '');
  for (let cursor: string | undefined; ; ) {
    const page = await env.FILES.list({ prefix, ...(cursor ? { cursor } : {}) });
    if (page.objects.length) await env.FILES.delete(page.objects.map((o) => o.key));
    if (!page.truncated) return;
    cursor = page.cursor;
  }
}
