import type { ComplaintFields, ReminderStage } from '../../protocol';
import type { Env } from '../env';
import type { Tenant } from '../db/tenants';
import { findMailSettings } from '../db/mail';
import { sendMail } from '../mail/outbound';
import { conversationMailToken, conversationMessageId, plusAddress } from '../mail/tokens';

/**
 * A complaint's mails, sent through the mail channel's one sender (worker/mail/outbound.ts): the
 * customer gets the register number and due date, then the letter; the agents reminded get each
 * reminder. Message-IDs are derived from what the mail is about, so a repeat never sends twice,
 * and the customer's carry the conversation's mail token, so a reply lands in that conversation.
 * A brand without mail sends none; a failure is logged and never undoes what was stored.
 */

const STAGE_TEXT: Record<ReminderStage, string> = { half: 'is half-way to its due date', late: 'has used 80 % of its answer period', overdue: 'is overdue' };

const day = (ms: number) => new Date(ms).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

async function guarded(what: string, send: () => Promise<void>): Promise<void> {
  try {
    await send();
  } catch (err) {
    console.warn(`complaint mail (${what}) failed:`, (err as Error).message);
  }
}

/** The customer's mail threaded into their conversation: its Message-ID and Reply-To carry the conversation's token. */
async function customerMail(env: Env, tenantId: string, conversationId: string, to: string, part: string, subject: string, text: string, html?: string): Promise<void> {
  const settings = await findMailSettings(env.DB, tenantId);
  if (!settings) return;
  const token = await conversationMailToken(env.SOCKET_SECRET, tenantId, conversationId);
  await sendMail(env, {
    tenantId,
    conversationId,
    to,
    subject,
    text,
    ...(html ? { html } : {}),
    messageId: conversationMessageId(settings.inboundAddress, token, part),
    replyTo: plusAddress(settings.inboundAddress, token),
  });
}

/** Filed: tell the customer the register number and the date the answer is due. */
export async function mailFiled(env: Env, tenant: Tenant, c: { number: string; dueAt: number; conversationId: string }, fields: ComplaintFields): Promise<void> {
  await guarded('filed', () =>
    customerMail(
      env,
      tenant.id,
      c.conversationId,
      fields.email,
      `${c.number}-filed`,
      `Your complaint ${c.number} is registered`,
      `We have registered your complaint "${fields.subject}" as ${c.number}.\n\nWe will answer in writing by ${day(c.dueAt)}.\n\n-- \n${tenant.name}\n`,
    ),
  );
}

/** Answered: the customer gets the letter itself, and its signed link. */
export async function mailAnswered(env: Env, tenant: Tenant, a: { number: string; email: string; conversationId: string; html: string; url: string }): Promise<void> {
  await guarded('answered', () =>
    customerMail(env, tenant.id, a.conversationId, a.email, `${a.number}-answer`, `Our answer to your complaint ${a.number}`, `Our answer to your complaint ${a.number} is attached below and kept for you at:\n${a.url}\n\n-- \n${tenant.name}\n`, a.html),
  );
}

/** A reminder: each agent reminded gets a mail of their own (one Message-ID per complaint, stage and agent). */
export async function mailReminded(env: Env, tenantId: string, r: { complaintId: string; number: string; stage: ReminderStage; dueAt: number; registerUrl: string; recipients: { id: string; email: string }[] }): Promise<void> {
  const settings = await findMailSettings(env.DB, tenantId);
  if (!settings) return;
  const domain = settings.inboundAddress.slice(settings.inboundAddress.lastIndexOf('@') + 1);
  for (const to of r.recipients) {
    await guarded('reminder', () =>
      sendMail(env, {
        tenantId,
        to: to.email,
        subject: `Reminder: complaint ${r.number} ${STAGE_TEXT[r.stage]}`,
        text: `Complaint ${r.number} ${STAGE_TEXT[r.stage]}; its answer is due by ${day(r.dueAt)}.\n\nOpen the register: ${r.registerUrl}\n`,
        messageId: `<complaint.${r.complaintId}.${r.stage}.${to.id}@${domain}>`,
      }),
    );
  }
}
