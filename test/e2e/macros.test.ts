// Macros and topics end to end: an agent in /inbox types `/`, picks a macro with variables and
// actions and sends it; a signed-in customer on the hosted chat page reads the text the server
// rendered (their name, the agent's, the ticket number, the hold's time) under the hold banner, and
// the inbox shows the topic and the hold set. A resolve macro resolves. A tenant that requires a
// topic at resolve refuses a resolve without one, and the inbox says so and focuses the picker.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { TopicsConfig } from '../../protocol';
import { Agent, CLOCK, baseUrl, hasChromium, identityToken, newPage, trackConversation, conversationIdOf, focusPath, openAndTake, inboxSignedIn } from './harness';

const AGENT = 'anna@northwind.test';

const fixture = inboxSignedIn(AGENT);
let browser: Browser;
let inbox: Page;
let inboxErrors: string[];

const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 10_000 });
const composer = (page: Page) => page.locator('sb-composer textarea');
const options = (page: Page) => page.locator('sb-composer [role=listbox] [role=option]');
const armedLine = (page: Page) => page.locator('sb-composer .macro');
const sendButton = (page: Page) => page.locator('sb-composer button[part=send]');
const topicPicker = (page: Page) => page.locator('sb-conversation select[name=topic]');
const status = (page: Page) => page.locator('sb-conversation header .facts [data-status]').getAttribute('data-status');
const customerBubbles = (page: Page) => page.locator('sb-panel .log .msg:not(.greeting) .text');
const customerComposer = (page: Page) => page.locator('sb-panel form.composer textarea');


/** A subscriber the operator signed (with a name) writes `text` from the hosted chat page in the app. */
async function subscriberSays(name: string, text: string): Promise<{ page: Page; context: BrowserContext; id: string }> {
  const token = await identityToken('demo-operator-identity-secret', `macro-${crypto.randomUUID()}`, name);
  const context = await browser.newContext(CLOCK);
  const { page } = await newPage(context);
  await trackConversation(page);
  await page.goto(`${baseUrl()}/chat?brand=operator&channel=app#identityToken=${token}`);
  await customerComposer(page).fill(text);
  await customerComposer(page).press('Enter');
  const id = await conversationIdOf(page);
  return { page, context, id };
}

/** Type `/query` in the composer and pick the option for `shortcut` with the arrows and Enter. */
async function pick(page: Page, query: string, shortcut: string): Promise<string> {
  await composer(page).click();
  await page.keyboard.type(`/${query}`);
  await poll(() => options(page).allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining(`/${shortcut}`)]));
  const texts = await options(page).allTextContents();
  const at = texts.findIndex((t) => t.includes(`/${shortcut}`));
  for (let i = 0; i < at; i++) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  return texts[at]!;
}

beforeAll(() => {
  browser = fixture.browser();
  inbox = fixture.page();
  inboxErrors = fixture.errors();
});

describe.skipIf(!hasChromium)('macros and topics in a browser', () => {
  it('a macro with variables and actions: the customer reads the rendered text under the hold, the inbox shows topic and hold; a resolve macro resolves', async () => {
    const customer = await subscriberSays('Ivan', 'Roaming does not work in Spain');
    await openAndTake(inbox, customer.id);

    // The picker shows what the macro does; picking it inserts the preview and arms it.
    const option = await pick(inbox, 'roaming-r', 'roaming-reset');
    expect(option).toContain('Topic: Roaming');
    expect(option).toContain('Hold 15 min');
    const preview = /^Hi Ivan, this is Anna\. I am resetting roaming on your line now \(ticket #(\d+)\); I will be back by (\d\d:\d\d) UTC\.$/;
    await poll(() => composer(inbox).inputValue()).toMatch(preview);
    expect(await armedLine(inbox).textContent()).toContain('/roaming-reset');
    expect((await sendButton(inbox).textContent())?.trim()).toBe('Send & apply');
    await inbox.keyboard.press('Enter');

    // The customer gets the server's rendering: their name, the agent's, the number, the hold's time.
    const bubble = customerBubbles(customer.page).filter({ hasText: 'resetting roaming' });
    await poll(() => bubble.count()).toBe(1);
    const [, number, time] = preview.exec((await bubble.textContent())!.trim())!;
    const header = await inbox.locator('sb-conversation header h2 .num').textContent();
    expect(header).toBe(`#${number}`);
    const banner = customer.page.locator('sb-panel .banner[role=status]');
    await poll(() => banner.textContent()).toBe(`Resetting roaming on your lineBack by ${time}`);

    // The inbox: the topic picked, on hold until the same time, the composer empty and disarmed.
    await poll(() => topicPicker(inbox).inputValue()).toBe('roaming');
    expect(await topicPicker(inbox).locator('option:checked').textContent()).toBe('Roaming');
    await poll(() => status(inbox)).toBe('on_hold');
    expect(await inbox.locator('sb-conversation .banner.hold').textContent()).toContain(`back by ${time}`);
    expect(await composer(inbox).inputValue()).toBe('');
    expect(await armedLine(inbox).count()).toBe(0);
    // The thread tells it too, the topic by its label.
    const lines = await inbox.locator('sb-thread li.line .text').allTextContents();
    expect(lines).toContainEqual(expect.stringMatching(/^Topic set to Roaming by /));
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^On hold until ${time}`)));

    // Escape disarms: the text stays, as a plain reply.
    await pick(inbox, 'solv', 'solved');
    await poll(() => armedLine(inbox).count()).toBe(1);
    await inbox.keyboard.press('Escape');
    await poll(() => armedLine(inbox).count()).toBe(0);
    expect((await sendButton(inbox).textContent())?.trim()).toBe('Send');
    await composer(inbox).fill('');

    // The resolve macro: thanks by name, signed by the agent, and resolved after the reply.
    await pick(inbox, 'solv', 'solved');
    await poll(() => composer(inbox).inputValue()).toBe('Thanks, Ivan! Glad we could sort it out. Best regards, Anna');
    await inbox.keyboard.press('Enter');
    await poll(() => customerBubbles(customer.page).allTextContents()).toContain('Thanks, Ivan! Glad we could sort it out. Best regards, Anna');
    await poll(() => status(inbox)).toBe('resolved');
    // The widget knows it is resolved: it asks for a rating.
    await poll(() => customer.page.locator('sb-panel .csat').count()).toBe(1);
    expect(inboxErrors.filter((e) => !/status of 401/.test(e))).toEqual([]);
    await customer.context.close();
  });

  it('resolving without a topic where one is required is refused, the picker gets the focus, and with a topic it resolves', async () => {
    const admin = await Agent.login('admin@northwind.test');
    const before = await admin.api<TopicsConfig>('/v1/admin/topics');
    await admin.api('/v1/admin/topics', { method: 'PUT', json: { ...before, requireAtResolve: true } });
    try {
      const customer = await subscriberSays('Olga', 'I want to complain about my bill');
      // The inbox reads the tenant's topics once per page load: load it again to see the setting.
      await inbox.reload();
      await inbox.locator('sb-queue').waitFor();
      await openAndTake(inbox, customer.id);
      await poll(() => inbox.locator('sb-conversation #topic-required').textContent()).toBe('needed to resolve');

      await inbox.locator('sb-conversation .actions button', { hasText: 'Resolve' }).click();
      const error = inbox.locator('sb-conversation p.error[role=alert]');
      await poll(() => error.textContent()).toContain('Set a topic before resolving');
      expect(await error.locator('code').textContent()).toBe('conversation.topic_required');
      await poll(() => focusPath(inbox)).toMatch(/sb-conversation>select$/);
      expect(await status(inbox)).toBe('open');

      // The resolve macro is refused the same way, and nothing reaches the customer.
      await pick(inbox, 'solv', 'solved');
      await inbox.keyboard.press('Enter');
      await poll(() => focusPath(inbox)).toMatch(/sb-conversation>select$/);
      await poll(() => error.textContent()).toContain('Set a topic before resolving');
      expect(await customerBubbles(customer.page).allTextContents()).toEqual(['I want to complain about my bill']);
      expect(await composer(inbox).inputValue()).toBe('Thanks, Olga! Glad we could sort it out. Best regards, Anna');

      // With the focus on the picker, the keyboard picks a topic (type-ahead on the native select).
      await topicPicker(inbox).focus();
      await inbox.keyboard.type('Complaint');
      await poll(() => inbox.locator('sb-conversation #topic-required').count()).toBe(0);
      await composer(inbox).click();
      await inbox.keyboard.press('Enter');
      await poll(() => status(inbox)).toBe('resolved');
      await poll(() => customerBubbles(customer.page).allTextContents()).toContain('Thanks, Olga! Glad we could sort it out. Best regards, Anna');
      expect(await topicPicker(inbox).inputValue()).toBe('complaint');
      await customer.context.close();
    } finally {
      await admin.api('/v1/admin/topics', { method: 'PUT', json: before });
    }
  });
});
