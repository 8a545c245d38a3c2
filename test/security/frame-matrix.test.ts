// Socket frames through the permission matrix: every client frame type, sent on a real conversation
// socket by the customer, a plain agent who is not the assignee, the assignee and a supervisor. The
// rules live in worker/conversation/rules.ts; REST must give the same answer for the same change.
// "Nothing else happened" is proven by a sentinel message that must be the next thing each socket sees.
import { beforeAll, describe, expect, it } from 'vitest';
import { CLOSE, CUSTOMER_LINES } from '../../protocol';
import type { ClientFrame, ServerFrame } from '../../protocol';
import { Client, FrameInbox, MVNO, OPERATOR, agentSocketToken, api, seed } from '../helpers';
import { A, SAME_ORIGIN, assign, newSession, signInAll } from './fixtures';
import type { Sessions } from './fixtures';

const ROLES = ['customer', 'agent', 'assignee', 'supervisor'] as const;
type Role = (typeof ROLES)[number];

/**
 * Every frame a socket receives, in arrival order and never taken away (the helpers' FrameInbox
 * keeps them in `all`), so a test can ask what came between two points.
 */
class Tape {
  private readonly inbox: FrameInbox<ServerFrame>;

  constructor(ws: WebSocket) {
    this.inbox = new FrameInbox<ServerFrame>(ws);
  }

  get all(): ServerFrame[] {
    return this.inbox.all;
  }

  get closed(): { code: number; reason: string } | null {
    return this.inbox.closed;
  }

  /** The first frame at index `from` or later matching `pred`, once it has come. */
  take<F extends ServerFrame>(pred: (f: ServerFrame) => boolean, what: string, from = 0): Promise<F> {
    const have = () => JSON.stringify(this.all.slice(from).map((x) => x.type));
    return this.inbox.until(
      () => {
        const f = this.all.slice(from).find(pred);
        if (f) return f as F;
        if (this.closed) throw new Error(`socket closed (${this.closed.code} ${this.closed.reason}) while waiting for ${what}; have ${have()}`);
        return undefined;
      },
      5000,
      () => `no ${what}; have ${have()}`,
    );
  }

  /** The frames from index `from` up to (not including) the first one matching `pred`, once it has come. */
  async upTo(from: number, pred: (f: ServerFrame) => boolean, what: string): Promise<ServerFrame[]> {
    const hit = await this.take(pred, what, from);
    return this.all.slice(from, this.all.indexOf(hit, from));
  }

  /** Resolves once the server has closed the socket. */
  closedWith(): Promise<{ code: number; reason: string }> {
    return this.inbox.closedWith(5000);
  }
}

interface Peer {
  client: Client;
  tape: Tape;
}

/** A conversation of tenant A, assigned to Anna, with all four roles on its socket. */
interface Room {
  id: string;
  customerToken: string;
  peers: Record<Role, Peer>;
}

let s: Sessions;
const cookieOf = (role: Exclude<Role, 'customer'>) => ({ agent: s.boris, assignee: s.anna, supervisor: s.aSupervisor })[role];
const idOf = (role: Role) => ({ customer: null, agent: A.boris.id, assignee: A.anna.id, supervisor: A.supervisor.id })[role];

beforeAll(async () => {
  await seed();
  s = await signInAll();
});

/** Open a conversation socket and say hello; resolves once welcomed. */
async function join(conversationId: string, token: string): Promise<Peer> {
  const client = await Client.open(conversationId);
  const tape = new Tape(client.ws);
  client.send({ type: 'hello', token, lastSeq: 0 });
  await tape.take((f) => f.type === 'welcome', 'welcome');
  return { client, tape };
}

/**
 * A fresh room: the customer wrote once; Anna is the assignee (unless `unassigned`); resolved when
 * asked; then Boris, Anna and the supervisor join. Returns once every socket has seen a baseline
 * sentinel, so what follows starts from a quiet line.
 */
async function room(opts: { resolved?: boolean; unassigned?: boolean } = {}): Promise<Room> {
  const sess = await newSession(OPERATOR);
  const customer = await join(sess.conversationId, sess.socketToken);
  await customer.client.say('my modem keeps dropping');
  if (!opts.unassigned) await assign(s.aSupervisor, sess.conversationId, A.anna.id);
  if (opts.resolved) {
    const res = await api(`/v1/agent/conversations/${sess.conversationId}`, { method: 'PATCH', json: { status: 'resolved' }, cookie: s.anna, headers: SAME_ORIGIN });
    expect(res.status).toBe(200);
  }
  const peers: Record<Role, Peer> = {
    customer,
    agent: await join(sess.conversationId, await agentSocketToken(s.boris, sess.conversationId)),
    assignee: await join(sess.conversationId, await agentSocketToken(s.anna, sess.conversationId)),
    supervisor: await join(sess.conversationId, await agentSocketToken(s.aSupervisor, sess.conversationId)),
  };
  const r = { id: sess.conversationId, customerToken: sess.socketToken, peers };
  // The supervisor's sentinel changes nothing here (the conversation is assigned, or stays as is for the check below).
  if (!opts.unassigned) await sentinel(r, 'supervisor', marks(r));
  return r;
}

function marks(r: Room): Record<Role, number> {
  return Object.fromEntries(ROLES.map((role) => [role, r.peers[role].tape.all.length])) as Record<Role, number>;
}

const isCreated = (clientId: string) => (f: ServerFrame) => f.type === 'message.created' && f.message.clientId === clientId;

/**
 * Send a message from `from` and wait until every socket has it; resolves with what each socket got
 * since `since` and before it. Frames of one socket arrive in order, so anything the earlier frame
 * caused is in that list: an empty list proves nothing happened.
 */
async function sentinel(r: Room, from: Role, since: Record<Role, number>): Promise<Record<Role, ServerFrame[]>> {
  const clientId = `sentinel-${crypto.randomUUID()}`;
  r.peers[from].client.send({ type: 'message.send', clientId, text: 'sentinel: are you still there?' });
  const out = {} as Record<Role, ServerFrame[]>;
  for (const role of ROLES) out[role] = await r.peers[role].tape.upTo(since[role], isCreated(clientId), `sentinel on the ${role}'s socket`);
  // Its ack follows on the sender's socket: wait for it too, so the next marks start after it.
  await r.peers[from].tape.take((f) => f.type === 'message.ack' && f.clientId === clientId, 'the sentinel\'s ack', since[from]);
  return out;
}

function closeRoom(r: Room): void {
  for (const role of ROLES) r.peers[role].client.close();
}

/** What one frame of one role must do: be refused with this code, or do what `check` sees. */
type Outcome = { refused: string } | { check: (seen: Record<Role, ServerFrame[]>, actor: Role, r: Room) => void };
const refusedWith = (code: string): Outcome => ({ refused: code });

const types = (frames: ServerFrame[]) => frames.map((f) => f.type);
const updated = (frames: ServerFrame[]) => frames.filter((f): f is Extract<ServerFrame, { type: 'conversation.updated' }> => f.type === 'conversation.updated');

/** Everyone else saw it once; the sender got only what `own` says. */
function everyoneElse(type: ServerFrame['type'], own: ServerFrame['type'][] = []): Outcome {
  return {
    check(seen, actor) {
      for (const role of ROLES) expect(types(seen[role]), `${role} after ${actor}'s frame`).toEqual(role === actor ? own : [type]);
    },
  };
}

/** The ticket changed and every participant was told once, in their own projection. */
function stateChanged(expectAgentView: (v: Record<string, unknown>) => void): Outcome {
  return {
    check(seen, actor) {
      for (const role of ROLES) {
        // The change may also make thread lines (assigned, held…): the customer gets only theirs.
        const lines = seen[role].flatMap((f) => (f.type === 'system.line' ? [f.line.kind] : []));
        if (role === 'customer') for (const kind of lines) expect(CUSTOMER_LINES, `customer got a ${kind} line`).toContain(kind);
        expect(types(seen[role]).filter((t) => t !== 'system.line'), `${role} after ${actor}'s update`).toEqual(['conversation.updated']);
        const view = updated(seen[role])[0] as unknown as Record<string, unknown>;
        if (role === 'customer') {
          // The customer's projection: no priority, escalation or assignee id.
          expect(view).not.toHaveProperty('priority');
          expect(view).not.toHaveProperty('escalation');
          expect(JSON.stringify(view.assignee ?? null)).not.toMatch(/"id"|email/);
        } else {
          expectAgentView(view);
        }
      }
    },
  };
}

/** The frame nobody reacts to at all, e.g. taking what one already has. */
const quiet: Outcome = { check: (seen, actor) => ROLES.forEach((role) => expect(seen[role], `${role} after ${actor}'s frame`).toEqual([])) };

/** Every agent gets the note (the writer with an ack); the customer never does. */
const noteWritten: Outcome = {
  check(seen, actor) {
    expect(types(seen.customer), "the customer after an agent's note").toEqual([]);
    for (const r of ['agent', 'assignee', 'supervisor'] as const) expect(types(seen[r]), `${r} after ${actor}'s note`).toEqual(r === actor ? ['note.created', 'message.ack'] : ['note.created']);
  },
};

interface FrameCase {
  name: string;
  room?: { resolved?: boolean; unassigned?: boolean };
  frame: (actor: Role) => ClientFrame;
  outcomes: Record<Role, Outcome>;
}

const assigneeOf = (v: Record<string, unknown>) => (v.assignee as { id?: string } | null)?.id ?? null;

/** Every client frame type (hello is its own describe below), for each role. */
const CASES: FrameCase[] = [
  {
    name: 'message.send',
    frame: () => ({ type: 'message.send', clientId: crypto.randomUUID(), text: 'checking your line now' }),
    outcomes: { customer: everyoneElse('message.created', ['message.created', 'message.ack']), agent: everyoneElse('message.created', ['message.created', 'message.ack']), assignee: everyoneElse('message.created', ['message.created', 'message.ack']), supervisor: everyoneElse('message.created', ['message.created', 'message.ack']) },
  },
  {
    name: 'typing.set',
    frame: () => ({ type: 'typing.set', on: true }),
    outcomes: { customer: everyoneElse('typing'), agent: everyoneElse('typing'), assignee: everyoneElse('typing'), supervisor: everyoneElse('typing') },
  },
  {
    name: 'read.set',
    frame: () => ({ type: 'read.set', seq: 1 }),
    outcomes: { customer: everyoneElse('read'), agent: everyoneElse('read'), assignee: everyoneElse('read'), supervisor: everyoneElse('read') },
  },
  {
    name: 'csat.rate on an open conversation',
    frame: () => ({ type: 'csat.rate', score: 'good' }),
    outcomes: { customer: refusedWith('csat.not_resolved'), agent: refusedWith('auth.forbidden'), assignee: refusedWith('auth.forbidden'), supervisor: refusedWith('auth.forbidden') },
  },
  {
    name: 'csat.rate on a resolved conversation',
    room: { resolved: true },
    frame: () => ({ type: 'csat.rate', score: 'bad', comment: 'too slow' }),
    outcomes: {
      customer: stateChanged((v) => expect((v.csat as { score?: string } | null)?.score).toBe('bad')),
      agent: refusedWith('auth.forbidden'),
      assignee: refusedWith('auth.forbidden'),
      supervisor: refusedWith('auth.forbidden'),
    },
  },
  {
    name: 'conversation.update { priority }',
    frame: () => ({ type: 'conversation.update', priority: 'high' }),
    outcomes: {
      customer: refusedWith('auth.forbidden'),
      // Any agent of the tenant may triage; only moving a conversation is the owner's or a supervisor's.
      agent: stateChanged((v) => expect(v.priority).toBe('high')),
      assignee: stateChanged((v) => expect(v.priority).toBe('high')),
      supervisor: stateChanged((v) => expect(v.priority).toBe('high')),
    },
  },
  {
    name: "conversation.update { assigneeId: me } (take the assignee's conversation)",
    frame: (actor) => ({ type: 'conversation.update', assigneeId: idOf(actor) ?? A.boris.id }),
    outcomes: {
      customer: refusedWith('auth.forbidden'),
      agent: refusedWith('auth.forbidden'),
      assignee: quiet,
      supervisor: stateChanged((v) => expect(assigneeOf(v)).toBe(A.supervisor.id)),
    },
  },
  {
    name: 'conversation.update { assigneeId: null } (unassign)',
    frame: () => ({ type: 'conversation.update', assigneeId: null }),
    outcomes: {
      customer: refusedWith('auth.forbidden'),
      agent: refusedWith('auth.forbidden'),
      assignee: stateChanged((v) => expect(assigneeOf(v)).toBeNull()),
      supervisor: stateChanged((v) => expect(assigneeOf(v)).toBeNull()),
    },
  },
  {
    name: 'conversation.update { assigneeId: a third agent } (move it)',
    frame: () => ({ type: 'conversation.update', assigneeId: A.admin.id }),
    outcomes: {
      customer: refusedWith('auth.forbidden'),
      agent: refusedWith('auth.forbidden'),
      assignee: stateChanged((v) => expect(assigneeOf(v)).toBe(A.admin.id)),
      supervisor: stateChanged((v) => expect(assigneeOf(v)).toBe(A.admin.id)),
    },
  },
  {
    name: 'note.send',
    frame: () => ({ type: 'note.send', clientId: crypto.randomUUID(), text: 'customer is on the old tariff' }),
    outcomes: {
      customer: refusedWith('auth.forbidden'),
      agent: noteWritten,
      assignee: noteWritten,
      supervisor: noteWritten,
    },
  },
];

/** Send `frame` as `actor`, wait for its answer, then the sentinel; resolves with what each socket saw in between. */
async function trial(r: Room, actor: Role, frame: ClientFrame, outcome: Outcome): Promise<Record<Role, ServerFrame[]>> {
  const since = marks(r);
  r.peers[actor].client.send(frame);
  if ('refused' in outcome) {
    const err = await r.peers[actor].tape.take<Extract<ServerFrame, { type: 'error' }>>((f) => f.type === 'error', `error for ${frame.type}`, since[actor]);
    expect({ code: err.code, message: typeof err.message }, `${actor}: ${frame.type}`).toEqual({ code: outcome.refused, message: 'string' });
  } else if (frame.type === 'conversation.update' || frame.type === 'csat.rate') {
    // Allowed changes may wait on D1 (the assignee lookup): wait for their answer before the sentinel.
    if (outcome !== quiet) await r.peers[actor].tape.take((f) => f.type === 'conversation.updated', 'conversation.updated', since[actor]);
  } else if (frame.type === 'message.send' || frame.type === 'note.send') {
    const clientId = frame.clientId;
    await r.peers[actor].tape.take((f) => f.type === 'message.ack' && f.clientId === clientId, 'message.ack', since[actor]);
  }
  return sentinel(r, actor, since);
}

describe.each(CASES)('$name', (c) => {
  it.each(ROLES)('as %s', async (actor) => {
    const r = await room(c.room);
    try {
      const outcome = c.outcomes[actor];
      const seen = await trial(r, actor, c.frame(actor), outcome);
      if ('refused' in outcome) {
        // Refused: the sender got the error and nothing else; nobody else got anything.
        for (const role of ROLES) expect(types(seen[role]), `${role} after ${actor}'s refused ${c.frame(actor).type}`).toEqual(role === actor ? ['error'] : []);
      } else {
        outcome.check(seen, actor, r);
      }
      // The sockets are still open: a refusal is an answer, not a disconnect.
      for (const role of ROLES) expect(r.peers[role].tape.closed, role).toBeNull();
    } finally {
      closeRoom(r);
    }
  });
});

describe('hello: only a token of this conversation opens it', () => {
  /** Tokens that are valid somewhere else: each must be refused, and the room must see nothing. */
  const foreign: [string, (target: string) => Promise<string>, number][] = [
    ["another tenant's agent (token for their own conversation)", async () => agentSocketToken(s.olga, (await newSession(MVNO)).conversationId), CLOSE.forbidden],
    ["another tenant's admin (token for their own conversation)", async () => agentSocketToken(s.bAdmin, (await newSession(MVNO)).conversationId), CLOSE.forbidden],
    ["another tenant's customer", async () => (await newSession(MVNO)).socketToken, CLOSE.forbidden],
    ['a customer of another conversation of the same tenant', async () => (await newSession(OPERATOR)).socketToken, CLOSE.forbidden],
    ['the assignee, with a token for another conversation', async () => agentSocketToken(s.anna, (await newSession(OPERATOR)).conversationId), CLOSE.forbidden],
    ['nobody (not a token)', async () => 'not-a-token', CLOSE.unauthorized],
  ];

  it.each(foreign)('%s is refused', async (_name, tokenFor, closeCode) => {
    const r = await room();
    try {
      const token = await tokenFor(r.id);
      const since = marks(r);
      const intruder = await Client.open(r.id);
      const tape = new Tape(intruder.ws);
      intruder.send({ type: 'hello', token, lastSeq: 0 });
      expect((await tape.closedWith()).code).toBe(closeCode);
      expect(types(tape.all), 'an error and nothing of the conversation').toEqual(['error']);
      expect(JSON.stringify(tape.all)).not.toContain('my modem keeps dropping');
      // Nobody in the room saw a viewer join or anything else.
      const seen = await sentinel(r, 'assignee', since);
      for (const role of ROLES) expect(types(seen[role]), role).toEqual([]);
    } finally {
      closeRoom(r);
    }
  });

  it('a second hello on a welcomed socket is refused and changes nothing', async () => {
    const r = await room();
    try {
      const since = marks(r);
      r.peers.agent.client.send({ type: 'hello', token: r.customerToken, lastSeq: 0 });
      expect((await r.peers.agent.tape.take<Extract<ServerFrame, { type: 'error' }>>((f) => f.type === 'error', 'error', since.agent)).code).toBe('frame.invalid');
      const seen = await sentinel(r, 'agent', since);
      expect(types(seen.agent)).toEqual(['error']);
      for (const role of ['customer', 'assignee', 'supervisor'] as const) expect(types(seen[role]), role).toEqual([]);
      // Still the agent it said hello as: its message carries Boris, not the customer.
      const created = r.peers.customer.tape.all.filter((f) => f.type === 'message.created').at(-1) as Extract<ServerFrame, { type: 'message.created' }>;
      expect(created.message.author.role).toBe('agent');
    } finally {
      closeRoom(r);
    }
  });

  it('every other frame type before hello is refused with auth.hello_required', async () => {
    const r = await room();
    try {
      const since = marks(r);
      const early = await Client.open(r.id);
      const tape = new Tape(early.ws);
      const frames: ClientFrame[] = [
        { type: 'message.send', clientId: 'early', text: 'hi' },
        { type: 'typing.set', on: true },
        { type: 'read.set', seq: 1 },
        { type: 'csat.rate', score: 'bad' },
        { type: 'conversation.update', assigneeId: null },
        { type: 'note.send', clientId: 'early-note', text: 'x' },
      ];
      for (const f of frames) early.send(f);
      // One answer per frame, in order; then the room shows nothing of them.
      await tape.take(() => true, `${frames.length} answers`, frames.length - 1);
      expect(tape.all.map((f) => (f.type === 'error' ? f.code : f.type))).toEqual(frames.map(() => 'auth.hello_required'));
      const seen = await sentinel(r, 'assignee', since);
      for (const role of ROLES) expect(types(seen[role]), role).toEqual([]);
      early.close();
    } finally {
      closeRoom(r);
    }
  });
});

describe('socket and REST give one answer to the same change', () => {
  type Change = { name: string; socket: (actor: Role) => ClientFrame; rest: (actor: Role) => { method: string; suffix: string; json?: unknown }; room?: { unassigned?: boolean } };
  const CHANGES: Change[] = [
    { name: 'take (assigneeId: me vs POST /take)', socket: (a) => ({ type: 'conversation.update', assigneeId: idOf(a)! }), rest: () => ({ method: 'POST', suffix: '/take' }) },
    { name: 'take (assigneeId: me, both paths)', socket: (a) => ({ type: 'conversation.update', assigneeId: idOf(a)! }), rest: (a) => ({ method: 'PATCH', suffix: '', json: { assigneeId: idOf(a) } }) },
    { name: 'unassign', socket: () => ({ type: 'conversation.update', assigneeId: null }), rest: () => ({ method: 'PATCH', suffix: '', json: { assigneeId: null } }) },
    { name: 'move to a third agent', socket: () => ({ type: 'conversation.update', assigneeId: A.admin.id }), rest: () => ({ method: 'PATCH', suffix: '', json: { assigneeId: A.admin.id } }) },
    { name: 'take an unassigned one', room: { unassigned: true }, socket: (a) => ({ type: 'conversation.update', assigneeId: idOf(a)! }), rest: () => ({ method: 'POST', suffix: '/take' }) },
    { name: 'assign an unassigned one to a colleague', room: { unassigned: true }, socket: () => ({ type: 'conversation.update', assigneeId: A.admin.id }), rest: () => ({ method: 'PATCH', suffix: '', json: { assigneeId: A.admin.id } }) },
  ];
  /** What the rules say, and so what both paths must answer. */
  const EXPECTED: Record<string, Record<'agent' | 'assignee' | 'supervisor', 'ok' | string>> = {
    'take (assigneeId: me vs POST /take)': { agent: 'auth.forbidden', assignee: 'ok', supervisor: 'ok' },
    'take (assigneeId: me, both paths)': { agent: 'auth.forbidden', assignee: 'ok', supervisor: 'ok' },
    unassign: { agent: 'auth.forbidden', assignee: 'ok', supervisor: 'ok' },
    'move to a third agent': { agent: 'auth.forbidden', assignee: 'ok', supervisor: 'ok' },
    'take an unassigned one': { agent: 'ok', assignee: 'ok', supervisor: 'ok' },
    'assign an unassigned one to a colleague': { agent: 'auth.forbidden', assignee: 'auth.forbidden', supervisor: 'ok' },
  };

  /** The assignee as the REST detail shows it. */
  async function assigneeOfConversation(id: string): Promise<string | null> {
    const res = await api(`/v1/agent/conversations/${id}`, { cookie: s.aAdmin });
    return ((await res.json()) as { state: { assignee: { id: string } | null } }).state.assignee?.id ?? null;
  }

  describe.each(CHANGES)('$name', (change) => {
    it.each(['agent', 'assignee', 'supervisor'] as const)('as %s', async (actor) => {
      const want = EXPECTED[change.name]![actor];
      // Socket path, on a room of its own.
      const r = await room(change.room);
      let viaSocket: string;
      let afterSocket: string | null;
      try {
        const since = marks(r);
        r.peers[actor].client.send(change.socket(actor));
        // Taking what one already has changes nothing and is not answered; anything else is, and
        // may wait on D1 (the assignee lookup), so wait for that answer before the sentinel.
        const noop = !change.room?.unassigned && actor === 'assignee' && change.name.startsWith('take');
        if (!noop) await r.peers[actor].tape.take((f) => f.type === 'error' || f.type === 'conversation.updated', 'an answer', since[actor]);
        // The answer is an error frame, a conversation.updated, or (no change at all) nothing before the sentinel.
        const seen = await sentinel(r, 'customer', since);
        const err = seen[actor].find((f): f is Extract<ServerFrame, { type: 'error' }> => f.type === 'error');
        viaSocket = err ? err.code : 'ok';
        afterSocket = await assigneeOfConversation(r.id);
      } finally {
        closeRoom(r);
      }
      // REST path, on another room made the same way.
      const sess = await newSession(OPERATOR);
      if (!change.room?.unassigned) await assign(s.aSupervisor, sess.conversationId, A.anna.id);
      const call = change.rest(actor);
      const res = await api(`/v1/agent/conversations/${sess.conversationId}${call.suffix}`, { method: call.method, json: call.json, cookie: cookieOf(actor), headers: SAME_ORIGIN });
      const body = (await res.json()) as { error?: { code: string } };
      const viaRest = res.status === 200 ? 'ok' : (body.error?.code ?? `HTTP ${res.status}`);
      if (viaRest !== 'ok') expect(res.status).toBe(403);
      const afterRest = await assigneeOfConversation(sess.conversationId);

      expect({ socket: viaSocket, rest: viaRest }).toEqual({ socket: want, rest: want });
      expect(afterSocket, 'both paths leave the same assignee').toBe(afterRest);
    });
  });
});
