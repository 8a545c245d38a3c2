// The customer widget's fixes from issue 11, in Chromium against the real server: links in
// messages, the panel full screen on a phone, and the hosted chat page's <html lang>.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { Agent, browserWithAgentOnline, baseUrl, eventually, hasChromium, newPage, launcher, composer } from './harness';

const fixture = browserWithAgentOnline('anna@northwind.test');
let browser: Browser;
let anna: Agent;
beforeAll(() => {
  browser = fixture.browser();
  anna = fixture.agent();
});

const texts = (page: Page) => page.locator('sb-panel .log .msg:not(.greeting) .text');

/** Record sb-ready's conversation id and any CSP refusal before the page's scripts run. */
async function watch(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { __ready: string[]; __csp: string[] };
    w.__ready = [];
    w.__csp = [];
    addEventListener('sb-ready', (e) => w.__ready.push((e as CustomEvent).detail.conversationId));
    document.addEventListener('securitypolicyviolation', (e) => w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
}

describe.skipIf(!hasChromium)('widget fixes (issue 11)', () => {
  it('an agent link is a safe new-tab <a>; a javascript: text stays text; no CSP refusal on the strict page', async () => {
    const context = await browser.newContext();
    const { page, errors } = await newPage(context);
    await watch(page);
    await page.goto(`${baseUrl()}/demo/strict/`);
    await launcher(page).click();
    await composer(page).fill('Where are the roaming prices?');
    await composer(page).press('Enter');
    const id = await eventually(async () => (await page.evaluate(() => (window as unknown as { __ready: string[] }).__ready.at(-1))) ?? '');
    const { socket: agent } = await anna.join(id);
    const link = 'See https://example.com/roaming?zone=eu.';
    const evil = 'Or javascript:alert(document.domain) and data:text/html,<b>x</b>';
    const long = 'x'.repeat(300);
    agent.send({ type: 'message.send', clientId: 'link-1', text: link });
    agent.send({ type: 'message.send', clientId: 'link-2', text: evil });
    agent.send({ type: 'message.send', clientId: 'link-3', text: long });
    await expect.poll(() => texts(page).allTextContents()).toEqual(['Where are the roaming prices?', link, evil, long]);

    const anchors = page.locator('sb-panel .log a');
    expect(await anchors.count()).toBe(1);
    const a = anchors.first();
    expect(await a.getAttribute('href')).toBe('https://example.com/roaming?zone=eu');
    expect(await a.getAttribute('target')).toBe('_blank');
    expect(await a.getAttribute('rel')).toBe('noopener noreferrer');
    // The sentence's full stop is outside the link.
    expect(await a.textContent()).toBe('https://example.com/roaming?zone=eu');
    // The javascript:/data: message is plain text: no element at all inside its paragraph.
    expect(await texts(page).nth(2).evaluate((p) => p.children.length)).toBe(0);
    // A 300-character word wraps inside its bubble instead of widening the panel.
    const [bubble, log] = await Promise.all([texts(page).nth(3).boundingBox(), page.locator('sb-panel .log').boundingBox()]);
    expect(bubble!.x + bubble!.width).toBeLessThanOrEqual(log!.x + log!.width);
    expect(await page.locator('sb-panel .log').evaluate((l) => l.scrollWidth <= l.clientWidth)).toBe(true);

    expect(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp)).toEqual([]);
    expect(errors).toEqual([]);
    agent.close();
    await context.close();
  });

  it('at 390×844 the open panel fills the viewport, the launcher is hidden, and × closes it', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const { page, errors } = await newPage(context);
    await page.goto(`${baseUrl()}/demo/operator/`);
    await launcher(page).click();
    await composer(page).waitFor();
    const panel = page.locator('sb-panel .panel');
    expect(await panel.boundingBox()).toEqual({ x: 0, y: 0, width: 390, height: 844 });
    expect(await launcher(page).isVisible()).toBe(false);
    // Nothing of the launcher is over the panel where the bubble used to be.
    const top = await page.evaluate(() => {
      const host = document.querySelector('sb-chat')!;
      const hit = host.shadowRoot!.elementFromPoint(390 - 50, 844 - 50);
      return hit?.tagName.toLowerCase();
    });
    expect(top).toBe('sb-panel');

    await page.locator('sb-panel .header button').click();
    await expect.poll(() => panel.count()).toBe(0);
    expect(await launcher(page).isVisible()).toBe(true);
    await expect.poll(() => page.evaluate(() => document.querySelector('sb-chat')!.shadowRoot!.activeElement?.getAttribute('part'))).toBe('launcher');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('on a desktop the panel stays a card and the launcher stays visible', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const { page } = await newPage(context);
    await page.goto(`${baseUrl()}/demo/operator/`);
    await launcher(page).click();
    await composer(page).waitFor();
    const box = (await page.locator('sb-panel .panel').boundingBox())!;
    expect(box.width).toBe(380);
    expect(await launcher(page).isVisible()).toBe(true);
    await context.close();
  });

  it("the hosted chat page's <html lang> is the brand's locale, and the widget speaks it", async () => {
    const context = await browser.newContext({ locale: 'en-US' });
    const { page, errors } = await newPage(context);
    for (const [brand, lang, title] of [
      ['mvno', 'ru', 'Чат с Volna Mobile'],
      ['operator', 'en', 'Chat with Northwind Telecom'],
    ] as const) {
      await page.goto(`${baseUrl()}/chat?brand=${brand}`);
      await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe(lang);
      await expect.poll(() => page.locator('sb-panel h2').textContent()).toBe(title);
    }
    // ?locale= wins when the app passes a language the widget speaks.
    await page.goto(`${baseUrl()}/chat?brand=mvno&locale=en`);
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('en');
    expect(errors).toEqual([]);
    await context.close();
  });
});
