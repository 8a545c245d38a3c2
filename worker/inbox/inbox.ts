import { DurableObject } from 'cloudflare:workers';
import * as v from 'valibot';
import { CLOSE, InboxClientFrame, PING, PONG } from '../../protocol';
import type { AgentLoad, AgentPresence, ErrorCode, QueueFilter, QueueItem, SupervisorResponse } from '../../protocol';
import type { Env } from '../env';
import { describeIssues, errorResponse } from '../errors';
import { conversationStub } from '../stubs';
import { SYSTEM } from '../conversation/rules';
import { QueueStore } from './queue-store';
import { InboxStore } from './inbox-store';
import type { AgentState, AgentStateEntry } from './inbox-store';
import { Presence, sendAll } from './presence';
import type { InboxAttachment, InboxFrame } from './presence';
import { pickAgent } from './assign';
import { Fanout } from './fanout';
import { releaseAbsent, releaseDueAt, waitingStats } from './absence';

/** Headers the Worker uses to tell the Inbox object who the (already authenticated) agent is. */
export const AGENT_HEADERS = {
  id: 'x-sb-agent-id',
  name: 'x-sb-agent-name',
  role: 'x-sb-agent-role',
  maxChats: 'x-sb-agent-max-chats',
  session: 'x-sb-agent-session',
  sessionEndsAt: 'x-sb-agent-session-ends-at',
  offlineGraceMs: 'x-sb-tenant-offline-grace-ms',
} as const;

/** How often queued changes are fanned out to agents (at most 4 Hz), and assignment re-run. */
const FLUSH_MS = 250;
/** How many waiting customers are told their queue position. */
const POSITIONS_TOLD = 100;

/**
 * One per tenant: the live queue of its conversations, who of its agents is online and how loaded,
 * assignment by capacity, the fan-out of every conversation change to agents, and the time log of
 * agent states that utilization and occupancy are computed from.
 */
export class Inbox extends DurableObject<Env> {
  private readonly queue: QueueStore;
  private readonly store: InboxStore;
  private readonly roster: Presence;
  private readonly fanout: Fanout;
  private dirty = new Set<string>();
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  /** Queue positions last told to each waiting conversation (lost on eviction; then told again). */
  private told = new Map<string, number>();
  private tenantId: string | null;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.queue = new QueueStore(ctx.storage.sql);
    this.store = new InboxStore(ctx.storage.sql);
    this.roster = new Presence(ctx);
    this.fanout = new Fanout(this.queue, this.roster);
    this.tenantId = this.store.tenantId();
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(PING, PONG));
  }

  // ---- RPC ----

  /** A Conversation object changed: keep its row and tell agents shortly (coalesced). */
  async conversationChanged(item: QueueItem, tenantId: string): Promise<void> {
    if (this.tenantId !== tenantId) {
      // Named by its tenant, but the name is not readable inside: remember it for calls back.
      this.tenantId = tenantId;
      this.store.setTenantId(tenantId);
    }
    const before = this.queue.upsert(item);
    if (item.hold?.overdue && !before?.hold?.overdue) {
      const to = item.assignee ? this.roster.socketsOf(item.assignee.id) : this.roster.supervisorSockets();
      sendAll(to, { type: 'reminder', kind: 'hold.overdue', conversationId: item.id, number: item.number, note: item.hold.note });
    }
    if (item.escalation && !before?.escalation) {
      sendAll(this.roster.supervisorSockets(), { type: 'escalated', conversationId: item.id, number: item.number, reason: item.escalation.reason, by: item.escalation.by });
    }
    this.dirty.add(item.id);
    this.scheduleFlush();
  }

  /** Agents online (not away) right now, and everyone's presence. */
  async presence(): Promise<{ agentsOnline: number; agents: AgentPresence[] }> {
    const agents = this.roster.agents();
    return { agentsOnline: agents.filter((a) => a.status === 'online').length, agents };
  }

  /** One page of the queue for an agent, with live counts. */
  async page(filter: QueueFilter, agentId: string, after: { key: number; id: string } | null, limit: number) {
    const { items, next } = this.queue.page(filter, agentId, after, limit);
    return { items, next, counts: { ...this.queue.counts(), mine: this.queue.mineOf(agentId) } };
  }

  /** Everyone's presence with their load, for assignment pickers and the supervisor view. */
  async loads(): Promise<AgentLoad[]> {
    const loads = this.queue.loads();
    return this.roster.agents().map((a) => ({ ...a, load: loads.get(a.id) ?? 0, maxChats: this.roster.maxChatsOf(a.id) }));
  }

  /** The supervisor's view of the floor: who really waits (nobody there to answer), for how long, and the breaches. */
  async supervisor(): Promise<SupervisorResponse> {
    const online = new Set(this.roster.agents().filter((a) => a.status === 'online').map((a) => a.id));
    return {
      agents: await this.loads(),
      ...waitingStats(this.queue.customersWaiting(10_000), (id) => online.has(id), Date.now()),
      overdueHolds: this.queue.overdueHolds(),
      escalations: this.queue.escalations(),
    };
  }

  /** The state log of one agent, oldest first (for utilization and occupancy reports). */
  async stateLog(agentId: string): Promise<AgentStateEntry[]> {
    return this.store.stateLog(agentId);
  }

  /** An agent opened or closed a conversation's socket: remembered so a disable can reach it. */
  async viewing(agentId: string, conversationId: string, on: boolean): Promise<void> {
    this.store.setViewing(agentId, conversationId, on);
  }

  /** Close every socket of a disabled agent: the inbox's and each conversation's they had open. */
  async disconnectAgent(agentId: string): Promise<number> {
    return this.closeAgent(agentId, undefined, 'auth.forbidden', 'Your account was disabled');
  }

  /** Close the sockets of one sign-in session (the agent logged out); their other sessions stay. */
  async endSession(agentId: string, sid: string): Promise<number> {
    return this.closeAgent(agentId, sid, 'auth.required', 'You signed out');
  }

  // ---- sockets ----

  override async fetch(request: Request): Promise<Response> {
    const id = request.headers.get(AGENT_HEADERS.id);
    if (!id) return errorResponse('auth.required', 'The inbox socket needs a signed-in agent');
    if (request.headers.get('upgrade')?.toLowerCase() !== 'websocket') return errorResponse('request.invalid', 'Expected a WebSocket upgrade', 426);
    const { 0: client, 1: server } = new WebSocketPair();
    const endsAt = Number(request.headers.get(AGENT_HEADERS.sessionEndsAt) ?? NaN);
    const graceMs = Number(request.headers.get(AGENT_HEADERS.offlineGraceMs) ?? NaN);
    const att: InboxAttachment = {
      v: 3,
      id,
      sock: crypto.randomUUID(),
      name: decodeURIComponent(request.headers.get(AGENT_HEADERS.name) ?? ''),
      role: request.headers.get(AGENT_HEADERS.role) ?? 'agent',
      maxChats: Number(request.headers.get(AGENT_HEADERS.maxChats) ?? 5),
      status: 'online',
      since: Date.now(),
      ...(request.headers.get(AGENT_HEADERS.session) ? { sid: request.headers.get(AGENT_HEADERS.session)! } : {}),
      ...(Number.isFinite(endsAt) ? { sessionEndsAt: endsAt } : {}),
      ...(Number.isFinite(graceMs) ? { offlineGraceMs: graceMs } : {}),
    };
    if (this.roster.accept(server, att)) this.logState(id, 'online');
    // Back within the grace: their chats stay theirs.
    this.store.clearAbsent(id);
    if (att.sessionEndsAt !== undefined) await this.wakeAt(att.sessionEndsAt);
    sendAll([server], { type: 'inbox.welcome', you: { id: att.id, name: att.name, role: att.role }, agents: this.roster.agents() });
    this.roster.broadcast(server);
    this.scheduleFlush(); // a new pair of hands: offer them what is waiting
    return new Response(null, { status: 101, webSocket: client });
  }

  override async webSocketMessage(ws: WebSocket, data: string | ArrayBuffer): Promise<void> {
    let raw: unknown;
    try {
      raw = JSON.parse(typeof data === 'string' ? data : '');
    } catch {
      return this.sendError(ws, 'frame.invalid_json', 'Frame is not valid JSON');
    }
    const parsed = v.safeParse(InboxClientFrame, raw);
    if (!parsed.success) return this.sendError(ws, 'frame.invalid', describeIssues(parsed.issues));
    const frame = parsed.output;
    switch (frame.type) {
      case 'presence.set': {
        const att = this.roster.attachment(ws);
        if (!att || att.status === frame.status) return;
        this.roster.setStatus(att.id, frame.status, Date.now());
        this.logState(att.id, frame.status);
        this.roster.broadcast();
        this.scheduleFlush();
        return;
      }
      case 'queue.watch':
        this.fanout.watch(ws, { filter: frame.filter, limit: frame.limit });
        return;
      default:
        return assertNever(frame);
    }
  }

  override async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    await this.closed(ws);
    closeQuietly(ws, code === 1005 || code === 1006 ? 1000 : code, reason);
  }

  override async webSocketError(ws: WebSocket): Promise<void> {
    await this.closed(ws);
  }

  /**
   * One alarm for every clock of the floor: it closes the sockets of sessions that have ended and
   * gives back the chats of agents offline beyond the grace, then wakes for whichever comes next.
   */
  override async alarm(): Promise<void> {
    const now = Date.now();
    let next = Infinity;
    for (const { ws, att } of this.roster.all()) {
      if (att.sessionEndsAt === undefined) continue;
      if (att.sessionEndsAt > now) next = Math.min(next, att.sessionEndsAt);
      else await this.closeAgent(att.id, att.sid, 'auth.required', 'Your session has ended; sign in again', ws);
    }
    const released = await releaseAbsent(this.env, this.tenantId, this.queue, this.store, (id) => this.roster.socketsOf(id).some((w) => w.readyState === WebSocket.OPEN), now);
    for (const item of released) this.dirty.add(item.id);
    if (released.length) this.scheduleFlush();
    next = Math.min(next, this.store.nextAbsentDue() ?? Infinity);
    if (next !== Infinity) await this.ctx.storage.setAlarm(next);
  }

  // ---- internals ----

  /**
   * Close an agent's sockets — all of them, or one session's (`sid`) — here and in every
   * conversation they have open, telling the inbox why first.
   */
  private async closeAgent(agentId: string, sid: string | undefined, code: ErrorCode, message: string, only?: WebSocket): Promise<number> {
    let n = 0;
    for (const ws of only ? [only] : this.roster.socketsOf(agentId)) {
      if (sid !== undefined && this.roster.attachment(ws)?.sid !== sid) continue;
      sendAll([ws], { type: 'session.ended', code, message });
      closeQuietly(ws, CLOSE.unauthorized, code);
      await this.closed(ws);
      n++;
    }
    const convs = this.store.viewedBy(agentId);
    const closed = await Promise.all(convs.map((c) => conversationStub(this.env, c).disconnectAgent(agentId, sid).catch(() => 0)));
    if (sid === undefined) this.store.forgetViewing(agentId);
    this.roster.broadcast();
    return n + closed.reduce((a, b) => a + b, 0);
  }

  /** A socket went away: the agent is offline when it was their last, and the grace starts. */
  private async closed(ws: WebSocket): Promise<void> {
    const att = this.roster.attachment(ws);
    if (!att) return;
    this.fanout.forget(att);
    if (!this.roster.hasOtherSocket(att.id, ws) && this.store.lastState(att.id) !== 'offline') {
      const now = Date.now();
      this.logState(att.id, 'offline');
      const due = releaseDueAt(att, now);
      this.store.markAbsent(att.id, due);
      await this.wakeAt(due);
    }
    this.roster.broadcast(ws);
  }

  private async wakeAt(at: number): Promise<void> {
    const current = await this.ctx.storage.getAlarm();
    if (current === null || current > at) await this.ctx.storage.setAlarm(at);
  }

  private scheduleFlush(): void {
    this.flushTimer ??= setTimeout(() => {
      this.flushTimer = undefined;
      this.ctx.waitUntil(this.flush().catch((err: Error) => console.warn('inbox flush failed:', err.message)));
    }, FLUSH_MS);
  }

  /** Offer waiting conversations to free agents, fan the tick's changes out to those who see them, tell customers their place. */
  private async flush(): Promise<void> {
    await this.assign();
    for (const id of this.queue.pruneResolved(Date.now() - 24 * 3600_000)) this.dirty.add(id);
    const ids = [...this.dirty];
    this.dirty.clear();
    this.fanout.tick(ids);
    await this.tellPositions();
  }

  /** Offer the longest-waiting unassigned conversations to the least-loaded online agents. */
  private async assign(): Promise<void> {
    const loads = this.queue.loads();
    // Supervisors and admins watch the floor; they take conversations by hand, not by rota.
    const online = this.roster.agents().filter((a) => a.status === 'online' && a.role === 'agent');
    if (online.length === 0 || !this.tenantId) return;
    const candidates = online.map((a) => ({ id: a.id, load: loads.get(a.id) ?? 0, maxChats: this.roster.maxChatsOf(a.id), since: a.since }));
    for (const item of this.queue.waiting(50)) {
      const agent = pickAgent(candidates);
      if (!agent) break;
      const r = await conversationStub(this.env, item.id).update(this.tenantId, SYSTEM, { assigneeId: agent.id });
      if (!r.ok) continue;
      agent.load++;
      this.queue.upsert({ ...item, assignee: r.value.assignee });
      this.dirty.add(item.id);
      sendAll(this.roster.socketsOf(agent.id), { type: 'assigned', conversationId: item.id, number: item.number });
    }
  }

  /** Tell waiting customers their place in line when it changed. */
  private async tellPositions(): Promise<void> {
    const now = new Map(this.queue.waiting(POSITIONS_TOLD).map((item, i) => [item.id, i + 1]));
    const calls: Promise<void>[] = [];
    for (const [id, pos] of now) {
      if (this.told.get(id) === pos) continue;
      this.told.set(id, pos);
      calls.push(conversationStub(this.env, id).setQueuePosition(pos).catch(() => {}));
    }
    for (const id of [...this.told.keys()]) {
      if (now.has(id)) continue;
      this.told.delete(id);
      calls.push(conversationStub(this.env, id).setQueuePosition(null).catch(() => {}));
    }
    await Promise.all(calls);
  }

  private logState(agentId: string, state: AgentState): void {
    this.store.logState(agentId, state, Date.now());
  }

  private sendError(ws: WebSocket, code: ErrorCode, message: string): void {
    const frame: InboxFrame = { type: 'error', code, message };
    sendAll([ws], frame);
  }
}

function assertNever(x: never): never {
  throw new Error(`unhandled inbox frame ${JSON.stringify(x)}`);
}

function closeQuietly(ws: WebSocket, code: number, reason: string): void {
  try {
    ws.close(code, reason);
  } catch {
    /* already closed */
  }
}
