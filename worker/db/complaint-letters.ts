/**
 * The answer to a complaint in D1: the agent's draft (changeable until approved) and the letter
 * that went out (immutable: no function here changes one, and the table's triggers refuse it).
 */

/** The draft of an answer. */
export interface Draft {
  body: string;
  author: { id: string; name: string };
  updatedAt: number;
}

/** A letter as issued: its HTML exactly as sent, and that HTML's SHA-256 (hex). */
export interface Letter {
  id: string;
  tenantId: string;
  complaintId: string;
  html: string;
  sha256: string;
  author: { id: string; name: string };
  approver: { id: string; name: string };
  issuedAt: number;
}

/** Save the draft; its author is whoever wrote it last. */
export async function saveDraft(db: D1Database, tenantId: string, complaintId: string, body: string, author: { id: string; name: string }, now: number): Promise<void> {
  await db
    .prepare(
      `INSERT INTO complaint_drafts (complaint_id, tenant_id, body, author_id, author_name, updated_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (complaint_id) DO UPDATE SET body = excluded.body, author_id = excluded.author_id, author_name = excluded.author_name, updated_at = excluded.updated_at`,
    )
    .bind(complaintId, tenantId, body, author.id, author.name, now)
    .run();
}

/** The draft of a complaint, or null. */
export async function findDraft(db: D1Database, tenantId: string, complaintId: string): Promise<Draft | null> {
  const r = await db
    .prepare('SELECT body, author_id, author_name, updated_at FROM complaint_drafts WHERE tenant_id = ? AND complaint_id = ?')
    .bind(tenantId, complaintId)
    .first<{ body: string; author_id: string; author_name: string; updated_at: number }>();
  return r ? { body: r.body, author: { id: r.author_id, name: r.author_name }, updatedAt: r.updated_at } : null;
}

/**
 * Issue the letter and mark the complaint answered, in one batch: both or neither. The letter's
 * UNIQUE complaint_id makes a second approval fail instead of issuing a second letter.
 */
export async function issueLetter(db: D1Database, l: Letter): Promise<void> {
  await db.batch([
    db
      .prepare('INSERT INTO complaint_letters (id, tenant_id, complaint_id, html, sha256, author_id, author_name, approver_id, approver_name, issued_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .bind(l.id, l.tenantId, l.complaintId, l.html, l.sha256, l.author.id, l.author.name, l.approver.id, l.approver.name, l.issuedAt),
    db.prepare("UPDATE complaints SET status = 'answered', answered_at = ?, updated_at = ? WHERE tenant_id = ? AND id = ?").bind(l.issuedAt, l.issuedAt, l.tenantId, l.complaintId),
  ]);
}

interface LetterRow {
  id: string;
  tenant_id: string;
  complaint_id: string;
  html: string;
  sha256: string;
  author_id: string;
  author_name: string;
  approver_id: string;
  approver_name: string;
  issued_at: number;
}

const toLetter = (r: LetterRow): Letter => ({
  id: r.id,
  tenantId: r.tenant_id,
  complaintId: r.complaint_id,
  html: r.html,
  sha256: r.sha256,
  author: { id: r.author_id, name: r.author_name },
  approver: { id: r.approver_id, name: r.approver_name },
  issuedAt: r.issued_at,
});

/** A letter of the tenant by its id, or null. */
export async function findLetter(db: D1Database, tenantId: string, id: string): Promise<Letter | null> {
  const r = await db.prepare('SELECT * FROM complaint_letters WHERE tenant_id = ? AND id = ?').bind(tenantId, id).first<LetterRow>();
  return r ? toLetter(r) : null;
}

/** The letter that answered a complaint, or null. */
export async function letterOfComplaint(db: D1Database, tenantId: string, complaintId: string): Promise<Letter | null> {
  const r = await db.prepare('SELECT * FROM complaint_letters WHERE tenant_id = ? AND complaint_id = ?').bind(tenantId, complaintId).first<LetterRow>();
  return r ? toLetter(r) : null;
}
