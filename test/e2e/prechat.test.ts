// The pre-chat topic in a real browser against the real server: Northwind offers Billing, Roaming and
// Modem / Internet before the first message; Volna offers nothing. A pick reaches the conversation
// (also when made offline, ahead of the message typed after it) and the choice is gone once a
// message exists.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Agent, baseUrl, eventually, hasChromium, launch, newPage, launcher, composer, trackConversation, conversationIdOf } from './harness';

let browser: Browser;
let anna: Agent;
let olga: Agent;
/** Admins see every team's conversations, whichever team a topic routes to. */
let nora: Agent;

beforeAll(async () => {
  browser = await launch();
  [anna, olga, nora] = await Promise.all([Agent.login('anna@northwind.test'), Agent.login('olga@volna.test'), Agent.login('admin@northwind.test')]);
  // Someone online for each brand, so the widget offers a live chat rather than the away form.
  await Promise.all([anna.goOnline(), olga.goOnline()]);
});
afterAll(async () => {
  anna?.goOffline();
  olga?.goOffline();
  await browser?.close();
});

const picker = (page: Page) => page.locator('sb-panel .topics');
const chips = (page: Page) => page.locator('sb-panel .topics button.chip');
const chosen = (page: Page) => page.locator('sb-panel .topic-chosen');

/** The focused element inside the shadow roots, as `tag:text`. */
const active = (page: Page) =>
  page.evaluate(() => {
    let el: Element | null = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    return el ? `${el.tagName.toLowerCase()}:${el.tagName === 'TEXTAREA' ? '' : (el.textContent ?? '').trim()}` : null;
  });

/** Open the widget and wait for the conversation's welcome (sb-ready), returning its id. */
async function openWidget(page: Page, path: string): Promise<string> {
  await trackConversation(page);
  await page.goto(`${baseUrl()}${path}`);
  await launcher(page).click();
  await composer(page).waitFor();
  return conversationIdOf(page);
}

async function say(page: Page, text: string): Promise<void> {
  await composer(page).fill(text);
  await composer(page).press('Enter');
}

/** The conversation as agents see it, once its first message has opened it. */
async function stateOf(id: string, messages: number): Promise<{ topic: string | null; messages: string[] }> {
  return eventually(async () => {
    const d = await nora.api<{ state: { topic: string | null }; messages: { text: string }[] }>(`/v1/agent/conversations/${id}`);
    return d.messages.length === messages ? { topic: d.state.topic, messages: d.messages.map((m) => m.text) } : null;
  }, 20_000);
}

describe.skipIf(!hasChromium)('pre-chat topics in the widget', () => {
  it('a brand with topics offers them; a pick, then a message, routes with the topic and the choice is gone', async () => {
    const context = await browser.newContext({ locale: 'en' });
    const { page, errors } = await newPage(context);
    const id = await openWidget(page, '/demo/operator/');
    await expect.poll(() => chips(page).allTextContents()).toEqual(['Billing', 'Roaming', 'Modem / Internet']);
    expect(await picker(page).locator('h3').textContent()).toBe('What can we help with?');
    // The composer tells a screen reader that typing is fine too.
    expect(await composer(page).getAttribute('aria-describedby')).toBe('topics-hint');

    // No axe violations with the choice on screen.
    await page.addScriptTag({ content: readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8') });
    const violations = await page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: { id: string }[] }> } }).axe;
      return (await axe.run({ include: [['sb-chat']] }, { resultTypes: ['violations'] })).violations.map((v) => v.id);
    });
    expect(violations).toEqual([]);

    await chips(page).filter({ hasText: 'Roaming' }).click();
    await expect.poll(() => chosen(page).textContent()).toBe('Topic: Roaming');
    expect(await picker(page).count()).toBe(0);
    await expect.poll(() => active(page)).toBe('textarea:');

    await say(page, 'My roaming does not work in Spain');
    await expect.poll(() => chosen(page).count()).toBe(0);
    expect(await picker(page).count()).toBe(0);
    expect(await stateOf(id, 1)).toEqual({ topic: 'roaming', messages: ['My roaming does not work in Spain'] });
    // Roaming's only agent is offline, so the customer waits in that team's line, and is told so.
    await expect.poll(() => page.locator('sb-panel .status').textContent()).toMatch(/^You are (next|#\d+) in line( · (less than a minute|about \d+ (min|hours?)))?$/);

    // Never offered again once a message exists, also not after a reload.
    await page.reload();
    await launcher(page).click();
    await expect.poll(() => page.locator('sb-panel .log .msg:not(.greeting) .text').allTextContents()).toEqual(['My roaming does not work in Spain']);
    expect(await picker(page).count()).toBe(0);
    expect(await chosen(page).count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('picked by keyboard while offline, the topic reaches the server ahead of the message typed after it', async () => {
    const context = await browser.newContext({ locale: 'en' });
    const { page, errors } = await newPage(context);
    const id = await openWidget(page, '/demo/operator/');
    await chips(page).first().waitFor();
    await context.setOffline(true);
    await expect.poll(() => page.locator('sb-panel .link').textContent()).toContain('Reconnecting');

    // Focus starts in the composer; the topics are just before it in Tab order.
    await expect.poll(() => active(page)).toBe('textarea:');
    for (let i = 0; i < 6 && (await active(page)) !== 'button:Billing'; i++) await page.keyboard.press('Shift+Tab');
    expect(await active(page)).toBe('button:Billing');
    await page.keyboard.press('Enter');
    await expect.poll(() => chosen(page).textContent()).toBe('Topic: Billing');
    await expect.poll(() => active(page)).toBe('textarea:');
    await page.keyboard.type('I was charged twice');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('sb-panel .mine .state').allTextContents()).toEqual(['Sending…']);

    await context.setOffline(false);
    await expect.poll(() => page.locator('sb-panel .mine .state').allTextContents(), { timeout: 30_000 }).toEqual(['Sent']);
    expect(await stateOf(id, 1)).toEqual({ topic: 'billing', messages: ['I was charged twice'] });
    expect(await picker(page).count()).toBe(0);
    expect(errors.filter((e) => !/ERR_INTERNET_DISCONNECTED|WebSocket/.test(e))).toEqual([]);
    await context.close();
  });

  it('a customer who just types picks no topic, and the choice disappears with the message', async () => {
    const context = await browser.newContext({ locale: 'en' });
    const { page } = await newPage(context);
    const id = await openWidget(page, '/demo/operator/');
    await chips(page).first().waitFor();
    await say(page, 'Just a question');
    await expect.poll(() => picker(page).count()).toBe(0);
    expect(await chosen(page).count()).toBe(0);
    expect(await stateOf(id, 1)).toEqual({ topic: null, messages: ['Just a question'] });
    await context.close();
  });

  it('the hosted chat page offers the same choice', async () => {
    const context = await browser.newContext({ locale: 'en', viewport: { width: 390, height: 780 } });
    const { page, errors } = await newPage(context);
    await trackConversation(page);
    await page.goto(`${baseUrl()}/chat?brand=operator&channel=app`);
    await expect.poll(() => chips(page).allTextContents()).toEqual(['Billing', 'Roaming', 'Modem / Internet']);
    const id = await conversationIdOf(page);
    await chips(page).filter({ hasText: 'Modem / Internet' }).click();
    await expect.poll(() => chosen(page).textContent()).toBe('Topic: Modem / Internet');
    await say(page, 'No signal on my USB modem');
    expect(await stateOf(id, 1)).toEqual({ topic: 'modem', messages: ['No signal on my USB modem'] });
    expect(await picker(page).count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a brand without topics shows no choice, only the composer', async () => {
    const context = await browser.newContext({ locale: 'ru' });
    const { page, errors } = await newPage(context);
    await openWidget(page, '/demo/mvno/');
    // Welcomed and online: were there a choice, it would be on screen by now.
    await expect.poll(() => page.locator('sb-panel .status').textContent()).not.toBe('Подключение…');
    expect(await picker(page).count()).toBe(0);
    expect(await chosen(page).count()).toBe(0);
    expect(await composer(page).getAttribute('aria-describedby')).toBeNull();
    expect(errors).toEqual([]);
    await context.close();
  });
});
