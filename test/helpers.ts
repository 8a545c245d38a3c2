import { SELF, env, runDurableObjectAlarm } from 'cloudflare:test';
import { SignJWT } from 'jose';
import { expect } from 'vitest';
import type { ClientFrame, ServerFrame, SessionResponse } from '../protocol';
import { DEMO_PASSWORD, DEMO_TENANTS, demoSeedStatements } from '../scripts/demo-seed';

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
export async function identityToken(secret: string, sub: string, opts: { expiresIn?: number; name?: string; email?: string } = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const claims: Record<string, unknown> = {};
  if (opts.name) claims.name = opts.name;
  if (opts.email) claims.email = opts.email;
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

/** A real WebSocket client to a conversation, with a frame inbox to await on. */
export class Client {
  readonly frames: ServerFrame[] = [];
  closed: { code: number; reason: string } | null = null;
  private waiters: (() => void)[] = [];

  private constructor(readonly ws: WebSocket) {
    ws.addEventListener('message', (e) => {
      this.frames.push(JSON.parse(e.data as string) as ServerFrame);
      this.wake();
    });
    ws.addEventListener('close', (e) => {
      this.closed = { code: e.code, reason: e.reason };
      this.wake();
    });
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

  send(frame: ClientFrame | Record<string, unknown>): void {
    this.ws.send(JSON.stringify(frame));
  }

  sendRaw(text: string): void {
    this.ws.send(text);
  }

  /** The next not-yet-taken frame of this type (frames of other types stay for later). */
  async next<T extends ServerFrame['type']>(type: T, timeoutMs = 5000): Promise<Extract<ServerFrame, { type: T }>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const i = this.frames.findIndex((f) => f.type === type);
      if (i >= 0) return this.frames.splice(i, 1)[0] as Extract<ServerFrame, { type: T }>;
      if (this.closed) throw new Error(`socket closed (${this.closed.code} ${this.closed.reason}) while waiting for ${type}`);
      if (Date.now() > deadline) throw new Error(`no ${type} within ${timeoutMs} ms; have ${JSON.stringify(this.frames.map((f) => f.type))}`);
      await this.wait(deadline - Date.now());
    }
  }

  /** Wait until the server closes the socket. */
  async closedWith(timeoutMs = 7000): Promise<{ code: number; reason: string }> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed) {
      if (Date.now() > deadline) throw new Error('socket still open');
      await this.wait(deadline - Date.now());
    }
    return this.closed;
  }

  /** Send a message and wait for its ack. */
  async say(text: string, clientId = crypto.randomUUID()): Promise<number> {
    this.send({ type: 'message.send', clientId, text });
    for (;;) {
      const ack = await this.next('message.ack');
      if (ack.clientId === clientId) return ack.seq;
    }
  }

  close(): void {
    try {
      this.ws.close(1000, 'done');
    } catch {
      /* already closed */
    }
  }

  private wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(resolve, Math.max(1, ms));
      this.waiters.push(() => {
        clearTimeout(t);
        resolve();
      });
    });
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
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
  return env.CONVERSATION.get(env.CONVERSATION.idFromName(id));
}

/** Run the conversation's alarm until its outbox is empty: everything it has is now in D1. */
export async function drainToD1(id: string): Promise<void> {
  const stub = conversationStub(id);
  for (let i = 0; i < 20; i++) {
    if ((await stub.reconcile()).outbox === 0) return;
    await runDurableObjectAlarm(stub);
  }
  throw new Error('outbox did not drain');
}
