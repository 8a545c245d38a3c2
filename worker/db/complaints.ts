import { DEFAULT_ANSWER_DAYS, complaintNumber } from '../../protocol';
import type { ComplaintFilter, ComplaintReminder, ComplaintSettings, ComplaintStatus, ReminderStage } from '../../protocol';

/** Written complaints in D1: settings, the register, reminders, drafts and the immutable letters. */

/** A complaint as stored, unmasked: callers mask what an agent sees. */
export interface ComplaintRow {
  id: string;
  tenantId: string;
  number: string;
  conversationId: string;
  contactId: string;
  team: string;
  channel: string;
  subject: string;
  happened: string;
  wanted: string;
  email: string;
  status: ComplaintStatus;
  assignee: { id: string; name: string } | null;
  receivedAt: number;
  dueAt: number;
  answeredAt: number | null;
}

interface Row {
  id: string;
  tenant_id: string;
  number: string;
  conversation_id: string;
  contact_id: string;
  team_id: string;
  channel: string;
  subject: string;
  happened: string;
  wanted: string;
  email: string;
  status: ComplaintStatus;
  assignee_id: string | null;
  assignee_name: string | null;
  received_at: number;
  due_at: number;
  answered_at: number | null;
}

const toComplaint = (r: Row): ComplaintRow => ({
  id: r.id,
  tenantId: r.tenant_id,
  number: r.number,
  conversationId: r.conversation_id,
  contactId: r.contact_id,
  team: r.team_id,
  channel: r.channel,
  subject: r.subject,
  happened: r.happened,
  wanted: r.wanted,
  email: r.email,
  status: r.status,
  assignee: r.assignee_id ? { id: r.assignee_id, name: r.assignee_name ?? '' } : null,
  receivedAt: r.received_at,
  dueAt: r.due_at,
  answeredAt: r.answered_at,
});

/** The tenant's complaint settings, defaults where none are stored. */
export async function complaintSettings(db: D1Database, tenantId: string): Promise<ComplaintSettings> {
  const r = await db
    .prepare('SELECT answer_days, complaints_address, letterhead, sender_name, closing FROM complaint_settings WHERE tenant_id = ?')
    .bind(tenantId)
    .first<{ answer_days: number; complaints_address: string | null; letterhead: string; sender_name: string; closing: string }>();
  if (!r) return { answerDays: DEFAULT_ANSWER_DAYS, complaintsAddress: null, letterhead: '', senderName: '', closing: 'Yours sincerely' };
  return { answerDays: r.answer_days, complaintsAddress: r.complaints_address, letterhead: r.letterhead, senderName: r.sender_name, closing: r.closing };
}

/** Replace the tenant's complaint settings. */
export async function saveComplaintSettings(db: D1Database, tenantId: string, s: ComplaintSettings, now: number): Promise<void> {
  await db
    .prepare(
      `INSERT INTO complaint_settings (tenant_id, answer_days, complaints_address, letterhead, sender_name, closing, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (tenant_id) DO UPDATE SET answer_days = excluded.answer_days, complaints_address = excluded.complaints_address,
         letterhead = excluded.letterhead, sender_name = excluded.sender_name, closing = excluded.closing, updated_at = excluded.updated_at`,
    )
    .bind(tenantId, s.answerDays, s.complaintsAddress, s.letterhead, s.senderName, s.closing, now)
    .run();
}

/** The tenant whose complaints mailbox is `address`, if any (inbound mail). */
export async function tenantByComplaintsAddress(db: D1Database, address: string): Promise<string | null> {
  const r = await db.prepare('SELECT tenant_id FROM complaint_settings WHERE complaints_address = ?').bind(address.toLowerCase()).first<{ tenant_id: string }>();
  return r?.tenant_id ?? null;
}

/** Take the tenant's next register number for `year`: one statement, so two filings never share one. */
export async function nextComplaintNumber(db: D1Database, tenantId: string, year: number): Promise<string> {
  const r = await db
    .prepare('INSERT INTO complaint_counters (tenant_id, year, last) VALUES (?, ?, 1) ON CONFLICT (tenant_id, year) DO UPDATE SET last = last + 1 RETURNING last')
    .bind(tenantId, year)
    .first<{ last: number }>();
  return complaintNumber(year, r!.last);
}

/** Store a new complaint in the register. */
export async function insertComplaint(db: D1Database, c: ComplaintRow, sourceKey: string | null = null): Promise<void> {
  await db
    .prepare(
      `INSERT INTO complaints (id, tenant_id, number, conversation_id, contact_id, team_id, channel, subject, happened, wanted, email, status, assignee_id, assignee_name, received_at, due_at, answered_at, updated_at, source_key)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .bind(c.id, c.tenantId, c.number, c.conversationId, c.contactId, c.team, c.channel, c.subject, c.happened, c.wanted, c.email, c.status, c.assignee?.id ?? null, c.assignee?.name ?? null, c.receivedAt, c.dueAt, c.answeredAt, c.receivedAt, sourceKey)
    .run();
}

/** One complaint of the tenant, or null. */
export async function findComplaint(db: D1Database, tenantId: string, id: string): Promise<ComplaintRow | null> {
  const r = await db.prepare('SELECT * FROM complaints WHERE tenant_id = ? AND id = ?').bind(tenantId, id).first<Row>();
  return r ? toComplaint(r) : null;
}

/** The complaint filed from `sourceKey` (a mail's key), or null. */
export async function findComplaintBySource(db: D1Database, tenantId: string, sourceKey: string): Promise<ComplaintRow | null> {
  const r = await db.prepare('SELECT * FROM complaints WHERE tenant_id = ? AND source_key = ?').bind(tenantId, sourceKey).first<Row>();
  return r ? toComplaint(r) : null;
}

/** What limits a list: a status filter, and the team wall (null: the whole tenant, for admins). */
export interface ComplaintListFilter {
  status?: ComplaintFilter;
  wall: { teams: string[]; agentId: string } | null;
  now: number;
  limit: number;
}

/** The register, soonest due first. Overdue: not answered and due before `now`. */
export async function listComplaints(db: D1Database, tenantId: string, f: ComplaintListFilter): Promise<ComplaintRow[]> {
  const status = f.status === 'overdue' || f.status === undefined ? null : f.status;
  const { results } = await db
    .prepare(
      `SELECT * FROM complaints WHERE tenant_id = ?1
         AND (?2 IS NULL OR status = ?2)
         AND (?3 = 0 OR (status != 'answered' AND due_at <= ?4))
         AND (?5 IS NULL OR team_id IN (SELECT value FROM json_each(?5)) OR assignee_id = ?6)
       ORDER BY due_at, id LIMIT ?7`,
    )
    .bind(tenantId, status, f.status === 'overdue' ? 1 : 0, f.now, f.wall ? JSON.stringify(f.wall.teams) : null, f.wall?.agentId ?? null, f.limit)
    .all<Row>();
  return results.map(toComplaint);
}

/** Set the team and, when given, the assignee (the conversation's, at filing). */
export async function placeComplaint(db: D1Database, tenantId: string, id: string, team: string, assignee: { id: string; name: string } | null, now: number): Promise<void> {
  await db
    .prepare('UPDATE complaints SET team_id = ?, assignee_id = COALESCE(?, assignee_id), assignee_name = COALESCE(?, assignee_name), updated_at = ? WHERE tenant_id = ? AND id = ?')
    .bind(team, assignee?.id ?? null, assignee?.name ?? null, now, tenantId, id)
    .run();
}

/** Start the review and/or hand it to someone; an answered complaint is left as it is. */
export async function updateComplaint(db: D1Database, tenantId: string, id: string, patch: { status?: 'in_review'; assignee?: { id: string; name: string } }, now: number): Promise<void> {
  await db
    .prepare(
      `UPDATE complaints SET status = COALESCE(?, status), assignee_id = COALESCE(?, assignee_id), assignee_name = COALESCE(?, assignee_name), updated_at = ?
       WHERE tenant_id = ? AND id = ? AND status != 'answered'`,
    )
    .bind(patch.status ?? null, patch.assignee?.id ?? null, patch.assignee?.name ?? null, now, tenantId, id)
    .run();
}

/** Who is reminded of a complaint: its assignee and every active supervisor of its team. */
export async function reminderRecipients(db: D1Database, tenantId: string, team: string, assignee: { id: string; name: string } | null): Promise<{ id: string; name: string; email: string }[]> {
  const { results } = await db
    .prepare(
      `SELECT a.id, a.name, a.email FROM agents a WHERE a.tenant_id = ?1 AND a.disabled = 0 AND (a.id = ?2 OR (a.role IN ('supervisor', 'admin') AND a.id IN
         (SELECT agent_id FROM team_members WHERE tenant_id = ?1 AND team_id = ?3 AND supervises = 1))) ORDER BY a.name`,
    )
    .bind(tenantId, assignee?.id ?? null, team)
    .all<{ id: string; name: string; email: string }>();
  return results;
}

/** Record a reminder; false when that stage was recorded before (the key allows one per stage). */
export async function recordReminder(db: D1Database, tenantId: string, complaintId: string, stage: ReminderStage, at: number, recipients: { id: string; name: string }[]): Promise<boolean> {
  const r = await db
    .prepare('INSERT INTO complaint_reminders (complaint_id, tenant_id, stage, at, recipients) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING')
    .bind(complaintId, tenantId, stage, at, JSON.stringify(recipients))
    .run();
  return r.meta.changes === 1;
}

/** The reminders that went out for a complaint, in order. */
export async function listReminders(db: D1Database, tenantId: string, complaintId: string): Promise<ComplaintReminder[]> {
  const { results } = await db
    .prepare('SELECT stage, at, recipients FROM complaint_reminders WHERE tenant_id = ? AND complaint_id = ? ORDER BY at, stage')
    .bind(tenantId, complaintId)
    .all<{ stage: ReminderStage; at: number; recipients: string }>();
  return results.map((r) => ({ stage: r.stage, at: r.at, recipients: JSON.parse(r.recipients) as { id: string; name: string }[] }));
}

/** The e-mail address a contact's profile holds, or null (the complaint form's prefill). */
export async function contactEmail(db: D1Database, tenantId: string, contactId: string): Promise<string | null> {
  const r = await db.prepare('SELECT email FROM contacts WHERE tenant_id = ? AND id = ?').bind(tenantId, contactId).first<{ email: string | null }>();
  return r?.email ?? null;
}

/** Development only: move a complaint's period `ms` into the past (see worker/routes/dev-clock.ts). */
export async function shiftComplaintPeriod(db: D1Database, tenantId: string, id: string, ms: number): Promise<void> {
  await db.prepare('UPDATE complaints SET received_at = received_at - ?, due_at = due_at - ? WHERE tenant_id = ? AND id = ?').bind(ms, ms, tenantId, id).run();
}
