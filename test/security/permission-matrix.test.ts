// The permission matrix: every route of the app's route table, tried as every kind of caller, with
// real data of tenant A. A route without an entry in route-permissions.ts fails, so does a stale entry.
import { SELF } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { app } from '../../worker/index';
import { DEMO_PASSWORD } from '../../scripts/demo-seed';
import { BASE, Client, FrameInbox, MVNO, OPERATOR, agentSocketToken, api, login, seed } from '../helpers';
import { ROUTE_PERMISSIONS, routeKeys, type Access, type RoutePermission } from './route-permissions';
import { A, A_MARKER, B, SAME_ORIGIN, assign, expectErrorShape, freshIp, leaveMessage, signInAll, tenantAMarkers, type Conversation, type Sessions } from './fixtures';
import type { MacrosResponse } from '../../protocol';
import { complaintProbes } from './complaint-probes';
import { reportProbes, settingsProbes } from './settings-probes';
import { documentProbes } from './document-probes';

/**
 * Who calls: nobody; another tenant's agent and admin; tenant A's plain agent who does not own the
 * conversation (the same role as its owner), the owner, a supervisor and an admin.
 */
const CALLERS = ['anonymous', 'otherAgent', 'otherAdmin', 'agent', 'assignee', 'supervisor', 'admin'] as const;
type Caller = (typeof CALLERS)[number];

const RANK: Record<Exclude<Access, 'public' | 'customer-token'>, number> = { agent: 1, supervisor: 2, admin: 3 };
const CALLER_RANK: Record<Caller, number> = { anonymous: 0, otherAgent: 1, otherAdmin: 3, agent: 1, assignee: 1, supervisor: 2, admin: 3 };
const isOther = (c: Caller) => c === 'otherAgent' || c === 'otherAdmin';

/** What a call came back with. Sockets report 101 when welcomed, else the close code. */
interface Outcome {
  status: number;
  json: unknown;
  body: string;
  /** Ids of tenant A's data this call used: they must not reach another tenant either. */
  markers?: string[];
}

interface Ctx {
  caller: Caller;
  /** The caller's session cookie; undefined for anonymous. */
  cookie: string | undefined;
  s: Sessions;
}

/** Allowed (2xx, or 101 for a socket), or refused with one of these statuses and codes. */
type Expectation = { ok: true } | { ok: false; status: number[]; codes: string[] };
const OK: Expectation = { ok: true };
const refused = (status: number[], codes: string[]): Expectation => ({ ok: false, status, codes });
const FORBIDDEN = refused([403], ['auth.forbidden']);

interface RouteProbe {
  run(ctx: Ctx): Promise<Outcome>;
  /** Where a rule beyond the role decides, e.g. a plain agent may not take a colleague's conversation. */
  expect?: Partial<Record<Caller, Expectation>>;
}

let s: Sessions;
/** Tenant B's conversation and its agents' socket tokens: valid tokens, for the wrong conversation. */
let bTokens: { agent: string; admin: string };

beforeAll(async () => {
  await seed();
  s = await signInAll();
  const bConv = await leaveMessage(MVNO, 'volna conversation');
  bTokens = { agent: await agentSocketToken(s.olga, bConv.id), admin: await agentSocketToken(s.bAdmin, bConv.id) };
});

function cookieOf(caller: Caller): string | undefined {
  return { anonymous: undefined, otherAgent: s.olga, otherAdmin: s.bAdmin, agent: s.boris, assignee: s.anna, supervisor: s.aSupervisor, admin: s.aAdmin }[caller];
}

function emailOf(caller: Caller): string | undefined {
  return { anonymous: undefined, otherAgent: B.olga.email, otherAdmin: B.admin.email, agent: A.boris.email, assignee: A.anna.email, supervisor: A.supervisor.email, admin: A.admin.email }[caller];
}

async function outcomeOf(res: Response): Promise<Outcome> {
  const body = await res.text();
  let json: unknown = null;
  try {
    json = JSON.parse(body);
  } catch {
    /* not JSON: the error-shape check reports it when it is an error */
  }
  return { status: res.status, json, body };
}

/** Call as `ctx`'s caller; changes carry a same-origin Origin, as a browser on the inbox sends. */
async function call(ctx: Ctx, method: string, path: string, json?: unknown, headers: Record<string, string> = {}): Promise<Outcome> {
  const h = method === 'GET' ? headers : { ...SAME_ORIGIN, ...headers };
  return outcomeOf(await api(path, { method, json, cookie: ctx.cookie, headers: h }));
}

/**
 * What an agent sees of a conversation: the live state, the messages and notes. Leaves out the
 * queue position, which the Inbox fills in on its own time and which moves as others queue.
 */
async function snapshot(id: string): Promise<unknown> {
  const res = await api(`/v1/agent/conversations/${id}`, { cookie: s.aAdmin });
  expect(res.status).toBe(200);
  const d = (await res.json()) as { state: { queue?: unknown }; messages: unknown[]; notes: unknown[] };
  const { queue: _, ...state } = d.state;
  return { state, messages: d.messages.length, notes: d.notes.length };
}

/**
 * A fresh conversation of tenant A (a customer message, assigned to Anna) for one call; when the
 * call is refused, nothing about the conversation may have changed.
 */
function onConversation(method: string, suffix: string, body?: () => unknown, extra: Pick<RouteProbe, 'expect'> = {}): RouteProbe {
  return {
    ...extra,
    async run(ctx) {
      const conv = await leaveMessage(OPERATOR, `${A_MARKER}: my order 4711 is late`);
      await assign(s.aSupervisor, conv.id, A.anna.id);
      const before = await snapshot(conv.id);
      const out = await call(ctx, method, `/v1/agent/conversations/${conv.id}${suffix}`, body?.());
      if (out.status >= 400) expect(await snapshot(conv.id), `${ctx.caller} was refused, so nothing changed`).toEqual(before);
      return { ...out, markers: [conv.id] };
    },
  };
}

const get = (path: string): RouteProbe => ({ run: (ctx) => call(ctx, 'GET', path) });

/** One probe per route: a real call with a valid body, so what is tested is permission, not validation. */
const PROBES: Record<string, RouteProbe> = {
  'GET /health': get('/health'),
  'GET /widget.js': get(`/widget.js?brand=${OPERATOR.key}`),
  'GET /inbox': get('/inbox'),
  'GET /inbox.html': get('/inbox.html'),
  'GET /inbox/*': get('/inbox/'),
  'GET /chat': get(`/chat?brand=${OPERATOR.key}`),
  'GET /chat.html': get(`/chat.html?brand=${OPERATOR.key}`),
  'GET /chat/*': get('/chat/'),
  'POST /v1/widget/session': { run: (ctx) => call(ctx, 'POST', '/v1/widget/session', { brand: OPERATOR.key, channel: 'web' }, { 'cf-connecting-ip': freshIp() }) },
  'GET /v1/widget/brands/:key': get(`/v1/widget/brands/${OPERATOR.key}`),
  'GET /v1/widget/brands/:key/presence': get(`/v1/widget/brands/${OPERATOR.key}/presence`),
  'POST /v1/widget/offline-message': {
    run: (ctx) => call(ctx, 'POST', '/v1/widget/offline-message', { brand: OPERATOR.key, name: 'Away', email: 'away@example.test', text: 'call me back' }, { 'cf-connecting-ip': freshIp() }),
  },

  'GET /v1/conversations/:id/socket': {
    // The upgrade is open to all; `hello` with a token of this conversation is what lets one in.
    async run(ctx) {
      const conv = await leaveMessage(OPERATOR, `${A_MARKER}: socket`);
      const token =
        ctx.caller === 'anonymous' ? 'not-a-token' : ctx.caller === 'otherAgent' ? bTokens.agent : ctx.caller === 'otherAdmin' ? bTokens.admin : await agentSocketToken(ctx.cookie!, conv.id);
      const c = await Client.open(conv.id);
      c.send({ type: 'hello', token, lastSeq: 0 });
      try {
        const welcome = await c.next('welcome');
        c.close();
        return { status: 101, json: welcome, body: JSON.stringify(welcome), markers: [conv.id] };
      } catch {
        const closed = await c.closedWith();
        return { status: closed.code, json: c.frames.find((f) => f.type === 'error') ?? null, body: JSON.stringify(c.frames), markers: [conv.id] };
      }
    },
    expect: { anonymous: refused([4401], ['auth.token_invalid']), otherAgent: refused([4403], ['auth.forbidden']), otherAdmin: refused([4403], ['auth.forbidden']) },
  },

  'POST /v1/agent/login': { run: (ctx) => call(ctx, 'POST', '/v1/agent/login', { email: A.anna.email, password: DEMO_PASSWORD }) },
  'POST /v1/agent/logout': {
    // A session of its own, so the matrix keeps the caller's; logging out ends that one only.
    async run(ctx) {
      const email = emailOf(ctx.caller);
      const own = email ? await login(email) : undefined;
      const out = await call({ ...ctx, cookie: own }, 'POST', '/v1/agent/logout');
      if (own) {
        expect((await api('/v1/agent/me', { cookie: own })).status, 'the session logged out of is gone').toBe(401);
        expect((await api('/v1/agent/me', { cookie: ctx.cookie })).status, "the caller's other session lives").toBe(200);
      }
      return out;
    },
  },
  'GET /v1/agent/me': get('/v1/agent/me'),

  'GET /v1/agent/conversations': {
    async run(ctx) {
      const conv = await leaveMessage(OPERATOR, `${A_MARKER}: list`);
      return { ...(await call(ctx, 'GET', '/v1/agent/conversations?limit=200')), markers: [conv.id] };
    },
  },
  'GET /v1/agent/conversations/:id': onConversation('GET', ''),
  'PATCH /v1/agent/conversations/:id': onConversation('PATCH', '', () => ({ priority: 'high' })),
  'POST /v1/agent/conversations/:id/take': onConversation('POST', '/take', undefined, { expect: { agent: FORBIDDEN } }),
  'POST /v1/agent/conversations/:id/escalate': onConversation('POST', '/escalate', () => ({ reason: 'needs a refund approval' })),
  'POST /v1/agent/conversations/:id/reveal': onConversation('POST', '/reveal', () => ({ seq: 1 })),
  'POST /v1/agent/conversations/:id/messages': onConversation('POST', '/messages', () => ({ clientId: crypto.randomUUID(), text: 'We are on it' })),
  'POST /v1/agent/conversations/:id/socket-token': onConversation('POST', '/socket-token'),
  'GET /v1/agent/conversations/:id/events': onConversation('GET', '/events'),
  'POST /v1/agent/conversations/:id/macros/:macroId': {
    // A plain canned reply of tenant A (no actions): the macro run is a reply like /messages.
    run: async (ctx) => onConversation('POST', `/macros/${(await macrosOfA()).find((m) => m.shortcut === 'hello')!.id}`, () => ({ clientId: crypto.randomUUID() })).run(ctx),
  },

  'GET /v1/agent/inbox/socket': {
    async run(ctx) {
      const res = await SELF.fetch(`${BASE}/v1/agent/inbox/socket`, { headers: { upgrade: 'websocket', ...(ctx.cookie ? { cookie: ctx.cookie } : {}) } });
      if (!res.webSocket) return outcomeOf(res);
      res.webSocket.accept();
      const frames = new FrameInbox<{ type: string }>(res.webSocket);
      const welcome = await frames.take((f) => f.type === 'inbox.welcome', 'inbox.welcome', 5000);
      res.webSocket.close(1000, 'done');
      await frames.closedWith(5000);
      return { status: 101, json: welcome, body: JSON.stringify(welcome) };
    },
  },
  'GET /v1/agent/queue': get('/v1/agent/queue?filter=open'),
  'GET /v1/agent/search': get('/v1/agent/search?q=hello'),
  'GET /v1/agent/agents': get('/v1/agent/agents'),
  'GET /v1/agent/canned': get('/v1/agent/canned'),
  'GET /v1/agent/teams': get('/v1/agent/teams'),
  'GET /v1/agent/topics': get('/v1/agent/topics'),
  'GET /v1/agent/supervisor': get('/v1/agent/supervisor'),

  'GET /v1/admin/agents': get('/v1/admin/agents'),
  'PATCH /v1/admin/agents/:id': {
    async run(ctx) {
      const maxChatsOfBoris = async () => {
        const res = await api('/v1/admin/agents', { cookie: s.aAdmin });
        return ((await res.json()) as { agents: { id: string; maxChats: number }[] }).agents.find((a) => a.id === A.boris.id)?.maxChats;
      };
      expect(await maxChatsOfBoris()).toBe(A.boris.maxChats);
      try {
        const out = await call(ctx, 'PATCH', `/v1/admin/agents/${A.boris.id}`, { maxChats: A.boris.maxChats + 1 });
        expect(await maxChatsOfBoris(), 'changed exactly when allowed').toBe(out.status === 200 ? A.boris.maxChats + 1 : A.boris.maxChats);
        return out;
      } finally {
        const undo = await api(`/v1/admin/agents/${A.boris.id}`, { method: 'PATCH', json: { maxChats: A.boris.maxChats }, cookie: s.aAdmin, headers: SAME_ORIGIN });
        expect(undo.status).toBe(200);
      }
    },
  },
};

/** A PUT that writes back what is stored: allowed or not, the stored value must be the same after. */
const putSame = (path: string): RouteProbe => ({
  async run(ctx) {
    const stored = async () => (await api(path, { cookie: s.aAdmin })).json();
    const before = await stored();
    const out = await call(ctx, 'PUT', path, before);
    expect(await stored()).toEqual(before);
    return out;
  },
});
PROBES['GET /v1/admin/routing'] = get('/v1/admin/routing');
PROBES['PUT /v1/admin/routing'] = putSame('/v1/admin/routing');
PROBES['GET /v1/admin/routing/agents/:id/teams'] = get(`/v1/admin/routing/agents/${A.boris.id}/teams`);
PROBES['PUT /v1/admin/routing/agents/:id/teams'] = putSame(`/v1/admin/routing/agents/${A.boris.id}/teams`);
PROBES['GET /v1/admin/topics'] = get('/v1/admin/topics');
PROBES['PUT /v1/admin/topics'] = putSame('/v1/admin/topics');
PROBES['GET /v1/admin/macros'] = get('/v1/admin/macros');
PROBES['PUT /v1/admin/macros/:shortcut'] = {
  // Stored in tenant A exactly when tenant A's admin called; another tenant's admin writes only their own.
  async run(ctx) {
    const shortcut = `matrix-${ctx.caller}`;
    const out = await call(ctx, 'PUT', `/v1/admin/macros/${shortcut}`, { title: 'Matrix', text: 'Hello from the matrix', actions: { priority: 'high' } });
    expect((await macrosOfA()).some((m) => m.shortcut === shortcut), `${ctx.caller}: stored in tenant A`).toBe(out.status === 200 && !isOther(ctx.caller));
    return out;
  },
};
PROBES['DELETE /v1/admin/macros/:shortcut'] = {
  async run(ctx) {
    const shortcut = `matrix-delete-${ctx.caller}`;
    expect((await api(`/v1/admin/macros/${shortcut}`, { method: 'PUT', json: { title: 'Matrix', text: 'to delete' }, cookie: s.aAdmin, headers: SAME_ORIGIN })).status).toBe(200);
    const out = await call(ctx, 'DELETE', `/v1/admin/macros/${shortcut}`);
    expect((await macrosOfA()).some((m) => m.shortcut === shortcut), `${ctx.caller}: still in tenant A`).toBe(out.status !== 200);
    return out;
  },
  // The shortcut is looked up in the caller's own tenant: tenant A's macro is not theirs to find.
  expect: { otherAdmin: refused([404], ['macro.not_found']) },
};

Object.assign(PROBES, complaintProbes<Ctx>(call, () => s, FORBIDDEN), settingsProbes<Ctx>(call, () => s), documentProbes(), reportProbes<Ctx>(call, () => s));

/** Tenant A's canned replies and macros, as its admin lists them. */
const macrosOfA = async () => ((await (await api('/v1/admin/macros', { cookie: s.aAdmin })).json()) as MacrosResponse).macros;

/** What `caller` must get from a route of this class. */
function expectationFor(key: string, perm: RoutePermission, caller: Caller): Expectation {
  const special = PROBES[key]?.expect?.[caller];
  if (special) return special;
  if (perm.access === 'public' || perm.access === 'customer-token') return OK;
  if (caller === 'anonymous') return refused([401], ['auth.required']);
  // Another tenant's id: not found (or forbidden when the role fails first), never the thing.
  if (isOther(caller) && perm.tenant === 'resource') return refused([403, 404], ['auth.forbidden', 'conversation.not_found', 'agent.not_found', 'complaint.not_found']);
  if (CALLER_RANK[caller] < RANK[perm.access]) return FORBIDDEN;
  return OK;
}

const ROUTES = routeKeys(app.routes);

describe('the route table and the permission table agree', () => {
  it('every route of the app is classified', () => {
    expect(ROUTES.filter((k) => !(k in ROUTE_PERMISSIONS)), 'routes with no entry in test/security/route-permissions.ts').toEqual([]);
  });

  it('every classified route exists', () => {
    expect(Object.keys(ROUTE_PERMISSIONS).filter((k) => !ROUTES.includes(k)), 'entries for routes the app no longer has').toEqual([]);
  });

  it('every route has a probe, and every probe a route', () => {
    expect(ROUTES.filter((k) => !(k in PROBES))).toEqual([]);
    expect(Object.keys(PROBES).filter((k) => !ROUTES.includes(k))).toEqual([]);
  });
});

describe.each(ROUTES.filter((k) => k in ROUTE_PERMISSIONS && k in PROBES))('%s', (key) => {
  const perm = ROUTE_PERMISSIONS[key]!;
  it.each(CALLERS)('as %s', async (caller) => {
    const want = expectationFor(key, perm, caller);
    const out = await PROBES[key]!.run({ caller, cookie: cookieOf(caller), s });
    const what = `${key} as ${caller}: ${out.status} ${out.body.slice(0, 300)}`;
    if (want.ok) {
      expect(out.status === 101 || (out.status >= 200 && out.status < 300), what).toBe(true);
    } else {
      expect(want.status, what).toContain(out.status);
      expect(want.codes, what).toContain((out.json as { error?: { code?: string }; code?: string } | null)?.error?.code ?? (out.json as { code?: string } | null)?.code);
    }
    if (perm.access === 'public') expect([401, 403], what).not.toContain(out.status);
    expect(out.status < 500 || out.status >= 4000, what).toBe(true);
    // Every HTTP error in the one shape.
    if (out.status >= 400 && out.status < 600) expectErrorShape(out.json, what);
    // Another tenant gets nothing of tenant A: not its ids, names, agents or customers' words.
    if (isOther(caller) && perm.access !== 'public') {
      for (const m of tenantAMarkers(out.markers)) expect(out.body.includes(m), `${what} carries tenant A's ${m}`).toBe(false);
    }
  }, 60_000); // A probe makes several round trips (set-up included): on a loaded 2-core box one took over the pool's 20 s.
});

describe('every cookie-authenticated change is refused from another origin', () => {
  const changes = ROUTES.filter((k) => !k.startsWith('GET ') && /^\S+ \/v1\/(agent|admin)\//.test(k));

  it('covers the state-changing agent and admin routes', () => {
    // Derived from the route table, so a new one is covered without touching this test.
    expect(changes.length).toBeGreaterThanOrEqual(9);
  });

  it.each(changes)('%s', async (key) => {
    const [method, pattern] = key.split(' ') as [string, string];
    const conv: Conversation = await leaveMessage(OPERATOR, `${A_MARKER}: csrf`);
    const path = pattern.replace(':id', pattern.startsWith('/v1/admin/') ? A.boris.id : conv.id);
    const before = await snapshot(conv.id);
    const cookie = await login(A.admin.email);
    const res = await api(path, { method, json: {}, cookie, headers: { origin: 'http://sb.test:9999' } });
    const body = (await res.json()) as unknown;
    expect({ status: res.status, code: (body as { error?: { code?: string } }).error?.code }, `${key} from another origin`).toEqual({ status: 403, code: 'auth.origin_forbidden' });
    expectErrorShape(body, key);
    expect(await snapshot(conv.id)).toEqual(before);
    expect((await api('/v1/agent/me', { cookie })).status, 'not logged out').toBe(200);
  });
});
