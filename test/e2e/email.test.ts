// E-mail as a channel, end to end: real Chromium, a real `wrangler dev`, mail posted to its
// /cdn-cgi/handler/email as Email Routing would, and a real local SMTP server catching what we send.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { CaughtMail } from '../../protocol';
import { CLOCK, baseUrl, eventually, hasChromium, identityToken, launch, launcher, newPage, openAndTake, signIn } from './harness';

const SUPPORT = 'support@northwind.test';
let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

async function caught(pick: (m: CaughtMail) => boolean): Promise<CaughtMail> {
  return eventually(async () => ((await (await fetch(`${inject('mailUrl')}/mail.json`)).json()) as CaughtMail[]).find(pick));
}

/** Post a raw mail to the local Email Workers endpoint, as Cloudflare Email Routing would deliver it. */
async function mailIn(from: string, to: string, headers: Record<string, string>, text: string): Promise<void> {
  const raw = [`From: <${from}>`, `To: ${to}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`), `Date: ${new Date().toUTCString()}`, 'Content-Type: text/plain; charset=utf-8', '', text].join('\r\n');
  const res = await fetch(`${baseUrl()}/cdn-cgi/handler/email?${new URLSearchParams({ from, to })}`, { method: 'POST', body: raw });
  expect(res.status, await res.clone().text()).toBe(200);
}

async function awayForm(path: string): Promise<{ page: Page; close: () => Promise<void> }> {
  const context = await browser.newContext(CLOCK);
  const { page } = await newPage(context);
  await page.goto(`${baseUrl()}${path}`);
  if (!path.startsWith('/chat')) await launcher(page).click();
  await page.locator('sb-panel form.offline').waitFor();
  return { page, close: () => context.close() };
}

describe.skipIf(!hasChromium)('e-mail as a channel', () => {
  it('the away form promises an answer by e-mail only where the brand has e-mail, and asks a signed-in subscriber nothing twice', async () => {
    const operator = await awayForm('/demo/operator/');
    const form = operator.page.locator('sb-panel form.offline');
    expect(await form.locator('.promise').textContent()).toContain('answer by email');
    expect(await form.locator('input[name=email]').count()).toBe(1);
    await operator.close();

    // The MVNO has no e-mail: no address asked, the answer promised here in the chat.
    const mvno = await awayForm('/demo/mvno/');
    const mvnoForm = mvno.page.locator('sb-panel form.offline');
    expect(await mvnoForm.locator('.promise').textContent()).toContain('в чате');
    expect(await mvnoForm.locator('input[name=email]').count()).toBe(0);
    await mvnoForm.locator('input[name=name]').fill('Пётр');
    await mvnoForm.locator('textarea[name=text]').fill('Не работает интернет');
    await mvnoForm.locator('button[type=submit]').click();
    await expect.poll(() => mvno.page.locator('sb-panel .offline[role=status]').textContent()).toContain('здесь, в чате');
    await mvno.close();

    // A subscriber signed in by the partner: only the message is asked; the answer goes to their account's address.
    const email = `signed.${crypto.randomUUID().slice(0, 8)}@example.test`;
    const token = await identityToken('demo-operator-identity-secret', `sub-${crypto.randomUUID()}`, 'Signed Subscriber', { email });
    const signed = await awayForm(`/chat?brand=operator&channel=app#identityToken=${token}`);
    const signedForm = signed.page.locator('sb-panel form.offline');
    expect(await signedForm.locator('input[name=name], input[name=email]').count()).toBe(0);
    await signedForm.locator('textarea[name=text]').fill('Signed in and away');
    await signedForm.locator('button[type=submit]').click();
    await expect.poll(() => signed.page.locator('sb-panel .offline[role=status]').textContent()).toContain('address on your account');
    const ack = await caught((m) => m.envelopeTo.includes(email));
    expect(ack.text).toContain('Signed in and away');
    await signed.close();
  });

  it('a mail continues a web conversation, shown with channel email; the agent’s answer arrives as mail threaded to it', async () => {
    const name = `Mail Customer ${crypto.randomUUID().slice(0, 6)}`;
    const email = `mail.${crypto.randomUUID().slice(0, 8)}@example.test`;
    // 1. On the website, nobody online: the customer leaves a message with their address.
    const customer = await awayForm('/demo/operator/');
    const form = customer.page.locator('sb-panel form.offline');
    await form.locator('input[name=name]').fill(name);
    await form.locator('input[name=email]').fill(email);
    await form.locator('textarea[name=text]').fill('My roaming does not work');
    await form.locator('button[type=submit]').click();
    await expect.poll(() => customer.page.locator('sb-panel .offline[role=status]').textContent()).toContain(email);
    await customer.close();

    // 2. The acknowledgement arrives by mail, with a Reply-To that leads back to the conversation.
    const ack = await caught((m) => m.envelopeTo.includes(email));
    expect(ack.replyTo).toMatch(/^support\+[0-9a-f]{48}@northwind\.test$/);

    // 3. The customer answers it from their mail client.
    const replyId = `<${crypto.randomUUID()}@example.test>`;
    await mailIn(email, SUPPORT, { Subject: `Re: ${ack.subject}`, 'Message-ID': replyId, 'In-Reply-To': ack.messageId!, References: ack.messageId! }, `I am in Spain, number is on my account.\n\nOn ${new Date().toUTCString()}, Northwind Support wrote:\n> thank you for your message`);

    // 4. The agent sees both in one thread, the mail with its channel badge.
    const context = await browser.newContext({ ...CLOCK, viewport: { width: 1280, height: 800 } });
    const { page, errors } = await newPage(context);
    await signIn(page, 'anna@northwind.test');
    const cookie = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    const id = await eventually(async () => {
      const res = await fetch(`${baseUrl()}/v1/agent/conversations?limit=50`, { headers: { cookie } });
      const { conversations } = (await res.json()) as { conversations: { id: string; contact: { name: string | null } }[] };
      return conversations.find((c) => c.contact.name === name)?.id;
    });
    await openAndTake(page, id);
    const mailRow = page.locator('sb-thread li', { hasText: 'I am in Spain' });
    await expect.poll(() => mailRow.locator('.badge.ch-email').textContent()).toBe('email');
    expect(await mailRow.textContent()).not.toContain('thank you for your message');
    expect(await page.locator('sb-thread li', { hasText: 'My roaming does not work' }).locator('.badge.ch-web').count()).toBe(1);

    // 5. The answer typed in the same composer goes out as a mail threaded to the customer's reply.
    await page.locator('sb-composer textarea').fill('Roaming is on for your line now.');
    await page.locator('sb-composer textarea').press('Enter');
    const answer = await caught((m) => m.envelopeTo.includes(email) && m.text.includes('Roaming is on for your line now.'));
    expect(answer.subject).toBe(`Re: ${ack.subject}`);
    expect(answer.inReplyTo).toBe(replyId);
    expect(answer.references?.split(/\s+/)).toEqual([ack.messageId, replyId]);
    expect(answer.replyTo).toBe(ack.replyTo);
    expect(answer.from).toContain(SUPPORT);
    // The agent's thread marks the answer as the mail it went out as.
    await expect.poll(() => page.locator('sb-thread li', { hasText: 'Roaming is on for your line now.' }).locator('.badge.ch-email').count()).toBe(1);
    // The inbox asks who is signed in before the login (401); nothing else may fail.
    expect(errors.filter((e) => !e.includes('401'))).toEqual([]);
    await context.close();
  });
});
