import type { Env } from '../env';
import type { Tenant } from '../db/tenants';
import type { ConversationRef } from '../db/conversations';
import { findMailSettings } from '../db/mail';
import type { MailSettings } from '../db/mail';
import { complaintSettings, tenantByComplaintsAddress } from '../db/complaints';
import { splitPlus } from '../mail/tokens';
import type { InboundResult } from '../mail/inbound';
import { fileComplaint } from './file';

/**
 * Complaints by e-mail: the mail channel's inbound handler (worker/mail/inbound.ts) asks these two
 * questions and hands a complaint over, so there is one inbound path and one way of filing. A mail
 * is a complaint when it is sent to the brand's complaints address (a setting), to its inbound
 * address with +complaint, or when its subject says so ("Complaint: …", "[Complaint] …", "Жалоба: …").
 */

const MARKER = /^\s*(?:\[\s*(?:complaint|жалоба)\s*\]|(?:complaint|жалоба)\s*:)\s*/i;
const PLUS_TAGS = ['complaint', 'complaints'];

/** The mail settings of the brand whose complaints address `address` is, for mail the inbound address did not match. */
export async function complaintsMailSettings(db: D1Database, address: string): Promise<MailSettings | null> {
  const tenantId = await tenantByComplaintsAddress(db, splitPlus(address).base);
  return tenantId ? findMailSettings(db, tenantId) : null;
}

/** Whether a mail to `to` with this subject is a written complaint. */
export async function isComplaintMail(db: D1Database, tenantId: string, to: string, subject: string): Promise<boolean> {
  if (MARKER.test(subject)) return true;
  const rcpt = splitPlus(to);
  if (rcpt.tag && PLUS_TAGS.includes(rcpt.tag)) return true;
  const address = (await complaintSettings(db, tenantId)).complaintsAddress;
  return address !== null && address === rcpt.base;
}

/** File the mail as a complaint in its conversation: its subject and text are the complaint, its sender the address answered. */
export async function fileMailedComplaint(env: Env, tenant: Tenant, conversation: ConversationRef, mail: { from: string; name: string | null; subject: string; text: string; clientId: string }): Promise<InboundResult> {
  const subject = mail.subject.replace(MARKER, '').trim().slice(0, 200) || '(no subject)';
  const fields = { subject, happened: mail.text.slice(0, 8000) || subject, wanted: '(as written in the mail)', email: mail.from };
  const filer = { contactId: conversation.contactId, name: mail.name, conversationId: conversation.id, channel: 'email' as const };
  // A mail has no page origin: reminder mails of its complaint link the register by path.
  const filed = await fileComplaint(env, tenant, filer, fields, '', Date.now(), mail.clientId);
  return { ok: true, conversationId: conversation.id, seq: filed.seq, matched: 'contact' };
}
