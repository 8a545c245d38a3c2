/**
 * The mail queue's consumer: each queued mail goes through its tenant's SMTP relay over a TCP socket
 * (worker-mailer on `cloudflare:sockets`), once per Message-ID. A relay that is down or refuses is
 * retried with a growing delay; what still fails after the queue's max_retries lands in its dead-letter queue.
 */
import * as v from 'valibot';
import { LogLevel, WorkerMailer } from 'worker-mailer';
import type { WorkerMailerOptions } from 'worker-mailer';
import type { Env } from '../env';
import { findMailSettings, recordSent, wasSent } from '../db/mail';
import type { MailSettings } from '../db/mail';
import { OutboundMailSchema } from './outbound';
import type { QueuedMail } from './outbound';

const MAX_RETRY_DELAY_S = 300;

/** The relay to use: the tenant's own, or in development the local catcher named by MAIL_RELAY_OVERRIDE (host:port). */
export function relayOptions(env: Pick<Env, 'MAIL_RELAY_OVERRIDE'>, s: MailSettings): WorkerMailerOptions {
  const override = env.MAIL_RELAY_OVERRIDE?.trim();
  if (override) {
    const at = override.lastIndexOf(':');
    return { host: override.slice(0, at), port: Number(override.slice(at + 1)), secure: false, startTls: false, socketTimeoutMs: 10_000, responseTimeoutMs: 10_000, logLevel: LogLevel.WARN };
  }
  const r = s.relay;
  return {
    host: r.host,
    port: r.port,
    secure: r.secure,
    startTls: !r.secure,
    credentials: r.user && r.password ? { username: r.user, password: r.password } : undefined,
    authType: ['plain', 'login'],
    socketTimeoutMs: 30_000,
    responseTimeoutMs: 30_000,
    logLevel: LogLevel.WARN,
  };
}

/** Send one mail now (no queue): used by the consumer; returns false when the brand has no e-mail. */
export async function deliverMail(env: Env, mail: QueuedMail): Promise<'sent' | 'duplicate' | 'no_mail'> {
  if (await wasSent(env.DB, mail.tenantId, mail.messageId)) return 'duplicate';
  const settings = await findMailSettings(env.DB, mail.tenantId);
  if (!settings) return 'no_mail';
  const headers: Record<string, string> = { 'Message-ID': mail.messageId };
  if (mail.inReplyTo) headers['In-Reply-To'] = mail.inReplyTo;
  if (mail.references?.length) headers['References'] = mail.references.join(' ');
  await WorkerMailer.send(relayOptions(env, settings), {
    from: { name: settings.fromName, email: settings.fromAddress },
    to: mail.to,
    reply: mail.replyTo,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    headers,
  });
  await recordSent(env.DB, mail.tenantId, mail.messageId, mail.conversationId ?? null, Date.now());
  return 'sent';
}

/** Queue handler for `switchboard-mail`: deliver each mail, retry what the relay did not take. */
export async function consumeMail(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  for (const msg of batch.messages) {
    const parsed = v.safeParse(OutboundMailSchema, msg.body);
    if (!parsed.success) {
      // sendMail validated it; a body nobody can read would only be retried for nothing.
      console.error(`mail: unreadable message ${msg.id} dropped`);
      msg.ack();
      continue;
    }
    try {
      const r = await deliverMail(env, parsed.output);
      if (r === 'no_mail') console.warn(`mail: tenant ${parsed.output.tenantId} has no e-mail settings; ${parsed.output.messageId} dropped`);
      msg.ack();
    } catch (err) {
      console.warn(`mail: ${parsed.output.messageId} not delivered (attempt ${msg.attempts}):`, (err as Error).message);
      msg.retry({ delaySeconds: Math.min(MAX_RETRY_DELAY_S, 2 ** msg.attempts) });
    }
  }
}
