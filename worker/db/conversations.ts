import type { AuditEvent, Channel, ConversationSummary, Priority, Status } from '../../protocol';
import { maskText, maskValue } from '../privacy/mask';

/** The D1 facts the Worker needs to hand a conversation to its Durable Object. */
export interface ConversationRef {
  id: string;
  tenantId: string;
  number: number;
  contactId: string;
  status: Status;
  createdAt: number;
}

/** What the team wall needs to know of a conversation: its team and who holds it. */
export interface ConversationPlace extends ConversationRef {
  teamId: string;
  assigneeId: string | null;
}

interface RefRow {
  id: string;
  tenant_id: string;
  number: number;
  contact_id: string;
  status: Status;
  created_at: number;
}

const toRef = (r: RefRow): ConversationRef => ({ id: r.id, tenantId: r.tenant_id, number: r.number, contactId: r.contact_id, status: r.status, createdAt: r.created_at });

const OPEN = "status IN ('open', 'pending', 'on_hold')";

/** The contact's open conversation (newest first should there ever be two), or null. */
export async function findOpenConversation(db: D1Database, tenantId: string, contactId: string): Promise<ConversationRef | null> {
  const row = await db
    .prepare(`SELECT id, tenant_id, number, contact_id, status, created_at FROM conversations WHERE tenant_id = ? AND contact_id = ? AND ${OPEN} ORDER BY created_at DESC LIMIT 1`)
    .bind(tenantId, contactId)
    .first<RefRow>();
  return row ? toRef(row) : null;
}

/** Ids of the tenant's open tickets, newest first, at most `limit`: what a changed SLA policy must reach. */
export async function openTicketIds(db: D1Database, tenantId: string, limit: number): Promise<string[]> {
  const { results } = await db
    .prepare(`SELECT id FROM conversations WHERE tenant_id = ? AND ${OPEN} AND opened_at IS NOT NULL ORDER BY created_at DESC LIMIT ?`)
    .bind(tenantId, limit)
    .all<{ id: string }>();
  return results.map((r) => r.id);
}

/**
 * The contact's open conversation, creating it when there is none. One statement does the check
 * and the insert, so two channels opening at the same instant still get one conversation; the
 * ticket number is the tenant's next, taken in the same statement.
 */
export async function openConversation(db: D1Database, tenantId: string, contactId: string, newId: string, channel: Channel, now: number): Promise<ConversationRef> {
  await db
    .prepare(
      `INSERT INTO conversations (id, tenant_id, number, contact_id, status, channels, created_at, updated_at)
       SELECT ?1, ?2, (SELECT COALESCE(MAX(number), 0) + 1 FROM conversations WHERE tenant_id = ?2), ?3, 'open', ?4, ?5, ?5
        WHERE NOT EXISTS (SELECT 1 FROM conversations WHERE tenant_id = ?2 AND contact_id = ?3 AND ${OPEN})`,
    )
    .bind(newId, tenantId, contactId, JSON.stringify([channel]), now)
    .run();
  const ref = await findOpenConversation(db, tenantId, contactId);
  if (!ref) throw new Error('conversation vanished right after it was opened');
  return ref;
}

/** A conversation of this tenant, or null: the tenant filter is what walls partners off. */
export async function findConversation(db: D1Database, tenantId: string, id: string): Promise<ConversationPlace | null> {
  const row = await db
    .prepare('SELECT id, tenant_id, number, contact_id, status, created_at, team_id, assignee_id FROM conversations WHERE tenant_id = ? AND id = ?')
    .bind(tenantId, id)
    .first<RefRow & { team_id: string; assignee_id: string | null }>();
  return row ? { ...toRef(row), teamId: row.team_id, assigneeId: row.assignee_id } : null;
}

/** The tenant a conversation belongs to, with that tenant's allowed origins, for socket upgrades. */
export async function findConversationTenant(db: D1Database, id: string): Promise<{ tenantId: string; allowedOrigins: string[] } | null> {
  const row = await db
    .prepare('SELECT c.tenant_id, t.allowed_origins FROM conversations c JOIN tenants t ON t.id = c.tenant_id WHERE c.id = ?')
    .bind(id)
    .first<{ tenant_id: string; allowed_origins: string }>();
  return row ? { tenantId: row.tenant_id, allowedOrigins: JSON.parse(row.allowed_origins) as string[] } : null;
}

interface SummaryRow {
  id: string;
  number: number;
  status: Status;
  priority: Priority;
  assignee_id: string | null;
  assignee_name: string | null;
  channels: string;
  contact_id: string;
  contact_name: string | null;
  contact_email: string | null;
  subject: string | null;
  last_message_text: string | null;
  last_message_at: number | null;
  created_at: number;
  updated_at: number;
  csat_score: 'good' | 'bad' | null;
}

const masked = (text: string | null): string | null => maskValue(text);

// Summaries are read only for agents, so every text the customer or a partner wrote is masked here;
// the clear text is reached only through the audited reveal.
function toSummary(r: SummaryRow): ConversationSummary {
  return {
    id: r.id,
    number: r.number,
    status: r.status,
    priority: r.priority,
    assignee: r.assignee_id ? { id: r.assignee_id, name: r.assignee_name ?? '' } : null,
    channels: JSON.parse(r.channels) as Channel[],
    contact: { id: r.contact_id, name: masked(r.contact_name), email: masked(r.contact_email) },
    subject: masked(r.subject),
    lastMessageText: masked(r.last_message_text),
    lastMessageAt: r.last_message_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    csatScore: r.csat_score,
  };
}

const SUMMARY = `SELECT c.id, c.number, c.status, c.priority, c.assignee_id, a.name AS assignee_name, c.channels,
       c.contact_id, p.name AS contact_name, p.email AS contact_email, c.subject, c.last_message_text,
       c.last_message_at, c.created_at, c.updated_at, c.csat_score
  FROM conversations c
  JOIN contacts p ON p.id = c.contact_id
  LEFT JOIN agents a ON a.id = c.assignee_id`;

/** One conversation of the tenant as a ticket row (texts masked for agents), or null. */
export async function getConversationSummary(db: D1Database, tenantId: string, id: string): Promise<ConversationSummary | null> {
  const row = await db.prepare(`${SUMMARY} WHERE c.tenant_id = ? AND c.id = ?`).bind(tenantId, id).first<SummaryRow>();
  return row ? toSummary(row) : null;
}

/** Filter of the ticket list. `assignee` null means unassigned; undefined means anyone. */
export interface ListFilter {
  statuses?: Status[];
  assignee?: string | null;
  after?: { updatedAt: number; id: string };
  limit: number;
  /** The team wall: only these teams' conversations, and those held by `wallOf` (absent: all). */
  wall?: { teams: string[]; agentId: string };
}

/**
 * Tickets only: a session nobody wrote in is not listed. Newest-updated first, keyset-paginated on (updated_at, id) so deep pages cost what the first does.
 * The status list is bound as JSON and read with json_each, keeping the SQL text fixed.
 */
export async function listConversations(db: D1Database, tenantId: string, f: ListFilter): Promise<ConversationSummary[]> {
  const { results } = await db
    .prepare(
      `${SUMMARY}
       WHERE c.tenant_id = ?1
         AND c.opened_at IS NOT NULL
         AND (?2 IS NULL OR c.status IN (SELECT value FROM json_each(?2)))
         AND (?3 = 0 OR (?4 IS NULL AND c.assignee_id IS NULL) OR c.assignee_id = ?4)
         AND (?5 IS NULL OR c.updated_at < ?5 OR (c.updated_at = ?5 AND c.id < ?6))
         AND (?8 IS NULL OR c.team_id IN (SELECT value FROM json_each(?8)) OR c.assignee_id = ?9)
       ORDER BY c.updated_at DESC, c.id DESC
       LIMIT ?7`,
    )
    .bind(
      tenantId,
      f.statuses ? JSON.stringify(f.statuses) : null,
      f.assignee === undefined ? 0 : 1,
      f.assignee ?? null,
      f.after?.updatedAt ?? null,
      f.after?.id ?? '',
      f.limit,
      f.wall ? JSON.stringify(f.wall.teams) : null,
      f.wall?.agentId ?? null,
    )
    .all<SummaryRow>();
  return results.map(toSummary);
}

/** A conversation's audit trail, oldest first. */
/**
 * The audit events D1 holds for one conversation of the tenant, as agents see them: every string in
 * their data (hold notes, escalation reasons, CSAT comments) masked.
 */
export async function listConversationEvents(db: D1Database, tenantId: string, conversationId: string): Promise<AuditEvent[]> {
  const { results } = await db
    .prepare('SELECT seq, kind, actor_role, actor_id, data, created_at FROM conversation_events WHERE tenant_id = ? AND conversation_id = ? ORDER BY seq')
    .bind(tenantId, conversationId)
    .all<{ seq: number; kind: string; actor_role: string; actor_id: string | null; data: string; created_at: number }>();
  return results.map((r) => ({ seq: r.seq, kind: r.kind, actorRole: r.actor_role, actorId: r.actor_id, data: maskValue(JSON.parse(r.data) as Record<string, unknown>), createdAt: r.created_at }));
}

/** A row that is a session and not a ticket: nobody wrote, nobody acted. */
const UNUSED = 'opened_at IS NULL AND last_seq = 0';
/** A contact (?3) that is nothing but an anonymous device: no conversation, no name-bearing identity, nobody folded into it. */
const DISPOSABLE_CONTACT = `NOT EXISTS (SELECT 1 FROM conversations WHERE tenant_id = ?1 AND contact_id = ?3)
  AND NOT EXISTS (SELECT 1 FROM contact_identities WHERE tenant_id = ?1 AND contact_id = ?3 AND kind <> 'visitor')
  AND NOT EXISTS (SELECT 1 FROM contacts WHERE tenant_id = ?1 AND merged_into = ?3)`;

/**
 * Delete an unused session's conversation row, and its contact with the visitor identity when that
 * contact has nothing else, in one transaction. Every statement re-checks, so a message or a merge
 * that lands meanwhile keeps what it needs. 'kept' when the row is a ticket after all.
 */
export async function discardUnusedConversation(db: D1Database, tenantId: string, id: string): Promise<'deleted' | 'absent' | 'kept'> {
  const row = await db.prepare('SELECT contact_id, opened_at, last_seq FROM conversations WHERE tenant_id = ? AND id = ?').bind(tenantId, id).first<{ contact_id: string; opened_at: number | null; last_seq: number }>();
  if (!row) return 'absent';
  if (row.opened_at !== null || row.last_seq > 0) return 'kept';
  const bind = (sql: string) => db.prepare(sql).bind(tenantId, id, row.contact_id);
  await db.batch([
    bind(`DELETE FROM conversation_events WHERE tenant_id = ?1 AND conversation_id = ?2 AND EXISTS (SELECT 1 FROM conversations WHERE id = ?2 AND contact_id = ?3 AND ${UNUSED})`),
    bind(`DELETE FROM conversations WHERE tenant_id = ?1 AND id = ?2 AND contact_id = ?3 AND ${UNUSED}`),
    bind(`DELETE FROM contact_identities WHERE tenant_id = ?1 AND contact_id = ?3 AND kind = 'visitor' AND ${DISPOSABLE_CONTACT}`),
    bind(`DELETE FROM contacts WHERE tenant_id = ?1 AND id = ?3 AND NOT EXISTS (SELECT 1 FROM contact_identities WHERE tenant_id = ?1 AND contact_id = ?3) AND ${DISPOSABLE_CONTACT}`),
  ]);
  return 'deleted';
}
