import { projectedLog } from '../db/projection';
import type { ConversationEvent, ConversationSnapshot } from '../db/projection';
import type { Message, Note } from '../../protocol';
import { PAYLOAD_SOFT_LIMIT_BYTES } from '../projection/payload';
import { nextDue } from '../../protocol';
import { slaStatusOf } from '../sla/sla-track';
import type { ProjectionPayload } from '../projection/payload';
import type { ConversationStore } from './store';
import type { DoState } from './state';

/**
 * The conversation's copy in D1 (delivery promise 6): the outbox handed to the projection queue in
 * self-contained slices, and the reconciliation check that compares D1 with the object. The queue's
 * consumer (worker/projection/consumer.ts) writes many conversations' slices in one D1 batch.
 */

/** How many outbox rows one queue message takes at most. */
const SLICE_ROWS = 100;

/** What a reconciliation finds: `ok` when D1 holds exactly the object's log and version. */
export interface Reconciliation {
  ok: boolean;
  outbox: number;
  missing: number[];
  different: number[];
  extra: number[];
  missingEvents: number[];
  version: { object: number; d1: number | null };
}

/**
 * How long a slice the queue accepted may go unconfirmed before it is sent again, the first time.
 * The consumer confirms within a second or two; a queue that lost the slice (a local queue killed
 * with its process, a message dead-lettered) must not lose the rows, and a resend is harmless
 * (idempotent). Each further resend waits twice as long (up to 32×, about 16 min): a consumer that
 * is merely behind must not be buried under copies of what it has not got to yet. A row sent once
 * by an earlier instance of the object is sent again at once after a restart (the local queue may
 * have died with the process): one early copy per row at most, however often the object restarts.
 *
 * As long as the drain's backstop (30 s), not shorter: a busy conversation always has a slice in
 * flight, so its alarm comes at the resend time of the oldest — every 10 s, when this was 10 s.
 * Each alarm is a commit and an alarm write, and at 500 chatting conversations that was 0.28 alarm
 * writes per message (docs/scale.md). A lost slice is rare and its resend loses nothing by waiting.
 */
export const RESEND_AFTER_MS = 30_000;

/**
 * Hand one slice of the outbox to the queue: the due rows but `handed` (given to the queue already,
 * not yet written down). Returns the rows it carried and when, and whether more is due, or null when
 * nothing was. The caller marks them sent (see Drain); they are forgotten only when the consumer
 * confirms D1 has them, and sent again when their resend time comes.
 */
export async function sendOutbox(queue: Queue<ProjectionPayload>, store: ConversationStore, s: DoState, lastSeq: number, now: number, handed: ReadonlySet<number> = new Set()): Promise<{ ids: number[]; at: number; more: boolean } | null> {
  const due = store.outboxToSend(SLICE_ROWS + handed.size, now);
  const rows = due.filter((r) => !handed.has(r.id)).slice(0, SLICE_ROWS);
  if (rows.length === 0) return null;
  const refs = (kind: string) => rows.filter((r) => r.kind === kind && r.ref !== null).map((r) => r.ref!);
  // Three reads for the whole slice, not one per row.
  const messages = new Map(store.messagesBySeq(s.id, refs('message')).map((m) => [m.seq, m]));
  const events = new Map(store.events(refs('event')).map((e) => [e.seq, e]));
  const notes = new Map(store.notesBySeq(s.id, refs('note')).map((n) => [n.seq, n]));
  const payload: ProjectionPayload = { v: 1, conversationId: s.id, tenantId: s.tenantId, enqueuedAt: 0, ticket: snapshotOf(store, s, lastSeq), messages: [], events: [], notes: [], outboxIds: [] };
  // Past the soft limit the slice ends early; the rest goes in the next message, right after.
  let bytes = JSON.stringify(payload).length;
  for (const row of rows) {
    if (bytes > PAYLOAD_SOFT_LIMIT_BYTES) break;
    payload.outboxIds!.push(row.id);
    const item = row.kind === 'message' ? messages.get(row.ref!) : row.kind === 'event' ? events.get(row.ref!) : row.kind === 'note' ? notes.get(row.ref!) : undefined;
    if (!item) continue;
    if (row.kind === 'message') payload.messages.push(item as Message);
    else if (row.kind === 'event') payload.events.push(item as ConversationEvent);
    else payload.notes.push(item as Note);
    bytes += utf8.encode(JSON.stringify(item)).byteLength;
  }
  payload.enqueuedAt = Date.now();
  await queue.send(payload, { contentType: 'json' });
  return { ids: payload.outboxIds!, at: payload.enqueuedAt, more: payload.outboxIds!.length < rows.length || due.length - handed.size >= SLICE_ROWS };
}

/**
 * The whole conversation as one slice, whatever the outbox holds: for replaying or rebuilding its
 * copy (idempotent like every slice). Not size-capped: for a conversation of any length, page it.
 */
export function wholeSlice(store: ConversationStore, s: DoState, lastSeq: number): ProjectionPayload {
  return { v: 1, conversationId: s.id, tenantId: s.tenantId, enqueuedAt: Date.now(), ticket: snapshotOf(store, s, lastSeq), messages: store.messagesAfter(s.id, 0), events: store.events(null), notes: store.notes(s.id) };
}

/** Compare the object's log with what D1 holds of it. */
export async function reconcile(db: D1Database, store: ConversationStore, s: DoState | null): Promise<Reconciliation> {
  if (!s) return { ok: true, outbox: 0, missing: [], different: [], extra: [], missingEvents: [], version: { object: 0, d1: null } };
  const d1 = await projectedLog(db, s.tenantId, s.id);
  const theirs = new Map(d1.messages.map((m) => [m.seq, m]));
  const missing: number[] = [];
  const different: number[] = [];
  for (const m of store.messagesAfter(s.id, 0)) {
    const t = theirs.get(m.seq);
    if (!t) missing.push(m.seq);
    else if (t.id !== m.id || t.text !== m.text || t.channel !== m.channel) different.push(m.seq);
    theirs.delete(m.seq);
  }
  const extra = [...theirs.keys()];
  const d1Events = new Set(d1.eventSeqs);
  const missingEvents = store.eventSeqs().filter((e) => !d1Events.has(e));
  const ok = !missing.length && !different.length && !extra.length && !missingEvents.length && d1.version === s.version;
  return { ok, outbox: store.outboxSize(), missing, different, extra, missingEvents, version: { object: s.version, d1: d1.version } };
}

/** The ticket row as D1 keeps it. */
function snapshotOf(store: ConversationStore, s: DoState, lastSeq: number): ConversationSnapshot {
  const last = store.lastMessage(s.id);
  const sla = slaStatusOf(s);
  return {
    id: s.id,
    tenantId: s.tenantId,
    number: s.number,
    contactId: s.contactId,
    status: s.status,
    priority: s.priority,
    assigneeId: s.assigneeId,
    channels: s.channels,
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
    lastSeq,
    lastMessageAt: last?.createdAt ?? null,
    lastMessageText: last ? last.text.slice(0, 200) : null,
    mergedInto: s.mergedInto,
    csatScore: s.csatScore,
    csatComment: s.csatComment,
    csatAt: s.csatAt,
    openedAt: s.openedAt,
    version: s.version,
    team: s.team,
    topic: s.topic,
    vip: s.vip,
    slaState: sla?.state ?? null,
    slaDueAt: nextDue(sla)?.dueAt ?? null,
  };
}

const utf8 = new TextEncoder();
