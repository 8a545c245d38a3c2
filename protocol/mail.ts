/**
 * E-mail as a channel: what the Worker hands its mail queue, and what the widget learns of a brand's
 * mail. Plain types only; the relay settings (host, user, password) never leave the Worker.
 */

/**
 * One e-mail to send through the tenant's SMTP relay (worker/mail/outbound.ts sendMail).
 * `messageId` is the idempotency key: the same Message-ID is delivered at most once per tenant,
 * however often it is enqueued or retried.
 */
export interface OutboundMail {
  tenantId: string;
  /** One recipient address (the customer). */
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** With angle brackets, e.g. `<abc@mail.example>`; make one with mailMessageId(). */
  messageId: string;
  /** The Message-ID (with brackets) this mail answers. */
  inReplyTo?: string;
  /** The thread's Message-IDs, oldest first, with brackets. */
  references?: string[];
  /** Where replies go; conversation mails use the conversation's plus-address. */
  replyTo?: string;
}

/** A mail the local catcher (scripts/mail-catcher.mjs) received, as its JSON endpoint lists it. */
export interface CaughtMail {
  id: number;
  receivedAt: number;
  envelopeFrom: string;
  envelopeTo: string[];
  from: string;
  to: string;
  subject: string;
  messageId: string | null;
  inReplyTo: string | null;
  references: string | null;
  replyTo: string | null;
  text: string;
  html: string | null;
}
