// Ctrl+K search in the inbox (issue 11), in Chromium against the real server: results as the agent
// types, a word highlighted with the phone number beside it masked, a ticket number, and Enter
// opening the hit as a tab. The database is shared with other files: this file's own word.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { SearchResponse } from '../../protocol';
import { Agent, CLOCK, baseUrl, composer, eventually, hasChromium, launch, launcher, newPage } from './harness';

const SUPERVISOR = 'supervisor@northwind.test';
const WORD = `kaliningradz${Math.floor(Math.random() * 1e6)}`;

let browser: Browser;
let context: BrowserContext;
let agent: Page;
let customer: BrowserContext;
let conversation: { id: string; number: number };

const dialog = (page: Page) => page.locator('sb-search-dialog dialog');
const field = (page: Page) => page.locator('sb-search-dialog input[type=search]');
const hits = (page: Page) => page.locator('sb-search-dialog li button');

/** Ctrl+K, then type `q` key by key, as a person does; resolves once a hit of this file's conversation shows. */
async function search(page: Page, q: string): Promise<void> {
  if (!(await dialog(page).evaluate((d: HTMLDialogElement) => d.open))) await page.keyboard.press('Control+k');
  await field(page).fill('');
  await field(page).pressSequentially(q);
  await expect.poll(() => hits(page).filter({ hasText: `#${conversation.number}` }).count()).toBeGreaterThan(0);
}

beforeAll(async () => {
  if (!hasChromium) return;
  browser = await launch();
  // The supervisor signs in first: with someone online the widget offers a live chat, not the away form.
  context = await browser.newContext({ ...CLOCK, viewport: { width: 1280, height: 800 } });
  ({ page: agent } = await newPage(context));
  await agent.goto(`${baseUrl()}/inbox`);
  await agent.locator('sb-login input[name=email]').fill(SUPERVISOR);
  await agent.locator('sb-login input[name=password]').fill('switchboard-demo');
  await agent.locator('sb-login button[type=submit]').click();
  await eventually(async () => (await agent.locator('sb-inbox .presence button[aria-pressed=true]').textContent())?.includes('Online'));
  // A customer on the operator's demo site writes a word only this file uses and a phone number.
  customer = await browser.newContext(CLOCK);
  const { page } = await newPage(customer);
  await page.addInitScript(() => addEventListener('sb-ready', (e) => ((window as unknown as { __cid: string }).__cid = (e as CustomEvent).detail.conversationId)));
  await page.goto(`${baseUrl()}/demo/operator/`);
  await launcher(page).click();
  await composer(page).fill(`Roaming in ${WORD} failed, call me at +7 916 123-45-67`);
  await composer(page).press('Enter');
  const id = await eventually(async () => (await page.evaluate(() => (window as unknown as { __cid?: string }).__cid)) ?? '');
  const api = await Agent.login(SUPERVISOR);
  const detail = await eventually(async () => (await api.api<{ conversation: { number: number } }>(`/v1/agent/conversations/${id}`).catch(() => null)));
  conversation = { id, number: detail.conversation.number };
  // The index is D1's copy, a couple of seconds behind the chat: the condition is that it has the message.
  await eventually(async () => (await api.api<SearchResponse>(`/v1/agent/search?q=${WORD}`)).hits.some((h) => h.conversationId === id && h.kind === 'message'));
});

afterAll(async () => {
  await customer?.close();
  await context?.close();
  await browser?.close();
});

describe.skipIf(!hasChromium)('search in the inbox (Ctrl+K)', () => {
  it('finds a message as the agent types, the word marked and the phone number masked; Enter opens it as a tab', async () => {
    await search(agent, WORD.slice(0, 9));
    const hit = hits(agent).filter({ hasText: `#${conversation.number}` }).first();
    await expect.poll(() => hit.locator('mark').textContent()).toBe(WORD);
    const text = (await hit.textContent()) ?? '';
    expect(text).toContain('•••-••-67');
    expect(text).not.toMatch(/916|123-45/);
    // Arrow keys choose; Enter opens the chosen hit as a tab and closes the search.
    const index = await hits(agent).evaluateAll((els, n) => els.findIndex((e) => e.textContent?.includes(`#${n}`)), conversation.number);
    for (let i = 0; i < index; i++) await field(agent).press('ArrowDown');
    await field(agent).press('Enter');
    await expect.poll(() => dialog(agent).evaluate((d: HTMLDialogElement) => d.open)).toBe(false);
    await expect.poll(() => agent.locator(`sb-tab-strip button.label[data-tab="${conversation.id}"]`).getAttribute('aria-current')).toBe('true');
    await expect.poll(() => agent.locator('sb-thread .msg.customer .text').allTextContents()).toContain(`Roaming in ${WORD} failed, call me at +• ••• •••-••-67`);
  });

  it('finds the ticket by its number', async () => {
    await search(agent, `#${conversation.number}`);
    await expect.poll(() => hits(agent).first().textContent()).toContain('Ticket');
    await agent.keyboard.press('Escape');
    await expect.poll(() => dialog(agent).evaluate((d: HTMLDialogElement) => d.open)).toBe(false);
  });
});
