// A written complaint's whole life in Chromium: the customer files it from the widget and is told
// its number and due date in the chat and by mail; the answer period runs on the conversation's
// alarm (moved on by the dev-only complaint clock) with reminders at 50 %, 80 % and overdue; an
// admin drafts the answer, the supervisor approves it in the inbox register; the customer opens
// the letter through its signed link in the chat, and gets it by mail too (the local SMTP catcher).
import { beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { CaughtMail, ComplaintDetail, ComplaintListResponse } from '../../protocol';
import { Agent, CLOCK, baseUrl, eventually, hasChromium, inboxSignedIn, launcher, newPage, trackConversation, conversationIdOf } from './harness';

const DAY = 24 * 3600_000;
const SAM = 'supervisor@northwind.test';
const EMAIL = `complainant-${Date.now()}@example.test`;
let browser: Browser;
let inbox: Page;
let nora: Agent;

const fixture = inboxSignedIn(SAM);
beforeAll(async () => {
  browser = fixture.browser();
  inbox = fixture.page();
  nora = await Agent.login('admin@northwind.test');
});

/** Every mail the local SMTP server caught for `to`. */
async function mailTo(to: string): Promise<CaughtMail[]> {
  const all = (await (await fetch(`${inject('mailUrl')}/mail.json`)).json()) as CaughtMail[];
  return all.filter((m) => m.to.includes(to) || m.envelopeTo.includes(to));
}

describe.skipIf(!hasChromium)('a written complaint (issue 12)', () => {
  it('is filed in the widget, reminded on its clock, approved in the inbox, delivered as a signed letter and by mail', async () => {
    const context = await browser.newContext(CLOCK);
    const { page: customer, errors } = await newPage(context);
    await trackConversation(customer);
    await customer.goto(`${baseUrl()}/demo/operator/`);
    await launcher(customer).click();
    const id = await conversationIdOf(customer);

    // Filing: the form is part of the panel; a bad address is refused before anything is sent.
    await customer.locator('sb-panel button.complaint-open').click();
    const form = customer.locator('sb-complaint-form form');
    await form.locator('input[name=subject]').fill('Charged twice for roaming <b>again</b>');
    await form.locator('textarea[name=happened]').fill('My March bill has the roaming pack twice. Call me on +371 2912 3456.');
    await form.locator('textarea[name=wanted]').fill('Refund the second charge');
    await form.locator('input[name=email]').fill('not-an-address');
    await form.locator('button[type=submit]').click();
    await expect.poll(() => form.locator('#cerr-email').textContent()).toBe('Please enter an email address');
    await form.locator('input[name=email]').fill(EMAIL);
    await form.locator('button[type=submit]').click();
    const done = customer.locator('sb-complaint-form [role=status]');
    await expect.poll(() => done.textContent()).toMatch(/registered as C-\d{4}-\d{6}\. We will answer in writing by/);
    const number = /C-\d{4}-\d{6}/.exec((await done.textContent())!)![0];

    // Told in the chat, as a line of the thread.
    await customer.locator('sb-complaint-form button', { hasText: 'Back to the chat' }).click();
    await expect.poll(() => customer.locator('sb-panel li.line[data-kind=complaint_filed]').textContent()).toContain(`Your complaint ${number} was registered`);
    // And by mail: the number and the due date.
    const filedMail = await eventually(async () => (await mailTo(EMAIL)).find((m) => m.subject.includes(number)), 20_000);
    expect(filedMail.subject).toBe(`Your complaint ${number} is registered`);
    expect(filedMail.text).toContain('We will answer in writing by');

    const { complaints } = await nora.api<ComplaintListResponse>('/v1/agent/complaints?status=received');
    const complaint = complaints.find((c) => c.number === number)!;
    expect(complaint.conversationId).toBe(id);

    // The register in the supervisor's inbox: masked texts, received.
    await inbox.locator('sb-top-bar nav button', { hasText: 'Complaints' }).click();
    const row = inbox.locator(`sb-complaints button.row[data-number="${number}"]`);
    await row.click();
    const detail = inbox.locator('sb-complaint-detail');
    await expect.poll(() => detail.locator('dl').textContent()).toContain('+••• •••• ••56');
    // The customer's words are text, never markup, in the register as everywhere.
    expect(await row.textContent()).toContain('Charged twice for roaming <b>again</b>');
    expect(await inbox.locator('sb-complaints b').count()).toBe(0);
    expect(await detail.locator('dl').textContent()).not.toContain('2912 3456');

    // The clock: 15, then 24, then 30 days pass; each stage reminds once, by the conversation's alarm.
    const advance = (days: number) => nora.api('/v1/admin/dev/complaint-clock', { method: 'POST', json: { complaintId: complaint.id, advanceMs: days * DAY } });
    const stages = async () => (await nora.api<{ complaint: ComplaintDetail }>(`/v1/agent/complaints/${complaint.id}`)).complaint.reminders.map((r) => r.stage);
    await advance(15);
    await expect.poll(stages, { timeout: 20_000 }).toEqual(['half']);
    await advance(9);
    await expect.poll(stages, { timeout: 20_000 }).toEqual(['half', 'late']);
    await advance(6);
    await expect.poll(stages, { timeout: 20_000 }).toEqual(['half', 'late', 'overdue']);
    // The supervisor got each by mail too.
    const reminders = await eventually(async () => {
      const got = (await mailTo(SAM)).filter((m) => m.subject.includes(number));
      return got.length === 3 && got;
    }, 20_000);
    expect(reminders.map((m) => m.subject).sort()).toEqual([`Reminder: complaint ${number} has used 80 % of its answer period`, `Reminder: complaint ${number} is half-way to its due date`, `Reminder: complaint ${number} is overdue`]);
    // The register shows it overdue, and its reminders.
    await inbox.locator('sb-complaints .filters button', { hasText: 'Overdue' }).click();
    await expect.poll(() => row.locator('[data-status]').getAttribute('data-status')).toBe('overdue');
    await detail.locator('button', { hasText: 'Refresh' }).click();
    await expect.poll(() => detail.locator('.reminders li').count()).toBe(3);
    expect(await detail.locator('h2 [data-status]').getAttribute('data-status')).toBe('overdue');

    // Nora drafts the answer; Sam approves it in the register.
    await nora.api(`/v1/agent/complaints/${complaint.id}/draft`, { method: 'PUT', json: { body: 'We have refunded the second roaming pack. <b>Sorry</b> for the trouble.' } });
    await detail.locator('button', { hasText: 'Refresh' }).click();
    await expect.poll(() => detail.locator('textarea').inputValue()).toContain('We have refunded');
    await detail.locator('button', { hasText: 'Approve and send' }).click();
    await expect.poll(() => detail.locator('a', { hasText: 'Open the letter' }).count()).toBe(1);
    expect(await detail.locator('section').textContent()).toContain('approved by Sam Supervisor');

    // The customer sees the line with the letter's link, and opens it.
    const link = customer.locator('sb-panel li.line[data-kind=complaint_answered] a.letter');
    await link.waitFor({ timeout: 15_000 });
    const href = (await link.getAttribute('href'))!;
    const letterPage = await context.newPage();
    const res = (await letterPage.goto(href))!;
    expect(res.status()).toBe(200);
    expect(res.headers()['content-security-policy']).toContain("default-src 'none'");
    await expect.poll(() => letterPage.locator('h1').textContent()).toBe(`Answer to your complaint ${number}`);
    const body = (await letterPage.locator('body').textContent())!;
    expect(body).toContain('We have refunded the second roaming pack. <b>Sorry</b> for the trouble.');
    expect(body).toContain('Approved by Sam Supervisor');
    expect(await letterPage.locator('b').count()).toBe(0);
    // A tampered link shows nothing of it.
    const bad = await letterPage.goto(href.replace(/sig=.{4}/, 'sig=AAAA'));
    expect(bad!.status()).toBe(403);

    // And the letter by mail, with its link.
    const answerMail = await eventually(async () => (await mailTo(EMAIL)).find((m) => m.subject === `Our answer to your complaint ${number}`), 20_000);
    expect(answerMail.html).toContain(`Answer to your complaint ${number}`);
    expect(answerMail.text).toContain(href);
    expect(errors).toEqual([]);
    await context.close();
  });
});
