/**
 * Outbound mail, the one way the product sends e-mail: `sendMail` validates and enqueues; the mail
 * queue's consumer (worker/mail/deliver.ts) sends it through the tenant's own SMTP relay, retries on
 * failure and sends each Message-ID once.
 */
import * as v from 'valibot';
import type { OutboundMail } from '../../protocol';
import type { Env } from '../env';
import { parseOrThrow } from '../middleware/validate';

// A header value with a line break would let text write headers of its own (header injection).
const headerText = (max: number) => v.pipe(v.string(), v.minLength(1), v.maxLength(max), v.regex(/^[^\r\n]*$/, 'no line breaks in a header'));
const address = v.pipe(v.string(), v.trim(), v.toLowerCase(), v.email('not an e-mail address'), v.maxLength(254));
const messageId = v.pipe(headerText(250), v.regex(/^<[^<>\s@]+@[^<>\s@]+>$/, 'a Message-ID is <left@right>'));

/** Whether `value` is an address sendMail takes. */
export function isAddress(value: string): boolean {
  return v.is(address, value);
}

/** What `sendMail` accepts: one recipient, text always (html optional), a Message-ID in brackets. */
export const OutboundMailSchema = v.strictObject({
  tenantId: headerText(100),
  to: address,
  subject: headerText(300),
  text: v.pipe(v.string(), v.maxLength(200_000)),
  html: v.optional(v.pipe(v.string(), v.maxLength(500_000))),
  messageId,
  inReplyTo: v.optional(messageId),
  references: v.optional(v.pipe(v.array(messageId), v.maxLength(30))),
  replyTo: v.optional(address),
  /** Set by conversation mails so sent mail can be counted per conversation; optional for others. */
  conversationId: v.optional(headerText(100)),
});

/** A mail on the queue: the public shape plus the conversation it belongs to, if any. */
export type QueuedMail = OutboundMail & { conversationId?: string };

/**
 * Queue one mail for delivery through the tenant's relay. Throws request.invalid (the one error
 * shape) for a malformed mail, before anything is queued. Enqueueing the same `messageId` again,
 * or a retry of the queue, never sends it twice.
 */
export async function sendMail(env: Pick<Env, 'MAIL'>, mail: QueuedMail): Promise<void> {
  const valid = parseOrThrow(OutboundMailSchema, mail);
  await env.MAIL.send(valid, { contentType: 'json' });
}
