// Issue 11's timeline, in Chromium: what happens to a ticket shows as lines in the thread. The agent
// in /inbox sees every line (an escalation too) and the customer's rating in the thread, on the
// contact card and in the queue row; the customer in the widget sees only the customer-safe lines.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { Agent, CLOCK, baseUrl, clockText, hasChromium, newPage, openAndTake, queueRow, launcher, composer, trackConversation, conversationIdOf, inboxSignedIn } from './harness';

const BORIS = 'boris@northwind.test';
let browser: Browser;
let inbox: Page;
let boris: Agent;

const agentLines = (page: Page) => page.locator('sb-thread li.line .text');
const customerLines = (page: Page) => page.locator('sb-panel .log li.line');

const fixture = inboxSignedIn(BORIS);
beforeAll(async () => {
  browser = fixture.browser();
  inbox = fixture.page();
  boris = await Agent.login(BORIS);
});

describe.skipIf(!hasChromium)('the timeline in the thread (issue 11)', () => {
  it('agents see every line and the rating everywhere; the customer sees their subset', async () => {
    const context = await browser.newContext(CLOCK);
    const { page: customer, errors } = await newPage(context);
    await trackConversation(customer);
    await customer.goto(`${baseUrl()}/demo/operator/`);
    await launcher(customer).click();
    await composer(customer).fill('My modem shows no signal since this morning');
    await composer(customer).press('Enter');
    const id = await conversationIdOf(customer);

    // Boris takes it in the inbox: a line for him, "joined" for the customer.
    await openAndTake(inbox, id);
    await expect.poll(() => agentLines(inbox).allTextContents()).toContainEqual(expect.stringMatching(/^(Boris took the conversation|Assigned to Boris)/));
    await expect.poll(() => customerLines(customer).allTextContents()).toContainEqual(expect.stringContaining('Boris joined the chat'));

    const until = Date.now() + 30 * 60_000;
    await boris.api(`/v1/agent/conversations/${id}`, { method: 'PATCH', json: { hold: { note: 'Checking the cell tower', until } } });
    await boris.api(`/v1/agent/conversations/${id}/escalate`, { method: 'POST', json: { reason: 'Tower outage, needs network ops' } });
    await expect.poll(() => agentLines(inbox).allTextContents()).toContainEqual(`Escalated by Boris: “Tower outage, needs network ops”`);
    expect(await agentLines(inbox).allTextContents()).toContainEqual(`On hold until ${clockText(until)} by Boris: “Checking the cell tower”`);

    await inbox.locator('sb-conversation .actions button', { hasText: 'Resolve' }).click();
    await expect.poll(() => agentLines(inbox).allTextContents()).toContainEqual('Resolved by Boris');

    // The customer rates it bad, with a comment.
    await customer.locator('sb-panel .csat button', { hasText: 'Bad' }).click();
    await customer.locator('sb-panel .csat textarea').fill('Took too long');
    await customer.locator('sb-panel .csat button[type=submit]').click();
    await expect.poll(() => agentLines(inbox).allTextContents()).toContainEqual('Customer rated 👎 Bad: “Took too long”');
    // On the contact card, and in the queue row under Resolved.
    await expect.poll(() => inbox.locator('sb-contact-card [aria-current=true] [data-csat]').getAttribute('data-csat')).toBe('bad');
    expect(await inbox.locator('sb-contact-card [aria-current=true] [data-csat-comment]').textContent()).toBe('“Took too long”');
    const row = await queueRow(inbox, id, 'Resolved');
    await expect.poll(() => row.locator('[data-csat]').textContent()).toBe('👎 Bad');

    // The agents' lines in order, all of them.
    const kinds = await inbox.locator('sb-thread li.line').evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')));
    expect(kinds).toEqual(['assigned', 'held', 'escalated', 'resolved', 'rated']);
    // The customer's: no escalation, no internal reason; their own rating and the hold they were told of.
    await expect.poll(() => customerLines(customer).count()).toBe(4);
    const mine = await customerLines(customer).allTextContents();
    expect(mine.map((t) => t.replace(/ · \d\d:\d\d$/, ''))).toEqual([
      'Boris joined the chat',
      `Boris put the chat on hold until ${clockText(until)}`,
      'The conversation was resolved',
      'You rated the chat: Bad “Took too long”',
    ]);
    expect((await customer.locator('sb-panel').textContent()) ?? '').not.toMatch(/Escalat|Tower outage|network ops/);
    expect(errors).toEqual([]);
    await context.close();
  });
});
