import { insertEventStatement, insertMessageStatement, insertNoteStatement, projectedLog, upsertConversationStatement } from '../db/projection';
import type { ConversationSnapshot } from '../db/projection';
import type { ConversationStore, DoState } from './store';

/**
 * The conversation's copy in D1 (delivery promise 6): the outbox drained in batches, the ticket
 * snapshot, and the reconciliation check that compares the two.
 */

/** How many outbox rows one D1 batch takes. */
const DRAIN_BATCH = 100;

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

/** Copy one batch of the outbox to D1 in one transaction; true when more is waiting. */
export async function drainOutbox(db: D1Database, store: ConversationStore, s: DoState, lastSeq: number): Promise<boolean> {
  const rows = store.outboxBatch(DRAIN_BATCH);
  if (rows.length === 0) return false;
  // The ticket row goes first: the messages and events below reference it.
  const statements = [upsertConversationStatement(db, snapshotOf(store, s, lastSeq))];
  for (const row of rows) {
    if (row.kind === 'message') {
      const m = store.message(s.id, row.ref!);
      if (m) statements.push(insertMessageStatement(db, s.tenantId, m));
    } else if (row.kind === 'event') {
      const e = store.event(row.ref!);
      if (e) statements.push(insertEventStatement(db, s.tenantId, s.id, e));
    } else if (row.kind === 'note') {
      const n = store.note(s.id, row.ref!);
      if (n) statements.push(insertNoteStatement(db, s.tenantId, n));
    }
  }
  await db.batch(statements);
  store.dropOutbox(rows[rows.length - 1]!.id);
  return store.outboxSize() > 0;
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
  };
}
