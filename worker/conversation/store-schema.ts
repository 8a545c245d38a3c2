import type { Author, Channel, Message, Note } from '../../protocol';

/** The conversation object's SQLite schema, its hot statements, and its rows as the protocol's types (used by store.ts). */
export const SCHEMA = `

CREATE TABLE IF NOT EXISTS state (
  one INTEGER PRIMARY KEY CHECK (one = 1),
  json TEXT NOT NULL
);
-- The tenant's SLA settings as this conversation uses them: apart from the state, which every
-- message rewrites, because they are most of its size and change only when an admin changes them.
CREATE TABLE IF NOT EXISTS sla_config (
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
  actor_name TEXT,
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
-- then, waiting for the consumer's confirmation; resend_at: when it is due to be handed over (0 for
-- a row never sent; later after each try), tries: how often it was handed over.
CREATE TABLE IF NOT EXISTS outbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL CHECK (kind IN ('message', 'event', 'state', 'note')),
  ref INTEGER,
  sent_at INTEGER,
  resend_at INTEGER NOT NULL DEFAULT 0,
  tries INTEGER NOT NULL DEFAULT 0
);
`;

/**
 * Indexes the outbox needs once it holds rows waiting for confirmation (a consumer that is behind
 * leaves dozens per conversation): what is due is a range, and an unsent 'state' row is unique, so
 * a message costs an index probe instead of scans. Created after the columns they name exist.
 */
export const OUTBOX_INDEXES = `
CREATE INDEX IF NOT EXISTS outbox_due ON outbox (resend_at, id);
CREATE UNIQUE INDEX IF NOT EXISTS outbox_one_unsent_state ON outbox (kind) WHERE kind = 'state' AND sent_at IS NULL;
-- A stored message queues itself and the state for D1 in the same statement: one call per message.
CREATE TRIGGER IF NOT EXISTS message_to_outbox AFTER INSERT ON messages BEGIN
  INSERT OR IGNORE INTO outbox (kind, ref, resend_at) VALUES ('message', NEW.seq, 0), ('state', NULL, 0);
END;
`;

/**
 * The outbox rows due now, never-sent ones first (resend_at 0), each group oldest first. Ordered
 * by the index's own order so SQLite reads the due range and stops at the limit: ordered by id
 * alone it scanned the whole table, every row awaiting its confirmation included, at every slice.
 */
export const DUE_ROWS = 'SELECT id, kind, ref FROM outbox WHERE resend_at <= ? ORDER BY resend_at, id LIMIT ?';

/**
 * The customer's latest message: read backwards by seq from the newest, stopping at the first
 * customer's. The `+` keeps SQLite off the (author_role, client_id) index, which it would otherwise
 * pick and then sort every customer message of the thread. Read once per object: the store keeps
 * the answer as messages are written.
 */
export const LAST_CUSTOMER_MESSAGE = "SELECT channel, client_id FROM messages WHERE +author_role = 'customer' ORDER BY seq DESC LIMIT 1";

export type MessageRow = {
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


export type EventRow = { seq: number; kind: string; actor_role: string; actor_id: string | null; actor_name?: string | null; data: string; created_at: number };

export function toMessage(conversationId: string, r: MessageRow): Message {
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

export type NoteRow = { seq: number; id: string; client_id: string; author_id: string; author_name: string; text: string; created_at: number };

export function toNote(conversationId: string, r: NoteRow): Note {
  return { id: r.id, conversationId, seq: r.seq, clientId: r.client_id, author: { id: r.author_id, name: r.author_name }, text: r.text, createdAt: r.created_at };
}
