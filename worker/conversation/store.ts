import { DEFAULT_TEAM } from '../../protocol';
import type { Author, Channel, Message, Note } from '../../protocol';
import type { ConversationEvent } from '../db/projection';
import type { DoState } from './state';
import { LINE_EVENT_KINDS } from './system-lines';
import type { LineEvent } from './system-lines';
import { DUE_ROWS, LAST_CUSTOMER_MESSAGE, OUTBOX_INDEXES, SCHEMA, toMessage, toNote } from './store-schema';
import type { EventRow, MessageRow, NoteRow } from './store-schema';

/**
 * How many of the newest messages the store keeps in memory for the drain's slices, which carry
 * what was written in the last seconds: reading them back was a statement per slice (~250 a second
 * at 800 msg/s). Older ones, after a restart or a backlog, are read from SQLite as before.
 */
const RECENT_MESSAGES = 256;

/** Typed access to one conversation's SQLite storage. Everything here is synchronous. */
export class ConversationStore {
  /** The newest message as last read or written (undefined: not known yet); the Inbox's row and every slice want it. */
  private last: Message | null | undefined;

  /** The customer's latest message, as far as answerChannel needs it (undefined: not read yet). */
  private lastCustomer: { channel: Channel; clientId: string } | null | undefined;

  /** The newest messages written by this instance, by seq (see RECENT_MESSAGES). */
  private readonly recent = new Map<number, Message>();

  /** The SLA settings last written to their row (see saveState). */
  private savedSla: DoState['slaConfig'];

  constructor(private readonly sql: SqlStorage) {
    sql.exec(SCHEMA);
    // The last thing the upgrade makes: present, the outbox has its current shape.
    if (sql.exec("SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = 'message_to_outbox'").toArray().length === 0) this.upgradeOutbox();
    // Events recorded before the thread showed them had no actor name; their lines name nobody.
    if (sql.exec("SELECT 1 FROM pragma_table_info('events') WHERE name = 'actor_name'").toArray().length === 0) sql.exec('ALTER TABLE events ADD COLUMN actor_name TEXT');
    // This is a new instance: a row its predecessor handed over once may have died with the local
    // queue, so it is due again now. One early copy per row (tries = 1 only), however often it restarts.
    sql.exec('UPDATE outbox SET resend_at = 0 WHERE tries = 1 AND resend_at > 0');
  }

  /** Bring an outbox of an older object to the current shape, once. */
  private upgradeOutbox(): void {
    const sql = this.sql;
    const has = new Set(sql.exec<{ name: string }>("SELECT name FROM pragma_table_info('outbox')").toArray().map((r) => r.name));
    if (!has.has('sent_at')) sql.exec('ALTER TABLE outbox ADD COLUMN sent_at INTEGER');
    if (!has.has('resend_at')) sql.exec('ALTER TABLE outbox ADD COLUMN resend_at INTEGER NOT NULL DEFAULT 0');
    if (!has.has('tries')) sql.exec('ALTER TABLE outbox ADD COLUMN tries INTEGER NOT NULL DEFAULT 0');
    // Rows written while resend_at could be NULL (never sent) are due now; older objects may hold several unsent state rows.
    sql.exec('UPDATE outbox SET resend_at = 0 WHERE resend_at IS NULL');
    sql.exec("DELETE FROM outbox WHERE kind = 'state' AND sent_at IS NULL AND id > (SELECT MIN(id) FROM outbox WHERE kind = 'state' AND sent_at IS NULL)");
    sql.exec(OUTBOX_INDEXES);
  }

  /**
   * Whether this object has storage at all. Reading the schema writes nothing, so an object whose
   * unused session was deleted stays empty until it is given a conversation again.
   */
  static exists(sql: SqlStorage): boolean {
    return sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'state'").one().n > 0;
  }

  /** The conversation's state, or null before the Worker has initialised it. */
  loadState(): DoState | null {
    const row = this.sql.exec<{ json: string }>('SELECT json FROM state WHERE one = 1').toArray()[0];
    if (!row) return null;
    const s = JSON.parse(row.json) as DoState;
    // Stored inline before it had its own row (an older object): its first save moves it.
    const sla = this.sql.exec<{ json: string }>('SELECT json FROM sla_config WHERE one = 1').toArray()[0];
    if (sla) {
      s.slaConfig = JSON.parse(sla.json) as DoState['slaConfig'];
      this.savedSla = s.slaConfig;
    }
    // Stored before sessions and tickets were told apart: every conversation was a ticket then.
    if (s.openedAt === undefined) s.openedAt = s.createdAt;
    // Stored before teams: every conversation was in the one queue, now the default team's.
    s.team ??= DEFAULT_TEAM;
    s.topic ??= null;
    s.vip ??= false;
    return s;
  }

  /** Write the state; its SLA settings only when they are another object than the ones written (they are replaced, never changed in place). */
  saveState(s: DoState): void {
    const { slaConfig, ...rest } = s;
    if (slaConfig !== this.savedSla) {
      if (slaConfig) this.sql.exec('INSERT INTO sla_config (one, json) VALUES (1, ?) ON CONFLICT (one) DO UPDATE SET json = excluded.json', JSON.stringify(slaConfig));
      else this.sql.exec('DELETE FROM sla_config');
      this.savedSla = slaConfig;
    }
    this.sql.exec('INSERT INTO state (one, json) VALUES (1, ?) ON CONFLICT (one) DO UPDATE SET json = excluded.json', JSON.stringify(rest));
  }

  lastSeq(): number {
    return this.sql.exec<{ s: number | null }>('SELECT MAX(seq) AS s FROM messages').one().s ?? 0;
  }

  /** A message already stored under this sender's clientId, the key of deduplication. */
  findByClientId(conversationId: string, role: Author['role'], clientId: string): Message | null {
    const row = this.sql.exec<MessageRow>('SELECT * FROM messages WHERE author_role = ? AND client_id = ?', role, clientId).toArray()[0];
    return row ? toMessage(conversationId, row) : null;
  }

  /**
   * Store a message and queue it for D1 with the conversation's state (the message_to_outbox
   * trigger), unless its sender already stored one under the same clientId: false then, and nothing
   * is written. One statement: a message is the hottest write there is.
   */
  insertMessage(m: Message): boolean {
    const written = this.sql.exec(
      'INSERT INTO messages (seq, id, client_id, author_role, author_id, author_name, channel, text, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (author_role, client_id) DO NOTHING',
      m.seq, m.id, m.clientId, m.author.role, m.author.id, m.author.name, m.channel, m.text, m.createdAt,
    ).rowsWritten;
    if (written === 0) return false;
    // The seq is the newest there is: every message is written with the next one.
    const stored: Message = { id: m.id, conversationId: m.conversationId, seq: m.seq, clientId: m.clientId, author: m.author, channel: m.channel, text: m.text, createdAt: m.createdAt };
    this.last = stored;
    if (m.author.role === 'customer') this.lastCustomer = { channel: m.channel, clientId: m.clientId };
    this.recent.set(m.seq, stored);
    if (this.recent.size > RECENT_MESSAGES) this.recent.delete(this.recent.keys().next().value!);
    return true;
  }

  /** The customer's latest message, or null before they wrote. */
  lastCustomerMessage(): { channel: Channel; clientId: string } | null {
    if (this.lastCustomer !== undefined) return this.lastCustomer;
    const row = this.sql.exec<{ channel: Channel; client_id: string }>(LAST_CUSTOMER_MESSAGE).toArray()[0];
    return (this.lastCustomer = row ? { channel: row.channel, clientId: row.client_id } : null);
  }

  /** The messages with these seqs, in seq order: the recent ones from memory, the rest from SQLite. */
  messagesBySeq(conversationId: string, seqs: number[]): Message[] {
    const found: Message[] = [];
    const missing: number[] = [];
    for (const seq of seqs) {
      const m = this.recent.get(seq);
      if (m) found.push(m);
      else missing.push(seq);
    }
    if (missing.length) {
      const rows = this.sql.exec<MessageRow>('SELECT * FROM messages WHERE seq IN (SELECT value FROM json_each(?))', JSON.stringify(missing)).toArray();
      for (const r of rows) found.push(toMessage(conversationId, r));
    }
    return found.sort((a, b) => a.seq - b.seq);
  }

  /** Messages with seq greater than `after`, in order. */
  messagesAfter(conversationId: string, after: number, limit = -1): Message[] {
    return this.sql.exec<MessageRow>('SELECT * FROM messages WHERE seq > ? ORDER BY seq LIMIT ?', after, limit).toArray().map((r) => toMessage(conversationId, r));
  }

  message(conversationId: string, seq: number): Message | null {
    const row = this.sql.exec<MessageRow>('SELECT * FROM messages WHERE seq = ?', seq).toArray()[0];
    return row ? toMessage(conversationId, row) : null;
  }

  lastMessage(conversationId: string): Message | null {
    if (this.last !== undefined) return this.last;
    const row = this.sql.exec<MessageRow>('SELECT * FROM messages ORDER BY seq DESC LIMIT 1').toArray()[0];
    return (this.last = row ? toMessage(conversationId, row) : null);
  }

  /** Append an audit event and return its seq. */
  addEvent(kind: string, actor: Author, data: Record<string, unknown>, now: number): number {
    this.sql.exec('INSERT INTO events (kind, actor_role, actor_id, actor_name, data, created_at) VALUES (?, ?, ?, ?, ?, ?)', kind, actor.role, actor.id, actor.name, JSON.stringify(data), now);
    return this.sql.exec<{ s: number }>('SELECT last_insert_rowid() AS s').one().s;
  }

  /** The audit events with these seqs (all of them when `seqs` is null), in seq order. */
  events(seqs: number[] | null): ConversationEvent[] {
    if (seqs?.length === 0) return [];
    const rows = seqs
      ? this.sql.exec<EventRow>('SELECT * FROM events WHERE seq IN (SELECT value FROM json_each(?)) ORDER BY seq', JSON.stringify(seqs))
      : this.sql.exec<EventRow>('SELECT * FROM events ORDER BY seq');
    return rows.toArray().map((row) => ({ seq: row.seq, kind: row.kind, actorRole: row.actor_role, actorId: row.actor_id, data: row.data, createdAt: row.created_at }));
  }

  /** The newest `limit` events that make thread lines, oldest first (see system-lines.ts). */
  lineEvents(limit: number): LineEvent[] {
    const rows = this.sql
      .exec<EventRow>(`SELECT * FROM (SELECT * FROM events WHERE kind IN (SELECT value FROM json_each(?)) ORDER BY seq DESC LIMIT ?) ORDER BY seq`, JSON.stringify(LINE_EVENT_KINDS), limit)
      .toArray();
    return rows.map((r) => ({ seq: r.seq, kind: r.kind, actorRole: r.actor_role, actorName: r.actor_name ?? null, data: JSON.parse(r.data) as Record<string, unknown>, at: r.created_at }));
  }

  eventSeqs(): number[] {
    return this.sql.exec<{ seq: number }>('SELECT seq FROM events ORDER BY seq').toArray().map((r) => r.seq);
  }

  /** Record the furthest message a participant has read; never moves backwards. */
  markRead(role: string, participantId: string, seq: number): boolean {
    const cur = this.sql.exec<{ seq: number }>('SELECT seq FROM reads WHERE role = ? AND participant_id = ?', role, participantId).toArray()[0];
    if (cur && cur.seq >= seq) return false;
    this.sql.exec('INSERT INTO reads (role, participant_id, seq) VALUES (?, ?, ?) ON CONFLICT DO UPDATE SET seq = excluded.seq', role, participantId, seq);
    return true;
  }

  /** Store an internal note, or return the one already stored under its clientId. */
  addNote(conversationId: string, clientId: string, author: { id: string; name: string }, text: string, now: number, id: string): { note: Note; duplicate: boolean } {
    const existing = this.sql.exec<NoteRow>('SELECT * FROM notes WHERE client_id = ?', clientId).toArray()[0];
    if (existing) return { note: toNote(conversationId, existing), duplicate: true };
    this.sql.exec('INSERT INTO notes (id, client_id, author_id, author_name, text, created_at) VALUES (?, ?, ?, ?, ?, ?)', id, clientId, author.id, author.name, text, now);
    const row = this.sql.exec<NoteRow>('SELECT * FROM notes WHERE client_id = ?', clientId).one();
    return { note: toNote(conversationId, row), duplicate: false };
  }

  notes(conversationId: string): Note[] {
    return this.sql.exec<NoteRow>('SELECT * FROM notes ORDER BY seq').toArray().map((r) => toNote(conversationId, r));
  }

  /** The notes with these seqs, in seq order. */
  notesBySeq(conversationId: string, seqs: number[]): Note[] {
    if (seqs.length === 0) return [];
    return this.sql.exec<NoteRow>('SELECT * FROM notes WHERE seq IN (SELECT value FROM json_each(?)) ORDER BY seq', JSON.stringify(seqs)).toArray().map((r) => toNote(conversationId, r));
  }

  /** Queue a change for D1. One unsent 'state' row stands for every change since: the slice carries the current snapshot. */
  enqueue(kind: 'event' | 'state' | 'note', ref: number | null = null): void {
    // resend_at is written, not defaulted: an older object's column has no default (see upgradeOutbox).
    this.sql.exec('INSERT INTO outbox (kind, ref, resend_at) VALUES (?, ?, 0) ON CONFLICT DO NOTHING', kind, ref);
  }

  /**
   * Rows to hand to the queue (see DUE_ROWS for their order): never sent, or due to be sent again (unconfirmed past
   * their resend time, or sent once by an earlier instance of this object: see the constructor).
   */
  outboxToSend(limit: number, now: number): { id: number; kind: 'message' | 'event' | 'state' | 'note'; ref: number | null }[] {
    return this.sql.exec<{ id: number; kind: 'message' | 'event' | 'state' | 'note'; ref: number | null }>(DUE_ROWS, now, limit).toArray();
  }

  /**
   * The queue accepted these rows at `now`; they wait for the consumer's confirmation, and are sent
   * again `firstResendMs` later if it does not come, then twice as late each time (at most 32×).
   */
  markSent(ids: number[], now: number, firstResendMs: number): void {
    if (ids.length === 0) return;
    this.sql.exec('UPDATE outbox SET sent_at = ?1, tries = tries + 1, resend_at = ?1 + ?2 * (1 << MIN(tries, 5)) WHERE id IN (SELECT value FROM json_each(?3))', now, firstResendMs, JSON.stringify(ids));
  }

  /** When the outbox next has a row due (0: now; see outboxToSend), or null when it is empty. */
  nextSendAt(): number | null {
    return this.sql.exec<{ t: number | null }>('SELECT MIN(resend_at) AS t FROM outbox').one().t;
  }

  outboxSize(): number {
    return this.sql.exec<{ n: number }>('SELECT COUNT(*) AS n FROM outbox').one().n;
  }

  /** Forget exactly these outbox rows: the consumer confirmed D1 has them. */
  confirmOutbox(ids: number[]): void {
    if (ids.length === 0) return;
    this.sql.exec('DELETE FROM outbox WHERE id IN (SELECT value FROM json_each(?))', JSON.stringify(ids));
  }
}
