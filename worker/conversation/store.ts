import { DEFAULT_TEAM } from '../../protocol';
import type { Author, Channel, Message, Note } from '../../protocol';
import type { ConversationEvent } from '../db/projection';
import type { DoState } from './state';
const SCHEMA = `

CREATE TABLE IF NOT EXISTS state (
  one INTEGER PRIMARY KEY CHECK (one = 1),
  json TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS messages (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL,
  client_id TEXT NOT NULL,
  author_role TEXT NOT NULL,
  author_id TEXT,
  author_name TEXT,
  channel TEXT NOT NULL,
  text TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  UNIQUE (author_role, client_id)
);
CREATE TABLE IF NOT EXISTS events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL,
  actor_role TEXT NOT NULL,
  actor_id TEXT,
  data TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS reads (
  role TEXT NOT NULL,
  participant_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  PRIMARY KEY (role, participant_id)
);
CREATE TABLE IF NOT EXISTS notes (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL,
  client_id TEXT NOT NULL UNIQUE,
  author_id TEXT NOT NULL,
  author_name TEXT NOT NULL,
  text TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
-- Changes not yet confirmed in D1, oldest first. 'state' rows carry no data: the slice carries the
-- current snapshot, so any number of state changes cost one upsert. sent_at: handed to the queue
-- then, waiting for the consumer's confirmation; resend_at: sent again then if it has not come
-- (later after each try), tries: how often it was handed over.
CREATE TABLE IF NOT EXISTS outbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL CHECK (kind IN ('message', 'event', 'state', 'note')),
  ref INTEGER,
  sent_at INTEGER,
  resend_at INTEGER,
  tries INTEGER NOT NULL DEFAULT 0
);
`;

type MessageRow = {
  seq: number;
  id: string;
  client_id: string;
  author_role: Author['role'];
  author_id: string | null;
  author_name: string | null;
  channel: Channel;
  text: string;
  created_at: number;
};

/** Typed access to one conversation's SQLite storage. Everything here is synchronous. */
export class ConversationStore {
  constructor(private readonly sql: SqlStorage) {
    sql.exec(SCHEMA);
    // Objects made before outbox rows waited for confirmation (and backed off) get the columns now.
    const has = new Set(sql.exec<{ name: string }>("SELECT name FROM pragma_table_info('outbox')").toArray().map((r) => r.name));
    if (!has.has('sent_at')) sql.exec('ALTER TABLE outbox ADD COLUMN sent_at INTEGER');
    if (!has.has('resend_at')) sql.exec('ALTER TABLE outbox ADD COLUMN resend_at INTEGER');
    if (!has.has('tries')) sql.exec('ALTER TABLE outbox ADD COLUMN tries INTEGER NOT NULL DEFAULT 0');
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
    // Stored before sessions and tickets were told apart: every conversation was a ticket then.
    if (s.openedAt === undefined) s.openedAt = s.createdAt;
    // Stored before teams: every conversation was in the one queue, now the default team's.
    s.team ??= DEFAULT_TEAM;
    s.topic ??= null;
    s.vip ??= false;
    return s;
  }

  saveState(s: DoState): void {
    this.sql.exec('INSERT INTO state (one, json) VALUES (1, ?) ON CONFLICT (one) DO UPDATE SET json = excluded.json', JSON.stringify(s));
  }

  lastSeq(): number {
    return this.sql.exec<{ s: number | null }>('SELECT MAX(seq) AS s FROM messages').one().s ?? 0;
  }

  /** A message already stored under this sender's clientId, the key of deduplication. */
  findByClientId(conversationId: string, role: Author['role'], clientId: string): Message | null {
    const row = this.sql.exec<MessageRow>('SELECT * FROM messages WHERE author_role = ? AND client_id = ?', role, clientId).toArray()[0];
    return row ? toMessage(conversationId, row) : null;
  }

  insertMessage(m: Message): void {
    this.sql.exec(
      'INSERT INTO messages (seq, id, client_id, author_role, author_id, author_name, channel, text, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      m.seq, m.id, m.clientId, m.author.role, m.author.id, m.author.name, m.channel, m.text, m.createdAt,
    );
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
    const row = this.sql.exec<MessageRow>('SELECT * FROM messages ORDER BY seq DESC LIMIT 1').toArray()[0];
    return row ? toMessage(conversationId, row) : null;
  }

  /** Append an audit event and return its seq. */
  addEvent(kind: string, actor: Author, data: Record<string, unknown>, now: number): number {
    this.sql.exec('INSERT INTO events (kind, actor_role, actor_id, data, created_at) VALUES (?, ?, ?, ?, ?)', kind, actor.role, actor.id, JSON.stringify(data), now);
    return this.sql.exec<{ s: number }>('SELECT last_insert_rowid() AS s').one().s;
  }

  event(seq: number): ConversationEvent | null {
    const row = this.sql
      .exec<{ seq: number; kind: string; actor_role: string; actor_id: string | null; data: string; created_at: number }>('SELECT * FROM events WHERE seq = ?', seq)
      .toArray()[0];
    return row ? { seq: row.seq, kind: row.kind, actorRole: row.actor_role, actorId: row.actor_id, data: row.data, createdAt: row.created_at } : null;
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

  note(conversationId: string, seq: number): Note | null {
    const row = this.sql.exec<NoteRow>('SELECT * FROM notes WHERE seq = ?', seq).toArray()[0];
    return row ? toNote(conversationId, row) : null;
  }

  enqueue(kind: 'message' | 'event' | 'state' | 'note', ref: number | null = null): void {
    // One unsent 'state' row stands for every change since: the slice carries the current snapshot.
    if (kind === 'state') this.sql.exec("INSERT INTO outbox (kind, ref) SELECT 'state', NULL WHERE NOT EXISTS (SELECT 1 FROM outbox WHERE kind = 'state' AND sent_at IS NULL)");
    else this.sql.exec('INSERT INTO outbox (kind, ref) VALUES (?, ?)', kind, ref);
  }

  /**
   * Rows to hand to the queue: never sent, due to be sent again (unconfirmed past their resend
   * time), or sent once by an earlier instance of this object (`startedAt`): a restart may mean the
   * local queue died with it, and one early resend per row is all that costs.
   */
  outboxToSend(limit: number, now: number, startedAt: number): { id: number; kind: 'message' | 'event' | 'state' | 'note'; ref: number | null }[] {
    return this.sql
      .exec<{ id: number; kind: 'message' | 'event' | 'state' | 'note'; ref: number | null }>(
        'SELECT id, kind, ref FROM outbox WHERE sent_at IS NULL OR COALESCE(resend_at, 0) <= ?1 OR (tries = 1 AND sent_at < ?2) ORDER BY id LIMIT ?3',
        now,
        startedAt,
        limit,
      )
      .toArray();
  }

  /**
   * The queue accepted these rows at `now`; they wait for the consumer's confirmation, and are sent
   * again `firstResendMs` later if it does not come, then twice as late each time (at most 32×).
   */
  markSent(ids: number[], now: number, firstResendMs: number): void {
    for (const id of ids) {
      this.sql.exec('UPDATE outbox SET sent_at = ?1, tries = tries + 1, resend_at = ?1 + ?2 * (1 << MIN(tries, 5)) WHERE id = ?3', now, firstResendMs, id);
    }
  }

  /** When the next unconfirmed row is due to be sent again (see outboxToSend), or null when none is in flight. */
  nextResendAt(startedAt: number): number | null {
    return this.sql
      .exec<{ t: number | null }>('SELECT MIN(CASE WHEN tries = 1 AND sent_at < ? THEN 0 ELSE COALESCE(resend_at, 0) END) AS t FROM outbox WHERE sent_at IS NOT NULL', startedAt)
      .one().t;
  }

  outboxSize(): number {
    return this.sql.exec<{ n: number }>('SELECT COUNT(*) AS n FROM outbox').one().n;
  }

  /** Forget exactly these outbox rows: the consumer confirmed D1 has them. */
  confirmOutbox(ids: number[]): void {
    for (const id of ids) this.sql.exec('DELETE FROM outbox WHERE id = ?', id);
  }
}

function toMessage(conversationId: string, r: MessageRow): Message {
  return {
    id: r.id,
    conversationId,
    seq: r.seq,
    clientId: r.client_id,
    author: { role: r.author_role, id: r.author_id, name: r.author_name },
    channel: r.channel,
    text: r.text,
    createdAt: r.created_at,
  };
}

type NoteRow = { seq: number; id: string; client_id: string; author_id: string; author_name: string; text: string; created_at: number };

function toNote(conversationId: string, r: NoteRow): Note {
  return { id: r.id, conversationId, seq: r.seq, clientId: r.client_id, author: { id: r.author_id, name: r.author_name }, text: r.text, createdAt: r.created_at };
}
