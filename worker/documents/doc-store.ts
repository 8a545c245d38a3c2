import type { Attachment, DocumentRequest, DocumentRequestKind, DocumentType, Message } from '../../protocol';

/**
 * The attachments of one conversation, in its Durable Object's own SQLite next to the messages
 * that reference them. The bytes are in R2; this table is what says who may see which file, which
 * message carries it, and when retention deletes it. The unique key is the upload's identity, so a
 * retried upload finds its row instead of making a second one.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS attachments (
  id TEXT PRIMARY KEY,
  uploader_role TEXT NOT NULL,
  uploader_id TEXT NOT NULL,
  client_id TEXT NOT NULL,
  idx INTEGER NOT NULL,
  name TEXT NOT NULL,
  type TEXT NOT NULL,
  size INTEGER NOT NULL,
  sensitive INTEGER NOT NULL DEFAULT 0,
  message_seq INTEGER,
  created_at INTEGER NOT NULL,
  delete_at INTEGER,
  deleted_at INTEGER,
  UNIQUE (uploader_role, uploader_id, client_id, idx)
);
CREATE INDEX IF NOT EXISTS attachments_by_message ON attachments (message_seq);
CREATE INDEX IF NOT EXISTS attachments_due ON attachments (delete_at) WHERE deleted_at IS NULL;
CREATE TABLE IF NOT EXISTS document_requests (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  note TEXT,
  sensitive INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  fulfilled_seq INTEGER
);
`;

/** An attachment row with who uploaded it and under which message clientId. */
export interface StoredAttachment extends Attachment {
  uploaderRole: 'customer' | 'agent';
  uploaderId: string;
  clientId: string;
  index: number;
  messageSeq: number | null;
  createdAt: number;
  deleteAt: number | null;
}

type Row = {
  id: string;
  uploader_role: 'customer' | 'agent';
  uploader_id: string;
  client_id: string;
  idx: number;
  name: string;
  type: DocumentType;
  size: number;
  sensitive: number;
  message_seq: number | null;
  created_at: number;
  delete_at: number | null;
  deleted_at: number | null;
};

function toStored(r: Row): StoredAttachment {
  return {
    id: r.id,
    name: r.name,
    type: r.type,
    size: r.size,
    sensitive: r.sensitive === 1,
    deletedAt: r.deleted_at,
    uploaderRole: r.uploader_role,
    uploaderId: r.uploader_id,
    clientId: r.client_id,
    index: r.idx,
    messageSeq: r.message_seq,
    createdAt: r.created_at,
    deleteAt: r.delete_at,
  };
}

/** The participants' view of a stored attachment: nothing of who uploaded it or when it goes. */
export function publicAttachment(a: StoredAttachment): Attachment {
  return { id: a.id, name: a.name, type: a.type, size: a.size, sensitive: a.sensitive, deletedAt: a.deletedAt };
}

/** Reads and writes of the attachments table of one Conversation object. */
export class DocumentStore {
  constructor(private readonly sql: SqlStorage) {
    sql.exec(SCHEMA);
  }

  /** The attachment with this id, or null. */
  find(id: string): StoredAttachment | null {
    const row = this.sql.exec<Row>('SELECT * FROM attachments WHERE id = ?', id).toArray()[0];
    return row ? toStored(row) : null;
  }

  /** Store a new attachment unless its upload identity is stored already; false then, nothing written. */
  insert(a: StoredAttachment): boolean {
    return (
      this.sql.exec(
        'INSERT INTO attachments (id, uploader_role, uploader_id, client_id, idx, name, type, size, sensitive, message_seq, created_at, delete_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?) ON CONFLICT DO NOTHING',
        a.id, a.uploaderRole, a.uploaderId, a.clientId, a.index, a.name, a.type, a.size, a.sensitive ? 1 : 0, a.createdAt, a.deleteAt,
      ).rowsWritten > 0
    );
  }

  /** Point these attachments at the message that carries them. */
  link(ids: readonly string[], seq: number): void {
    this.sql.exec('UPDATE attachments SET message_seq = ? WHERE id IN (SELECT value FROM json_each(?)) AND message_seq IS NULL', seq, JSON.stringify(ids));
  }

  /** The attachments of these messages, by message seq, each list in upload order. */
  bySeq(seqs: readonly number[]): Map<number, StoredAttachment[]> {
    const out = new Map<number, StoredAttachment[]>();
    if (seqs.length === 0) return out;
    const rows = this.sql.exec<Row>('SELECT * FROM attachments WHERE message_seq IN (SELECT value FROM json_each(?)) ORDER BY message_seq, idx', JSON.stringify(seqs)).toArray();
    for (const r of rows) {
      const list = out.get(r.message_seq!) ?? [];
      list.push(toStored(r));
      out.set(r.message_seq!, list);
    }
    return out;
  }

  /** Mark an attachment sensitive (an agent's choice, or the request it answers). */
  markSensitive(id: string): void {
    this.sql.exec('UPDATE attachments SET sensitive = 1 WHERE id = ?', id);
  }

  /** Attachments whose retention time has come, oldest first. */
  due(now: number, limit = 50): StoredAttachment[] {
    return this.sql.exec<Row>('SELECT * FROM attachments WHERE deleted_at IS NULL AND delete_at IS NOT NULL AND delete_at <= ? ORDER BY delete_at LIMIT ?', now, limit).toArray().map(toStored);
  }

  /** The next retention time of a file still kept, if any. */
  nextDeleteAt(): number | null {
    return this.sql.exec<{ t: number | null }>('SELECT MIN(delete_at) AS t FROM attachments WHERE deleted_at IS NULL AND delete_at IS NOT NULL').one().t;
  }

  /** Record that retention deleted the bytes; the row stays, so the thread can say so. */
  markDeleted(id: string, at: number): void {
    this.sql.exec('UPDATE attachments SET deleted_at = ? WHERE id = ?', at, id);
  }

  /** Store a new document request. */
  addRequest(r: DocumentRequest): void {
    this.sql.exec('INSERT INTO document_requests (id, kind, note, sensitive, created_at, fulfilled_seq) VALUES (?, ?, ?, ?, ?, NULL)', r.id, r.kind, r.note, r.sensitive ? 1 : 0, r.createdAt);
  }

  /** A request by id, or null. */
  request(id: string): DocumentRequest | null {
    const r = this.sql.exec<{ id: string; kind: DocumentRequestKind; note: string | null; sensitive: number; created_at: number; fulfilled_seq: number | null }>('SELECT * FROM document_requests WHERE id = ?', id).toArray()[0];
    return r ? { id: r.id, kind: r.kind, note: r.note, sensitive: r.sensitive === 1, createdAt: r.created_at, fulfilledSeq: r.fulfilled_seq } : null;
  }

  /** Mark a request answered by the message `seq`; false when it already was. */
  fulfil(id: string, seq: number): boolean {
    return this.sql.exec('UPDATE document_requests SET fulfilled_seq = ? WHERE id = ? AND fulfilled_seq IS NULL', seq, id).rowsWritten > 0;
  }

  /** The seq of the message stored under this clientId (a merged copy's `merged:<from>:<seq>`), or null. */
  seqOfClientId(clientId: string): number | null {
    return this.sql.exec<{ seq: number }>('SELECT seq FROM messages WHERE client_id = ? LIMIT 1', clientId).toArray()[0]?.seq ?? null;
  }

  /** Whether this object has ever stored an attachment (the table exists), without creating it. */
  static exists(sql: SqlStorage): boolean {
    return sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'attachments'").one().n > 0;
  }
}

/** Messages with their attachments put on them; messages without any are returned as they are. */
export function withAttachments(sql: SqlStorage, messages: Message[]): Message[] {
  if (messages.length === 0 || !DocumentStore.exists(sql)) return messages;
  const by = new DocumentStore(sql).bySeq(messages.map((m) => m.seq));
  return messages.map((m) => {
    const list = by.get(m.seq);
    return list ? { ...m, attachments: list.map(publicAttachment) } : m;
  });
}
