import { afterAll, beforeAll, inject, vi } from 'vitest';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import WebSocket from 'ws';
import { SignJWT } from 'jose';
import type { ClientFrame, ServerFrame } from '../../protocol';
import { findChromium } from '../../scripts/find-chromium.mjs';

export const CHROMIUM = '/usr/bin/chromium';
/** Browser tests may skip only where no Chromium exists; CI installs it, so there they run. */
export const hasChromium = findChromium() !== null;
export const baseUrl = (): string => inject('baseUrl');

/** Headless Debian Chromium with the flags this machine needs; never a downloaded browser. */
export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: findChromium() ?? CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/**
 * One clock for every browser context that reads times: a fixed locale and zone, so the test and
 * the page format the same instant the same way on any machine (Chromium's default is en-US, 12-hour).
 */
/**
 * The widget files' shared fixture: one browser, and an agent of the operator signed in and online
 * (so customers are offered a chat, not the away form), both closed after the file.
 */
export function browserWithAgentOnline(email: string): { browser: () => Browser; agent: () => Agent } {
  let browser: Browser | undefined;
  let agent: Agent | undefined;
  beforeAll(async () => {
    browser = await launch();
    agent = await Agent.login(email);
    await agent.goOnline();
  });
  afterAll(async () => {
    agent?.goOffline();
    await browser?.close();
  });
  return { browser: () => browser!, agent: () => agent! };
}

export const CLOCK = { locale: 'en-GB', timezoneId: 'UTC' } as const;

/** "16:05": how a page under CLOCK writes the time of `ms` with hour and minute. */
export function clockText(ms: number): string {
  return new Intl.DateTimeFormat(CLOCK.locale, { hour: '2-digit', minute: '2-digit', timeZone: CLOCK.timezoneId }).format(ms);
}

/** A page whose console errors and page errors are collected, for asserting there were none. */
export async function newPage(context: BrowserContext): Promise<{ page: Page; errors: string[] }> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    // A missing favicon is the host page's business, not the widget's.
    if (m.type() === 'error' && !m.text().includes('favicon') && !/status of 404/.test(m.text())) errors.push(m.text());
  });
  return { page, errors };
}

/** Sign an identity token with a demo brand's public secret, as a partner backend would; `claims` adds e.g. `phone`. */
export function identityToken(secret: string, sub: string, name?: string, claims: Record<string, unknown> = {}): Promise<string> {
  return new SignJWT(name ? { ...claims, name } : claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(sub)
    .setExpirationTime('10m')
    .sign(new TextEncoder().encode(secret));
}

/** A WebSocket client with a frame inbox, for agents driven from the test. */
export class Socket {
  readonly frames: (ServerFrame | { type: string; [k: string]: unknown })[] = [];
  private waiters: (() => void)[] = [];

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.frames.push(JSON.parse(String(data)));
      for (const w of this.waiters.splice(0)) w();
    });
  }

  static open(url: string, headers: Record<string, string> = {}): Promise<Socket> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { headers });
      const s = new Socket(ws);
      ws.once('open', () => resolve(s));
      ws.once('error', reject);
    });
  }

  send(frame: ClientFrame | Record<string, unknown>): void {
    this.ws.send(JSON.stringify(frame));
  }

  /** The next untaken frame matching `pred`. */
  async next<T = Record<string, unknown>>(pred: (f: Record<string, unknown>) => boolean, timeoutMs = 10_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const i = this.frames.findIndex((f) => pred(f as Record<string, unknown>));
      if (i >= 0) return this.frames.splice(i, 1)[0] as T;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching frame within ${timeoutMs} ms; have ${JSON.stringify(this.frames.map((f) => f.type))}`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, left);
        this.waiters.push(() => (clearTimeout(t), r()));
      });
    }
  }

  close(): void {
    this.ws.close();
  }
}

/** An agent working through the API and sockets, the way the inbox will. */
export class Agent {
  private inbox: Socket | null = null;

  private constructor(readonly cookie: string) {}

  static async login(email: string, password = 'switchboard-demo'): Promise<Agent> {
    const res = await fetch(`${baseUrl()}/v1/agent/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
    if (!res.ok) throw new Error(`login failed: ${res.status} ${await res.text()}`);
    return new Agent(res.headers.get('set-cookie')!.split(';')[0]!);
  }

  /** Be online for the brand (an open inbox socket), so the widget offers a live chat. */
  async goOnline(): Promise<void> {
    this.inbox = await Socket.open(`${baseUrl().replace('http', 'ws')}/v1/agent/inbox/socket`, { cookie: this.cookie });
    await this.inbox.next((f) => f.type === 'inbox.welcome');
  }

  goOffline(): void {
    this.inbox?.close();
    this.inbox = null;
  }

  async api<T>(path: string, init: { method?: string; json?: unknown } = {}): Promise<T> {
    const res = await fetch(`${baseUrl()}${path}`, {
      method: init.method ?? 'GET',
      headers: { cookie: this.cookie, ...(init.json ? { 'content-type': 'application/json' } : {}) },
      body: init.json ? JSON.stringify(init.json) : undefined,
    });
    if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  }

  /** Open the conversation's socket as this agent; resolves after welcome with the history so far. */
  async join(conversationId: string): Promise<{ socket: Socket; history: { text: string; channel: string; seq: number }[] }> {
    const { socketToken, socketUrl } = await this.api<{ socketToken: string; socketUrl: string }>(`/v1/agent/conversations/${conversationId}/socket-token`, { method: 'POST' });
    const socket = await Socket.open(socketUrl);
    socket.send({ type: 'hello', token: socketToken, lastSeq: 0 });
    const welcome = await socket.next<{ messages: { text: string; channel: string; seq: number }[] }>((f) => f.type === 'welcome');
    return { socket, history: welcome.messages };
  }

  /** The newest conversation of the tenant, as the inbox lists it. */
  async newestConversation(): Promise<{ id: string; number: number }> {
    const { conversations } = await this.api<{ conversations: { id: string; number: number }[] }>('/v1/agent/conversations?limit=1');
    if (!conversations[0]) throw new Error('no conversations');
    return conversations[0];
  }
}

/** Wait until `fn` returns a truthy value: vitest's own condition wait, re-checked until the deadline fails the test. */
export function eventually<T>(fn: () => Promise<T> | T, timeoutMs = 10_000): Promise<Exclude<T, null | undefined | false>> {
  return vi.waitFor(
    async () => {
      const v = await fn();
      if (!v) throw new Error(`condition not met within ${timeoutMs} ms`);
      return v as Exclude<T, null | undefined | false>;
    },
    { timeout: timeoutMs, interval: 50 },
  );
}

/** Sign an agent in at /inbox and wait until they are online (their inbox socket open). */
export async function signIn(page: Page, email: string, password = 'switchboard-demo'): Promise<void> {
  await page.goto(`${baseUrl()}/inbox`);
  await page.locator('sb-login input[name=email]').fill(email);
  await page.locator('sb-login input[name=password]').fill(password);
  await page.locator('sb-login button[type=submit]').click();
  // Online means the inbox socket is open: the widget now offers a live chat.
  await eventually(async () => (await page.locator('sb-inbox .presence button[aria-pressed=true]').textContent())?.includes('Online'));
}

/**
 * A file's shared fixture for inbox tests: one browser and an agent signed in at /inbox (so online)
 * in a desktop-sized page whose errors are collected; closed after the file.
 */
export function inboxSignedIn(email: string): { browser: () => Browser; page: () => Page; errors: () => string[] } {
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  let page: Page | undefined;
  let errors: string[] = [];
  beforeAll(async () => {
    browser = await launch();
    context = await browser.newContext({ ...CLOCK, viewport: { width: 1280, height: 800 } });
    ({ page, errors } = await newPage(context));
    await signIn(page, email);
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
  });
  return { browser: () => browser!, page: () => page!, errors: () => errors };
}

/** Have the page note the conversation id the widget announces (`sb-ready`); call before it loads. */
export async function trackConversation(page: Page): Promise<void> {
  await page.addInitScript(() => addEventListener('sb-ready', (e) => ((window as unknown as { __cid: string }).__cid = (e as CustomEvent).detail.conversationId)));
}

/** The conversation id a tracked page's widget announced, once it has. */
export function conversationIdOf(page: Page): Promise<string> {
  return eventually(async () => (await page.evaluate(() => (window as unknown as { __cid?: string }).__cid)) ?? '');
}

/** The focused element's path through shadow roots, e.g. "sb-inbox>sb-conversation>select". */
export function focusPath(page: Page): Promise<string> {
  return page.evaluate(() => {
    const path: string[] = [];
    let el: Element | null = document.activeElement;
    while (el) {
      path.push(el.tagName.toLowerCase());
      el = el.shadowRoot?.activeElement ?? null;
    }
    return path.join('>');
  });
}

/** Show a filter's conversations (all open ones unless named) and find this one's row, loading more pages while the queue is long. */
export async function queueRow(page: Page, id: string, filterLabel = 'All open') {
  const filter = page.locator('sb-queue .filters button', { hasText: filterLabel });
  if ((await filter.getAttribute('aria-pressed')) !== 'true') await filter.click();
  const row = page.locator(`sb-queue .row[data-id="${id}"]`);
  await eventually(async () => {
    if (await row.count()) return true;
    const more = page.locator('sb-queue .footer button');
    if ((await more.count()) && (await more.isEnabled())) await more.click();
    return false;
  }, 15_000);
  return row;
}

/**
 * Open the conversation from the queue and make it the agent's own. The team's Inbox may assign it
 * to them meanwhile (they are online), so the Take button may vanish under the click: wait for
 * either, until the facts say it is theirs.
 */
export async function openAndTake(page: Page, id: string): Promise<void> {
  await (await queueRow(page, id)).click();
  await page.locator('sb-composer textarea').waitFor();
  const facts = page.locator('sb-conversation header .facts');
  const take = page.locator('sb-conversation .actions button:enabled', { hasText: 'Take' });
  await eventually(async () => {
    if ((await facts.textContent())?.includes('Assigned to you')) return true;
    if (await take.count()) await take.click({ timeout: 2000 }).catch(() => undefined);
    return false;
  }, 15_000);
}

/** The widget's launcher bubble on a host page. */
export const launcher = (page: Page) => page.locator('sb-chat button[part=launcher]');
/** The customer's composer in the open widget panel. */
export const composer = (page: Page) => page.locator('sb-panel form.composer textarea');
