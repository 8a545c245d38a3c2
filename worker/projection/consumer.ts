import type { Message as ChatMessage, Note } from '../../protocol';
import { insertEventsStatements, insertMessagesStatements, insertNotesStatements, upsertTicketStatements } from '../db/projection';
import type { ConversationEvent, ConversationSnapshot } from '../db/projection';
import type { Env } from '../env';
import { isProjectionPayload } from './payload';
import type { ProjectionPayload } from './payload';
import { recordLag } from './lag';
import { conversationStub } from '../stubs';
import { queueMailedAnswers } from '../mail/answers';
import { updateReportsOf } from '../reports/update';

/**
 * The one consumer of the projection queue: many conversations' outbox slices become a few
 * multi-row statements in one D1 transaction, instead of one transaction per conversation.
 */

/** The longest a failed message waits before it is delivered again (seconds). */
const MAX_RETRY_DELAY_S = 60;

/** A slice whose report rollups fail this often is let go (logged): its next change recomputes them whole. */
const REPORT_ATTEMPTS = 3;

/**
 * Queue handler: write the batch to D1 in one `db.batch`; what D1 refuses is retried, never lost.
 * The confirmations go out after the handler returns (`waitUntil`): the next batch need not wait
 * for a hundred calls whose loss only costs a harmless resend.
 */
export async function consumeProjection(batch: MessageBatch<unknown>, env: Env, ctx?: ExecutionContext): Promise<void> {
  const valid: { msg: Message<unknown>; p: ProjectionPayload }[] = [];
  for (const msg of batch.messages) {
    if (isProjectionPayload(msg.body)) valid.push({ msg, p: msg.body });
    else {
      // Retrying a body nobody can read would only delay the rest; say so and let it go.
      console.error(`projection: unreadable message ${msg.id} dropped`);
      msg.ack();
    }
  }
  if (valid.length === 0) return;
  let written = valid;
  try {
    await writeProjection(env.DB, valid.map((v) => v.p));
  } catch (err) {
    console.warn(`projection: batch of ${valid.length} failed:`, (err as Error).message);
    // One refused slice must not hold the others back: each alone, and only what fails is retried.
    written = [];
    for (const v of valid) {
      try {
        if (valid.length === 1) throw err;
        await writeProjection(env.DB, [v.p]);
        written.push(v);
      } catch {
        v.msg.retry({ delaySeconds: Math.min(MAX_RETRY_DELAY_S, 2 ** Math.max(0, v.msg.attempts - 1)) });
      }
    }
  }
  // Agents' answers owed by mail are queued before the slices are let go; if that fails the slices
  // come again (writing and queueing are both idempotent), so no answer is ever left unmailed.
  if (!(await queueMailedAnswers(env, written.map((v) => v.p)))) {
    for (const v of written) v.msg.retry({ delaySeconds: Math.min(MAX_RETRY_DELAY_S, 2 ** Math.max(0, v.msg.attempts - 1)) });
    return;
  }
  // The reports' rollups are part of the projection, recomputed for what was written (idempotent).
  if (!(await updateReportsOf(env.DB, written.map((v) => v.p), Date.now()))) {
    const again = written.filter((v) => v.msg.attempts < REPORT_ATTEMPTS);
    for (const v of again) v.msg.retry({ delaySeconds: Math.min(MAX_RETRY_DELAY_S, 2 ** Math.max(0, v.msg.attempts - 1)) });
    written = written.filter((v) => v.msg.attempts >= REPORT_ATTEMPTS);
  }
  for (const v of written) v.msg.ack();
  recordLag(written.map((v) => v.p), Date.now());
  const confirmed = confirm(env, written.map((v) => v.p));
  if (ctx) ctx.waitUntil(confirmed);
  else await confirmed;
}

/**
 * Tell each conversation which outbox rows D1 now has, so it forgets them; until then it resends
 * them after a while. A lost confirmation only costs a harmless resend.
 */
async function confirm(env: Env, written: ProjectionPayload[]): Promise<void> {
  const byConversation = new Map<string, { tenantId: string; ids: number[] }>();
  for (const p of written) {
    if (!p.outboxIds?.length) continue;
    const c = byConversation.get(p.conversationId) ?? { tenantId: p.tenantId, ids: [] };
    c.ids.push(...p.outboxIds);
    byConversation.set(p.conversationId, c);
  }
  await Promise.all(
    [...byConversation].map(([id, c]) => conversationStub(env, id).projected(c.tenantId, c.ids).catch((err: Error) => console.warn(`projection: confirming ${id} failed:`, err.message))),
  );
}

/**
 * Write slices of any conversations in one D1 transaction: the newest ticket snapshot of each
 * conversation first (its messages, events and notes reference it), then every row multi-row.
 */
export async function writeProjection(db: D1Database, payloads: ProjectionPayload[]): Promise<void> {
  const tickets = new Map<string, ConversationSnapshot>();
  const messages: { tenantId: string; m: ChatMessage }[] = [];
  const events: { tenantId: string; conversationId: string; e: ConversationEvent }[] = [];
  const notes: { tenantId: string; n: Note }[] = [];
  for (const p of payloads) {
    const t = tickets.get(p.conversationId);
    if (!t || t.version < p.ticket.version) tickets.set(p.conversationId, { ...p.ticket, id: p.conversationId, tenantId: p.tenantId });
    // The tenant and conversation come from the slice's envelope, the object's own word.
    for (const m of p.messages) messages.push({ tenantId: p.tenantId, m: { ...m, conversationId: p.conversationId } });
    for (const e of p.events) events.push({ tenantId: p.tenantId, conversationId: p.conversationId, e });
    for (const n of p.notes) notes.push({ tenantId: p.tenantId, n: { ...n, conversationId: p.conversationId } });
  }
  await db.batch([
    ...upsertTicketStatements(db, [...tickets.values()]),
    ...insertMessagesStatements(db, dedupe(messages, (r) => `${r.m.conversationId}:${r.m.seq}`)),
    ...insertEventsStatements(db, dedupe(events, (r) => `${r.conversationId}:${r.e.seq}`)),
    ...insertNotesStatements(db, dedupe(notes, (r) => `${r.n.conversationId}:${r.n.seq}`)),
  ]);
}

/** Rows once each: a redelivered slice in the same batch would only bind the same row twice. */
function dedupe<T>(rows: T[], key: (r: T) => string): T[] {
  const seen = new Set<string>();
  return rows.filter((r) => (seen.has(key(r)) ? false : (seen.add(key(r)), true)));
}
