// The stored-XSS corpus, end to end: every payload goes in through every field a person can type
// or a token can carry, then every view that shows that field renders it in Chromium. Nothing may
// open a dialog, add an element, fetch a URL or trip a CSP, and each payload must read as the text
// it is. Payloads are batched: one customer conversation per brand, single-valued fields (names,
// hold note, escalation reason, CSAT comment) in packs of as many payloads as the field holds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { ConversationDetailResponse } from '../../../protocol';
import { Agent, CLOCK, baseUrl, clockText, eventually, hasChromium, launch, newPage } from '../../e2e/harness';
import { PAYLOADS, packs } from './xss-payloads';
import { collectCsp, identityTokenWith, injectedElements, postJson, watch } from './scan';
import type { Breach } from './scan';
import { goAway, joinWith, queueRow, sendAcked, signInInbox, startSession } from './pages';

const OPERATOR_SECRET = 'demo-operator-identity-secret';
const BORIS_ID = '0190a000-0000-7000-8000-0000000000a4';
const MAX_NAME = 200;
const TEXTS = PAYLOADS.map((p) => p.text);
const NAMES = packs(MAX_NAME);
const REASONS = packs(500);
const HOLDS = packs(500);
const COMMENTS = packs(2000);
/** Customer messages go out in one round per name pack, so each message carries its round's name. */
const PER_ROUND = Math.ceil(PAYLOADS.length / NAMES.length);
const nameOfMessage = (k: number) => NAMES[Math.floor(k / PER_ROUND)]!.text;
const lastName = NAMES.at(-1)!.text;
/** A few payloads also typed by hand, in the widget's composer and the inbox's, through their pending rows. */
const TYPED = ['p04', 'p23', 'p32', 'p48'].map((id) => PAYLOADS.find((p) => p.id === id)!.text);

let browser: Browser;
let boris: Agent;
let sam: Agent;
const contexts: BrowserContext[] = [];
const watched: { name: string; page: Page; breach: Breach }[] = [];

/** A watched page in its own context, remembered so every test can assert it stayed clean. */
async function open(name: string, options: Parameters<Browser['newContext']>[0] = {}): Promise<Page> {
  const context = await browser.newContext({ ...CLOCK, viewport: { width: 1280, height: 900 }, ...options });
  contexts.push(context);
  const { page } = await newPage(context);
  watched.push({ name, page, breach: await watch(page) });
  return page;
}

/** No page so far has seen a dialog, a marker request, a CSP violation or an injected element. */
async function assertClean(): Promise<void> {
  const report: Record<string, unknown> = {};
  for (const w of watched) {
    if (w.page.isClosed()) continue;
    await collectCsp(w.page, w.breach);
    report[w.name] = { ...w.breach, injected: await injectedElements(w.page) };
  }
  const empty = Object.fromEntries(Object.keys(report).map((k) => [k, { dialogs: [], requests: [], cspViolations: [], injected: [] }]));
  expect(report).toEqual(empty);
}

const detail = (agent: Agent, id: string) => agent.api<ConversationDetailResponse>(`/v1/agent/conversations/${id}`);
const widgetMine = (page: Page) => page.locator('sb-panel .log .msg.mine .text');
const widgetTheirs = (page: Page) => page.locator('sb-panel .log .msg.theirs:not(.greeting) .text');

// The operator's customer, who writes every payload and whose token names carry them too.
// Its subscriber id has no digits: the contact card masks long digit runs, and this is not a payload.
const c1 = { id: '', sub: `xss-${Array.from({ length: 12 }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join('')}`, token: '' };
// The MVNO's customer, who leaves every payload through the away form.
const c2 = { id: '', visitorToken: '' };
let boriss: Page;
let samPage: Page;
let chat: Page;

beforeAll(async () => {
  browser = await launch();
  [boris, sam] = await Promise.all([Agent.login('boris@northwind.test'), Agent.login('supervisor@northwind.test')]);

  // Rounds of identity tokens for one subscriber: each names the contact with a pack of payloads and
  // adds one payload as an e-mail identity, then writes its share of the payloads as messages.
  for (const [round, name] of NAMES.entries()) {
    const token = await identityTokenWith(OPERATOR_SECRET, c1.sub, { name: name.text, email: TEXTS[round]!.slice(0, MAX_NAME) });
    const s = await startSession({ brand: 'operator', identityToken: token });
    if (c1.id) expect(s.conversationId).toBe(c1.id);
    c1.id = s.conversationId;
    const socket = await joinWith(s);
    const share = PAYLOADS.slice(round * PER_ROUND, (round + 1) * PER_ROUND);
    await sendAcked(socket, share.map((p) => ({ type: 'message.send', clientId: `c-${p.id}`, text: p.text })));
    socket.close();
  }
  // The remaining payloads as e-mail claims (cut to what the server keeps, so the token stays under
  // its size limit); the name stays the last pack.
  for (let k = NAMES.length; k < TEXTS.length; k += 4) {
    await Promise.all(
      TEXTS.slice(k, k + 4).map(async (email) =>
        startSession({ brand: 'operator', identityToken: await identityTokenWith(OPERATOR_SECRET, c1.sub, { name: lastName, email: email.slice(0, MAX_NAME) }) }),
      ),
    );
  }
  c1.token = await identityTokenWith(OPERATOR_SECRET, c1.sub, { name: lastName });

  // Boris owns it (a supervisor assigns, whoever auto-assignment picked), replies and notes every payload.
  await sam.api(`/v1/agent/conversations/${c1.id}`, { method: 'PATCH', json: { assigneeId: BORIS_ID } });
  const { socket } = await boris.join(c1.id);
  await sendAcked(socket, PAYLOADS.map((p) => ({ type: 'message.send', clientId: `r-${p.id}`, text: p.text })));
  await sendAcked(socket, PAYLOADS.map((p) => ({ type: 'note.send', clientId: `n-${p.id}`, text: p.text })));
  socket.close();
}, 120_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
});

describe.skipIf(!hasChromium)('stored XSS corpus', () => {
  it('the watchers see a payload that does break through (innerHTML in a shadow root)', async () => {
    const context = await browser.newContext();
    const { page } = await newPage(context);
    const breach = await watch(page);
    await page.goto(`${baseUrl()}/demo/operator/`);
    await page.evaluate((payload) => {
      const host = document.body.appendChild(document.createElement('div'));
      host.attachShadow({ mode: 'open' }).innerHTML = `<p class="text">${payload}</p>`;
    }, PAYLOADS.find((p) => p.id === 'p04')!.text);
    await eventually(() => breach.dialogs.length > 0);
    expect(breach.dialogs).toEqual(["alert: p04"]);
    expect(breach.requests.some((u) => new URL(u).pathname.endsWith('/x'))).toBe(true);
    expect(await injectedElements(page)).toEqual([expect.stringMatching(/^handler onerror/), expect.stringMatching(/^marker/), expect.stringMatching(/^inside text/)]);
    await context.close();
  });

  it(`stores ${PAYLOADS.length} payloads verbatim through the customer's and the agent's fields`, async () => {
    const d = await detail(sam, c1.id);
    expect(d.messages.filter((m) => m.author.role === 'customer').map((m) => m.text)).toEqual(TEXTS);
    expect(d.messages.filter((m) => m.author.role === 'agent').map((m) => m.text)).toEqual(TEXTS);
    expect(d.notes.map((n) => n.text)).toEqual(TEXTS);
    expect(d.contact.name).toBe(lastName);
    expect(d.contact.identities.filter((i) => i.kind === 'email').map((i) => i.value).sort()).toEqual(TEXTS.map((t) => t.slice(0, MAX_NAME).toLowerCase()).sort());
  });

  it('the widget on a partner page renders every payload as text, with attributes set through setAttributes', async () => {
    const page = await open('widget (operator demo)');
    await page.goto(`${baseUrl()}/demo/operator/`);
    // Host-page attributes: payloads as keys (first half) and values (second half) of one call.
    const half = Math.ceil(PAYLOADS.length / 2);
    const attributes = Object.fromEntries(PAYLOADS.slice(0, half).map((p, i) => [p.text.slice(0, 100), PAYLOADS[half + i]?.text.slice(0, 1000) ?? p.id]));
    await page.evaluate(
      ([token, attrs]) => {
        const sb = (window as unknown as { Switchboard: (...a: unknown[]) => void }).Switchboard;
        sb('identify', token);
        sb('setAttributes', attrs);
      },
      [c1.token, attributes] as const,
    );
    await page.locator('sb-chat button[part=launcher]').click();
    await expect.poll(() => widgetMine(page).allTextContents()).toEqual(TEXTS);
    expect(await widgetTheirs(page).allTextContents()).toEqual(TEXTS);
    expect(new Set(await page.locator('sb-panel .log .msg.theirs:not(.greeting) .author').allTextContents())).toEqual(new Set(['Boris']));
    // The attributes reached the contact, keys and values exactly as the page gave them.
    await eventually(async () => Object.keys((await detail(sam, c1.id)).contact.attributes).length >= half);
    expect((await detail(sam, c1.id)).contact.attributes).toMatchObject(attributes);
    await assertClean();
  });

  it('the hosted chat page renders every payload as text', async () => {
    chat = await open('hosted chat page', { viewport: { width: 390, height: 780 } });
    await chat.goto(`${baseUrl()}/chat?brand=operator&channel=app#identityToken=${c1.token}`);
    await expect.poll(() => widgetMine(chat).allTextContents()).toEqual(TEXTS);
    expect(await widgetTheirs(chat).allTextContents()).toEqual(TEXTS);
    // Typed into the composer: shown while sending and once acknowledged, as text.
    const composer = chat.locator('sb-panel form.composer textarea');
    for (const text of TYPED) {
      await composer.fill(text);
      await composer.press('Enter');
    }
    await expect.poll(() => chat.locator('sb-panel .mine .state').allTextContents()).toEqual([...TEXTS, ...TYPED].map(() => 'Sent'));
    expect(await widgetMine(chat).allTextContents()).toEqual([...TEXTS, ...TYPED]);
    await assertClean();
  });

  it('the inbox renders every payload as text: queue row, thread, authors, notes and contact card', async () => {
    boriss = await open('inbox (Boris)');
    await signInInbox(boriss, 'boris@northwind.test');
    const row = await queueRow(boriss, c1.id);
    await row.click();
    const thread = boriss.locator('sb-thread');
    await expect.poll(() => thread.locator('.msg.customer .text').allTextContents()).toEqual([...TEXTS, ...TYPED]);
    expect(await thread.locator('.msg.agent .text').allTextContents()).toEqual(TEXTS);
    expect(await thread.locator('.msg.note .text').allTextContents()).toEqual(TEXTS);
    // Each customer message carries the name its identity token gave at the time.
    expect(await thread.locator('.msg.customer .author').allTextContents()).toEqual([...TEXTS.map((_, k) => nameOfMessage(k)), ...TYPED.map(() => lastName)]);

    const card = boriss.locator('sb-contact-card');
    await expect.poll(() => card.locator('h2').textContent()).toBe(lastName);
    const ids = await card.locator('.ids li span:last-child').allTextContents();
    expect(ids.filter((t) => t !== 'browser or app, anonymous' && t !== c1.sub).sort()).toEqual(TEXTS.map((t) => t.slice(0, MAX_NAME).toLowerCase()).sort());
    const attrs = await card.locator('table tr').evaluateAll((rows) => rows.map((r) => [r.querySelector('th')!.textContent, r.querySelector('td')!.textContent]));
    const stored = (await detail(sam, c1.id)).contact.attributes;
    expect(Object.fromEntries(attrs)).toEqual(Object.fromEntries(Object.entries(stored).map(([k, v]) => [k, String(v)])));
    // The row shows the contact's name, and the last message as text.
    expect(await row.locator('.name').textContent()).toBe(lastName);
    await expect.poll(() => row.locator('.last').textContent()).toBe(TYPED.at(-1));

    // Boris types replies and notes in the composer: pending rows, then acknowledged ones, as text.
    const composer = boriss.locator('sb-composer textarea');
    for (const mode of ['Reply', 'Note'] as const) {
      await boriss.locator('sb-composer .mode button', { hasText: mode }).click();
      for (const text of TYPED) {
        await composer.fill(text);
        await composer.press('Enter');
      }
    }
    await expect.poll(() => thread.locator('.msg.pending').count()).toBe(0);
    expect(await thread.locator('.msg.agent .text').allTextContents()).toEqual([...TEXTS, ...TYPED]);
    expect(await thread.locator('.msg.note .text').allTextContents()).toEqual([...TEXTS, ...TYPED]);
    await expect.poll(() => widgetTheirs(chat).allTextContents()).toEqual([...TEXTS, ...TYPED]);
    await assertClean();
  });

  it('escalation reasons render as text in the banner, the queue row, the supervisor view and the toast', async () => {
    samPage = await open('inbox (Sam, supervisor)');
    await signInInbox(samPage, 'supervisor@northwind.test');
    await goAway(samPage);
    await samPage.locator('sb-inbox .views button', { hasText: 'Supervisor' }).click();
    const number = (await detail(sam, c1.id)).conversation.number;
    for (const reason of REASONS) {
      await boris.api(`/v1/agent/conversations/${c1.id}/escalate`, { method: 'POST', json: { reason: reason.text } });
      await expect.poll(() => boriss.locator('sb-conversation .banner.escalation').textContent()).toContain(`“${reason.text}”`);
      await expect.poll(() => boriss.locator(`sb-queue .row[data-id="${c1.id}"] .badge.escalated`).getAttribute('title')).toBe(`Escalated: ${reason.text}`);
      // Supervisors are told of a new escalation (not of a changed reason), in a toast.
      await expect.poll(() => samPage.locator('sb-toasts li .text').allTextContents()).toContain(`#${number} escalated by Boris: ${reason.text}`);
      await expect
        .poll(async () => {
          await samPage.locator('sb-supervisor .head button', { hasText: 'Refresh' }).click();
          return samPage.locator('sb-supervisor section', { hasText: 'Escalations' }).locator('.why').allTextContents();
        })
        .toContain(`Boris: ${reason.text}`);
      // Sam taking it over clears the escalation, so the next reason is a new one; then back to Boris.
      await sam.api(`/v1/agent/conversations/${c1.id}/take`, { method: 'POST' });
      await sam.api(`/v1/agent/conversations/${c1.id}`, { method: 'PATCH', json: { assigneeId: BORIS_ID } });
      // The inbox must have seen it cleared, or the next escalation would not count as new.
      await eventually(async () => !(await sam.api<{ escalations: { id: string }[] }>('/v1/agent/supervisor')).escalations.some((e) => e.id === c1.id));
    }
    await assertClean();
  });

  it('hold notes render as text in the widget, the inbox banner, the overdue reminder and the supervisor view', async () => {
    for (const [i, hold] of HOLDS.entries()) {
      const last = i === HOLDS.length - 1;
      // The last hold falls due at once, so the overdue reminder and the supervisor list show it too.
      const until = Date.now() + (last ? 1_500 : 30 * 60_000);
      await boris.api(`/v1/agent/conversations/${c1.id}`, { method: 'PATCH', json: { hold: { note: hold.text, until } } });
      await expect.poll(() => chat.locator('sb-panel .banner strong').textContent()).toBe(hold.text);
      await expect.poll(() => boriss.locator('sb-conversation .banner.hold').textContent()).toContain(`“${hold.text}”`);
      if (last) {
        await expect
          .poll(async () => {
            await samPage.locator('sb-supervisor .head button', { hasText: 'Refresh' }).click();
            return samPage.locator('sb-supervisor section', { hasText: 'Overdue holds' }).locator('.why').allTextContents();
          })
          .toContain(`Promised ${clockText(until)}: ${hold.text}`);
        // The assignee's reminder toast quotes the note too.
        const number = (await detail(sam, c1.id)).conversation.number;
        await expect.poll(() => boriss.locator('sb-toasts li .text').allTextContents()).toContain(`Hold on #${number} is overdue: ${hold.text}`);
      }
    }
    await assertClean();
  });

  it('a CSAT comment typed in the widget is stored verbatim, and nothing renders it as markup', async () => {
    await boris.api(`/v1/agent/conversations/${c1.id}`, { method: 'PATCH', json: { status: 'resolved' } });
    const comment = chat.locator('sb-panel .csat textarea');
    await comment.waitFor();
    // A score first (it rates at once); each comment then goes with the feedback button.
    await chat.locator('sb-panel .csat button', { hasText: 'Good' }).click();
    for (const c of COMMENTS) {
      await comment.fill(c.text);
      await chat.locator('sb-panel .csat button[type=submit]').click();
      await eventually(async () => (await detail(sam, c1.id)).state.csat?.comment === c.text);
    }
    // The agent's open conversation shows the last comment as text.
    await expect.poll(() => boriss.locator('sb-conversation .banner.csat .comment').textContent()).toBe(`“${COMMENTS.at(-1)!.text}”`);
    // The agent's views of the rated conversation, reloaded from the server.
    await boriss.reload();
    await expect.poll(() => boriss.locator('sb-thread .msg.customer .text').count()).toBe(TEXTS.length + TYPED.length);
    await assertClean();
  });

  it('the away form takes every payload in name and text, refuses them as e-mail, and all three views render them as text', async () => {
    const mvno = await open('widget (mvno demo, away form)');
    await mvno.goto(`${baseUrl()}/demo/mvno/`);
    await mvno.locator('sb-chat button[part=launcher]').click();
    const form = mvno.locator('sb-panel form.offline');
    await form.locator('input[name=name]').fill(NAMES[0]!.text);
    // Volna has no e-mail, so its away form asks no address (the endpoint still checks one if given).
    await form.locator('textarea[name=text]').fill(TEXTS[0]!);
    await form.locator('button[type=submit]').click();
    await mvno.locator('sb-panel .offline[role=status]').waitFor();
    c2.visitorToken = (await mvno.evaluate(() => localStorage.getItem('sb:mvno:visitor'))) ?? '';
    expect(c2.visitorToken).not.toBe('');

    // Every payload as the e-mail is refused before anything is stored: it is no address.
    for (const text of TEXTS) {
      const res = await postJson<{ error: { code: string } }>('/v1/widget/offline-message', { brand: 'mvno', name: 'x', email: text, text: 'x', visitorToken: c2.visitorToken });
      expect([res.status, res.body.error?.code]).toEqual([400, 'request.invalid']);
    }
    // The rest through the same form's endpoint, each message under its round's name.
    for (let k = 1; k < TEXTS.length; k++) {
      const res = await postJson<{ conversationId: string }>('/v1/widget/offline-message', { brand: 'mvno', name: nameOfMessage(k), email: 'away@example.com', text: TEXTS[k], visitorToken: c2.visitorToken });
      expect(res.status).toBe(201);
      c2.id = res.body.conversationId;
    }
    // The other half of the attributes, the other way round (payloads as values of the first half's keys).
    const half = Math.ceil(PAYLOADS.length / 2);
    const attributes = Object.fromEntries(PAYLOADS.slice(half).map((p, i) => [p.text.slice(0, 100), PAYLOADS[i]!.text.slice(0, 1000)]));
    await startSession({ brand: 'mvno', visitorToken: c2.visitorToken, attributes });

    // The customer's widget, reloaded, shows their messages as text.
    await mvno.reload();
    await mvno.locator('sb-chat button[part=launcher]').click();
    await expect.poll(() => widgetMine(mvno).allTextContents()).toEqual(TEXTS);

    // The MVNO's supervisor sees the thread, the names and the contact card as text.
    const volna = await open('inbox (Volna supervisor)');
    await signInInbox(volna, 'supervisor@volna.test');
    await goAway(volna);
    await (await queueRow(volna, c2.id)).click();
    const thread = volna.locator('sb-thread');
    await expect.poll(() => thread.locator('.msg.customer .text').allTextContents()).toEqual(TEXTS);
    expect(await thread.locator('.msg.customer .author').allTextContents()).toEqual(TEXTS.map((_, k) => nameOfMessage(k)));
    const card = volna.locator('sb-contact-card');
    await expect.poll(() => card.locator('h2').textContent()).toBe(nameOfMessage(TEXTS.length - 1));
    const attrs = await card.locator('table tr').evaluateAll((rows) => rows.map((r) => [r.querySelector('th')!.textContent, r.querySelector('td')!.textContent]));
    expect(Object.fromEntries(attrs)).toEqual(attributes);
    await assertClean();
  });
});
