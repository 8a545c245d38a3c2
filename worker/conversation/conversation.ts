import { DurableObject } from 'cloudflare:workers';
import * as v from 'valibot';
import { CLOSE, ClientFrame, MAX_TEXT, PING, PONG } from '../../protocol';
import type { AgentRef, Author, Channel, ConversationState, ErrorCode, Message, Note, Priority, QueueItem, ServerFrame, Status } from '../../protocol';
import type { Env } from '../env';
import { newId } from '../auth/crypto';
import { verifySocketToken } from '../auth/tokens';
import { ApiError } from '../errors';
import { describeIssues, textIssueCode } from '../errors';
import { findActiveAgent } from '../db/agents';
import { insertEventStatement, insertMessageStatement, insertNoteStatement, projectedLog, upsertConversationStatement } from '../db/projection';
import { maskText } from '../privacy/mask';
import type { ConversationSnapshot } from '../db/projection';
import { ConversationStore } from './store';
import { inboxStub } from '../stubs';
import type { DoState } from './store';
import { SocketRegistry, authorOf } from './sockets';
import type { Attachment } from './sockets';

/** What the Worker knows when it hands a new conversation to its object. */
export interface ConversationInit {
  id: string;
  tenantId: string;
  tenantKey: string;
  contactName: string | null;
  number: number;
  contactId: string;
  createdAt: number;
}

/** RPC answers carry expected failures as values: exceptions lose their class crossing RPC. */
export type Result<T> = { ok: true; value: T } | { ok: false; code: ErrorCode; message: string };

/** A change to the ticket, by frame or API. Absent fields stay; assigneeId null unassigns. */
export interface ConversationPatch {
  status?: Status;
  priority?: Priority;
  assigneeId?: string | null;
  hold?: { note: string; until: number } | null;
  /** A supervisor took the escalation over: it leaves the escalations list. */
  clearEscalation?: boolean;
}

/** The longest an agent may promise to be away. */
const MAX_HOLD_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * How long messages wait to be copied to D1. D1 is off the delivery path, so a second of lag costs
 * nothing, while batching a quiet conversation's messages saves one D1 round trip per message.
 */
const DRAIN_DELAY_MS = 1000;
/** How long changes gather before the Inbox hears of them: agents see them well within a second. */
const INBOX_DELAY_MS = 250;
/** How many outbox rows one D1 batch takes. */
const DRAIN_BATCH = 100;
const MAX_BACKOFF_MS = 60_000;

const ok = <T>(value: T): Result<T> => ({ ok: true, value });
const fail = (code: ErrorCode, message: string): { ok: false; code: ErrorCode; message: string } => ({ ok: false, code, message });

function assertNever(x: never): never {
  throw new Error(`unhandled frame ${JSON.stringify(x)}`);
}

/**
 * One conversation: the ordered message log, everyone's sockets, and the outbox to D1.
 * It is the single writer of its conversation, so `seq` is total, gapless and race-free.
 */
export class Conversation extends DurableObject<Env> {
  private readonly store: ConversationStore;
  private readonly sockets: SocketRegistry;
  private st: DoState | null;
  private seq: number;
  /** The alarm time we last set; undefined until read back from storage after a wake. */
  private alarmAt: number | null | undefined;
  private drainFailures = 0;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.store = new ConversationStore(ctx.storage.sql);
    this.sockets = new SocketRegistry(ctx);
    this.st = this.store.loadState();
    this.seq = this.store.lastSeq();
    // Keep-alives are answered by the runtime without waking a hibernated object.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(PING, PONG));
  }

  // ---- RPC, called by the Worker after it has checked the caller's tenant ----

  /** Create the conversation's state if this object is new; idempotent. */
  async ensure(init: ConversationInit): Promise<ConversationState> {
    if (!this.st) {
      this.st = {
        ...init,
        status: 'open',
        priority: 'normal',
        assigneeId: null,
        assigneeName: null,
        channels: [],
        holdNote: null,
        holdUntil: null,
        mergedInto: null,
        csatScore: null,
        csatComment: null,
        csatAt: null,
        waitingSince: null,
        escalation: null,
        queuePosition: null,
        updatedAt: init.createdAt,
        version: 1,
      };
      this.store.saveState(this.st);
      this.store.enqueue('state');
      await this.schedule(Date.now() + DRAIN_DELAY_MS);
    } else if (init.contactName && this.st.contactName !== init.contactName) {
      this.st.contactName = init.contactName;
      this.store.saveState(this.st);
    }
    this.tellInbox();
    return this.view();
  }

  /** The live state and the whole log, for the agent API. */
  async snapshot(tenantId: string): Promise<Result<{ state: ConversationState; messages: Message[]; notes: Note[] }>> {
    const st = this.owned(tenantId);
    if (!st.ok) return st;
    return ok({ state: this.view(), messages: this.store.messagesAfter(this.st!.id, 0).map(forAgents), notes: this.store.notes(this.st!.id) });
  }

  /** Show one message in clear to an agent, and write that it happened to the audit log. */
  async reveal(tenantId: string, agent: AgentRef, seq: number): Promise<Result<string>> {
    const st = this.owned(tenantId);
    if (!st.ok) return st;
    const m = this.store.message(this.st!.id, seq);
    if (!m) return fail('request.not_found', 'No message with that seq');
    const now = Date.now();
    this.recordEvent('pii.revealed', { role: 'agent', id: agent.id, name: agent.name }, { seq }, now);
    this.touch(now);
    await this.schedule(now);
    return ok(m.text);
  }

  /** Escalate to supervisors with a reason (agent API). */
  async escalate(tenantId: string, agent: AgentRef, reason: string): Promise<Result<ConversationState>> {
    const st = this.owned(tenantId);
    if (!st.ok) return st;
    const s = this.st!;
    if (s.status === 'resolved' || s.status === 'closed') return fail('conversation.closed', 'Reopen the conversation to escalate it');
    const now = Date.now();
    this.recordEvent('escalated', { role: 'agent', id: agent.id, name: agent.name }, { reason }, now);
    s.escalation = { reason, by: { id: agent.id, name: agent.name }, at: now };
    this.touch(now);
    this.sockets.broadcast({ type: 'conversation.updated', ...this.view() });
    await this.schedule(now);
    return ok(this.view());
  }

  /** The Inbox tells a waiting customer where they are in the queue (not audited, not projected). */
  async setQueuePosition(position: number | null): Promise<void> {
    const s = this.st;
    if (!s || s.queuePosition === position) return;
    s.queuePosition = position;
    this.store.saveState(s);
    this.sockets.broadcast({ type: 'conversation.updated', ...this.view() });
  }

  /** Close one agent's sockets here (the agent was disabled). */
  async disconnectAgent(agentId: string): Promise<number> {
    let n = 0;
    this.sockets.closeAll(CLOSE.unauthorized, 'auth.forbidden', (a) => {
      const hit = a.ready && a.role === 'agent' && a.id === agentId;
      if (hit) n++;
      return hit;
    });
    if (n) this.broadcastViewers();
    return n;
  }

  /** The row this conversation is in the tenant's live queue. */
  async queueItem(): Promise<QueueItem | null> {
    return this.st ? this.toQueueItem() : null;
  }

  /** Post a message without a socket (agent API); same dedupe and fan-out as the frame. */
  async send(tenantId: string, author: Author, channel: Channel, clientId: string, text: string): Promise<Result<Message>> {
    const st = this.owned(tenantId);
    if (!st.ok) return st;
    if (text.length === 0 || text.length > MAX_TEXT) return fail('message.too_long', `text must be 1 to ${MAX_TEXT} characters`);
    const r = this.append(author, channel, clientId, text);
    if (!r.ok) return r;
    await this.afterAppend(r.value);
    return ok(r.value.message);
  }

  /** Change status, priority or assignee (agent API). */
  async update(tenantId: string, actor: Author, patch: ConversationPatch): Promise<Result<ConversationState>> {
    const st = this.owned(tenantId);
    if (!st.ok) return st;
    return this.applyUpdate(actor, patch);
  }

  /** Re-point the conversation at the contact an anonymous visitor turned out to be. */
  async setContact(tenantId: string, contactId: string): Promise<Result<ConversationState>> {
    const st = this.owned(tenantId);
    if (!st.ok) return st;
    const s = this.st!;
    if (s.contactId !== contactId) {
      const now = Date.now();
      this.recordEvent('contact.linked', SYSTEM, { from: s.contactId, to: contactId }, now);
      s.contactId = contactId;
      this.touch(now);
      await this.schedule(now);
    }
    return ok(this.view());
  }

  /** Every message, for moving a visitor's history into their contact's open conversation. */
  async exportMessages(tenantId: string): Promise<Result<Message[]>> {
    const st = this.owned(tenantId);
    if (!st.ok) return st;
    return ok(this.store.messagesAfter(this.st!.id, 0));
  }

  /**
   * Append another conversation's history (merge). Each copied message is keyed by its origin, so
   * a retried merge copies nothing twice; original authors, channels and times are kept.
   */
  async importMessages(tenantId: string, fromId: string, messages: Message[]): Promise<Result<number>> {
    const st = this.owned(tenantId);
    if (!st.ok) return st;
    let copied = 0;
    for (const m of messages) {
      const r = this.append(m.author, m.channel, `merged:${fromId}:${m.seq}`, m.text, m.createdAt, false);
      if (!r.ok) return r;
      if (!r.value.duplicate) {
        copied++;
        this.broadcastMessage(r.value.message);
      }
    }
    if (copied > 0) {
      const now = Date.now();
      this.recordEvent('conversation.merged_from', SYSTEM, { from: fromId, messages: copied }, now);
      this.touch(now);
      this.sockets.broadcast({ type: 'conversation.updated', ...this.view() });
      await this.schedule(now);
    }
    return ok(copied);
  }

  /** Close this conversation as merged into `targetId`; its sockets learn where the thread went. */
  async mergeInto(tenantId: string, targetId: string): Promise<Result<ConversationState>> {
    const st = this.owned(tenantId);
    if (!st.ok) return st;
    const s = this.st!;
    if (s.mergedInto !== targetId) {
      const now = Date.now();
      this.recordEvent('conversation.merged_into', SYSTEM, { into: targetId, from: s.status }, now);
      s.mergedInto = targetId;
      s.status = 'closed';
      this.touch(now);
      this.sockets.broadcast({ type: 'conversation.updated', ...this.view() });
      await this.schedule(now);
    }
    return ok(this.view());
  }

  /** Compare this log with its D1 projection: the reconciliation check of delivery promise 6. */
  async reconcile(): Promise<{ ok: boolean; outbox: number; missing: number[]; different: number[]; extra: number[]; missingEvents: number[]; version: { object: number; d1: number | null } }> {
    const s = this.st;
    if (!s) return { ok: true, outbox: 0, missing: [], different: [], extra: [], missingEvents: [], version: { object: 0, d1: null } };
    const d1 = await projectedLog(this.env.DB, s.tenantId, s.id);
    const mine = this.store.messagesAfter(s.id, 0);
    const theirs = new Map(d1.messages.map((m) => [m.seq, m]));
    const missing: number[] = [];
    const different: number[] = [];
    for (const m of mine) {
      const t = theirs.get(m.seq);
      if (!t) missing.push(m.seq);
      else if (t.id !== m.id || t.text !== m.text || t.channel !== m.channel) different.push(m.seq);
      theirs.delete(m.seq);
    }
    const extra = [...theirs.keys()];
    const d1Events = new Set(d1.eventSeqs);
    const missingEvents = this.store.eventSeqs().filter((e) => !d1Events.has(e));
    const same = !missing.length && !different.length && !extra.length && !missingEvents.length && d1.version === s.version;
    return { ok: same, outbox: this.store.outboxSize(), missing, different, extra, missingEvents, version: { object: s.version, d1: d1.version } };
  }

  // ---- WebSockets ----

  /** Accept a socket; it must say `hello` with a valid token before the deadline. */
  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get('Upgrade')?.toLowerCase() !== 'websocket') {
      return Response.json({ error: { code: 'request.invalid', message: 'Expected a WebSocket upgrade' } }, { status: 426 });
    }
    if (!this.st) return Response.json({ error: { code: 'conversation.not_found', message: 'No such conversation' } }, { status: 404 });
    const { 0: client, 1: server } = new WebSocketPair();
    this.ctx.acceptWebSocket(server);
    const deadline = Date.now() + Number(this.env.HELLO_TIMEOUT_MS ?? 5000);
    this.sockets.set(server, { v: 1, ready: false, deadline });
    await this.schedule(deadline);
    return new Response(null, { status: 101, webSocket: client });
  }

  override async webSocketMessage(ws: WebSocket, data: string | ArrayBuffer): Promise<void> {
    if (typeof data !== 'string') return this.sendError(ws, 'frame.invalid', 'Frames are JSON text');
    let raw: unknown;
    try {
      raw = JSON.parse(data);
    } catch {
      return this.sendError(ws, 'frame.invalid_json', 'Frame is not valid JSON');
    }
    const parsed = v.safeParse(ClientFrame, raw);
    if (!parsed.success) {
      const ref = typeof (raw as { clientId?: unknown })?.clientId === 'string' ? (raw as { clientId: string }).clientId : undefined;
      return this.sendError(ws, textIssueCode(parsed.issues) ?? 'frame.invalid', describeIssues(parsed.issues), ref);
    }
    const frame = parsed.output;
    const att = this.sockets.get(ws);
    if (frame.type === 'hello') return this.onHello(ws, att, frame.token, frame.lastSeq);
    if (!att.ready) return this.sendError(ws, 'auth.hello_required', 'Send hello with your token first');
    const me = authorOf(att);
    switch (frame.type) {
      case 'message.send': {
        const r = this.append(me, att.channel ?? 'web', frame.clientId, frame.text);
        if (!r.ok) return this.sendError(ws, r.code, r.message, frame.clientId);
        this.sockets.send(ws, { type: 'message.ack', clientId: frame.clientId, seq: r.value.message.seq });
        await this.afterAppend(r.value);
        return;
      }
      case 'typing.set':
        return this.sockets.broadcast({ type: 'typing', author: me, on: frame.on }, ws);
      case 'read.set': {
        const seq = Math.min(frame.seq, this.seq);
        if (this.store.markRead(me.role, me.id!, seq)) this.sockets.broadcast({ type: 'read', author: me, seq }, ws);
        return;
      }
      case 'csat.rate': {
        if (me.role !== 'customer') return this.sendError(ws, 'frame.forbidden', 'Only the customer rates a conversation');
        const r = await this.rate(me, frame.score, frame.comment ?? null);
        if (!r.ok) return this.sendError(ws, r.code, r.message);
        return;
      }
      case 'note.send': {
        if (me.role !== 'agent') return this.sendError(ws, 'frame.forbidden', 'Only agents write notes');
        const s = this.st!;
        const now = Date.now();
        const { note, duplicate } = this.store.addNote(s.id, frame.clientId, { id: me.id!, name: me.name ?? '' }, frame.text, now, newId(now));
        this.sockets.send(ws, { type: 'message.ack', clientId: frame.clientId, seq: note.seq });
        if (duplicate) return;
        this.store.enqueue('note', note.seq);
        this.touch(now);
        this.sockets.broadcast({ type: 'note.created', note }, undefined, 'agent');
        await this.schedule(now + DRAIN_DELAY_MS);
        return;
      }
      case 'conversation.update': {
        if (me.role !== 'agent') return this.sendError(ws, 'frame.forbidden', 'Only agents change a conversation');
        const { type: _, ...patch } = frame;
        const r = await this.applyUpdate(me, patch);
        if (!r.ok) return this.sendError(ws, r.code, r.message);
        return;
      }
      default:
        return assertNever(frame);
    }
  }

  override async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    const a = this.sockets.get(ws);
    if (a.ready && a.role === 'agent') {
      this.broadcastViewers(undefined, ws);
      if (!this.sockets.ready(ws).some((o) => o.role === 'agent' && o.id === a.id)) this.tellInboxViewing(a.id, false);
    }
    try {
      ws.close(code === 1005 || code === 1006 ? 1000 : code, reason);
    } catch {
      /* already closed */
    }
  }

  override async webSocketError(ws: WebSocket): Promise<void> {
    try {
      ws.close(1011, 'socket error');
    } catch {
      /* already closed */
    }
  }

  /** Alarms do two jobs: close sockets that never said hello, and drain the outbox to D1. */
  override async alarm(): Promise<void> {
    this.alarmAt = null;
    const now = Date.now();
    let next = Infinity;
    for (const { ws, deadline } of this.sockets.pending()) {
      if (deadline <= now) {
        this.sendError(ws, 'auth.hello_timeout', 'No hello within the time allowed');
        ws.close(CLOSE.unauthorized, 'auth.hello_timeout');
      } else next = Math.min(next, deadline);
    }
    next = Math.min(next, this.checkHold(now));
    try {
      if (await this.drain()) next = Math.min(next, Date.now());
      this.drainFailures = 0;
    } catch (err) {
      // D1 is down or refused the batch: the rows stay in the outbox and we try again, backing off.
      this.drainFailures++;
      console.warn(`outbox drain failed (${this.drainFailures}x):`, (err as Error).message);
      next = Math.min(next, Date.now() + Math.min(MAX_BACKOFF_MS, 1000 * 2 ** (this.drainFailures - 1)));
    }
    if (next !== Infinity) await this.schedule(next);
  }

  // ---- internals ----

  private async onHello(ws: WebSocket, att: Attachment, token: string, lastSeq: number): Promise<void> {
    if (att.ready) return this.sendError(ws, 'frame.invalid', 'hello was already said on this socket');
    let claims;
    try {
      claims = await verifySocketToken(this.env.SOCKET_SECRET, token);
    } catch (err) {
      const code: ErrorCode = err instanceof ApiError ? err.code : 'auth.token_invalid';
      this.sendError(ws, code, err instanceof Error ? err.message : 'Token is not valid');
      ws.close(CLOSE.unauthorized, code);
      return;
    }
    const s = this.st!;
    // A disabled agent's still-valid token must not open anything.
    if (claims.role === 'agent' && claims.tid === s.tenantId && !(await findActiveAgent(this.env.DB, s.tenantId, claims.sub))) {
      this.sendError(ws, 'auth.forbidden', 'This agent account is disabled');
      ws.close(CLOSE.unauthorized, 'auth.forbidden');
      return;
    }
    const wrongContact = claims.role === 'customer' && claims.sub !== s.contactId;
    if (claims.cid !== s.id || claims.tid !== s.tenantId || wrongContact) {
      this.sendError(ws, 'auth.forbidden', 'This token is not for this conversation');
      ws.close(CLOSE.forbidden, 'auth.forbidden');
      return;
    }
    // From here to the welcome nothing awaits, so no message can slip between backlog and live.
    const ready: Attachment = { v: 1, ready: true, role: claims.role, id: claims.sub, name: claims.name, channel: claims.ch };
    this.sockets.set(ws, ready);
    const me = authorOf(ready);
    let changed = false;
    if (claims.role === 'customer' && claims.ch && !s.channels.includes(claims.ch)) {
      s.channels = [...s.channels, claims.ch];
      this.touch(Date.now());
      changed = true;
    }
    const backlog = this.store.messagesAfter(s.id, lastSeq);
    if (claims.role === 'agent') {
      this.tellInboxViewing(claims.sub, true);
      this.sockets.send(ws, { type: 'welcome', conversation: this.view(), messages: backlog.map(forAgents), you: { ...me, channel: null }, notes: this.store.notes(s.id), viewers: this.viewers() });
      this.broadcastViewers(ws);
    } else {
      this.sockets.send(ws, { type: 'welcome', conversation: this.view(), messages: backlog, you: { ...me, channel: claims.ch } });
    }
    if (changed) {
      this.sockets.broadcast({ type: 'conversation.updated', ...this.view() }, ws);
      await this.schedule(Date.now() + DRAIN_DELAY_MS);
    }
  }

  /**
   * Store a message, or find the one already stored under the same clientId. Synchronous: the
   * seq is taken and written in one step, so concurrent senders can never share or skip a seq.
   */
  private append(author: Author, channel: Channel, clientId: string, text: string, createdAt = Date.now(), live = true): Result<{ message: Message; duplicate: boolean; stateChanged: boolean }> {
    const s = this.st!;
    const existing = this.store.findByClientId(s.id, author.role, clientId);
    if (existing) return ok({ message: existing, duplicate: true, stateChanged: false });
    if (s.status === 'closed') return fail('conversation.closed', 'This conversation is closed');
    const now = Date.now();
    const message: Message = { id: newId(now), conversationId: s.id, seq: this.seq + 1, clientId, author, channel, text, createdAt };
    this.store.insertMessage(message);
    this.seq = message.seq;
    this.store.enqueue('message', message.seq);
    let stateChanged = false;
    if (author.role === 'customer' && !s.channels.includes(channel)) {
      s.channels = [...s.channels, channel];
      stateChanged = true;
    }
    if (author.role === 'customer') {
      if (live && s.waitingSince === null) s.waitingSince = createdAt;
      if (author.name && author.name !== s.contactName) s.contactName = author.name;
    } else if (author.role === 'agent' && live) {
      s.waitingSince = null;
      // Whoever answers an unassigned conversation owns it: nobody else picks it up twice.
      if (!s.assigneeId && author.id) {
        this.recordEvent('assignee.changed', author, { from: null, to: author.id, reason: 'replied' }, now);
        s.assigneeId = author.id;
        s.assigneeName = author.name;
        stateChanged = true;
      }
    }
    // The agent coming back with an answer ends the hold they promised.
    if (live && author.role === 'agent' && s.status === 'on_hold') {
      this.recordEvent('status.changed', author, { from: 'on_hold', to: 'open', reason: 'agent_replied' }, now);
      s.status = 'open';
      this.clearHold();
      stateChanged = true;
    }
    // A customer writing into a resolved conversation brings it back rather than going unheard.
    if (live && author.role === 'customer' && s.status === 'resolved') {
      this.recordEvent('status.changed', author, { from: s.status, to: 'open', reason: 'customer_replied' }, now);
      s.status = 'open';
      stateChanged = true;
    }
    this.touch(now);
    return ok({ message, duplicate: false, stateChanged });
  }

  /** Tell everyone about a stored message and schedule its copy to D1. */
  private async afterAppend(r: { message: Message; duplicate: boolean; stateChanged: boolean }): Promise<void> {
    if (r.duplicate) return;
    this.broadcastMessage(r.message);
    if (r.stateChanged) this.sockets.broadcast({ type: 'conversation.updated', ...this.view() });
    await this.schedule(Date.now() + (r.stateChanged ? 0 : DRAIN_DELAY_MS));
  }

  private async applyUpdate(actor: Author, patch: ConversationPatch): Promise<Result<ConversationState>> {
    let assignee: { id: string; name: string } | null | undefined;
    if (patch.assigneeId !== undefined && patch.assigneeId !== null && patch.assigneeId !== this.st!.assigneeId) {
      const agent = await findActiveAgent(this.env.DB, this.st!.tenantId, patch.assigneeId);
      if (!agent) return fail('agent.not_found', 'No active agent with that id in this tenant');
      assignee = { id: agent.id, name: agent.name };
    } else if (patch.assigneeId === null) assignee = null;
    const s = this.st!;
    if (s.status === 'closed') return fail('conversation.closed', 'This conversation is closed');
    const now = Date.now();
    if (patch.hold && (patch.hold.until <= now || patch.hold.until > now + MAX_HOLD_MS)) {
      return fail('request.invalid', 'hold.until must be in the future and within 7 days');
    }
    if (patch.hold && patch.status && patch.status !== 'on_hold') return fail('request.invalid', 'a hold goes with status on_hold');
    let changed = false;
    if (patch.hold) {
      this.recordEvent('hold.set', actor, { note: patch.hold.note, until: patch.hold.until }, now);
      if (s.status !== 'on_hold') this.recordEvent('status.changed', actor, { from: s.status, to: 'on_hold' }, now);
      s.status = 'on_hold';
      s.holdNote = patch.hold.note;
      s.holdUntil = patch.hold.until;
      s.holdOverdue = false;
      changed = true;
    } else if (patch.hold === null && s.status === 'on_hold' && !patch.status) {
      patch = { ...patch, status: 'open' };
    }
    if (patch.status && patch.status !== s.status) {
      this.recordEvent('status.changed', actor, { from: s.status, to: patch.status }, now);
      s.status = patch.status;
      if (s.status !== 'on_hold') this.clearHold();
      changed = true;
    }
    if (patch.priority && patch.priority !== s.priority) {
      this.recordEvent('priority.changed', actor, { from: s.priority, to: patch.priority }, now);
      s.priority = patch.priority;
      changed = true;
    }
    if (s.escalation && (patch.clearEscalation || s.status === 'resolved' || s.status === 'closed')) {
      this.recordEvent('escalation.taken', actor, { reason: s.escalation.reason }, now);
      s.escalation = null;
      changed = true;
    }
    if (assignee !== undefined && (assignee?.id ?? null) !== s.assigneeId) {
      this.recordEvent('assignee.changed', actor, { from: s.assigneeId, to: assignee?.id ?? null }, now);
      s.assigneeId = assignee?.id ?? null;
      s.assigneeName = assignee?.name ?? null;
      changed = true;
    }
    if (changed) {
      this.touch(now);
      this.sockets.broadcast({ type: 'conversation.updated', ...this.view() });
      await this.schedule(now);
      if (s.holdUntil !== null && !s.holdOverdue) await this.schedule(s.holdUntil);
    }
    return ok(this.view());
  }

  private clearHold(): void {
    const s = this.st!;
    s.holdNote = null;
    s.holdUntil = null;
    s.holdOverdue = false;
  }

  /** A hold whose promised time passed without the agent coming back: mark it and remind. */
  private checkHold(now: number): number {
    const s = this.st;
    if (!s || s.status !== 'on_hold' || s.holdUntil === null || s.holdOverdue) return Infinity;
    if (s.holdUntil > now) return s.holdUntil;
    s.holdOverdue = true;
    this.recordEvent('hold.overdue', SYSTEM, { until: s.holdUntil, assigneeId: s.assigneeId }, now);
    this.touch(now);
    this.sockets.broadcast({ type: 'conversation.updated', ...this.view() });
    return now;
  }

  /** One rating per conversation: rating again replaces it, so a hundred presses store one. */
  private async rate(actor: Author, score: 'good' | 'bad', comment: string | null): Promise<Result<ConversationState>> {
    const s = this.st!;
    if (s.status !== 'resolved' && s.status !== 'closed') return fail('csat.not_resolved', 'A conversation is rated once it is resolved');
    if (s.csatScore === score && s.csatComment === comment) return ok(this.view());
    const now = Date.now();
    this.recordEvent('csat.rated', actor, { score, comment }, now);
    s.csatScore = score;
    s.csatComment = comment;
    s.csatAt = now;
    this.touch(now);
    this.sockets.broadcast({ type: 'conversation.updated', ...this.view() });
    await this.schedule(now);
    return ok(this.view());
  }

  private recordEvent(kind: string, actor: Author, data: Record<string, unknown>, now: number): void {
    this.store.enqueue('event', this.store.addEvent(kind, actor, data, now));
  }

  /** Persist a state change: bump the version and queue the snapshot for D1. */
  private touch(now: number): void {
    const s = this.st!;
    s.updatedAt = now;
    s.version++;
    this.store.saveState(s);
    this.store.enqueue('state');
    this.tellInbox();
  }

  private inboxTimer: ReturnType<typeof setTimeout> | undefined;

  /**
   * Tell the tenant's Inbox about the change, coalesced: a burst of messages costs one call, and
   * agents still see it within a fraction of a second.
   */
  private tellInbox(): void {
    if (this.inboxTimer) return;
    this.inboxTimer = setTimeout(() => {
      this.inboxTimer = undefined;
      const s = this.st;
      if (!s) return;
      const item = this.toQueueItem();
      this.ctx.waitUntil(
        inboxStub(this.env, s.tenantId)
          .conversationChanged(item, s.tenantId)
          .catch((err: Error) => console.warn('inbox notify failed:', err.message)),
      );
    }, INBOX_DELAY_MS);
  }

  private tellInboxViewing(agentId: string, on: boolean): void {
    const s = this.st;
    if (!s) return;
    this.ctx.waitUntil(inboxStub(this.env, s.tenantId).viewing(agentId, s.id, on).catch(() => {}));
  }

  private toQueueItem(): QueueItem {
    const s = this.st!;
    const last = this.store.lastMessage(s.id);
    const v = this.view();
    return {
      id: s.id,
      number: s.number,
      brand: s.tenantKey,
      status: s.status,
      priority: s.priority,
      assignee: v.assignee,
      channels: s.channels,
      contactName: s.contactName,
      lastMessageText: last ? maskText(last.text.slice(0, 200)).text : null,
      lastMessageAt: last?.createdAt ?? null,
      waitingSince: s.waitingSince,
      escalation: s.escalation,
      hold: v.hold,
      createdAt: s.createdAt,
      updatedAt: s.updatedAt,
    };
  }

  /** Customers get their text as written; agents get it with phone and document numbers masked. */
  private broadcastMessage(message: Message): void {
    this.sockets.broadcast({ type: 'message.created', message }, undefined, 'customer');
    this.sockets.broadcast({ type: 'message.created', message: forAgents(message) }, undefined, 'agent');
  }

  private viewers(except?: WebSocket): AgentRef[] {
    const seen = new Map<string, AgentRef>();
    for (const a of this.sockets.ready(except)) if (a.role === 'agent') seen.set(a.id, { id: a.id, name: a.name ?? '' });
    return [...seen.values()];
  }

  /** Tell agents who is looking; `newcomer` got the list in its welcome, `leaving` is not counted. */
  private broadcastViewers(newcomer?: WebSocket, leaving?: WebSocket): void {
    this.sockets.broadcast({ type: 'viewers', agents: this.viewers(leaving) }, newcomer ?? leaving, 'agent');
  }

  /** Copy one batch of the outbox to D1 in one transaction; true when more is waiting. */
  private async drain(): Promise<boolean> {
    const s = this.st;
    if (!s) return false;
    const rows = this.store.outboxBatch(DRAIN_BATCH);
    if (rows.length === 0) return false;
    const db = this.env.DB;
    // The ticket row goes first: the messages and events below reference it.
    const statements = [upsertConversationStatement(db, this.snapshotForD1())];
    for (const row of rows) {
      if (row.kind === 'message') {
        const m = this.store.message(s.id, row.ref!);
        if (m) statements.push(insertMessageStatement(db, s.tenantId, m));
      } else if (row.kind === 'event') {
        const e = this.store.event(row.ref!);
        if (e) statements.push(insertEventStatement(db, s.tenantId, s.id, e));
      } else if (row.kind === 'note') {
        const n = this.store.note(s.id, row.ref!);
        if (n) statements.push(insertNoteStatement(db, s.tenantId, n));
      }
    }
    await db.batch(statements);
    this.store.dropOutbox(rows[rows.length - 1]!.id);
    return this.store.outboxSize() > 0;
  }

  private snapshotForD1(): ConversationSnapshot {
    const s = this.st!;
    const last = this.store.lastMessage(s.id);
    return {
      id: s.id,
      tenantId: s.tenantId,
      number: s.number,
      contactId: s.contactId,
      status: s.status,
      priority: s.priority,
      assigneeId: s.assigneeId,
      channels: s.channels,
      createdAt: s.createdAt,
      updatedAt: s.updatedAt,
      lastSeq: this.seq,
      lastMessageAt: last?.createdAt ?? null,
      lastMessageText: last ? last.text.slice(0, 200) : null,
      mergedInto: s.mergedInto,
      csatScore: s.csatScore,
      csatComment: s.csatComment,
      csatAt: s.csatAt,
      version: s.version,
    };
  }

  /** Make sure an alarm fires no later than `at`. */
  private async schedule(at: number): Promise<void> {
    if (this.alarmAt === undefined) this.alarmAt = await this.ctx.storage.getAlarm();
    if (this.alarmAt !== null && this.alarmAt <= at) return;
    this.alarmAt = at;
    await this.ctx.storage.setAlarm(at);
  }

  private owned(tenantId: string): Result<true> {
    if (!this.st || this.st.tenantId !== tenantId) return fail('conversation.not_found', 'No such conversation');
    return ok(true);
  }

  private view(): ConversationState {
    const s = this.st!;
    return {
      id: s.id,
      number: s.number,
      status: s.status,
      priority: s.priority,
      assignee: s.assigneeId ? { id: s.assigneeId, name: s.assigneeName ?? '' } : null,
      channels: s.channels,
      hold: s.status === 'on_hold' && s.holdUntil !== null ? { note: s.holdNote ?? '', until: s.holdUntil, overdue: s.holdOverdue === true } : null,
      queue: s.queuePosition !== null && !s.assigneeId && s.status === 'open' ? { position: s.queuePosition } : null,
      escalation: s.escalation,
      csat: s.csatScore ? { score: s.csatScore, comment: s.csatComment } : null,
      mergedInto: s.mergedInto,
      lastSeq: this.seq,
    };
  }

  private sendError(ws: WebSocket, code: ErrorCode, message: string, ref?: string): void {
    const frame: ServerFrame = ref === undefined ? { type: 'error', code, message } : { type: 'error', code, message, ref };
    this.sockets.send(ws, frame);
  }
}

const SYSTEM: Author = { role: 'system', id: null, name: null };

/** A message as agents receive it: phone and document numbers masked until revealed. */
function forAgents(m: Message): Message {
  if (m.author.role !== 'customer') return m;
  const { text, masked } = maskText(m.text);
  return masked ? { ...m, text, masked } : m;
}
