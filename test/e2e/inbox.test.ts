// The agent inbox, end to end: a real agent in /inbox and a real customer in the widget, both in
// Chromium against the real server. The database is shared with other test files, so every test
// makes its own conversation and finds it by id, never by position.
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { SignJWT } from 'jose';
import { Agent, CLOCK, baseUrl, clockText, hasChromium, newPage, openAndTake, queueRow, launcher, signIn, trackConversation, conversationIdOf, focusPath, inboxSignedIn } from './harness';

const AGENT = 'boris@northwind.test';

const fixture = inboxSignedIn(AGENT);
let browser: Browser;
let agent: Page;
let agentErrors: string[];

/** The inbox's boot check answers 401 before sign-in; that one is expected, nothing else is. */
/** expect.poll with room for a page boot and a socket handshake on a busy two-core machine. */
const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 10_000 });

const unexpected = (errors: string[]) => errors.filter((e) => !/status of 401/.test(e));

const customerComposer = (page: Page) => page.locator('sb-panel form.composer textarea');
const customerBubbles = (page: Page) => page.locator('sb-panel .log .msg:not(.greeting) .text');
const composer = (page: Page) => page.locator('sb-composer textarea');
const thread = (page: Page) => page.locator('sb-thread');


/**
 * A customer on the operator's demo site who writes `text`, after picking `topic` (which routes to
 * the team of that name) if given; resolves with the page and the conversation id.
 */
async function customerSays(text: string, topic?: string): Promise<{ page: Page; context: BrowserContext; id: string }> {
  const context = await browser.newContext(CLOCK);
  const { page } = await newPage(context);
  await trackConversation(page);
  await page.goto(`${baseUrl()}/demo/operator/`);
  await launcher(page).click();
  if (topic) await page.locator('sb-panel .topics button.chip', { hasText: topic }).click();
  await customerComposer(page).fill(text);
  await customerComposer(page).press('Enter');
  const id = await conversationIdOf(page);
  return { page, context, id };
}

/** A subscriber the partner signed as a VIP (`segment: vip`), writing from the hosted chat page in the app. */
async function vipSays(text: string): Promise<{ context: BrowserContext; id: string }> {
  const token = await new SignJWT({ name: 'Vera', attributes: { segment: 'vip' } })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(`vip-${crypto.randomUUID()}`)
    .setExpirationTime('10m')
    .sign(new TextEncoder().encode('demo-operator-identity-secret'));
  const context = await browser.newContext(CLOCK);
  const { page } = await newPage(context);
  await trackConversation(page);
  await page.goto(`${baseUrl()}/chat?brand=operator&channel=app#identityToken=${token}`);
  await customerComposer(page).fill(text);
  await customerComposer(page).press('Enter');
  const id = await conversationIdOf(page);
  return { context, id };
}

/** Leave the composer (Escape) so the single-key shortcuts work, then press `key`. */
async function shortcut(page: Page, key: string): Promise<void> {
  if ((await focusPath(page)).endsWith('textarea')) await page.keyboard.press('Escape');
  await page.keyboard.press(key);
}

/** Resolve the open conversation, so the agent's capacity is free for the next test. */
async function resolve(page: Page): Promise<void> {
  await page.locator('sb-conversation .actions button', { hasText: 'Resolve' }).click();
  await poll(() => page.locator('sb-conversation header .facts [data-status]').getAttribute('data-status')).toBe('resolved');
}

beforeAll(() => {
  browser = fixture.browser();
  agent = fixture.page();
  agentErrors = fixture.errors();
});

describe.skipIf(!hasChromium)('the agent inbox in a browser', () => {
  it('signs in through the form (saying why a sign-in failed), shows who and how, and signs out', async () => {
    const context = await browser.newContext(CLOCK);
    const { page, errors } = await newPage(context);
    await page.addInitScript(() => {
      (window as unknown as { __csp: string[] }).__csp = [];
      document.addEventListener('securitypolicyviolation', (e) => (window as unknown as { __csp: string[] }).__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
    await page.goto(`${baseUrl()}/inbox`);
    await page.locator('sb-login input[name=email]').fill('anna@northwind.test');
    await page.locator('sb-login input[name=password]').fill('not the password');
    await page.locator('sb-login button[type=submit]').click();
    await poll(() => page.locator('sb-login .error').textContent()).toContain('Wrong email or password');
    expect(await page.locator('sb-login .error code').textContent()).toBe('auth.invalid_credentials');

    await signIn(page, 'anna@northwind.test');
    expect(await page.locator('sb-inbox .me').textContent()).toMatch(/Anna\s*agent · operator/);
    // Counts are live numbers on every filter tab.
    expect(await page.locator('sb-queue .filters .count').allTextContents()).toEqual(Array(6).fill(expect.stringMatching(/^\d+$/)));
    await page.locator('sb-inbox .presence button', { hasText: 'Away' }).click();
    await poll(() => page.locator('sb-inbox .presence button[aria-pressed=true]').textContent()).toContain('Away');

    await page.locator('sb-inbox .top button', { hasText: 'Sign out' }).click();
    await page.locator('sb-login input[name=email]').waitFor();
    expect(await page.locator('sb-login [role=status]').textContent()).toContain('signed out');
    await page.reload();
    // Signed out for real: the boot check finds no session.
    await page.locator('sb-login input[name=email]').waitFor();
    // The page ran under its strict CSP with nothing refused.
    expect(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp)).toEqual([]);
    expect(unexpected(errors)).toEqual([]);
    await context.close();
  });

  it('a new conversation appears live; the agent replies and the customer sees it; a note never reaches the customer', async () => {
    const customer = await customerSays('My data stopped working this morning');
    const row = await queueRow(agent, customer.id);
    // The row came live (the queue was loaded before the customer wrote), then its last message.
    await poll(() => row.textContent()).toContain('My data stopped working this morning');
    // SLA state is said in words, not colour alone.
    expect(await row.locator('[data-sla]').textContent()).toMatch(/SLA (ok|warning|breached)/);

    await openAndTake(agent, customer.id);
    await poll(() => thread(agent).locator('.msg.customer .text').allTextContents()).toEqual(['My data stopped working this morning']);

    await composer(agent).fill('Sorry about that! Let me check your line.');
    await composer(agent).press('Enter');
    await poll(() => customerBubbles(customer.page).allTextContents()).toContain('Sorry about that! Let me check your line.');
    // Acknowledged by the server: nothing is left "sending".
    await poll(() => thread(agent).locator('.msg.pending').count()).toBe(0);
    expect(await composer(agent).inputValue()).toBe('');

    await agent.locator('sb-composer .mode button', { hasText: 'Note' }).click();
    await composer(agent).fill('Customer on the Unlimited plan; check the APN settings');
    await composer(agent).press('Enter');
    await poll(() => thread(agent).locator('.msg.note .text').allTextContents()).toEqual(['Customer on the Unlimited plan; check the APN settings']);
    expect(await thread(agent).locator('.msg.note .label').textContent()).toBe("Internal note — customer can't see this");

    // A reply after the note: once the customer has it, a leaked note would have arrived before it.
    await agent.locator('sb-composer .mode button', { hasText: 'Reply' }).click();
    await composer(agent).fill('Please restart your phone once.');
    await composer(agent).press('Enter');
    await poll(() => customerBubbles(customer.page).allTextContents()).toEqual([
      'My data stopped working this morning',
      'Sorry about that! Let me check your line.',
      'Please restart your phone once.',
    ]);

    await resolve(agent);
    await customer.context.close();
  });

  it('shows a phone number masked, and in clear after Reveal', async () => {
    const customer = await customerSays('Please call me back on +44 7700 900123');
    await openAndTake(agent, customer.id);
    const message = thread(agent).locator('.msg.customer').first();
    await poll(() => message.locator('.text').textContent()).toContain('Please call me back on');
    expect(await message.locator('.text').textContent()).not.toContain('7700 900123');
    await message.getByRole('button', { name: /Reveal/ }).click();
    await poll(() => message.locator('.text').textContent()).toBe('Please call me back on +44 7700 900123');
    expect(await message.textContent()).toContain('your access was recorded');
    // The customer always saw their own words.
    expect(await customerBubbles(customer.page).allTextContents()).toEqual(['Please call me back on +44 7700 900123']);
    await resolve(agent);
    await customer.context.close();
  });

  it('a hold shows the customer the note and the promised time, and the queue marks it', async () => {
    const customer = await customerSays('Is there an outage in my area?');
    await openAndTake(agent, customer.id);
    await shortcut(agent, 'h');
    const dialog = agent.locator('sb-hold-dialog dialog');
    await poll(() => dialog.getAttribute('open')).toBe('');
    await agent.locator('sb-hold-dialog textarea[name=note]').fill('Checking the outage map for your street');
    await agent.locator('sb-hold-dialog label', { hasText: 'in 30 min' }).click();
    await agent.locator('sb-hold-dialog button[type=submit]').click();
    await poll(() => dialog.getAttribute('open')).toBe(null);

    const agentBanner = agent.locator('sb-conversation .banner.hold');
    await poll(() => agentBanner.textContent()).toContain('Checking the outage map for your street');
    // The promised time as the server stored it, written the way both pages (under CLOCK) write it.
    const until = await agent.evaluate(async (id) => {
      const res = await fetch(`/v1/agent/conversations/${id}`);
      return ((await res.json()) as { state: { hold: { until: number } | null } }).state.hold?.until ?? 0;
    }, customer.id);
    expect(until).toBeGreaterThan(Date.now() + 25 * 60_000);
    const promised = clockText(until);
    expect(promised).toMatch(/^\d\d:\d\d$/);
    expect(await agentBanner.textContent()).toContain(`back by ${promised}`);
    const banner = customer.page.locator('sb-panel .banner');
    await poll(() => banner.textContent()).toContain('Checking the outage map for your street');
    expect(await banner.textContent()).toContain(`Back by ${promised}`);
    await poll(() => agent.locator(`sb-queue .row[data-id="${customer.id}"]`).textContent()).toContain('On hold');

    await agent.locator('sb-conversation .actions button', { hasText: 'End hold' }).click();
    await poll(() => banner.count()).toBe(0);
    await resolve(agent);
    await customer.context.close();
  });

  it('keeps a half-written note, and its mode, through a reload; clears it once sent', async () => {
    const customer = await customerSays('I was double charged');
    await openAndTake(agent, customer.id);
    await agent.locator('sb-composer .mode button', { hasText: 'Note' }).click();
    await composer(agent).pressSequentially('Refund needs a supervisor; ');
    await agent.reload();
    // The tab comes back by itself, with the draft where it was.
    await poll(() => composer(agent).inputValue()).toBe('Refund needs a supervisor; ');
    expect(await agent.locator('sb-composer .mode button[aria-pressed=true]').textContent()).toBe('Note');
    await composer(agent).press('End');
    await composer(agent).pressSequentially('asked Sam');
    await composer(agent).press('Enter');
    await poll(() => thread(agent).locator('.msg.note .text').allTextContents()).toEqual(['Refund needs a supervisor; asked Sam']);
    await agent.reload();
    await composer(agent).waitFor();
    await poll(() => thread(agent).locator('.msg.note .text').allTextContents()).toEqual(['Refund needs a supervisor; asked Sam']);
    expect(await composer(agent).inputValue()).toBe('');
    await poll(() => agent.locator('sb-inbox .presence button[aria-pressed=true]').textContent()).toContain('Online');
    await resolve(agent);
    await customer.context.close();
  });

  it('inserts a canned reply chosen with / and the arrow keys', async () => {
    const customer = await customerSays('My USB modem has no signal');
    await openAndTake(agent, customer.id);
    await shortcut(agent, 'r');
    await poll(() => focusPath(agent)).toMatch(/sb-composer>textarea$/);
    await agent.keyboard.type('/');
    const options = agent.locator('sb-composer [role=listbox] [role=option]');
    await poll(() => options.allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('/restart'), expect.stringContaining('/hello')]));
    // Walk to /restart with the arrows, whatever else matches.
    const texts = await options.allTextContents();
    const at = texts.findIndex((t) => t.includes('/restart'));
    for (let i = 0; i < at; i++) await agent.keyboard.press('ArrowDown');
    await agent.keyboard.press('Enter');
    const restart = 'Please unplug your USB modem, wait ten seconds, plug it back in and open the connection manager again.';
    expect(await composer(agent).inputValue()).toBe(restart);
    await agent.keyboard.press('Enter');
    await poll(() => customerBubbles(customer.page).allTextContents()).toContain(restart);
    await resolve(agent);
    await customer.context.close();
  });

  it('Enter never sends a /word that no canned reply matches; /hello inserts its reply; Esc then Enter sends as typed', async () => {
    const customer = await customerSays('Is my bill ready?');
    await openAndTake(agent, customer.id);
    await shortcut(agent, 'r');
    await poll(() => focusPath(agent)).toMatch(/sb-composer>textarea$/);
    await agent.keyboard.type('/nomatch');
    const status = agent.locator('sb-composer [role=listbox] .status');
    await poll(() => status.textContent()).toContain('No canned reply matches “/nomatch”');
    await agent.keyboard.press('Enter');
    // Nothing happened: the text stays for the agent to fix, the list still says why.
    expect(await composer(agent).inputValue()).toBe('/nomatch');
    expect(await status.textContent()).toContain('sends it as typed');

    // Replace it with a shortcut that matches: Enter inserts the reply, a second Enter sends it.
    await agent.keyboard.press('ControlOrMeta+A');
    await agent.keyboard.type('/hello');
    const greeting = 'Hi, thanks for contacting Northwind! How can I help you today?';
    await poll(() => agent.locator('sb-composer [role=listbox] [role=option]').first().textContent()).toContain('/hello');
    await agent.keyboard.press('Enter');
    expect(await composer(agent).inputValue()).toBe(greeting);
    await agent.keyboard.press('Enter');
    // The sentinel: had "/nomatch" been sent, it would have reached the customer before the greeting.
    await poll(() => customerBubbles(customer.page).allTextContents()).toEqual(['Is my bill ready?', greeting]);

    // An agent who does mean to send "/nomatch" closes the list with Esc first.
    await agent.keyboard.type('/nomatch');
    await poll(() => status.textContent()).toContain('No canned reply matches');
    await agent.keyboard.press('Escape');
    expect(await agent.locator('sb-composer [role=listbox]').count()).toBe(0);
    await agent.keyboard.press('Enter');
    await poll(() => customerBubbles(customer.page).allTextContents()).toEqual(['Is my bill ready?', greeting, '/nomatch']);
    await resolve(agent);
    await customer.context.close();
  });

  it('? opens the shortcut overlay: a modal dialog that keeps focus and closes on Escape', async () => {
    await shortcut(agent, '?');
    const dialog = agent.locator('sb-shortcuts-dialog dialog');
    await poll(() => dialog.getAttribute('open')).toBe('');
    expect(await dialog.locator('h2').textContent()).toBe('Keyboard shortcuts');
    expect(await dialog.getAttribute('aria-labelledby')).toBe('keys-title');
    expect(await dialog.textContent()).toContain('Escalate to a supervisor');
    for (let i = 0; i < 4; i++) {
      await agent.keyboard.press('Tab');
      expect(await focusPath(agent)).toMatch(/^sb-inbox>sb-shortcuts-dialog>/);
    }
    // Single-key shortcuts stay quiet while the dialog is open.
    await agent.keyboard.press('h');
    expect(await agent.locator('sb-hold-dialog dialog[open]').count()).toBe(0);
    await agent.keyboard.press('Escape');
    await poll(() => dialog.getAttribute('open')).toBe(null);
  });

  it('an escalation reaches the supervisor, as a toast and in the supervisor view', async () => {
    const supContext = await browser.newContext({ ...CLOCK, viewport: { width: 1280, height: 800 } });
    const { page: sup } = await newPage(supContext);
    await signIn(sup, 'supervisor@northwind.test');
    // Away: not offered new conversations, so the customer below stays Boris's to take.
    await sup.locator('sb-inbox .presence button', { hasText: 'Away' }).click();
    await poll(() => sup.locator('sb-inbox .presence button[aria-pressed=true]').textContent()).toContain('Away');
    const customer = await customerSays('I want to cancel my contract');
    await openAndTake(agent, customer.id);
    const number = /#(\d+)/.exec((await agent.locator('sb-conversation header h2').textContent()) ?? '')?.[1];
    await shortcut(agent, 'x');
    await agent.locator('sb-escalate-dialog textarea[name=reason]').fill('Retention offer needed');
    await agent.locator('sb-escalate-dialog button[type=submit]').click();
    await poll(() => agent.locator('sb-conversation .banner.escalation').textContent()).toContain('Retention offer needed');

    await poll(() => sup.locator('sb-toasts li').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining(`#${number} escalated by Boris: Retention offer needed`)]));
    await sup.locator('sb-inbox .views button', { hasText: 'Supervisor' }).click();
    await poll(() => sup.locator('sb-supervisor section', { hasText: 'Escalations' }).textContent()).toContain(`#${number}`);
    // The floor team by team: every team the supervisor supervises, each with its numbers.
    const teams = sup.locator('sb-supervisor tr[data-team]');
    expect(await teams.locator('th').allTextContents()).toEqual(['General', 'Billing', 'Roaming', 'Modem / Internet']);
    expect(await teams.first().locator('[data-stat=waiting]').textContent()).toMatch(/^\d+$/);
    expect(await teams.first().locator('[data-stat=eta]').textContent()).toMatch(/^(—|< 1 min|~\d+ min|~\d+h \d\dm)$/);
    await supContext.close();
    await resolve(agent);
    await customer.context.close();
  });

  it('has no axe-core violations with a conversation open', async () => {
    const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
    // The inbox's CSP refuses injected scripts, as it should; this context lets axe in.
    const context = await browser.newContext({ ...CLOCK, bypassCSP: true, viewport: { width: 1280, height: 800 } });
    const { page } = await newPage(context);
    await signIn(page, 'anna@northwind.test');
    const customer = await customerSays('Hello, accessibility check');
    await (await queueRow(page, customer.id)).click();
    await composer(page).waitFor();
    await poll(() => thread(page).locator('.msg.customer').count()).toBe(1);
    await page.addScriptTag({ content: axeSource });
    const result = await page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: { id: string; nodes: unknown[] }[] }> } }).axe;
      return axe.run({ include: [['sb-inbox']] }, { resultTypes: ['violations'] });
    });
    expect(result.violations.map((v) => `${v.id}: ${JSON.stringify(v.nodes.map((n) => (n as { target: unknown }).target))}`)).toEqual([]);
    await context.close();
    await customer.context.close();
  });

  it('walks the queue with j/k, switches tabs with [ and ], and filters with the digits', async () => {
    const a = await customerSays('First in line');
    const b = await customerSays('Second in line');
    await queueRow(agent, b.id);
    // Start from no open tab, so j begins at the top of the queue.
    while (await agent.locator('sb-inbox .tabs .close').count()) await agent.locator('sb-inbox .tabs .close').first().click();
    const ids = await agent.locator('sb-queue .row').evaluateAll((rows) => rows.slice(0, 2).map((r) => r.getAttribute('data-id')));
    const activeTab = () => agent.locator('sb-inbox .tabs button[aria-current=true]').getAttribute('data-tab');
    const activeRow = () => agent.locator('sb-queue .row[aria-current=true]').getAttribute('data-id');

    await shortcut(agent, 'j');
    await poll(activeTab).toBe(ids[0]);
    await shortcut(agent, 'j');
    await poll(activeTab).toBe(ids[1]);
    expect(await activeRow()).toBe(ids[1]);
    await shortcut(agent, 'k');
    await poll(activeTab).toBe(ids[0]);
    await shortcut(agent, ']');
    await poll(activeTab).toBe(ids[1]);
    await shortcut(agent, '[');
    await poll(activeTab).toBe(ids[0]);
    expect(await agent.locator('sb-inbox .tabs li').count()).toBe(2);

    await shortcut(agent, '6');
    await poll(() => agent.locator('sb-queue .filters button[aria-pressed=true]').textContent()).toContain('Resolved');
    await shortcut(agent, '5');
    await poll(() => agent.locator('sb-queue .filters button[aria-pressed=true]').textContent()).toContain('All open');
    await a.context.close();
    await b.context.close();
  });

  it("shows every team on the wall, each row naming its team and VIPs first; the team picker narrows rows and counts, and is kept over a reload", async () => {
    const roaming = await customerSays('No service since I landed in Spain', 'Roaming');
    const general = await customerSays('A question about my contract');
    const vip = await vipSays('My business line is down');
    const row = (id: string) => agent.locator(`sb-queue .row[data-id="${id}"]`);
    for (const c of [roaming, general, vip]) await queueRow(agent, c.id);
    // Boris works in General, Roaming and Modem / Internet: all three show, so each row says whose it is.
    await poll(() => row(roaming.id).locator('.team').textContent()).toBe('Roaming');
    expect(await row(general.id).locator('.team').textContent()).toBe('General');
    expect(await row(vip.id).locator('.badge.vip').textContent()).toBe('VIP');
    expect(await row(general.id).locator('.badge.vip').count()).toBe(0);
    // Served first: the VIP wrote after the general customer, and is listed above them.
    const order = await agent.locator('sb-queue .row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-id')));
    expect(order.indexOf(vip.id)).toBeGreaterThanOrEqual(0);
    expect(order.indexOf(vip.id)).toBeLessThan(order.indexOf(general.id));

    const picker = agent.locator('sb-queue select[name=team]');
    expect(await picker.locator('option').allTextContents()).toEqual(['All my teams', 'General', 'Roaming', 'Modem / Internet']);
    const openCount = () => agent.locator('sb-queue .count[data-filter=open]').textContent();
    const serverCount = (team?: string) =>
      agent.evaluate(async (t) => {
        const res = await fetch(`/v1/agent/queue?filter=open&limit=1${t ? `&team=${t}` : ''}`);
        return String(((await res.json()) as { counts: { open: number } }).counts.open);
      }, team);
    await poll(openCount).toBe(await serverCount());

    await picker.selectOption('roaming');
    await poll(() => row(general.id).count()).toBe(0);
    expect(await row(vip.id).count()).toBe(0);
    expect(await row(roaming.id).count()).toBe(1);
    // One team: rows carry no chip, and the counts are that team's alone.
    expect(await agent.locator('sb-queue .row .team').count()).toBe(0);
    await poll(openCount).toBe(await serverCount('roaming'));
    expect(Number(await openCount())).toBeLessThan(Number(await serverCount()));

    // Kept on this device: after a reload the queue still shows Roaming only.
    await agent.reload();
    await poll(() => picker.inputValue()).toBe('roaming');
    await poll(() => row(roaming.id).count()).toBe(1);
    expect(await row(general.id).count()).toBe(0);
    await poll(openCount).toBe(await serverCount('roaming'));

    await picker.selectOption('');
    await poll(() => row(general.id).count()).toBe(1);
    await poll(openCount).toBe(await serverCount());

    // Leave the floor as it was: nobody's capacity is held by these three.
    const admin = await Agent.login('admin@northwind.test');
    for (const c of [roaming, general, vip]) {
      await admin.api(`/v1/agent/conversations/${c.id}`, { method: 'PATCH', json: { status: 'resolved' } });
      await c.context.close();
    }
  });

  it('logged no errors on the agent page all along', () => {
    expect(unexpected(agentErrors)).toEqual([]);
  });
});
