import { SELF, env, runDurableObjectAlarm } from 'cloudflare:test';
import { SignJWT } from 'jose';
import { expect, vi } from 'vitest';
import type { ClientFrame, InboxClientFrame, InboxLiveFrame, InboxServerFrame, QueueFilter, QueueItem, ServerFrame, SessionResponse } from '../protocol';
import { DEMO_PASSWORD, DEMO_TENANTS, demoSeedStatements } from '../scripts/demo-seed';
import { conversationStub as stubOfConversation, floorStub as stubOfFloor, teamStub as stubOfTeam } from '../worker/stubs';

export const BASE = 'http://sb.test';
export const OPERATOR = DEMO_TENANTS[0]!;
export const MVNO = DEMO_TENANTS[1]!;

let seeded: Promise<void> | undefined;

/** Seed the demo tenants into this file's D1 once. */
export function seed(): Promise<void> {
  seeded ??= (async () => {
    const statements = await demoSeedStatements();
    await env.DB.batch(statements.map((s) => env.DB.prepare(s.sql).bind(...s.params)));
  })();
  return seeded;
}

/** Call the Worker like a client would. */
export function api(path: string, init: RequestInit & { json?: unknown; cookie?: string } = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (init.json !== undefined) headers.set('content-type', 'application/json');
  if (init.cookie) headers.set('cookie', init.cookie);
  return SELF.fetch(`${BASE}${path}`, { ...init, headers, body: init.json !== undefined ? JSON.stringify(init.json) : init.body });
}

/** Expect the one error shape with this status and code. */
export async function expectError(res: Response, status: number, code: string): Promise<void> {
  const body = (await res.json()) as { error?: { code?: string; message?: string } };
  expect({ status: res.status, code: body.error?.code }).toEqual({ status, code });
  expect(typeof body.error?.message).toBe('string');
}

/** Sign an identity token as a partner backend would. */
export async function identityToken(secret: string, sub: string, opts: { expiresIn?: number; name?: string; email?: string; phone?: unknown; attributes?: Record<string, unknown> } = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const claims: Record<string, unknown> = {};
  if (opts.name) claims.name = opts.name;
  if (opts.email) claims.email = opts.email;
  if (opts.phone !== undefined) claims.phone = opts.phone;
  if (opts.attributes) claims.attributes = opts.attributes;
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(sub)
    .setIssuedAt(now)
    .setExpirationTime(now + (opts.expiresIn ?? 600))
    .sign(new TextEncoder().encode(secret));
}

/** Open a widget session. */
export async function session(brand: string, channel: 'web' | 'app' | 'modem' | 'api', extra: { visitorToken?: string; identityToken?: string } = {}): Promise<SessionResponse> {
  const res = await api('/v1/widget/session', { method: 'POST', json: { brand, channel, ...extra } });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as SessionResponse;
}

/** Sign an agent in; returns the cookie header value. */
export async function login(email: string, password = DEMO_PASSWORD): Promise<string> {
  const res = await api('/v1/agent/login', { method: 'POST', json: { email, password } });
  expect(res.status, await res.clone().text()).toBe(200);
  const setCookie = res.headers.get('set-cookie') ?? '';
  return setCookie.split(';')[0]!;
}

/**
 * Frames arriving on one WebSocket, kept in arrival order until a test takes them. Waiting wakes on
 * each arrival or on close; the only timer is the deadline that fails the test, never a sleep.
 */
export class FrameInbox<F extends { type: string }> {
  /** Frames not yet taken, oldest first. */
  readonly frames: F[] = [];
  /** Every frame ever received, taken or not: what came between two points. */
  readonly all: F[] = [];
  closed: { code: number; reason: string } | null = null;
  private readonly wakers = new Set<() => void>();

  constructor(ws: WebSocket) {
    ws.addEventListener('message', (e) => {
      const frame = JSON.parse(e.data as string) as F;
      this.frames.push(frame);
      this.all.push(frame);
      this.wake();
    });
    ws.addEventListener('close', (e) => {
      this.closed = { code: e.code, reason: e.reason };
      this.wake();
    });
  }

  /** Take the first frame matching `pred` (others stay for later); fails on close or at the deadline. */
  take<T extends F>(pred: (f: F) => boolean, what: string, timeoutMs: number): Promise<T> {
    return this.until(
      () => {
        const i = this.frames.findIndex(pred);
        if (i >= 0) return this.frames.splice(i, 1)[0] as T;
        if (this.closed) throw new Error(`socket closed (${this.closed.code} ${this.closed.reason}) while waiting for ${what}`);
        return undefined;
      },
      timeoutMs,
      () => `no ${what} within ${timeoutMs} ms; have ${JSON.stringify(this.frames.map((f) => f.type))}`,
    );
  }

  /** Resolves once the socket is closed; fails at the deadline. */
  closedWith(timeoutMs: number): Promise<{ code: number; reason: string }> {
    return this.until(() => this.closed ?? undefined, timeoutMs, () => `socket still open after ${timeoutMs} ms`);
  }

  /** Re-check `check` on every arrival or close until it yields a value; reject at the deadline. */
  until<R>(check: () => R | undefined, timeoutMs: number, failure: () => string): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      const attempt = (): void => {
        let r: R | undefined;
        try {
          r = check();
        } catch (err) {
          done();
          reject(err as Error);
          return;
        }
        if (r !== undefined) {
          done();
          resolve(r);
        }
      };
      const deadline = setTimeout(() => {
        done();
        reject(new Error(failure()));
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(deadline);
        this.wakers.delete(attempt);
      };
      this.wakers.add(attempt);
      attempt();
    });
  }

  private wake(): void {
    for (const f of [...this.wakers]) f();
  }
}

/** A real WebSocket client to a conversation, with a frame inbox to await on. */
export class Client {
  private readonly inbox: FrameInbox<ServerFrame>;

  private constructor(readonly ws: WebSocket) {
    this.inbox = new FrameInbox<ServerFrame>(ws);
  }

  /** Frames received and not yet taken, oldest first. */
  get frames(): ServerFrame[] {
    return this.inbox.frames;
  }

  /** How the socket closed, or null while it is open. */
  get closed(): { code: number; reason: string } | null {
    return this.inbox.closed;
  }

  /** Upgrade to the conversation's socket; the response status is returned when it is not 101. */
  static async open(conversationId: string, headers: Record<string, string> = {}): Promise<Client> {
    const res = await SELF.fetch(`${BASE}/v1/conversations/${conversationId}/socket`, { headers: { upgrade: 'websocket', ...headers } });
    if (!res.webSocket) throw new Error(`upgrade refused: ${res.status} ${await res.text()}`);
    res.webSocket.accept();
    return new Client(res.webSocket);
  }

  /** Open and say hello; resolves with the welcome frame. */
  static async join(conversationId: string, token: string, lastSeq = 0): Promise<{ client: Client; welcome: Extract<ServerFrame, { type: 'welcome' }> }> {
    const client = await Client.open(conversationId);
    client.send({ type: 'hello', token, lastSeq });
    const welcome = await client.next('welcome');
    return { client, welcome };
  }

  /** Send one frame as JSON. */
  send(frame: ClientFrame | Record<string, unknown>): void {
    this.ws.send(JSON.stringify(frame));
  }

  /** Send text as it is, for frames that are not JSON. */
  sendRaw(text: string): void {
    this.ws.send(text);
  }

  /** The next not-yet-taken frame of this type (frames of other types stay for later). */
  next<T extends ServerFrame['type']>(type: T, timeoutMs = 5000): Promise<Extract<ServerFrame, { type: T }>> {
    return this.inbox.take<Extract<ServerFrame, { type: T }>>((f) => f.type === type, type, timeoutMs);
  }

  /** Wait until the server closes the socket. */
  closedWith(timeoutMs = 7000): Promise<{ code: number; reason: string }> {
    return this.inbox.closedWith(timeoutMs);
  }

  /** Send a message and wait for its ack. */
  async say(text: string, clientId = crypto.randomUUID()): Promise<number> {
    this.send({ type: 'message.send', clientId, text });
    const ack = await this.inbox.take<Extract<ServerFrame, { type: 'message.ack' }>>((f) => f.type === 'message.ack' && f.clientId === clientId, `message.ack for ${clientId}`, 5000);
    return ack.seq;
  }

  /** Close from our side; a no-op when already closed. */
  close(): void {
    try {
      this.ws.close(1000, 'done');
    } catch {
      /* already closed */
    }
  }
}

type InboxFrame = InboxServerFrame | InboxLiveFrame;

/**
 * An agent's live inbox socket, with a frame inbox to await on: a team's queue
 * (`/v1/agent/inbox/socket?team=…`, the default team unless named), or with `team: null` the
 * presence socket of the tenant's Floor.
 */
export class InboxClient {
  private readonly inbox: FrameInbox<InboxFrame>;

  private constructor(readonly ws: WebSocket) {
    this.inbox = new FrameInbox<InboxFrame>(ws);
  }

  /** Frames received and not yet taken, oldest first. */
  get frames(): InboxFrame[] {
    return this.inbox.frames;
  }

  /** Open the inbox socket with an agent's session cookie and wait for its welcome. */
  static async open(cookie: string, team: string | null = 'general'): Promise<{ inbox: InboxClient; welcome: Extract<InboxFrame, { type: 'inbox.welcome' }> }> {
    const query = team === null ? '' : `?team=${encodeURIComponent(team)}`;
    const res = await SELF.fetch(`${BASE}/v1/agent/inbox/socket${query}`, { headers: { upgrade: 'websocket', cookie } });
    if (!res.webSocket) throw new Error(`inbox upgrade refused: ${res.status} ${await res.text()}`);
    res.webSocket.accept();
    const inbox = new InboxClient(res.webSocket);
    const welcome = await inbox.next('inbox.welcome');
    return { inbox, welcome };
  }

  /** Send one frame as JSON. */
  send(frame: InboxClientFrame | Record<string, unknown>): void {
    this.ws.send(JSON.stringify(frame));
  }

  /** The next not-yet-taken frame of this type that also matches `where` (others stay for later). */
  next<T extends InboxFrame['type']>(type: T, where: (f: Extract<InboxFrame, { type: T }>) => boolean = () => true, timeoutMs = 5000): Promise<Extract<InboxFrame, { type: T }>> {
    return this.inbox.take<Extract<InboxFrame, { type: T }>>((f) => f.type === type && where(f as Extract<InboxFrame, { type: T }>), type, timeoutMs);
  }

  /** Watch a window of the queue; resolves with the Inbox's answer, the whole window (`reset`). */
  async watch(filter: QueueFilter, limit = 50): Promise<Extract<InboxFrame, { type: 'queue.delta' }>> {
    this.send({ type: 'queue.watch', filter, limit });
    return this.next('queue.delta', (f) => f.reset === true && f.filter === filter);
  }

  /** The next live row of conversation `id` (in a `queue.delta`) that also matches `where`. */
  async row(id: string, where: (item: QueueItem) => boolean = () => true, timeoutMs = 5000): Promise<QueueItem> {
    const hit = (f: Extract<InboxFrame, { type: 'queue.delta' }>) => f.upserts.find((i) => i.id === id && where(i));
    return hit(await this.next('queue.delta', (f) => !!hit(f), timeoutMs))!;
  }

  /**
   * Sentinel: send a frame the Inbox must refuse and wait for that refusal. The Inbox answers frames
   * in order, so everything it sent this socket before has arrived once the refusal has.
   */
  async sync(): Promise<void> {
    this.send({ type: 'test.sync' });
    await this.next('error');
  }

  /** How the socket closed, or null while it is open. */
  get closed(): { code: number; reason: string } | null {
    return this.inbox.closed;
  }

  /** Wait until the socket is closed (by the server, or the server's answer to our close). */
  closedWith(timeoutMs = 5000): Promise<{ code: number; reason: string }> {
    return this.inbox.closedWith(timeoutMs);
  }

  /** Close from our side and wait for the Inbox's closing answer. */
  async close(): Promise<void> {
    if (this.inbox.closed) return;
    try {
      this.ws.close(1000, 'bye');
    } catch {
      /* already closed */
    }
    await this.inbox.closedWith(5000);
  }
}

/** Socket token for an agent on a conversation. */
export async function agentSocketToken(cookie: string, conversationId: string): Promise<string> {
  const res = await api(`/v1/agent/conversations/${conversationId}/socket-token`, { method: 'POST', cookie });
  expect(res.status).toBe(200);
  return ((await res.json()) as { socketToken: string }).socketToken;
}

/** The Durable Object stub of a conversation. */
export function conversationStub(id: string) {
  return stubOfConversation(env, id);
}

/** The Inbox Durable Object of one team of a tenant (the default team unless named). */
export function inboxStub(tenantId: string, team = 'general') {
  return stubOfTeam(env, tenantId, team);
}

/** The Floor Durable Object of a tenant: presence and the agents' state log. */
export function floorStub(tenantId: string) {
  return stubOfFloor(env, tenantId);
}

/**
 * Everything the conversation has is in D1: its alarm has handed the whole outbox to the
 * projection queue, and the queue's consumer (run by the pool on its own, as in `wrangler dev`)
 * has written it, so the reconciliation finds no difference. A condition wait (vi.waitFor) with a deadline.
 */
export async function drainToD1(id: string, timeoutMs = 10_000): Promise<void> {
  const stub = conversationStub(id);
  await vi.waitFor(
    async () => {
      const last = await stub.reconcile();
      if (last.ok) return;
      // Unsent rows go out when the alarm runs; sent ones wait for the consumer's write and confirmation.
      if (last.outbox > 0) await runDurableObjectAlarm(stub);
      throw new Error(`D1 did not catch up with ${id} within ${timeoutMs} ms: ${JSON.stringify(last)}`);
    },
    { timeout: timeoutMs, interval: 25 },
  );
}
