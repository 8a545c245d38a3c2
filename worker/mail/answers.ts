/**
 * Agents answer e-mail conversations in the same composer: an agent's message on channel `email`
 * (the Conversation object puts an answer there when the customer last wrote by e-mail or through
 * the away form that promised mail: worker/conversation/answer-channel.ts) goes out as a mail
 * threaded to the customer's last mail. A customer who last wrote in the live chat gets the answer
 * there only. Driven by the D1 projection, after the message is in D1: the Message-ID is made of the
 * conversation and the message's seq, so a redelivered slice enqueues the same Message-ID and the
 * mail consumer sends it once.
 */
import type { Message } from '../../protocol';
import type { Env } from '../env';
import type { ProjectionPayload } from '../projection/payload';
import { findMailSettings, findMailThread, noteThreadMail } from '../db/mail';
import { conversationMailToken, conversationMessageId, plusAddress } from './tokens';
import { sendMail } from './outbound';
import { ApiError } from '../errors';

/** The client-id prefix of away-form messages that were promised an answer by mail (worker/routes/widget.ts). */
export const MAIL_PROMISED_CLIENT_PREFIX = 'offline-mail:';

/** Whether an answer after this customer message is owed by mail. */
export function answerByMail(last: { channel: string; clientId: string } | null): boolean {
  return !!last && (last.channel === 'email' || last.clientId.startsWith(MAIL_PROMISED_CLIENT_PREFIX));
}

/** "Re: subject" once, however many times the thread has been answered. */
export function replySubject(subject: string): string {
  return /^(re|aw|ответ)\s*:/i.test(subject) ? subject : `Re: ${subject}`;
}

/** Queue the mail of every answer owed by mail in these projected slices; false (logged) when that failed. Safe to repeat. */
export async function queueMailedAnswers(env: Env, payloads: ProjectionPayload[]): Promise<boolean> {
  try {
    await mailAgentAnswers(env, payloads);
    return true;
  } catch (err) {
    console.warn('mail: queueing answers failed:', (err as Error).message);
    return false;
  }
}

/** Mail every agent answer in these projected slices that is owed by mail; safe to call again for the same slices. */
export async function mailAgentAnswers(env: Env, payloads: ProjectionPayload[]): Promise<void> {
  for (const p of payloads) {
    // Messages copied in by a merge were answered where they were written.
    const answers = p.messages.filter((m) => m.author.role === 'agent' && m.channel === 'email' && !m.clientId.startsWith('merged:'));
    for (const m of answers) {
      try {
        await mailAnswer(env, p.tenantId, p.conversationId, m);
      } catch (err) {
        // A mail that can never be valid (an address that is none) must not hold the projection back;
        // anything else (the queue down) is thrown, and the slices come again.
        if (!(err instanceof ApiError)) throw err;
        console.error(`mail: answer ${p.conversationId}#${m.seq} not mailed: ${err.message}`);
      }
    }
  }
}

async function mailAnswer(env: Env, tenantId: string, conversationId: string, m: Message): Promise<void> {
  const thread = await findMailThread(env.DB, tenantId, conversationId);
  if (!thread) return;
  const settings = await findMailSettings(env.DB, tenantId);
  if (!settings) return;
  const token = await conversationMailToken(env.SOCKET_SECRET, tenantId, conversationId);
  const messageId = conversationMessageId(settings.inboundAddress, token, `m${m.seq}`);
  await sendMail(env, {
    tenantId,
    conversationId,
    to: thread.address,
    subject: replySubject(thread.subject),
    text: `${m.text}\n\n-- \n${m.author.name ?? settings.fromName}, ${settings.fromName}\n`,
    messageId,
    inReplyTo: thread.lastMessageId ?? undefined,
    references: thread.refs.length ? thread.refs : undefined,
    replyTo: plusAddress(settings.inboundAddress, token),
  });
  await noteThreadMail(env.DB, { tenantId, conversationId, address: thread.address, subject: thread.subject, messageId, fromCustomer: false }, Date.now());
}
