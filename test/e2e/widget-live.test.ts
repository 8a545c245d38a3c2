// What the customer sees live: typing both ways, a hold with its note and time, keyboard use.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { Agent, browserWithAgentOnline, CLOCK, baseUrl, clockText, hasChromium, newPage, launcher, composer, trackConversation, conversationIdOf } from './harness';

const fixture = browserWithAgentOnline('boris@northwind.test');
let browser: Browser;
let boris: Agent;
beforeAll(() => {
  browser = fixture.browser();
  boris = fixture.agent();
});

const active = (page: Page) =>
  page.evaluate(() => {
    let el: Element | null = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    return el ? `${el.tagName.toLowerCase()}${el.getAttribute('part') ? `[${el.getAttribute('part')}]` : ''}` : null;
  });

describe.skipIf(!hasChromium)('live conversation state in the widget', () => {
  it('shows typing both ways and a hold with the note and the promised time', async () => {
    const context = await browser.newContext(CLOCK);
    const { page, errors } = await newPage(context);
    await trackConversation(page);
    await page.goto(`${baseUrl()}/demo/operator/`);
    await launcher(page).click();
    await composer(page).fill('Is there an outage?');
    await composer(page).press('Enter');
    const { socket: agent } = await boris.join(await conversationIdOf(page));

    await composer(page).pressSequentially('and also');
    const typing = await agent.next<{ on: boolean; author: { role: string } }>((f) => f.type === 'typing');
    expect(typing).toMatchObject({ on: true, author: { role: 'customer' } });
    agent.send({ type: 'typing.set', on: true });
    await expect.poll(() => page.locator('sb-panel .typing').textContent()).toBe('Boris is typing…');

    const until = Date.now() + 45 * 60_000;
    const expected = clockText(until);
    expect(expected).toMatch(/^\d\d:\d\d$/);
    agent.send({ type: 'conversation.update', hold: { note: 'Checking the outage map for your street', until } });
    const banner = page.locator('sb-panel .banner');
    await expect.poll(() => banner.textContent()).toContain('Checking the outage map for your street');
    expect(await banner.textContent()).toContain(`Back by ${expected}`);
    expect(await page.locator('sb-panel .status').textContent()).toMatch(/put the chat on hold/);

    agent.send({ type: 'message.send', clientId: 'back', text: 'No outage; please restart your router.' });
    await expect.poll(() => banner.count()).toBe(0);
    expect(errors).toEqual([]);
    agent.close();
    await context.close();
  });

  it('is fully keyboard operable: focus moves into the panel, stays there, and returns on close', async () => {
    const context = await browser.newContext();
    const { page } = await newPage(context);
    await page.goto(`${baseUrl()}/demo/operator/`);
    await launcher(page).focus();
    await page.keyboard.press('Enter');
    await composer(page).waitFor();
    await expect.poll(() => active(page)).toBe('textarea');
    // Tab around the whole panel many times: focus never leaves it.
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press('Tab');
      expect(['textarea', 'button', 'div']).toContain((await active(page))?.replace(/\[.*\]/, ''));
      expect(await active(page)).not.toBe('button[launcher]');
    }
    await page.keyboard.press('Shift+Tab');
    expect(await active(page)).not.toBe('button[launcher]');
    await page.keyboard.press('Escape');
    await expect.poll(() => composer(page).count()).toBe(0);
    expect(await active(page)).toBe('button[launcher]');
    expect(await launcher(page).getAttribute('aria-expanded')).toBe('false');
    await context.close();
  });
});
