/**
 * Inbound mail (Cloudflare Email Routing → this Worker's `email()` handler). The recipient names the
 * brand; a reply to one of our mails continues its conversation, found by the unforgeable token in
 * its plus-address or in the Message-IDs it references; any other mail goes to the contact found by
 * e-mail identity (made if new), in their open conversation or a new one, on channel `email`.
 */
import PostalMime from 'postal-mime';
import type { Email } from 'postal-mime';
import { MAX_TEXT } from '../../protocol';
import type { Env } from '../env';
import { findTenantById } from '../db/tenants';
import type { Tenant } from '../db/tenants';
import { findConversation, openConversation } from '../db/conversations';
import type { ConversationRef } from '../db/conversations';
import { findContactByIdentity } from '../db/contacts';
import { findMailSettingsByInbound, noteThreadMail } from '../db/mail';
import { newId, sha256 } from '../auth/crypto';
import { conversationStub } from '../stubs';
import { ensureConversationObject, newContact } from '../contacts/resolve';
import { splitPlus, tokenOfMessageId, verifyMailToken } from './tokens';
import { replyText } from './reply-text';
import { complaintsMailSettings, fileMailedComplaint, isComplaintMail } from '../complaints/mail-intake';

/** Mails larger than this are refused at the door (Email Routing itself caps at 25 MiB). */
export const MAX_INBOUND_BYTES = 5 * 1024 * 1024;

/** What became of one inbound mail (returned for tests; the handler itself returns nothing). */
export type InboundResult =
  | { ok: true; conversationId: string; seq: number; matched: 'token' | 'contact' }
  | { ok: false; reason: 'unknown_recipient' | 'too_large' | 'unreadable' | 'empty' | 'automatic' };

/** The identity value an e-mail address is kept under in contact_identities (one place, should it ever be hashed). */
export function emailIdentity(address: string): string {
  return address.trim().toLowerCase();
}

/** Email Workers entry point: take the mail in, or reject it with a reason the sender's server reports. */
export async function receiveMail(message: ForwardableEmailMessage, env: Env): Promise<void> {
  const r = await takeMail(env, message.to, message.from, message.raw, message.rawSize);
  if (!r.ok && r.reason !== 'empty' && r.reason !== 'automatic') message.setReject(r.reason === 'unknown_recipient' ? 'No such mailbox' : r.reason === 'too_large' ? 'Message too large' : 'Message could not be read');
}

/** Take one raw mail addressed to `to`: find its brand and conversation, store its text as the customer's message. */
export async function takeMail(env: Env, to: string, envelopeFrom: string, raw: ReadableStream | string | ArrayBuffer, rawSize: number): Promise<InboundResult> {
  if (rawSize > MAX_INBOUND_BYTES) return { ok: false, reason: 'too_large' };
  const rcpt = splitPlus(to);
  // A brand's complaints mailbox is a way in too (worker/complaints/mail-intake.ts).
  const settings = (await findMailSettingsByInbound(env.DB, rcpt.base)) ?? (await complaintsMailSettings(env.DB, rcpt.base));
  const tenant = settings ? await findTenantById(env.DB, settings.tenantId) : null;
  if (!settings || !tenant) return { ok: false, reason: 'unknown_recipient' };
  let mail: Email;
  try {
    mail = await PostalMime.parse(raw);
  } catch {
    return { ok: false, reason: 'unreadable' };
  }
  // Out-of-office and other machine replies (RFC 3834) are not the customer speaking; taking them
  // would reopen conversations and, with a careless auto-responder on the other side, loop.
  if (isAutomatic(mail)) return { ok: false, reason: 'automatic' };
  const from = emailIdentity(mail.from?.address || envelopeFrom);
  const name = mail.from?.name?.trim() || null;
  const subject = (mail.subject ?? '').replace(/[\r\n]+/g, ' ').trim().slice(0, 300) || '(no subject)';
  const text = (replyText(mail.text, mail.html) || subject).slice(0, MAX_TEXT);

  const byToken = await conversationByToken(env, tenant, rcpt.tag, mail);
  const conversation = byToken ?? (await conversationOfSender(env, tenant, from, name));
  const messageId = mail.messageId?.trim() || null;
  await noteThreadMail(env.DB, { tenantId: tenant.id, conversationId: conversation.id, address: from, subject, messageId, fromCustomer: true }, Date.now());
  // The same mail delivered twice (Email Routing retries) is one message: the Message-ID is its client id.
  const clientId = `mail:${await sha256(messageId ?? `${from}\n${subject}\n${text}`)}`;
  if (await isComplaintMail(env.DB, tenant.id, to, subject)) return fileMailedComplaint(env, tenant, conversation, { from, name, subject, text, clientId });
  const sent = await conversationStub(env, conversation.id).send(tenant.id, { role: 'customer', id: conversation.contactId, name }, 'email', clientId, text);
  if (!sent.ok) return { ok: false, reason: 'empty' };
  return { ok: true, conversationId: conversation.id, seq: sent.value.seq, matched: byToken ? 'token' : 'contact' };
}

/**
 * The conversation a reply continues: the plus-address's token first, then any Message-ID of ours in
 * In-Reply-To and References. A token whose MAC fails, or that names another tenant's or a merged
 * conversation, matches nothing; the mail is then treated as a new one from its sender.
 */
async function conversationByToken(env: Env, tenant: Tenant, tag: string | null, mail: Email): Promise<ConversationRef | null> {
  const ids = [mail.inReplyTo ?? '', ...(mail.references ?? '').split(/\s+/)].filter(Boolean);
  const candidates = [tag, ...ids.map(tokenOfMessageId)].filter((t): t is string => !!t);
  for (const token of new Set(candidates)) {
    const id = await verifyMailToken(env.SOCKET_SECRET, tenant.id, token);
    if (!id) continue;
    const c = await findConversation(env.DB, tenant.id, id);
    if (c && c.status !== 'closed') return c;
  }
  return null;
}

/** The sender's open conversation, or a new one; the sender a contact found by e-mail identity, or a new contact. */
async function conversationOfSender(env: Env, tenant: Tenant, from: string, name: string | null): Promise<ConversationRef> {
  const now = Date.now();
  const contactId =
    (await findContactByIdentity(env.DB, tenant.id, 'email', emailIdentity(from))) ??
    (await newContact(env, tenant, [{ kind: 'email', value: emailIdentity(from) }], { name: name ?? undefined, email: from }, now));
  const conversation = await openConversation(env.DB, tenant.id, contactId, newId(now), 'email', now);
  await ensureConversationObject(env, tenant, conversation, 'email', name ? { name } : null);
  return conversation;
}

/** Whether a mail says it was sent by a machine: Auto-Submitted other than `no`, or a bulk/auto-reply Precedence. */
export function isAutomatic(mail: Pick<Email, 'headers'>): boolean {
  const value = (key: string) => mail.headers.find((h) => h.key === key)?.value.trim().toLowerCase();
  const auto = value('auto-submitted');
  return (auto !== undefined && auto !== 'no') || ['bulk', 'junk', 'auto_reply', 'list'].includes(value('precedence') ?? '');
}
