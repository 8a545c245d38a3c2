// SLA in Chromium against `wrangler dev`: a first response due in business time only (a Friday
// evening's clock runs out on Monday morning), the agent's countdown in the queue row and the
// conversation header, a warning and then a breach raised by the conversation's own alarm under a
// controlled clock, the breach escalated to the supervisors by itself, and the supervisor's count
// of breaches per team. The customer sees none of it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { SlaConfig } from '../../protocol';
import { Agent, CLOCK, baseUrl, composer, conversationIdOf, eventually, hasChromium, inboxSignedIn, launcher, newPage, queueRow, signIn, trackConversation } from './harness';

// Friday 5 March 2027, 16:50 in Riga (UTC+2): ten business minutes before the weekend.
const FRIDAY_1650 = Date.parse('2027-03-05T14:50:00Z');
const MIN = 60_000;
const CONFIG: SlaConfig = {
  calendar: { timezone: 'Europe/Riga', hours: [1, 2, 3, 4, 5].map((day) => ({ day, from: '09:00', to: '17:00' })), holidays: [] },
  warnAtPercent: 80,
  policies: [{ team: 'general', priority: 'normal', firstResponseS: 30 * 60, nextResponseS: 15 * 60, resolutionS: 4 * 3600 }],
};

let browser: Browser;
let inbox: Page;
let admin: Agent;
let before: SlaConfig;
const fixture = inboxSignedIn('anna@northwind.test');

beforeAll(async () => {
  browser = fixture.browser();
  inbox = fixture.page();
  admin = await Agent.login('admin@northwind.test');
  before = await admin.api<SlaConfig>('/v1/admin/sla');
  await admin.api('/v1/admin/sla', { method: 'PUT', json: CONFIG });
});
afterAll(async () => {
  await admin.api('/v1/admin/sla', { method: 'PUT', json: before });
});

/** Move the conversation's SLA clock on the server (development only: DEV_CLOCK=on). */
const moveClock = (conversationId: string, move: { at: number } | { advanceMs: number }) => admin.api('/v1/admin/dev/sla-clock', { method: 'POST', json: { conversationId, ...move } });

describe.skipIf(!hasChromium)('SLA clocks in the inbox', () => {
  it('a first response due in business hours warns, breaches by alarm and escalates by itself; agents count down, supervisors count breaches', async () => {
    const supContext = await browser.newContext({ ...CLOCK, viewport: { width: 1280, height: 800 } });
    const { page: sup } = await newPage(supContext);
    await signIn(sup, 'supervisor@northwind.test');
    // Away: not offered the customer below, so the queue is Anna's.
    await sup.locator('sb-inbox .presence button', { hasText: 'Away' }).click();
    await expect.poll(() => sup.locator('sb-inbox .presence button[aria-pressed=true]').textContent()).toContain('Away');

    const context = await browser.newContext(CLOCK);
    const { page: customer } = await newPage(context);
    await trackConversation(customer);
    await customer.goto(`${baseUrl()}/demo/operator/`);
    await launcher(customer).click();
    const id = await conversationIdOf(customer);
    // The conversation's SLA clock reads Friday 16:50 in Riga; then the customer writes.
    await moveClock(id, { at: FRIDAY_1650 });
    await composer(customer).fill('My modem shows no signal since this morning');
    await composer(customer).press('Enter');

    // Thirty business minutes: ten today, twenty on Monday from 09:00 — 2 days 16.5 hours of wall clock.
    const row = await queueRow(inbox, id);
    await expect.poll(() => row.locator('[data-sla-due]').textContent()).toMatch(/^first response in 2d 16h$/);
    expect(await row.locator('[data-sla]').getAttribute('data-sla')).toBe('ok');
    await row.click();
    const header = inbox.locator('sb-conversation header [part=sla]');
    await expect.poll(() => header.textContent()).toContain('first response in 2d 16h');

    // The weekend passes, and Monday to 09:16: 26 business minutes, past the 80 % warning.
    await moveClock(id, { advanceMs: (2 * 24 * 60 + 16 * 60 + 26) * MIN });
    await expect.poll(() => row.locator('[data-sla]').getAttribute('data-sla')).toBe('warning');
    // Four business minutes left, counted down on the wall clock.
    await expect.poll(() => row.locator('[data-sla-due]').textContent()).toMatch(/^first response in [34]:\d\d$/);
    await expect.poll(() => header.textContent()).toMatch(/SLA warning.*first response in [34]:\d\d/);
    await expect.poll(() => inbox.locator('sb-thread li.line .text').allTextContents()).toContainEqual(expect.stringMatching(/^SLA warning: first response due/));

    // To 09:21: the target passes; the alarm raises the breach and escalates to the supervisors.
    await moveClock(id, { advanceMs: 5 * MIN });
    await expect.poll(() => sup.locator('sb-toasts li').allTextContents()).toEqual(expect.arrayContaining([expect.stringMatching(/#\d+ escalated by Switchboard: SLA breached: first response/)]));
    await expect.poll(() => row.locator('[data-sla]').getAttribute('data-sla')).toBe('breached');
    expect(await row.locator('[data-sla-due]').textContent()).toMatch(/^first response over by \d:\d\d$/);
    await expect.poll(() => inbox.locator('sb-thread li.line .text').allTextContents()).toEqual(
      expect.arrayContaining(['SLA breached: first response target passed', 'Escalated: “SLA breached: first response”']),
    );
    await expect.poll(() => inbox.locator('sb-conversation .banner.escalation').textContent()).toContain('SLA breached: first response');

    // The supervisor's floor: the breach on the General team's row.
    await sup.locator('sb-inbox .views button', { hasText: 'Supervisor' }).click();
    const general = sup.locator('sb-supervisor tr[data-team=general] [data-stat=breached]');
    await eventually(async () => {
      await sup.locator('sb-supervisor button', { hasText: 'Refresh' }).click();
      return Number(await general.textContent()) >= 1;
    }, 15_000);

    // The customer was told nothing of it: no SLA line, no escalation.
    expect(await customer.locator('sb-panel .log').innerText()).not.toMatch(/\bSLA\b|escalat|Switchboard/i);

    // Answering ends the response clock: the countdown goes, the resolution clock pauses.
    await inbox.locator('sb-composer textarea').fill('Sorry for the wait, checking your line now');
    await inbox.locator('sb-composer textarea').press('Enter');
    await expect.poll(() => row.locator('[data-sla-due]').textContent()).toBe('SLA paused');

    await admin.api(`/v1/agent/conversations/${id}`, { method: 'PATCH', json: { status: 'resolved' } });
    await supContext.close();
    await context.close();
  });
});
