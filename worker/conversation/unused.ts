import type { Env } from '../env';
import { discardUnusedConversation } from '../db/conversations';
import { DEFAULT_UNUSED_SESSION_TTL_S } from '../db/tenants';
import type { ConversationCore } from './core';
import type { DoState } from './state';
import { deleteConversationFiles } from '../documents/do-documents';

/**
 * Sessions that never became tickets. Opening the widget makes a contact, a conversation row and
 * this object, so that a first message has somewhere to go; when nobody writes and nobody is
 * connected for the tenant's quiet period, all three are deleted, leaving no ticket behind.
 */

/** When this session may be deleted, or null when it is a ticket (or holds anything at all). */
export function discardDueAt(s: DoState, lastSeq: number): number | null {
  if (s.openedAt !== null || lastSeq > 0) return null;
  return (s.lastSeenAt ?? s.createdAt) + (s.unusedTtlMs ?? DEFAULT_UNUSED_SESSION_TTL_S * 1000);
}

/** The customer came (a session) or left (a socket closed): the quiet period starts again. */
export async function sawCustomer(core: ConversationCore, now: number): Promise<void> {
  const s = core.st;
  if (!s || s.openedAt !== null) return;
  s.lastSeenAt = now;
  core.saveQuietly();
  const due = discardDueAt(s, core.seq);
  if (due !== null) await core.schedule(due);
}

/**
 * At the alarm: delete the unused session when its quiet period is over and no socket is open
 * (a closing socket starts the period again). D1 goes first: should it fail, the object keeps
 * everything and the alarm tries again. Returns 'discarded', or when to look again (null: never).
 */
export async function discardIfUnused(core: ConversationCore, env: Env, now: number): Promise<'discarded' | number | null> {
  const s = core.st;
  const due = s ? discardDueAt(s, core.seq) : null;
  if (!s || due === null || core.ctx.getWebSockets().some((ws) => ws.readyState < WebSocket.CLOSING)) return null;
  if (due > now) return due;
  const d1 = await discardUnusedConversation(env.DB, s.tenantId, s.id);
  if (d1 === 'kept') {
    // D1 calls it a ticket while this object does not: never delete a ticket; say so instead.
    console.warn(`conversation ${s.id}: unused here but a ticket in D1; kept`);
    return null;
  }
  await deleteConversationFiles(env, s.tenantId, s.id);
  await core.forget();
  return 'discarded';
}
