import { MAX_WELCOME_LINES, foldRatings } from '../../protocol';
import type { AgentRef, AgentServerFrame, Attachment, Channel, CustomerServerFrame, ErrorCode, Message, Note, SystemLine } from '../../protocol';
import type { Env } from '../env';
import { newId } from '../auth/crypto';
import { findActiveAgent } from '../db/agents';
import { take } from '../limits/token-bucket';
import { limitsOff } from '../limits/limits';
import type { Bucket, BucketRule } from '../limits/token-bucket';
import { ConversationStore } from './store';
import { answerChannel } from './answer-channel';
import type { DoState } from './state';
import { SocketRegistry } from './sockets';
import { InboxNotifier } from './inbox-notifier';
import { Drain } from './drain';
import { decide, holdWakeAt } from './rules';
import type { Actor, Command, Effects, RuleEvent } from './commands';
import { authorOf } from './rules';
import { lineForAgents, lineForCustomers, lineOf } from './system-lines';
import { agentView, authorForCustomers, customerView, forAgents, forCustomers, noteForAgents, queueItemOf } from './views';

/** RPC answers carry expected failures as values: exceptions lose their class crossing RPC. */
export type Result<T> = { ok: true; value: T } | { ok: false; code: ErrorCode; message: string; retryAfterMs?: number };

/** A value as a successful Result. */
export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
/** A failure as a Result. */
export const fail = (code: ErrorCode, message: string, retryAfterMs?: number): { ok: false; code: ErrorCode; message: string; retryAfterMs?: number } =>
  retryAfterMs === undefined ? { ok: false, code, message } : { ok: false, code, message, retryAfterMs };

/**
 * How long messages wait to be copied to D1 (see Drain). D1 is off the delivery path, so two seconds
 * of lag cost nothing, while each slice not sent saves a queue message, a consumer write and a
 * confirmation call. Measured at 800 msg/s over 500 conversations (docs/scale.md): 1 s → 2 s,
 * with the Inbox told every 500 ms, took server CPU per message from 1.52 to 1.28 ms.
 */
export const DRAIN_DELAY_MS = 2000;

/**
 * Messages per customer: a burst a fast typist or a draining outbox never reaches, and a sustained
 * rate no person types at. A refusal carries retryAfter; the widget's outbox waits and resends.
 */
export const CUSTOMER_MESSAGES: BucketRule = { capacity: 60, refillPerSec: 2 };

/** A frame every participant may get, whatever their projection. */
type SharedFrame = Extract<CustomerServerFrame, AgentServerFrame>;

/**
 * The conversation's live core: state, log, sockets and alarm. It applies the rules' decisions —
 * storing, telling participants, scheduling the D1 copy — and is shared by the RPC methods and
 * the frame handlers of the Durable Object, so both paths do exactly the same thing.
 */
export class ConversationCore {
  readonly sockets: SocketRegistry;
  readonly inbox: InboxNotifier;
  readonly drain: Drain;
  st: DoState | null;
  seq: number;
  /** The alarm time we last set; undefined until read back from storage after a wake. */
  private alarmAt: number | null | undefined;
  /** Message buckets per customer. In memory: a flood keeps the object awake, so it is never lost mid-flood. */
  private readonly buckets = new Map<string, Bucket>();
  /** Made on first use, so an object whose unused session was deleted stays without storage. */
  private storeOrNull: ConversationStore | null = null;

  constructor(
    readonly ctx: DurableObjectState,
    readonly env: Env,
  ) {
    this.sockets = new SocketRegistry(ctx);
    this.inbox = new InboxNotifier(ctx, env);
    this.drain = new Drain(this, env.PROJECTION);
    const stored = ConversationStore.exists(ctx.storage.sql);
    this.st = stored ? this.store.loadState() : null;
    this.seq = stored ? this.store.lastSeq() : 0;
  }

  /** The object's SQLite, its tables created on first use. */
  get store(): ConversationStore {
    return (this.storeOrNull ??= new ConversationStore(this.ctx.storage.sql));
  }

  /** Delete everything this object stores (an unused session): it is as if it never existed. */
  async forget(): Promise<void> {
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
    this.storeOrNull = null;
    this.st = null;
    this.seq = 0;
    this.alarmAt = null;
    this.buckets.clear();
    this.drain.reset();
  }

  /** The state, for callers that have checked it exists. */
  get s(): DoState {
    return this.st!;
  }

  /**
   * Run a command through the rules and carry out the decision: audit events, the new state,
   * the broadcast and the alarm. `drainDelayMs` lets bursts share one D1 batch.
   */
  async apply(command: Command, actor: Actor, drainDelayMs = 0): Promise<Result<true>> {
    const r = this.commit(command, actor);
    if (!r.ok) return r;
    if (r.value) await this.scheduleAfter(r.value, drainDelayMs);
    return ok(true);
  }

  /**
   * The synchronous half of `apply`: decide, store, tell participants (but `except`). Null when
   * nothing changed. The caller schedules the alarm with `scheduleAfter`.
   */
  commit(command: Command, actor: Actor, except?: WebSocket): Result<Effects | null> {
    const now = Date.now();
    const d = decide(this.s, command, actor, now);
    if (!d.ok) return d;
    if (!d.effects.persist) return ok(null);
    this.st = d.state;
    this.record(d.events, now);
    this.touch();
    if (d.effects.publish) this.publishState(except);
    return ok(d.effects);
  }

  /** Start what a committed change needs: the D1 copy and the alarm for the hold's promised time. */
  async scheduleAfter(effects: Effects, drainDelayMs = 0): Promise<void> {
    await this.drain.soon(effects.publish ? 0 : drainDelayMs);
    if (effects.wakeAt !== null) await this.schedule(effects.wakeAt);
  }

  /**
   * Store a message, or find the one already stored under the same clientId (delivery promise 2).
   * The seq is taken and written with no await in between, so concurrent senders never share or
   * skip one. `limited` charges the sender's bucket, but never for a resend of a stored message;
   * `andThen` commits what goes with a new message in the same write (never with a resend).
   */
  async append(actor: Actor, channel: Channel, clientId: string, text: string, opts: { createdAt?: number; live?: boolean; limited?: boolean; andThen?: () => Effects | null; attachments?: Attachment[] } = {}): Promise<Result<{ message: Message; duplicate: boolean }>> {
    const s = this.s;
    const now = Date.now();
    // A refusal may be a resend of a stored message after all: that one is answered with its seq.
    const refuse = (r: { ok: false; code: ErrorCode; message: string; retryAfterMs?: number }): Result<{ message: Message; duplicate: boolean }> => {
      const existing = this.store.findByClientId(s.id, actor.role, clientId);
      return existing ? ok({ message: existing, duplicate: true }) : r;
    };
    const key = `${actor.role}:${actor.id}`;
    let paid: Bucket | null = null;
    if (opts.limited && actor.role === 'customer' && !limitsOff(this.env)) {
      const t = take(this.buckets.get(key), now, CUSTOMER_MESSAGES);
      if (!t.ok) return refuse(fail('rate.limited', 'Too many messages at once; they will be sent shortly', t.retryAfterMs));
      paid = t.bucket;
    }
    const createdAt = opts.createdAt ?? now;
    const live = opts.live ?? true;
    channel = answerChannel(this.store, actor, channel, live);
    const d = decide(s, { type: 'message', channel, createdAt, live }, actor, now);
    if (!d.ok) return refuse(d);
    const message: Message = { id: newId(now), conversationId: s.id, seq: this.seq + 1, clientId, author: authorOf(actor), channel, text, createdAt, ...(opts.attachments?.length ? { attachments: opts.attachments } : {}) };
    // The seq is taken and written with no await in between; a clientId already stored writes nothing.
    if (!this.store.insertMessage(message)) return ok({ message: this.store.findByClientId(s.id, actor.role, clientId)!, duplicate: true });
    if (paid) this.buckets.set(key, paid);
    this.seq = message.seq;
    this.st = d.state;
    this.record(d.events, now);
    this.touch(false);
    this.broadcastMessage(message);
    if (d.effects.publish) this.publishState();
    // What must be stored with the message (a macro's actions) runs before any await, so both are
    // one write of the object: it never has the one without the other.
    const after = opts.andThen?.() ?? null;
    await this.drain.soon(d.effects.publish ? 0 : DRAIN_DELAY_MS);
    // A customer's message starts an SLA clock: its alarm is set with the message.
    if (d.effects.wakeAt !== null) await this.schedule(d.effects.wakeAt);
    if (after) await this.scheduleAfter(after);
    return ok({ message, duplicate: false });
  }

  /** Store an internal note (agents only, never to the customer); deduplicated by clientId. */
  async addNote(actor: Actor, clientId: string, text: string): Promise<Result<{ note: Note; duplicate: boolean }>> {
    const now = Date.now();
    const d = decide(this.s, { type: 'note' }, actor, now);
    if (!d.ok) return d;
    const author: AgentRef = { id: actor.id ?? '', name: actor.name ?? '' };
    const r = this.store.addNote(this.s.id, clientId, author, text, now, newId(now));
    if (r.duplicate) return ok(r);
    this.store.enqueue('note', r.note.seq);
    this.st = d.state;
    this.touch();
    this.toAgents({ type: 'note.created', note: noteForAgents(r.note) });
    await this.drain.soon(DRAIN_DELAY_MS);
    return ok(r);
  }

  /** The active agent an assignment names, or 'unknown' (the rules refuse it, after permissions). */
  async findAssignee(agentId: string): Promise<AgentRef | 'unknown'> {
    if (agentId === this.s.assigneeId) return { id: agentId, name: this.s.assigneeName ?? '' };
    const agent = await findActiveAgent(this.env.DB, this.s.tenantId, agentId);
    return agent ? { id: agent.id, name: agent.name } : 'unknown';
  }

  /** Tell every participant the state, each in their own projection. */
  publishState(except?: WebSocket): void {
    this.sockets.broadcastEach({ type: 'conversation.updated', ...customerView(this.s, this.seq) }, { type: 'conversation.updated', ...agentView(this.s, this.seq) }, except);
  }

  /** Customers get their text as written; agents get it with phone and document numbers masked. */
  broadcastMessage(message: Message): void {
    const mine = forCustomers(message);
    const agents = forAgents(message);
    const frame = { type: 'message.created', message: agents } as const;
    this.sockets.broadcastEach(mine === agents ? frame : { type: 'message.created', message: mine }, frame);
  }

  /** A frame to the customers' sockets only. */
  toCustomers(frame: CustomerServerFrame, except?: WebSocket): void {
    this.sockets.broadcast(frame, except, 'customer');
  }

  /** A frame to the agents' sockets only. */
  toAgents(frame: AgentServerFrame, except?: WebSocket): void {
    this.sockets.broadcast(frame, except, 'agent');
  }

  /** A typing or read frame: agents learn who, customers only the name. */
  toEveryone(frame: Extract<SharedFrame, { author: unknown }>, except?: WebSocket): void {
    this.toAgents(frame, except);
    this.toCustomers({ ...frame, author: authorForCustomers(frame.author) }, except);
  }

  /** Agents looking at the conversation now, each once. */
  viewers(except?: WebSocket): AgentRef[] {
    const seen = new Map<string, AgentRef>();
    for (const a of this.sockets.ready(except)) if (a.role === 'agent') seen.set(a.id, { id: a.id, name: a.name ?? '' });
    return [...seen.values()];
  }

  /** Tell agents who is looking; `skip` already knows (a newcomer's welcome) or is leaving. */
  broadcastViewers(skip?: WebSocket, leaving = false): void {
    this.toAgents({ type: 'viewers', agents: this.viewers(leaving ? skip : undefined) }, skip);
  }

  /** Store the state without a version bump: fields D1 does not keep (queue position, a name). */
  saveQuietly(): void {
    this.store.saveState(this.s);
  }

  /** Make sure an alarm fires no later than `at`. */
  async schedule(at: number): Promise<void> {
    if (this.alarmAt === undefined) this.alarmAt = await this.ctx.storage.getAlarm();
    if (this.alarmAt !== null && this.alarmAt <= at) return;
    this.alarmAt = at;
    await this.ctx.storage.setAlarm(at);
  }

  /** The alarm fired: it is no longer set. */
  alarmFired(): void {
    this.alarmAt = null;
  }

  /** When the hold next needs a look, if ever. */
  holdWakeAt(): number | null {
    return this.st ? holdWakeAt(this.st) : null;
  }

  /**
   * Persist a state change: bump the version, queue the snapshot for D1 (a stored message did
   * already), write down what the drain holds in memory (this event writes anyway), tell the Inbox.
   */
  touch(enqueue = true): void {
    const s = this.s;
    s.version++;
    this.store.saveState(s);
    if (enqueue) this.store.enqueue('state');
    this.drain.writeDown(true);
    this.notifyInbox();
  }

  /** Tell the tenant's Inbox this conversation's queue row changed (coalesced); a session is no ticket yet. */
  notifyInbox(): void {
    if (!this.st || this.st.openedAt === null) return;
    this.inbox.changed(this.st.tenantId, () => (this.st ? queueItemOf(this.st, this.store.lastMessage(this.st.id), this.seq) : null), {
      get: () => this.st?.inboxTeam,
      set: (team) => {
        if (!this.st) return;
        this.st.inboxTeam = team;
        this.saveQuietly();
      },
    });
  }

  /** Store the decision's audit events and show the lines they make in everyone's thread, each in their projection. */
  record(events: RuleEvent[], now: number): void {
    for (const e of events) {
      const seq = this.store.addEvent(e.kind, e.actor, e.data, now);
      this.store.enqueue('event', seq);
      const line = lineOf({ seq, kind: e.kind, actorRole: e.actor.role, actorName: e.actor.name, data: e.data, at: now });
      if (!line) continue;
      const mine = lineForCustomers(line);
      this.sockets.broadcastEach(mine && { type: 'system.line', line: mine }, { type: 'system.line', line: lineForAgents(line) });
    }
  }

  /** The thread's lines for a welcome, in one projection. */
  lines(forAgents: boolean): SystemLine[] {
    const all = this.store.lineEvents(MAX_WELCOME_LINES).map(lineOf);
    const out: SystemLine[] = [];
    for (const l of all) {
      const shown = l && (forAgents ? lineForAgents(l) : lineForCustomers(l));
      if (shown) out.push(shown);
    }
    return foldRatings(out);
  }
}
