import type { Message, Note } from '../../protocol';

/** The conversation row as the Durable Object sees it; the DO is the truth, D1 its copy. */
export interface ConversationSnapshot {
  id: string;
  tenantId: string;
  number: number;
  contactId: string;
  status: string;
  priority: string;
  assigneeId: string | null;
  channels: string[];
  createdAt: number;
  updatedAt: number;
  lastSeq: number;
  lastMessageAt: number | null;
  lastMessageText: string | null;
  mergedInto: string | null;
  csatScore: string | null;
  csatComment: string | null;
  csatAt: number | null;
  /** When it became a ticket; null while it is only a session. */
  openedAt: number | null;
  version: number;
}

/** An audit event of a conversation, numbered by the DO. */
export interface ConversationEvent {
  seq: number;
  kind: string;
  actorRole: string;
  actorId: string | null;
  data: string;
  createdAt: number;
}

/**
 * Upsert of the ticket row. The version guard makes replays and out-of-order retries harmless:
 * an older snapshot never overwrites a newer one.
 */
export function upsertConversationStatement(db: D1Database, s: ConversationSnapshot): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO conversations (id, tenant_id, number, contact_id, status, priority, assignee_id, channels, created_at,
         updated_at, last_seq, last_message_at, last_message_text, merged_into, csat_score, csat_comment, csat_at, version, opened_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)
       ON CONFLICT (id) DO UPDATE SET
         -- A contact merged away in D1 stays merged, whatever an older object still believes.
         contact_id = COALESCE((SELECT m.merged_into FROM contacts m WHERE m.id = excluded.contact_id), excluded.contact_id),
         status = excluded.status, priority = excluded.priority,
         assignee_id = excluded.assignee_id, channels = excluded.channels, updated_at = excluded.updated_at,
         last_seq = excluded.last_seq, last_message_at = excluded.last_message_at,
         last_message_text = excluded.last_message_text, merged_into = excluded.merged_into,
         csat_score = excluded.csat_score, csat_comment = excluded.csat_comment, csat_at = excluded.csat_at,
         version = excluded.version, opened_at = excluded.opened_at
       WHERE excluded.version > conversations.version AND conversations.tenant_id = excluded.tenant_id`,
    )
    .bind(
      s.id, s.tenantId, s.number, s.contactId, s.status, s.priority, s.assigneeId, JSON.stringify(s.channels), s.createdAt,
      s.updatedAt, s.lastSeq, s.lastMessageAt, s.lastMessageText, s.mergedInto, s.csatScore, s.csatComment, s.csatAt, s.version, s.openedAt,
    );
}

/** Copy a message; idempotent on (conversation_id, seq). */
export function insertMessageStatement(db: D1Database, tenantId: string, m: Message): D1PreparedStatement {
  return db
    .prepare(
      `INSERT OR IGNORE INTO messages (conversation_id, seq, tenant_id, id, client_id, author_role, author_id, author_name, channel, text, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .bind(m.conversationId, m.seq, tenantId, m.id, m.clientId, m.author.role, m.author.id, m.author.name, m.channel, m.text, m.createdAt);
}

/** Copy an internal note; idempotent on (conversation_id, seq). */
export function insertNoteStatement(db: D1Database, tenantId: string, n: Note): D1PreparedStatement {
  return db
    .prepare(
      `INSERT OR IGNORE INTO notes (conversation_id, seq, tenant_id, id, client_id, author_id, author_name, text, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .bind(n.conversationId, n.seq, tenantId, n.id, n.clientId, n.author.id, n.author.name, n.text, n.createdAt);
}

/** Copy an audit event; idempotent on (conversation_id, seq). */
export function insertEventStatement(db: D1Database, tenantId: string, conversationId: string, e: ConversationEvent): D1PreparedStatement {
  return db
    .prepare(
      `INSERT OR IGNORE INTO conversation_events (conversation_id, seq, tenant_id, kind, actor_role, actor_id, data, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .bind(conversationId, e.seq, tenantId, e.kind, e.actorRole, e.actorId, e.data, e.createdAt);
}

/** What D1 holds of one conversation's log, for the reconciliation check. */
export async function projectedLog(db: D1Database, tenantId: string, conversationId: string): Promise<{ messages: { seq: number; id: string; text: string; channel: string }[]; eventSeqs: number[]; version: number | null }> {
  const [messages, events, conv] = await db.batch<Record<string, unknown>>([
    db.prepare('SELECT seq, id, text, channel FROM messages WHERE tenant_id = ? AND conversation_id = ? ORDER BY seq').bind(tenantId, conversationId),
    db.prepare('SELECT seq FROM conversation_events WHERE tenant_id = ? AND conversation_id = ? ORDER BY seq').bind(tenantId, conversationId),
    db.prepare('SELECT version FROM conversations WHERE tenant_id = ? AND id = ?').bind(tenantId, conversationId),
  ]);
  return {
    messages: (messages!.results as { seq: number; id: string; text: string; channel: string }[]),
    eventSeqs: (events!.results as { seq: number }[]).map((r) => r.seq),
    version: ((conv!.results[0] as { version: number } | undefined)?.version) ?? null,
  };
}
