// Ctrl+K search in the inbox (issue 11), in Chromium against the real server: results as the agent
// types, a word highlighted with the phone number beside it masked, a ticket number, a subscriber
// found by the exact phone number their partner signed (shown masked), and Enter opening the hit as
// a tab. The database is shared with other files: this file's own word and number.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { SearchResponse } from '../../protocol';
import { Agent, CLOCK, baseUrl, composer, eventually, hasChromium, identityToken, launch, launcher, newPage, signIn, trackConversation, conversationIdOf } from './harness';

const SUPERVISOR = 'supervisor@northwind.test';
const WORD = `kaliningradz${Math.floor(Math.random() * 1e6)}`;

let browser: Browser;
let context: BrowserContext;
let agent: Page;
let customer: BrowserContext;
let subscriber: BrowserContext;
let conversation: { id: string; number: number };
/** A Latvian mobile number only this run uses, as the agent reads it out: "+371 2xxx xxxx". */
const LOCAL = `2${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
const PHONE = `+371 ${LOCAL.slice(0, 4)} ${LOCAL.slice(4)}`;
let phoned: { id: string; number: number };

const dialog = (page: Page) => page.locator('sb-search-dialog dialog');
const field = (page: Page) => page.locator('sb-search-dialog input[type=search]');
const hits = (page: Page) => page.locator('sb-search-dialog li button');

/** Ctrl+K, then type `q` key by key, as a person does; resolves once a hit of ticket `number` shows. */
async function search(page: Page, q: string, number = conversation.number): Promise<void> {
  if (!(await dialog(page).evaluate((d: HTMLDialogElement) => d.open))) await page.keyboard.press('Control+k');
  await field(page).fill('');
  await field(page).pressSequentially(q);
  await expect.poll(() => hits(page).filter({ hasText: `#${number}` }).count()).toBeGreaterThan(0);
}


beforeAll(async () => {
  if (!hasChromium) return;
  browser = await launch();
  // The supervisor signs in first: with someone online the widget offers a live chat, not the away form.
  context = await browser.newContext({ ...CLOCK, viewport: { width: 1280, height: 800 } });
  ({ page: agent } = await newPage(context));
  await signIn(agent, SUPERVISOR);
  // A customer on the operator's demo site writes a word only this file uses and a phone number.
  customer = await browser.newContext(CLOCK);
  const { page } = await newPage(customer);
  await trackConversation(page);
  await page.goto(`${baseUrl()}/demo/operator/`);
  await launcher(page).click();
  await composer(page).fill(`Roaming in ${WORD} failed, call me at +7 916 123-45-67`);
  await composer(page).press('Enter');
  const id = await conversationIdOf(page);
  const api = await Agent.login(SUPERVISOR);
  const detail = await eventually(async () => (await api.api<{ conversation: { number: number } }>(`/v1/agent/conversations/${id}`).catch(() => null)));
  conversation = { id, number: detail.conversation.number };
  // The index is D1's copy, a couple of seconds behind the chat: the condition is that it has the message.
  await eventually(async () => (await api.api<SearchResponse>(`/v1/agent/search?q=${WORD}`)).hits.some((h) => h.conversationId === id && h.kind === 'message'));
  // A subscriber the partner signed with their number (compact E.164) writes from the hosted chat page in the app.
  const token = await identityToken('demo-operator-identity-secret', `e2e-phone-${LOCAL}`, 'Liga Zvanite', { phone: `+371${LOCAL}` });
  // Its own context: a device that already chatted anonymously would become this subscriber.
  subscriber = await browser.newContext(CLOCK);
  const app = await newPage(subscriber);
  await trackConversation(app.page);
  await app.page.goto(`${baseUrl()}/chat?brand=operator&channel=app#identityToken=${token}`);
  await composer(app.page).fill('Please call me back about my bill');
  await composer(app.page).press('Enter');
  const phonedId = await conversationIdOf(app.page);
  // D1 knows the ticket once the first message is projected: the condition is that the number finds it.
  const found = await eventually(async () => (await api.api<SearchResponse>(`/v1/agent/search?q=${encodeURIComponent(PHONE)}`)).hits.find((h) => h.conversationId === phonedId && h.kind === 'contact'));
  phoned = { id: phonedId, number: found.number };
});

afterAll(async () => {
  await customer?.close();
  await subscriber?.close();
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
    // The word is random and may hold "916" itself: only the rest of the hit must not show the number.
    expect(text.replace(WORD, '')).not.toMatch(/916|123-45/);
    // Arrow keys choose; Enter opens the chosen hit as a tab and closes the search.
    const index = await hits(agent).evaluateAll((els, n) => els.findIndex((e) => e.textContent?.includes(`#${n}`)), conversation.number);
    for (let i = 0; i < index; i++) await field(agent).press('ArrowDown');
    await field(agent).press('Enter');
    await expect.poll(() => dialog(agent).evaluate((d: HTMLDialogElement) => d.open)).toBe(false);
    await expect.poll(() => agent.locator(`sb-tab-strip button.label[data-tab="${conversation.id}"]`).getAttribute('aria-current')).toBe('true');
    await expect.poll(() => agent.locator('sb-thread .msg.customer .text').allTextContents()).toContain(`Roaming in ${WORD} failed, call me at +• ••• •••-••-67`);
  });

  it('finds a subscriber by the exact phone number, shown masked and never in clear', async () => {
    await search(agent, PHONE, phoned.number);
    const hit = hits(agent).filter({ hasText: `#${phoned.number}` }).first();
    await expect.poll(() => hit.locator('mark').textContent()).toBe(`+••• •••• ••${LOCAL.slice(-2)}`);
    expect(await hit.textContent()).toContain('Contact');
    expect(await hit.textContent()).toContain('Liga Zvanite');
    // Nowhere in the dialog's results is the number in clear (the field holds what the agent typed).
    const shown = (await dialog(agent).textContent()) ?? '';
    for (const clear of [LOCAL, `${LOCAL.slice(0, 4)} ${LOCAL.slice(4)}`, `371 ${LOCAL.slice(0, 4)}`, LOCAL.slice(2)]) expect(shown).not.toContain(clear);
    // The same number as a partner writes it, with the international 00, finds the same contact.
    await search(agent, `00371${LOCAL}`, phoned.number);
    await agent.keyboard.press('Escape');
    await expect.poll(() => dialog(agent).evaluate((d: HTMLDialogElement) => d.open)).toBe(false);
  });

  it('finds the ticket by its number', async () => {
    await search(agent, `#${conversation.number}`);
    await expect.poll(() => hits(agent).first().textContent()).toContain('Ticket');
    await agent.keyboard.press('Escape');
    await expect.poll(() => dialog(agent).evaluate((d: HTMLDialogElement) => d.open)).toBe(false);
  });
});
