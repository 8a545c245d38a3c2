// CSRF from the same site, in Chromium: an agent signed in to the inbox opens a page served from
// another port of the same host. SameSite=Strict does not separate ports (same site, other origin),
// so the browser sends the session cookie along; only the Origin / Sec-Fetch-Site check may refuse.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page, Request, Response } from 'playwright-core';
import type { ConversationDetailResponse } from '../../../protocol';
import { Agent, CLOCK, baseUrl, eventually, hasChromium, launch, newPage } from '../../e2e/harness';
import { goAway, joinWith, sendAcked, signInInbox, startSession } from './pages';

const ANNA_ID = '0190a000-0000-7000-8000-0000000000a3';

let browser: Browser;
let attacker: Server;
let evil = '';

/** The attacker's pages: an auto-submitting form, credentialed fetches, and a frame around the inbox. */
function attackerPage(path: string, base: string): string {
  const url = new URL(path, 'http://x');
  const id = url.searchParams.get('id') ?? '';
  const conv = `${base}/v1/agent/conversations/${encodeURIComponent(id)}`;
  if (url.pathname === '/form') {
    return `<!doctype html><title>win a phone</title><form method="POST" action="${conv}/take"></form><script>document.forms[0].submit()</script>`;
  }
  if (url.pathname === '/fetch') {
    const targets = { logout: `${base}/v1/agent/logout`, socketToken: `${conv}/socket-token`, take: `${conv}/take` };
    return `<!doctype html><title>win a phone</title><script>
      (async () => {
        const out = {};
        for (const [name, url] of Object.entries(${JSON.stringify(targets)})) {
          for (const mode of ['cors', 'no-cors']) {
            try {
              const r = await fetch(url, { method: 'POST', credentials: 'include', mode });
              out[name + ':' + mode] = { type: r.type, status: r.status, body: r.type === 'opaque' ? null : await r.text() };
            } catch (e) {
              out[name + ':' + mode] = { error: String(e) };
            }
          }
        }
        window.__results = out;
      })();
    </script>`;
  }
  if (url.pathname === '/frame') return `<!doctype html><title>win a phone</title><iframe src="${base}/inbox" width="800" height="600"></iframe>`;
  return '';
}

beforeAll(async () => {
  browser = await launch();
  const base = baseUrl();
  attacker = createServer((req, res) => {
    const body = attackerPage(req.url ?? '/', base);
    res.writeHead(body ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' });
    res.end(body);
  });
  await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
  evil = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}`;
});

afterAll(async () => {
  attacker?.closeAllConnections();
  await new Promise<void>((resolve) => (attacker ? attacker.close(() => resolve()) : resolve()));
  await browser?.close();
});

/**
 * The POSTs a page sent to our server, and the statuses that came back where the network shows
 * them (a fetch refused by CORS reports no response to the page, but its request still went out).
 */
function recordPosts(page: Page): { sent: string[]; answered: { path: string; status: number }[] } {
  const out = { sent: [] as string[], answered: [] as { path: string; status: number }[] };
  const short = (url: string) => new URL(url).pathname.replace(/.*(\/[a-z-]+)$/, '$1');
  page.on('request', (req: Request) => {
    if (req.method() === 'POST' && req.url().startsWith(baseUrl())) out.sent.push(short(req.url()));
  });
  page.on('response', (res: Response) => {
    if (res.request().method() === 'POST' && res.url().startsWith(baseUrl())) out.answered.push({ path: short(res.url()), status: res.status() });
  });
  return out;
}

describe.skipIf(!hasChromium)('CSRF from another port of the same host', () => {
  it('a form post and credentialed fetches from the attacker page are refused with 403; nothing is taken, the session lives', async () => {
    const sam = await Agent.login('supervisor@northwind.test');
    const context: BrowserContext = await browser.newContext({ ...CLOCK, viewport: { width: 1280, height: 800 } });
    const { page: inbox } = await newPage(context);
    await signInInbox(inbox, 'anna@northwind.test');
    // Away: auto-assignment gives Anna nothing, so the conversation stays unassigned unless taken.
    await goAway(inbox);
    const cookies = await context.cookies(baseUrl());
    expect(cookies.find((c) => c.httpOnly)).toMatchObject({ httpOnly: true, sameSite: 'Strict' });

    // A waiting customer's conversation, nobody's yet.
    const s = await startSession({ brand: 'operator' });
    const customer = await joinWith(s);
    await sendAcked(customer, [{ type: 'message.send', clientId: 'csrf-1', text: 'Is my bill ready?' }]);
    customer.close();
    const id = s.conversationId;
    await sam.api(`/v1/agent/conversations/${id}`, { method: 'PATCH', json: { assigneeId: null } });
    const assignee = async () => (await sam.api<ConversationDetailResponse>(`/v1/agent/conversations/${id}`)).state.assignee;
    expect(await assignee()).toBe(null);

    // 1. The auto-submitting form: a top-level POST navigation to /take.
    const page = await context.newPage();
    const posts = recordPosts(page);
    const navigation = page.waitForResponse((r) => r.url().endsWith(`/v1/agent/conversations/${id}/take`));
    await page.goto(`${evil}/form?id=${id}`);
    const answer = await navigation;
    expect(answer.status()).toBe(403);
    expect(await answer.json()).toEqual({ error: { code: 'auth.origin_forbidden', message: expect.any(String) } });
    // SameSite=Strict did not stop it: the browser sent the cookie, and the attacker's Origin with it.
    const sentHeaders = await answer.request().allHeaders();
    expect(sentHeaders.origin).toBe(evil);
    expect(sentHeaders.cookie).toContain(cookies.find((c) => c.httpOnly)!.name);

    // 2. Credentialed fetches, readable (cors) and blind (no-cors), to /logout, /socket-token and /take.
    await page.goto(`${evil}/fetch?id=${id}`);
    const results = await page.waitForFunction(() => (window as unknown as { __results?: unknown }).__results).then((h) => h.jsonValue() as Promise<Record<string, { type?: string; status?: number; error?: string }>>);
    // No CORS grant: the readable fetches fail in the page, the blind ones see an opaque answer.
    for (const [k, r] of Object.entries(results)) {
      if (k.endsWith(':cors')) expect(r, k).toMatchObject({ error: expect.stringContaining('Failed to fetch') });
      else expect(r, k).toMatchObject({ type: 'opaque', status: 0 });
    }
    // What the network saw: all seven POSTs went out, and every answer it could see was 403.
    await eventually(() => posts.sent.length === 7 && posts.answered.length >= 4);
    expect(posts.sent).toEqual(['/take', '/logout', '/logout', '/socket-token', '/socket-token', '/take', '/take']);
    expect(posts.answered.map((a) => a.status)).toEqual(posts.answered.map(() => 403));

    // Nothing changed: still nobody's, and Anna is still signed in (no logout went through).
    expect(await assignee()).toBe(null);
    expect(await inbox.evaluate(async () => (await fetch('/v1/agent/me')).status)).toBe(200);
    await inbox.reload();
    await inbox.locator('sb-inbox .presence button').first().waitFor();
    expect(await inbox.locator('sb-login input[name=email]').count()).toBe(0);

    // Control: the very same request from the inbox's own origin works, so the refusals above were the check's doing.
    expect(await inbox.evaluate(async (path) => (await fetch(path, { method: 'POST' })).status, `/v1/agent/conversations/${id}/take`)).toBe(200);
    expect(await assignee()).toMatchObject({ id: ANNA_ID });
    expect(await inbox.evaluate(async (path) => (await fetch(path, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: '{"status":"resolved"}' })).status, `/v1/agent/conversations/${id}`)).toBe(200);
    await context.close();
  });

  it('the inbox refuses to be framed, and both pages carry their security headers', async () => {
    const inbox = await fetch(`${baseUrl()}/inbox`);
    const csp = inbox.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(inbox.headers.get('x-content-type-options')).toBe('nosniff');
    expect(inbox.headers.get('referrer-policy')).toBe('no-referrer');
    expect(inbox.headers.get('x-frame-options')).toBe('DENY');

    const chat = await fetch(`${baseUrl()}/chat?brand=operator`);
    const chatCsp = chat.headers.get('content-security-policy') ?? '';
    expect(chatCsp).toContain("script-src 'self'");
    expect(chatCsp).not.toContain('unsafe-inline');
    // App WebViews and partner sites may frame the hosted chat page.
    expect(chatCsp).not.toContain('frame-ancestors');
    expect(chat.headers.get('x-content-type-options')).toBe('nosniff');
    expect(chat.headers.get('referrer-policy')).toBe('no-referrer');

    // In Chromium, the attacker's frame around the inbox gets an error page, never the inbox.
    const context = await browser.newContext();
    const page = await context.newPage();
    const refused = page.waitForEvent('console', (m) => /frame-ancestors|Refused to (display|frame)/.test(m.text()));
    await page.goto(`${evil}/frame`);
    await refused;
    const frame = page.frames().find((f) => f !== page.mainFrame());
    expect(frame).toBeDefined();
    expect(await frame!.evaluate(() => document.querySelector('sb-inbox'))).toBe(null);
    await context.close();
  });
});
