import type { Channel, ComplaintFields } from '../../protocol';
import type { Env } from '../env';
import type { Tenant } from '../db/tenants';
import { newId } from '../auth/crypto';
import { complaintSettings, findComplaintBySource, insertComplaint, nextComplaintNumber, placeComplaint } from '../db/complaints';
import { findConversation } from '../db/conversations';
import { ApiError } from '../errors';
import { conversationStub } from '../stubs';
import { dueAtOf } from './rules';
import { mailFiled } from './mail';

/**
 * Filing a written complaint, whichever way it came (the widget's form, a mail): a register
 * number, a due date from the tenant's answer period, the register's row, and the conversation's
 * own record (the complaint as the customer's message, the filed line, the clock). Telling the
 * customer by mail goes through the mail channel's notifier (notify.ts), not a sender of our own.
 */

/** Who files, in which conversation. */
export interface Filer {
  contactId: string;
  name: string | null;
  conversationId: string;
  channel: Channel;
}

/** A complaint just filed. */
export interface Filed {
  id: string;
  number: string;
  receivedAt: number;
  dueAt: number;
  team: string;
  /** The thread's seq after filing (0 when the complaint was filed before: a repeated mail). */
  seq: number;
}

/** The complaint's words as the thread shows them: one message, headed so agents see what it is. */
export function complaintMessage(number: string, f: ComplaintFields): string {
  return `Written complaint ${number}: ${f.subject}\n\nWhat happened:\n${f.happened}\n\nWhat I would like:\n${f.wanted}\n\nAnswer to: ${f.email}`;
}

/** File a complaint in the filer's conversation and tell them (chat now, mail by the hook). */
/** `origin`: this deployment's, for the links in the agents' reminder mails. */
export async function fileComplaint(env: Env, tenant: Tenant, filer: Filer, fields: ComplaintFields, origin: string, now = Date.now(), sourceKey: string | null = null): Promise<Filed> {
  // The same mail delivered twice is one complaint.
  const known = sourceKey ? await findComplaintBySource(env.DB, tenant.id, sourceKey) : null;
  if (known) return { id: known.id, number: known.number, receivedAt: known.receivedAt, dueAt: known.dueAt, team: known.team, seq: 0 };
  const settings = await complaintSettings(env.DB, tenant.id);
  const ref = await findConversation(env.DB, tenant.id, filer.conversationId);
  if (!ref) throw new ApiError('conversation.not_found', 'No such conversation');
  const number = await nextComplaintNumber(env.DB, tenant.id, new Date(now).getUTCFullYear());
  const id = newId(now);
  const dueAt = dueAtOf(now, settings.answerDays);
  // The register row comes first: the object's clock may remind of it at once and reads it from D1.
  await insertComplaint(env.DB, {
    id,
    tenantId: tenant.id,
    number,
    conversationId: ref.id,
    contactId: filer.contactId,
    team: ref.teamId,
    channel: filer.channel,
    ...fields,
    status: 'received',
    assignee: null,
    receivedAt: now,
    dueAt,
    answeredAt: null,
  }, sourceKey);
  const placed = await conversationStub(env, ref.id).complaint(tenant.id, { role: 'customer', id: filer.contactId, name: filer.name }, {
    type: 'file',
    complaint: { id, number, receivedAt: now, dueAt, origin },
    channel: filer.channel,
    text: complaintMessage(number, fields),
  });
  if (!placed.ok) throw new ApiError(placed.code, placed.message);
  // The first message routed the conversation: the complaint belongs to the team it landed in.
  await placeComplaint(env.DB, tenant.id, id, placed.value.team, placed.value.assignee, now);
  const filed: Filed = { id, number, receivedAt: now, dueAt, team: placed.value.team, seq: placed.value.seq };
  await mailFiled(env, tenant, { number, dueAt, conversationId: ref.id }, fields);
  return filed;
}
