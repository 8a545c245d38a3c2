// The customer's widget, end to end: real Chromium, real server, an agent on real sockets.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Agent, browserWithAgentOnline, baseUrl, eventually, hasChromium, identityToken, newPage, launcher, composer } from './harness';

const OPERATOR_SECRET = 'demo-operator-identity-secret';
const fixture = browserWithAgentOnline('anna@northwind.test');
let browser: Browser;
let anna: Agent;
beforeAll(() => {
  browser = fixture.browser();
  anna = fixture.agent();
});

/** Record sb-ready's conversation id before any page script runs. */
async function trackReady(page: Page): Promise<void> {
  await page.addInitScript(() => {
    (window as unknown as { __ready: string[] }).__ready = [];
    addEventListener('sb-ready', (e) => (window as unknown as { __ready: string[] }).__ready.push((e as CustomEvent).detail.conversationId));
  });
}

async function conversationOf(page: Page): Promise<string> {
  return eventually(async () => (await page.evaluate(() => (window as unknown as { __ready: string[] }).__ready.at(-1))) ?? '');
}

const bubbles = (page: Page) => page.locator('sb-panel .log .msg:not(.greeting) .text');

async function openWidget(page: Page, path = '/demo/operator/'): Promise<void> {
  await page.goto(`${baseUrl()}${path}`);
  await launcher(page).click();
  await composer(page).waitFor();
}

async function say(page: Page, text: string): Promise<void> {
  await composer(page).fill(text);
  await composer(page).press('Enter');
}

describe.skipIf(!hasChromium)('the widget in a browser', () => {
  it('a customer sends, the agent replies, the customer sees it, and a reload keeps the history', async () => {
    const context = await browser.newContext();
    const { page, errors } = await newPage(context);
    await trackReady(page);
    await openWidget(page);
    await say(page, 'My roaming is not working in Spain');
    const id = await conversationOf(page);
    const { socket: agent, history } = await anna.join(id);
    expect(history).toMatchObject([{ text: 'My roaming is not working in Spain', channel: 'web' }]);
    agent.send({ type: 'message.send', clientId: 'reply-1', text: 'Let me switch roaming on for you.' });
    await expect.poll(() => bubbles(page).allTextContents()).toContain('Let me switch roaming on for you.');
    // The agent's name shows, and the customer's own message is marked read once the agent reads it.
    await expect.poll(() => page.locator('sb-panel .theirs .author').allTextContents()).toContain('Anna');
    agent.send({ type: 'read.set', seq: 1 });
    await expect.poll(() => page.locator('sb-panel .mine .state').first().textContent()).toBe('Read');

    await page.reload();
    await launcher(page).click();
    await expect.poll(() => bubbles(page).allTextContents()).toEqual(['My roaming is not working in Spain', 'Let me switch roaming on for you.']);
    expect(errors).toEqual([]);
    agent.close();
    await context.close();
  });

  it('messages typed while offline arrive exactly once, in order, when the link is back', async () => {
    const context = await browser.newContext();
    const { page } = await newPage(context);
    await trackReady(page);
    await openWidget(page);
    await say(page, 'first, online');
    const id = await conversationOf(page);
    const { socket: agent, history } = await anna.join(id);
    expect(history.map((m) => m.text)).toEqual(['first, online']);

    await context.setOffline(true);
    await expect.poll(() => page.locator('sb-panel .link').textContent()).toContain('Reconnecting');
    for (const text of ['offline one', 'offline two', 'offline three']) await say(page, text);
    await expect.poll(() => page.locator('sb-panel .mine .state').allTextContents()).toEqual(['Sent', 'Sending…', 'Sending…', 'Sending…']);
    // Survives a reload while still offline: the outbox is in localStorage.
    const stored = await page.evaluate(() => localStorage.getItem('sb:operator:outbox'));
    expect(JSON.parse(stored!).map((i: { text: string }) => i.text)).toEqual(['offline one', 'offline two', 'offline three']);

    await context.setOffline(false);
    const got: string[] = [];
    for (let i = 0; i < 3; i++) got.push((await agent.next<{ message: { text: string } }>((f) => f.type === 'message.created', 20_000)).message.text);
    expect(got).toEqual(['offline one', 'offline two', 'offline three']);
    await expect.poll(() => page.locator('sb-panel .mine .state').allTextContents()).toEqual(['Sent', 'Sent', 'Sent', 'Sent']);
    // Nothing else arrived: a sentinel written now must be the very next message the agent sees,
    // since a resent duplicate would have come down the same ordered socket before it.
    await say(page, 'sentinel');
    const next = await agent.next<{ message: { text: string } }>((f) => f.type === 'message.created', 20_000);
    expect(next.message.text).toBe('sentinel');
    expect(agent.frames.filter((f) => f.type === 'message.created')).toEqual([]);
    const detail = await anna.api<{ messages: { text: string }[] }>(`/v1/agent/conversations/${id}`);
    expect(detail.messages.map((m) => m.text)).toEqual(['first, online', 'offline one', 'offline two', 'offline three', 'sentinel']);
    agent.close();
    await context.close();
  });

  it('the same identity on the hosted chat page (channel app) sees the web history', async () => {
    const sub = `e2e-${Date.now()}`;
    const token = await identityToken(OPERATOR_SECRET, sub, 'Ivan');
    const web = await browser.newContext();
    const { page: site } = await newPage(web);
    await trackReady(site);
    await site.goto(`${baseUrl()}/demo/operator/`);
    await site.evaluate((t) => (window as unknown as { Switchboard: (...a: unknown[]) => void }).Switchboard('identify', t), token);
    await launcher(site).click();
    await composer(site).waitFor();
    await say(site, 'Started on the website');
    await expect.poll(() => site.locator('sb-panel .mine .state').allTextContents()).toEqual(['Sent']);
    const webId = await conversationOf(site);

    const app = await browser.newContext({ viewport: { width: 390, height: 780 } });
    const { page: chat, errors } = await newPage(app);
    await trackReady(chat);
    await chat.goto(`${baseUrl()}/chat?brand=operator&channel=app#identityToken=${token}`);
    await expect.poll(() => bubbles(chat).allTextContents()).toEqual(['Started on the website']);
    expect(await conversationOf(chat)).toBe(webId);
    // The token does not linger in the address bar.
    expect(chat.url()).not.toContain('identityToken');
    await say(chat, 'Continued in the app');
    const detail = await anna.api<{ messages: { text: string; channel: string }[] }>(`/v1/agent/conversations/${webId}`);
    await eventually(async () => (await anna.api<{ messages: unknown[] }>(`/v1/agent/conversations/${webId}`)).messages.length === 2);
    const after = await anna.api<{ messages: { text: string; channel: string }[] }>(`/v1/agent/conversations/${webId}`);
    expect(after.messages.map((m) => m.channel)).toEqual(['web', 'app']);
    expect(detail.messages[0]!.channel).toBe('web');
    expect(errors).toEqual([]);
    await web.close();
    await app.close();
  });

  it('CSAT pressed 50 times stores one rating', async () => {
    const context = await browser.newContext();
    const { page } = await newPage(context);
    await trackReady(page);
    await openWidget(page);
    await say(page, 'Please close my ticket');
    const id = await conversationOf(page);
    await anna.api(`/v1/agent/conversations/${id}`, { method: 'PATCH', json: { status: 'resolved' } });
    const good = page.locator('sb-panel .csat button', { hasText: 'Good' });
    await good.waitFor();
    for (let i = 0; i < 50; i++) await good.click();
    await expect.poll(() => good.getAttribute('aria-pressed')).toBe('true');
    await eventually(async () => (await anna.api<{ state: { csat: unknown } }>(`/v1/agent/conversations/${id}`)).state.csat);
    const detail = await anna.api<{ state: { csat: { score: string } } }>(`/v1/agent/conversations/${id}`);
    expect(detail.state.csat.score).toBe('good');
    // One rating in the ticket's audit trail, not fifty.
    const rated = async () => (await anna.api<{ events: { kind: string }[] }>(`/v1/agent/conversations/${id}/events`)).events.filter((e) => e.kind === 'csat.rated');
    await eventually(async () => (await rated()).length > 0);
    expect(await rated()).toHaveLength(1);
    await context.close();
  });

  it('an HTML/script payload shows literally and no dialog opens', async () => {
    const context = await browser.newContext();
    const { page, errors } = await newPage(context);
    let dialogs = 0;
    page.on('dialog', async (d) => {
      dialogs++;
      await d.dismiss();
    });
    await trackReady(page);
    await openWidget(page);
    const payload = '<img src=x onerror=alert(1)><script>alert(2)</script><b>bold</b>';
    await say(page, payload);
    const id = await conversationOf(page);
    const { socket: agent } = await anna.join(id);
    agent.send({ type: 'message.send', clientId: 'xss', text: '<svg onload=alert(3)></svg>' });
    await expect.poll(() => bubbles(page).allTextContents()).toEqual([payload, '<svg onload=alert(3)></svg>']);
    expect(await page.locator('sb-panel .log img, sb-panel .log script, sb-panel .log b, sb-panel .log svg').count()).toBe(0);
    // Sentinel, not a sleep: one more message rendered after the payloads means anything they could
    // have run (an onerror, a script) has had its turn in the page already.
    agent.send({ type: 'message.send', clientId: 'xss-sentinel', text: 'sentinel' });
    await expect.poll(() => bubbles(page).allTextContents()).toEqual([payload, '<svg onload=alert(3)></svg>', 'sentinel']);
    expect(dialogs).toBe(0);
    expect(errors).toEqual([]);
    agent.close();
    await context.close();
  });

  it('has no axe-core violations on the open panel, in English and in Russian', async () => {
    const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
    const olga = await Agent.login('olga@volna.test');
    await olga.goOnline();
    for (const [path, lang] of [
      ['/demo/operator/', 'en'],
      ['/demo/mvno/', 'ru'],
    ] as const) {
      const context = await browser.newContext({ locale: lang });
      const { page } = await newPage(context);
      await openWidget(page, path);
      await say(page, lang === 'ru' ? 'Здравствуйте' : 'Hello');
      await expect.poll(() => page.locator('sb-panel .mine .state').allTextContents()).toHaveLength(1);
      expect(await page.locator('sb-panel h2').textContent()).toBe(lang === 'ru' ? 'Чат с Volna Mobile' : 'Chat with Northwind Telecom');
      await page.addScriptTag({ content: axeSource });
      const result = await page.evaluate(async () => {
        const axe = (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: { id: string; nodes: unknown[] }[] }> } }).axe;
        return axe.run({ include: [['sb-chat']] }, { resultTypes: ['violations'] });
      });
      expect(result.violations.map((v) => `${v.id}: ${JSON.stringify(v.nodes.map((n) => (n as { target: unknown; failureSummary: string }).target))}`)).toEqual([]);
      await context.close();
    }
    olga.goOffline();
  });

  it('works on a host page with a strict CSP and aggressive global CSS', async () => {
    const context = await browser.newContext();
    const { page, errors } = await newPage(context);
    await page.addInitScript(() => {
      (window as unknown as { __csp: string[] }).__csp = [];
      document.addEventListener('securitypolicyviolation', (e) => (window as unknown as { __csp: string[] }).__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
    await trackReady(page);
    await openWidget(page, '/demo/strict/');
    await say(page, 'Hello from a strict page');
    const id = await conversationOf(page);
    const { socket: agent, history } = await anna.join(id);
    expect(history.map((m) => m.text)).toEqual(['Hello from a strict page']);
    // The launcher kept its own size and look despite the page's rules.
    expect(await launcher(page).evaluate((b) => [(b as HTMLElement).offsetWidth, (b as HTMLElement).offsetHeight])).toEqual([60, 60]);
    expect(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp)).toEqual([]);
    expect(errors).toEqual([]);
    agent.close();
    await context.close();
  });

  it('with nobody online, a customer leaves a message that becomes a ticket', async () => {
    anna.goOffline();
    try {
      const context = await browser.newContext();
      const { page } = await newPage(context);
      await page.goto(`${baseUrl()}/demo/operator/`);
      await launcher(page).click();
      const form = page.locator('sb-panel form.offline');
      await form.waitFor();
      await form.locator('button[type=submit]').click();
      await expect.poll(() => form.locator('.error').count()).toBe(3);
      await form.locator('input[name=name]').fill('Olga Petrova');
      await form.locator('input[name=email]').fill('olga@example.com');
      await form.locator('textarea[name=text]').fill('My SIM stopped working after the update');
      await form.locator('button[type=submit]').click();
      await expect.poll(() => page.locator('sb-panel .offline[role=status]').textContent()).toContain('olga@example.com');
      // The ticket list is D1's copy, a moment behind the conversation's object: wait for it to list the new ticket.
      type Detail = { conversation: { contact: { name: string; email: string } }; messages: { text: string }[] };
      // Found by who wrote it, never by its place in the list: other files' tickets change too.
      const detail = await eventually(async () => {
        const { conversations } = await anna.api<{ conversations: { id: string; contact: { name: string | null } }[] }>('/v1/agent/conversations?limit=50');
        for (const c of conversations.filter((x) => x.contact.name === 'Olga Petrova')) {
          const d = await anna.api<Detail>(`/v1/agent/conversations/${c.id}`);
          if (d.messages.some((m) => m.text === 'My SIM stopped working after the update')) return d;
        }
        return undefined;
      });
      expect(detail.conversation.contact).toMatchObject({ name: 'Olga Petrova', email: 'olga@example.com' });
      expect(detail.messages.map((m) => m.text)).toEqual(['My SIM stopped working after the update']);
      await context.close();
    } finally {
      await anna.goOnline();
    }
  });
});
