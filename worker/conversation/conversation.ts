import { DurableObject } from 'cloudflare:workers';
import { CLOSE, PING, PONG } from '../../protocol';
import type { Channel, ConversationState, Message, Note, SlaConfig, SlaStatus, SystemLine } from '../../protocol';
import type { Env } from '../env';
import { errorResponse } from '../errors';
import { ConversationCore, DRAIN_DELAY_MS, fail, ok } from './core';
import type { Result } from './core';
import { reconcile } from './d1-projection';
import type { Reconciliation } from './d1-projection';
import { FrameHandler } from './frames';
import { discardIfUnused, sawCustomer } from './unused';
import { complaintClock, runComplaintOp } from './complaint-clock';
import type { ComplaintOp, ComplaintPlace } from './complaint-clock';
import { runMacro } from './macro-run';
import type { MacroRun } from './macro-run';
import { SYSTEM, actorFromAuthor } from './commands';
import { adoptSlaConfig, moveDevClock, slaAlarm } from './sla-clock';
import type { DevClockMove } from './sla-clock';
import { routeTeam } from '../routing/route';
import type { Actor, ConversationPatch } from './commands';
import { newState } from './state';
import type { ConversationInit, DoState } from './state';
import { agentView, forAgents, noteForAgents } from './views';
import { handleDocuments, runDocumentRetention } from '../documents/do-documents';
import type { DocumentAnswer, DocumentCall } from '../documents/do-documents';
import { withAttachments } from '../documents/doc-store';

export type { Result } from './core';
export type { Actor, ConversationPatch } from './commands';
export type { ConversationInit } from './state';
export type { MacroRun } from './macro-run';

const MAX_BACKOFF_MS = 60_000;

/**
 * One conversation: the ordered message log, everyone's sockets, and the outbox to D1. It is the
 * single writer of its conversation, so `seq` is total, gapless and race-free. This class only
 * wires: RPC and sockets in, the core and the rules do the work.
 */
export class Conversation extends DurableObject<Env> {
  private readonly core: ConversationCore;
  private readonly frames: FrameHandler;
  private drainFailures = 0;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.core = new ConversationCore(ctx, env);
    this.frames = new FrameHandler(this.core);
    // Keep-alives are answered by the runtime without waking a hibernated object.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(PING, PONG));
  }

  // ---- RPC, called by the Worker after it has checked the caller's tenant ----

  /** Create the conversation's state if this object is new; idempotent. */
  async ensure(init: ConversationInit): Promise<ConversationState> {
    const core = this.core;
    const now = Date.now();
    if (!core.st) {
      core.st = newState(init);
      core.touch();
      await core.drain.soon(DRAIN_DELAY_MS);
    } else {
      const s = core.st;
      let changed = false;
      if (init.contactName && s.contactName !== init.contactName) {
        s.contactName = init.contactName;
        changed = true;
      }
      // The partner may mark or unmark a VIP at any sign-in; the team is settled at the first message.
      if (init.vip !== undefined && s.vip !== init.vip) {
        s.vip = init.vip;
        changed = true;
      }
      if (s.openedAt === null && init.route) {
        s.route = init.route;
        s.team = s.topic ? routeTeam(init.route.rules, { ...init.route, topic: s.topic }) : (init.team ?? s.team);
      }
      if (changed) {
        core.saveQuietly();
        core.notifyInbox();
      } else if (s.openedAt === null && init.route) core.saveQuietly();
    }
    if (init.unusedTtlMs !== undefined) core.st.unusedTtlMs = init.unusedTtlMs;
    await adoptSlaConfig(core, init.slaConfig);
    // Until someone writes, this is only a session: it is kept while the customer keeps coming.
    await sawCustomer(core, now);
    return agentView(core.s, core.seq);
  }

  /** The live state and the whole log, for the agent API. */
  async snapshot(tenantId: string): Promise<Result<{ state: ConversationState; messages: Message[]; notes: Note[]; lines: SystemLine[] }>> {
    const core = this.core;
    return this.withOwned(tenantId, (s) => ok({ state: agentView(s, core.seq), messages: withAttachments(this.ctx.storage.sql, core.store.messagesAfter(s.id, 0)).map(forAgents), notes: core.store.notes(s.id).map(noteForAgents), lines: core.lines(true) }));
  }

  /** Show one message in clear to an agent, and write that it happened to the audit log. */
  async reveal(tenantId: string, actor: Actor, seq: number): Promise<Result<string>> {
    return this.withOwned(tenantId, async (s) => {
      const m = this.core.store.message(s.id, seq);
      if (!m) return fail('request.not_found', 'No message with that seq');
      return then(await this.core.apply({ type: 'reveal', seq }, actor), () => m.text);
    });
  }

  /** Documents of this conversation (worker/documents/do-documents.ts); the Worker has checked the caller's walls. */
  async documents(tenantId: string, call: DocumentCall): Promise<Result<DocumentAnswer>> {
    return this.withOwned(tenantId, () => handleDocuments(this.core, call));
  }

  /** Escalate to supervisors with a reason. */
  async escalate(tenantId: string, actor: Actor, reason: string): Promise<Result<ConversationState>> {
    return this.withOwned(tenantId, async () => this.stateAfter(await this.core.apply({ type: 'escalate', reason }, actor)));
  }

  /** Change status, priority, hold, topic or assignee: the same rules as the socket frame. `requireTopic`: the tenant's setting. */
  async update(tenantId: string, actor: Actor, patch: ConversationPatch, requireTopic = false): Promise<Result<ConversationState>> {
    return this.withOwned(tenantId, async () => {
      const assignee = patch.assigneeId ? await this.core.findAssignee(patch.assigneeId) : undefined;
      return this.stateAfter(await this.core.apply({ type: 'update', patch, assignee, requireTopic }, actor));
    });
  }

  /** Run a macro: its rendered reply, then its actions through the rules (macro-run.ts). */
  async runMacro(tenantId: string, actor: Actor, run: MacroRun): Promise<Result<{ message: Message; state: ConversationState; duplicate: boolean }>> {
    return this.withOwned(tenantId, async () => then(await runMacro(this.core, actor, run), (r) => ({ ...r, state: agentView(this.core.s, this.core.seq) })));
  }

  /** Take the conversation oneself (a supervisor takes its escalation over too). */
  async take(tenantId: string, actor: Actor): Promise<Result<ConversationState>> {
    return this.withOwned(tenantId, async () => this.stateAfter(await this.core.apply({ type: 'take' }, actor)));
  }

  /** Post a message without a socket (agent API, away form); same dedupe and fan-out as the frame. */
  async send(tenantId: string, actor: Actor, channel: Channel, clientId: string, text: string): Promise<Result<Message>> {
    return this.withOwned(tenantId, async () => {
      if (text.length === 0) return fail('message.empty', 'text must not be empty');
      const r = await this.core.append(actor, channel, clientId, text);
      return then(r, (v) => v.message);
    });
  }

  /** File, answer or reveal a written complaint of this conversation (complaint-clock.ts). */
  async complaint(tenantId: string, actor: Actor, op: ComplaintOp): Promise<Result<ComplaintPlace>> {
    return this.withOwned(tenantId, () => runComplaintOp(this.core, actor, op));
  }

  /** The Inbox gives an absent agent's chat back to the queue; the rules audit it and keep the wait. */
  async release(tenantId: string, agentId: string, reason: 'agent_offline'): Promise<Result<ConversationState>> {
    return this.withOwned(tenantId, async () => this.stateAfter(await this.core.apply({ type: 'release', agentId, reason }, SYSTEM)));
  }

  /** The team's Inbox tells a waiting customer where they are in its queue and the estimated wait (not audited, not projected). */
  async setQueuePosition(position: number | null, etaS: number | null = null): Promise<void> {
    const s = this.core.st;
    if (!s || (s.queuePosition === position && (s.queueEtaS ?? null) === etaS)) return;
    s.queuePosition = position;
    s.queueEtaS = etaS;
    this.core.saveQuietly();
    this.core.publishState();
  }

  /** The tenant's SLA settings changed: take them now rather than at the customer's next session. */
  async adoptSla(tenantId: string, config: SlaConfig): Promise<Result<true>> {
    return this.withOwned(tenantId, async () => (await adoptSlaConfig(this.core, config), ok(true)));
  }

  /** Development only (DEV_CLOCK=on): move this conversation's SLA clock (sla-clock.ts). */
  async devClock(tenantId: string, move: DevClockMove): Promise<Result<SlaStatus | null>> {
    return this.withOwned(tenantId, () => moveDevClock(this.core, this.env, move));
  }

  /** Close one agent's sockets here: all of them (disabled), or one sign-in session's (logout). */
  async disconnectAgent(agentId: string, sid?: string): Promise<number> {
    let n = 0;
    this.core.sockets.closeAll(CLOSE.unauthorized, sid ? 'auth.required' : 'auth.forbidden', (a) => {
      const hit = a.ready && a.role === 'agent' && a.id === agentId && (sid === undefined || a.sid === sid);
      if (hit) n++;
      return hit;
    });
    if (n) this.core.broadcastViewers();
    return n;
  }

  /** Re-point the conversation at the contact an anonymous visitor turned out to be. */
  async setContact(tenantId: string, contactId: string): Promise<Result<ConversationState>> {
    return this.withOwned(tenantId, async () => this.stateAfter(await this.core.apply({ type: 'contact.link', contactId }, SYSTEM)));
  }

  /** Every message, for moving a visitor's history into their contact's open conversation. */
  async exportMessages(tenantId: string): Promise<Result<Message[]>> {
    return this.withOwned(tenantId, (s) => ok(this.core.store.messagesAfter(s.id, 0)));
  }

  /**
   * Append another conversation's history (merge). Each copied message is keyed by its origin, so
   * a retried merge copies nothing twice; original authors, channels and times are kept.
   */
  async importMessages(tenantId: string, fromId: string, messages: Message[]): Promise<Result<number>> {
    return this.withOwned(tenantId, async () => {
      let copied = 0;
      for (const m of messages) {
        const r = await this.core.append(actorFromAuthor(m.author), m.channel, `merged:${fromId}:${m.seq}`, m.text, { createdAt: m.createdAt, live: false });
        if (!r.ok) return r;
        if (!r.value.duplicate) copied++;
      }
      return then(await this.core.apply({ type: 'merge.from', fromId, copied }, SYSTEM), () => copied);
    });
  }

  /** Close this conversation as merged into `targetId`; its sockets learn where the thread went. */
  async mergeInto(tenantId: string, targetId: string): Promise<Result<ConversationState>> {
    return this.withOwned(tenantId, async () => this.stateAfter(await this.core.apply({ type: 'merge.into', targetId }, SYSTEM)));
  }

  /**
   * The projection's consumer wrote these outbox rows to D1: they need not be sent again. Noted in
   * memory only; the rows go with this object's next write, at the latest its backstop alarm (see Drain).
   */
  async projected(tenantId: string, outboxIds: number[]): Promise<void> {
    if (this.core.st?.tenantId !== tenantId) return;
    await this.core.drain.projected(outboxIds);
  }

  /** Compare this log with its D1 projection: the reconciliation check of delivery promise 6. */
  async reconcile(): Promise<Reconciliation> {
    if (this.core.st) this.core.drain.writeDown();
    return reconcile(this.env.DB, this.core.store, this.core.st);
  }

  // ---- WebSockets ----

  /** Accept a socket; it must say `hello` with a valid token before the deadline. */
  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get('Upgrade')?.toLowerCase() !== 'websocket') return errorResponse('request.invalid', 'Expected a WebSocket upgrade', 426);
    if (!this.core.st) return errorResponse('conversation.not_found', 'No such conversation');
    const { 0: client, 1: server } = new WebSocketPair();
    this.ctx.acceptWebSocket(server);
    const deadline = Date.now() + Number(this.env.HELLO_TIMEOUT_MS ?? 5000);
    this.core.sockets.set(server, { v: 2, ready: false, deadline });
    await this.core.schedule(deadline);
    return new Response(null, { status: 101, webSocket: client });
  }

  override async webSocketMessage(ws: WebSocket, data: string | ArrayBuffer): Promise<void> {
    await this.frames.handle(ws, data);
  }

  override async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    const a = this.core.sockets.get(ws);
    if (a.ready && a.role === 'agent') {
      this.core.broadcastViewers(ws, true);
      if (!this.core.sockets.ready(ws).some((o) => o.role === 'agent' && o.id === a.id)) this.core.inbox.viewing(this.core.s.tenantId, a.id, this.core.s.id, false);
    }
    closeQuietly(ws, code === 1005 || code === 1006 ? 1000 : code, reason);
    await sawCustomer(this.core, Date.now());
  }

  override async webSocketError(ws: WebSocket): Promise<void> {
    closeQuietly(ws, 1011, 'socket error');
  }

  /**
   * Alarms close sockets that never said hello or whose session ended, mark overdue holds, raise
   * SLA warnings and breaches (sla-clock.ts), delete a session left unused, and hand the outbox to
   * the projection queue.
   */
  override async alarm(): Promise<void> {
    const core = this.core;
    core.alarmFired();
    const now = Date.now();
    let next = Infinity;
    for (const { ws, deadline } of core.sockets.pending()) {
      if (deadline > now) next = Math.min(next, deadline);
      else {
        this.frames.sendError(ws, { code: 'auth.hello_timeout', message: 'No hello within the time allowed' });
        ws.close(CLOSE.unauthorized, 'auth.hello_timeout');
      }
    }
    next = Math.min(next, this.closeEndedSessions(now));
    if (core.st) {
      await core.apply({ type: 'hold.check' }, SYSTEM);
      next = Math.min(next, core.holdWakeAt() ?? Infinity);
      next = Math.min(next, await slaAlarm(core));
      next = Math.min(next, await complaintClock(core, this.env, now));
    }
    next = Math.min(next, await runDocumentRetention(core, this.env, now));
    try {
      const unused = await discardIfUnused(core, this.env, now);
      if (unused === 'discarded') return;
      if (unused !== null) next = Math.min(next, unused);
      // The backstop of the drain's timer: what it holds in memory is written down, and new rows and
      // rows whose confirmation did not come in time (backing off) go to the queue.
      if (core.st) core.drain.writeDown();
      if (await core.drain.send(now, true)) next = Math.min(next, Date.now());
      const sendAt = core.st ? core.store.nextSendAt() : null;
      if (sendAt !== null) next = Math.min(next, Math.max(sendAt, Date.now()));
      this.drainFailures = 0;
    } catch (err) {
      // The queue refused the slice (or D1 the discard): the rows stay and we try again, backing off.
      this.drainFailures++;
      console.warn(`outbox send failed (${this.drainFailures}x):`, (err as Error).message);
      next = Math.min(next, Date.now() + Math.min(MAX_BACKOFF_MS, 1000 * 2 ** (this.drainFailures - 1)));
    }
    if (next !== Infinity) await core.schedule(next);
  }

  // ---- internals ----

  /** Close agents' sockets whose sign-in session has ended; the next time one will. */
  private closeEndedSessions(now: number): number {
    let next = Infinity;
    let closed = 0;
    this.core.sockets.closeAll(CLOSE.unauthorized, 'auth.required', (a) => {
      if (!a.ready || a.sessionEndsAt === undefined) return false;
      if (a.sessionEndsAt > now) next = Math.min(next, a.sessionEndsAt);
      else closed++;
      return a.sessionEndsAt <= now;
    });
    if (closed) this.core.broadcastViewers();
    return next;
  }

  /** Run `fn` only when this object holds a conversation of the caller's tenant; otherwise not found. */
  private async withOwned<T>(tenantId: string, fn: (s: DoState) => Result<T> | Promise<Result<T>>): Promise<Result<T>> {
    const s = this.core.st;
    if (!s || s.tenantId !== tenantId) return fail('conversation.not_found', 'No such conversation');
    return fn(s);
  }

  private stateAfter(r: Result<unknown>): Result<ConversationState> {
    return then(r, () => agentView(this.core.s, this.core.seq));
  }
}

/** Map a successful result's value; failures pass through. */
function then<A, B>(r: Result<A>, f: (a: A) => B): Result<B> {
  return r.ok ? ok(f(r.value)) : r;
}

function closeQuietly(ws: WebSocket, code: number, reason: string): void {
  try {
    ws.close(code, reason);
  } catch {
    /* already closed */
  }
}
