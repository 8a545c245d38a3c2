import { env } from 'cloudflare:test';
import { vi } from 'vitest';
import type { CaughtMail } from '../../../protocol';
import worker from '../../../worker/index';

/** Everything the workers pool's real SMTP catcher received (shared by all files: filter by your own addresses). */
export async function caughtMail(): Promise<CaughtMail[]> {
  return (await (await fetch(`${env.TEST_MAIL_URL}/mail.json`)).json()) as CaughtMail[];
}

/** Wait (with a deadline) until the catcher has mail matching `pick`; returns those mails. */
export async function waitForMail(pick: (m: CaughtMail) => boolean, count = 1): Promise<CaughtMail[]> {
  return vi.waitFor(
    async () => {
      const got = (await caughtMail()).filter(pick);
      if (got.length < count) throw new Error(`expected ${count} mail(s), caught ${got.length}`);
      return got;
    },
    { timeout: 10_000, interval: 50 },
  );
}

/** A unique customer address for one test. */
export function uniqueAddress(who = 'customer'): string {
  return `${who}.${crypto.randomUUID().slice(0, 8)}@example.test`;
}

/** A raw RFC 5322 message as a customer's mail client would send it. */
export function rawMail(m: { from: string; to: string; subject: string; text: string; messageId?: string; inReplyTo?: string; references?: string; name?: string }): string {
  const lines = [
    `From: ${m.name ? `"${m.name}" ` : ''}<${m.from}>`,
    `To: ${m.to}`,
    `Subject: ${m.subject}`,
    `Message-ID: ${m.messageId ?? `<${crypto.randomUUID()}@example.test>`}`,
    `Date: ${new Date().toUTCString()}`,
    ...(m.inReplyTo ? [`In-Reply-To: ${m.inReplyTo}`] : []),
    ...(m.references ? [`References: ${m.references}`] : []),
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    m.text,
  ];
  return lines.join('\r\n');
}

/** Hand a mail to the Worker's email() handler as Email Routing would; what it rejected, if anything. */
export async function deliverInbound(from: string, to: string, raw: string): Promise<{ rejected: string | null }> {
  let rejected: string | null = null;
  const bytes = new TextEncoder().encode(raw);
  const message = {
    from,
    to,
    raw: new Response(bytes).body!,
    rawSize: bytes.byteLength,
    headers: new Headers(),
    setReject: (reason: string) => void (rejected = reason),
    forward: () => Promise.resolve({ messageId: '' }),
    reply: () => Promise.resolve({ messageId: '' }),
  } as unknown as ForwardableEmailMessage;
  await worker.email(message, env);
  return { rejected };
}
