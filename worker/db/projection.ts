import { DEFAULT_TEAM } from '../../protocol';
import type { Message, Note } from '../../protocol';
import { searchText } from './search';

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
  /** Absent in slices queued before teams: the default team, no topic, not VIP. */
  team?: string;
  topic?: string | null;
  vip?: boolean;
  /** The SLA level raised and the next due time (absent in slices queued before SLA policies). */
  slaState?: string | null;
  slaDueAt?: number | null;
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
 * D1 binds at most 100 parameters per statement (developers.cloudflare.com/d1/platform/limits), so
 * every multi-row statement below takes as many rows as fit and no more.
 */
export const D1_MAX_PARAMS = 100;

/** The columns of each projected table, in the order their values are bound. */
const TICKET_COLUMNS = ['id', 'tenant_id', 'number', 'contact_id', 'status', 'priority', 'assignee_id', 'channels', 'created_at', 'updated_at', 'last_seq', 'last_message_at', 'last_message_text', 'merged_into', 'csat_score', 'csat_comment', 'csat_at', 'version', 'opened_at', 'team_id', 'topic', 'vip', 'sla_state', 'sla_due_at'];
const MESSAGE_COLUMNS = ['conversation_id', 'seq', 'tenant_id', 'id', 'client_id', 'author_role', 'author_id', 'author_name', 'channel', 'text', 'created_at', 'text_masked'];
const NOTE_COLUMNS = ['conversation_id', 'seq', 'tenant_id', 'id', 'client_id', 'author_id', 'author_name', 'text', 'created_at', 'text_masked'];
const EVENT_COLUMNS = ['conversation_id', 'seq', 'tenant_id', 'kind', 'actor_role', 'actor_id', 'data', 'created_at'];

/** `VALUES (?, …), (?, …)` for `rows` rows of `width` columns: a fixed template, never a value. */
function valuesOf(rows: number, width: number): string {
  const row = `(${Array.from({ length: width }, () => '?').join(', ')})`;
  return Array.from({ length: rows }, () => row).join(', ');
}

/** Split rows into the largest chunks one statement may bind. */
function chunks<T>(rows: T[], width: number): T[][] {
  const per = Math.floor(D1_MAX_PARAMS / width);
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += per) out.push(rows.slice(i, i + per));
  return out;
}

/**
 * Upsert ticket rows, several per statement. The version guard makes replays and out-of-order
 * deliveries harmless: an older snapshot never overwrites a newer one. A snapshot whose contact is
 * gone (an unused session deleted while its copy was still queued) is dropped instead of failing
 * the whole batch on the foreign key. Give at most one snapshot per conversation.
 */
export function upsertTicketStatements(db: D1Database, snapshots: ConversationSnapshot[]): D1PreparedStatement[] {
  const v = (i: number) => `v.column${i + 1}`;
  return chunks(snapshots, TICKET_COLUMNS.length).map((rows) =>
    db
      .prepare(
        `INSERT INTO conversations (${TICKET_COLUMNS.join(', ')})
         SELECT ${TICKET_COLUMNS.map((_, i) => v(i)).join(', ')} FROM (VALUES ${valuesOf(rows.length, TICKET_COLUMNS.length)}) AS v
         WHERE EXISTS (SELECT 1 FROM contacts k WHERE k.id = v.column4 AND k.tenant_id = v.column2)
         ON CONFLICT (id) DO UPDATE SET
           -- A contact merged away in D1 stays merged, whatever an older object still believes.
           contact_id = COALESCE((SELECT m.merged_into FROM contacts m WHERE m.id = excluded.contact_id), excluded.contact_id),
           status = excluded.status, priority = excluded.priority,
           assignee_id = excluded.assignee_id, channels = excluded.channels, updated_at = excluded.updated_at,
           last_seq = excluded.last_seq, last_message_at = excluded.last_message_at,
           last_message_text = excluded.last_message_text, merged_into = excluded.merged_into,
           csat_score = excluded.csat_score, csat_comment = excluded.csat_comment, csat_at = excluded.csat_at,
           version = excluded.version, opened_at = excluded.opened_at,
           team_id = excluded.team_id, topic = excluded.topic, vip = excluded.vip,
           sla_state = excluded.sla_state, sla_due_at = excluded.sla_due_at
         WHERE excluded.version > conversations.version AND conversations.tenant_id = excluded.tenant_id`,
      )
      .bind(
        ...rows.flatMap((s) => [
          s.id, s.tenantId, s.number, s.contactId, s.status, s.priority, s.assigneeId, JSON.stringify(s.channels), s.createdAt,
          s.updatedAt, s.lastSeq, s.lastMessageAt, s.lastMessageText, s.mergedInto, s.csatScore, s.csatComment, s.csatAt, s.version, s.openedAt,
          s.team ?? DEFAULT_TEAM, s.topic ?? null, s.vip ? 1 : 0, s.slaState ?? null, s.slaDueAt ?? null,
        ]),
      ),
  );
}

/**
 * Multi-row `INSERT OR IGNORE` (idempotent on the table's (conversation_id, seq) key) of rows whose
 * ticket D1 holds, in this tenant: a row of a conversation D1 no longer knows is dropped, not a
 * foreign-key failure that would hold every other conversation of the batch back.
 */
function insertChildren(db: D1Database, table: 'messages' | 'notes' | 'conversation_events', columns: string[], rows: unknown[][]): D1PreparedStatement[] {
  return chunks(rows, columns.length).map((chunk) =>
    db
      .prepare(
        `INSERT OR IGNORE INTO ${table} (${columns.join(', ')})
         SELECT ${columns.map((_, i) => `v.column${i + 1}`).join(', ')} FROM (VALUES ${valuesOf(chunk.length, columns.length)}) AS v
         WHERE EXISTS (SELECT 1 FROM conversations c WHERE c.id = v.column1 AND c.tenant_id = v.column3)`,
      )
      .bind(...chunk.flat()),
  );
}

/** Copy messages of any conversations; idempotent on (conversation_id, seq). */
export function insertMessagesStatements(db: D1Database, rows: { tenantId: string; m: Message }[]): D1PreparedStatement[] {
  return insertChildren(db, 'messages', MESSAGE_COLUMNS, rows.map(({ tenantId, m }) => [m.conversationId, m.seq, tenantId, m.id, m.clientId, m.author.role, m.author.id, m.author.name, m.channel, m.text, m.createdAt, searchText(m.text)]));
}

/** Copy internal notes of any conversations; idempotent on (conversation_id, seq). */
export function insertNotesStatements(db: D1Database, rows: { tenantId: string; n: Note }[]): D1PreparedStatement[] {
  return insertChildren(db, 'notes', NOTE_COLUMNS, rows.map(({ tenantId, n }) => [n.conversationId, n.seq, tenantId, n.id, n.clientId, n.author.id, n.author.name, n.text, n.createdAt, searchText(n.text)]));
}

/** Copy audit events of any conversations; idempotent on (conversation_id, seq). */
export function insertEventsStatements(db: D1Database, rows: { tenantId: string; conversationId: string; e: ConversationEvent }[]): D1PreparedStatement[] {
  return insertChildren(db, 'conversation_events', EVENT_COLUMNS, rows.map(({ tenantId, conversationId, e }) => [conversationId, e.seq, tenantId, e.kind, e.actorRole, e.actorId, e.data, e.createdAt]));
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
