// Issue 11, tried as a new customer would: the CSAT comment has its own submit, the thanks wait for
// the server to have saved what was sent, a reopened conversation forgets the old rating, the agent
// reads the comment in the inbox, and an overdue hold no longer promises a time that has passed.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page, WebSocketRoute } from 'playwright-core';
import { Agent, browserWithAgentOnline, CLOCK, baseUrl, eventually, hasChromium, newPage, queueRow, launcher, composer, trackConversation, conversationIdOf } from './harness';

const fixture = browserWithAgentOnline('anna@northwind.test');
let browser: Browser;
let anna: Agent;
beforeAll(() => {
  browser = fixture.browser();
  anna = fixture.agent();
});

const csat = (page: Page) => page.locator('sb-panel .csat');
const thanks = (page: Page) => page.locator('sb-panel .csat .note[role=status]');

type Csat = { score: string; comment: string | null } | null;
const savedCsat = async (id: string) => (await anna.api<{ state: { csat: Csat } }>(`/v1/agent/conversations/${id}`)).state.csat;

/**
 * The customer's socket, passed through frame by frame; while `hold` is on, the server's
 * conversation.updated frames are kept back, so the test decides when the widget learns the save.
 */
function relay(page: Page) {
  const sent: Record<string, unknown>[] = [];
  const held: string[] = [];
  let hold = false;
  let toPage: WebSocketRoute | null = null;
  const ready = page.routeWebSocket(/\/socket$/, (ws) => {
    toPage = ws;
    const server = ws.connectToServer();
    ws.onMessage((m) => {
      sent.push(JSON.parse(String(m)) as Record<string, unknown>);
      server.send(m);
    });
    server.onMessage((m) => {
      if (hold && (JSON.parse(String(m)) as { type: string }).type === 'conversation.updated') held.push(String(m));
      else ws.send(m);
    });
  });
  return {
    ready,
    sent,
    held,
    holdUpdates: () => void (hold = true),
    release: () => {
      hold = false;
      for (const m of held.splice(0)) toPage?.send(m);
    },
  };
}

async function startChat(page: Page, text: string): Promise<string> {
  await trackConversation(page);
  await page.goto(`${baseUrl()}/demo/operator/`);
  await launcher(page).click();
  await composer(page).fill(text);
  await composer(page).press('Enter');
  const id = await conversationIdOf(page);
  // Stored before the test goes on: a message still in the outbox when the agent resolves would
  // arrive after the resolve and reopen the conversation (a customer writing again).
  await eventually(async () => (await anna.api<{ messages: { text: string }[] }>(`/v1/agent/conversations/${id}`)).messages.some((m) => m.text === text));
  return id;
}

describe.skipIf(!hasChromium)('CSAT feedback and the overdue hold (issue 11)', () => {
  it('a score rates at once; the comment goes with its own button; thanks only once the server shows it saved', async () => {
    const context = await browser.newContext(CLOCK);
    const { page, errors } = await newPage(context);
    const socket = relay(page);
    await socket.ready;
    const id = await startChat(page, 'My SIM is blocked');
    await anna.api(`/v1/agent/conversations/${id}`, { method: 'PATCH', json: { status: 'resolved' } });
    await csat(page).waitFor();
    expect(await thanks(page).textContent()).toBe('');
    const submit = csat(page).locator('button[type=submit]', { hasText: 'Send feedback' });
    // Nothing to send yet: no score chosen.
    await csat(page).locator('textarea').fill('Fast, thank you');
    expect(await submit.isDisabled()).toBe(true);

    // A score alone rates at once, without the comment only typed so far; that typed comment
    // still waits to be sent, so there are no thanks for it.
    await csat(page).locator('button', { hasText: 'Good' }).click();
    await eventually(async () => (await savedCsat(id))?.score === 'good');
    expect(socket.sent.filter((f) => f.type === 'csat.rate')).toEqual([{ type: 'csat.rate', score: 'good' }]);
    expect(await savedCsat(id)).toEqual({ score: 'good', comment: null });
    await expect.poll(() => csat(page).locator('button', { hasText: 'Good' }).getAttribute('aria-pressed')).toBe('true');
    expect(await thanks(page).textContent()).toBe('');

    // Submitted, but the save has not reached the widget yet (the relay keeps it back): no thanks.
    socket.holdUpdates();
    await submit.click();
    await eventually(() => socket.sent.some((f) => f.type === 'csat.rate' && f.comment === 'Fast, thank you'));
    expect(socket.sent.filter((f) => f.type === 'csat.rate').at(-1)).toEqual({ type: 'csat.rate', score: 'good', comment: 'Fast, thank you' });
    await eventually(async () => (await savedCsat(id))?.comment === 'Fast, thank you');
    await eventually(() => socket.held.length > 0);
    expect(await thanks(page).textContent()).toBe('');
    socket.release();
    await expect.poll(() => thanks(page).textContent()).toBe('Thank you for your feedback! You can change your rating any time.');

    // Typing again (not submitted) takes the thanks back until that is sent and saved too.
    await csat(page).locator('textarea').fill('Fast, thank you. The app was confusing');
    await expect.poll(() => thanks(page).textContent()).toBe('');
    await csat(page).locator('textarea').press('Tab');
    await page.keyboard.press('Enter'); // the submit button, reached by keyboard
    await expect.poll(() => thanks(page).textContent()).toContain('Thank you for your feedback!');
    expect(await savedCsat(id)).toEqual({ score: 'good', comment: 'Fast, thank you. The app was confusing' });

    // Changing the score keeps the comment that was sent.
    await csat(page).locator('button', { hasText: 'Bad' }).click();
    await eventually(async () => (await savedCsat(id))?.score === 'bad');
    expect(await savedCsat(id)).toEqual({ score: 'bad', comment: 'Fast, thank you. The app was confusing' });

    // Reopened: the server clears the rating, and the widget keeps nothing of it for the next time.
    await anna.api(`/v1/agent/conversations/${id}`, { method: 'PATCH', json: { status: 'open' } });
    await expect.poll(() => csat(page).count()).toBe(0);
    await anna.api(`/v1/agent/conversations/${id}`, { method: 'PATCH', json: { status: 'resolved' } });
    await csat(page).waitFor();
    expect(await csat(page).locator('textarea').inputValue()).toBe('');
    expect(await csat(page).locator('button[aria-pressed=true]').count()).toBe(0);
    expect(await thanks(page).textContent()).toBe('');
    expect(await savedCsat(id)).toBeNull();
    expect(errors).toEqual([]);
    await context.close();
  });

  it("the agent reads the customer's saved comment in the inbox's conversation", async () => {
    const customerContext = await browser.newContext(CLOCK);
    const { page } = await newPage(customerContext);
    const id = await startChat(page, 'Please unblock my SIM');
    const agentContext = await browser.newContext({ ...CLOCK, viewport: { width: 1280, height: 800 } });
    const { page: inbox } = await newPage(agentContext);
    await inbox.goto(`${baseUrl()}/inbox`);
    await inbox.locator('sb-login input[name=email]').fill('boris@northwind.test');
    await inbox.locator('sb-login input[name=password]').fill('switchboard-demo');
    await inbox.locator('sb-login button[type=submit]').click();
    await (await queueRow(inbox, id)).click();
    await inbox.locator('sb-conversation header .facts').waitFor();

    await anna.api(`/v1/agent/conversations/${id}`, { method: 'PATCH', json: { status: 'resolved' } });
    await csat(page).locator('button', { hasText: 'Bad' }).click();
    await csat(page).locator('textarea').fill('Took <b>two</b> days');
    await csat(page).locator('button[type=submit]').click();
    await expect.poll(() => thanks(page).textContent()).toContain('Thank you for your feedback!');

    // Live on the agent's open conversation, as text.
    const banner = inbox.locator('sb-conversation .banner.csat');
    await expect.poll(() => banner.textContent()).toContain('“Took <b>two</b> days”');
    expect(await banner.textContent()).toContain('👎 Rated bad');
    expect(await banner.locator('b').count()).toBe(0);
    // And after a reload, from the server.
    await inbox.reload();
    await (await queueRowResolved(inbox, id)).click();
    await expect.poll(() => inbox.locator('sb-conversation .banner.csat').textContent()).toContain('“Took <b>two</b> days”');
    await agentContext.close();
    await customerContext.close();
  });

  it('after the promised time the hold banner says the agent is still on it, with the note kept', async () => {
    const context = await browser.newContext(CLOCK);
    const { page, errors } = await newPage(context);
    const id = await startChat(page, 'Is there an outage?');
    const { socket: agent } = await anna.join(id);
    agent.send({ type: 'conversation.update', hold: { note: 'Checking the outage map', until: Date.now() + 1500 } });
    const banner = page.locator('sb-panel .banner[role=status]');
    await expect.poll(() => banner.textContent()).toContain('Back by');
    // The object's alarm marks it overdue at the promised time; the widget follows its state.
    await expect.poll(() => banner.textContent()).toBe('Checking the outage mapStill working on it — thanks for waiting');
    expect(await banner.locator('strong').textContent()).toBe('Checking the outage map');
    expect(await banner.textContent()).not.toContain('Back by');
    agent.send({ type: 'message.send', clientId: 'back', text: 'All clear now.' });
    await expect.poll(() => banner.count()).toBe(0);
    expect(errors).toEqual([]);
    agent.close();
    await context.close();
  });

  it('the Russian widget says it too', async () => {
    const context = await browser.newContext(CLOCK);
    const { page } = await newPage(context);
    await trackConversation(page);
    await page.goto(`${baseUrl()}/chat?brand=operator&channel=app&locale=ru`);
    await composer(page).fill('Нет связи');
    await composer(page).press('Enter');
    const id = await conversationIdOf(page);
    const { socket: agent } = await anna.join(id);
    agent.send({ type: 'conversation.update', hold: { note: 'Проверяем вышку', until: Date.now() + 1500 } });
    const banner = page.locator('sb-panel .banner[role=status]');
    await expect.poll(() => banner.textContent()).toBe('Проверяем вышкуВсё ещё занимаемся вашим вопросом — спасибо, что ждёте');
    await anna.api(`/v1/agent/conversations/${id}`, { method: 'PATCH', json: { status: 'resolved' } });
    await expect.poll(() => page.locator('sb-panel .csat button[type=submit]').textContent()).toBe('Отправить отзыв');
    agent.close();
    await context.close();
  });
});

/** The conversation's row under "Resolved" in the inbox's queue. */
async function queueRowResolved(page: Page, id: string) {
  await page.locator('sb-queue .filters button', { hasText: 'Resolved' }).click();
  const row = page.locator(`sb-queue .row[data-id="${id}"]`);
  await row.waitFor();
  return row;
}
