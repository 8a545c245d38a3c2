import { DurableObject } from 'cloudflare:workers';
import { CLOSE, PING, PONG } from '../../protocol';
import type { AgentLoad, ErrorCode, QueueFilter, QueueItem, SupervisorResponse, TeamFloor } from '../../protocol';
import type { Env } from '../env';
import { errorResponse } from '../errors';
import { conversationStub } from '../stubs';
import { SYSTEM } from '../conversation/commands';
import { QueueStore } from './queue-store';
import { InboxStore } from './inbox-store';
import { Presence, sendAll } from './presence';
import type { InboxFrame } from './presence';
import { pickAgent } from './assign';
import type { Candidate } from './assign';
import { Fanout } from './fanout';
import { releaseAbsent, releaseDueAt, waitingStats } from './absence';
import { estimateWaitS } from './eta';
import { Overflow } from './overflow';
import { QueuePositions } from './positions';
import { TEAM_HEADERS, assertNever, attachmentOf, closeQuietly, endEndedSessions, endSocket, readFrame } from './agent-socket';

/**
 * How often queued changes are fanned out to agents, and assignment re-run: 2 Hz. Each watching
 * socket gets at most one delta per tick, so the tick bounds a team's fan-out (200 watchers: 400
 * frames/s, not 800 at 4 Hz), and a busy window's rows that change twice in a tick go once. A
 * queue list half a second behind is not noticed; the conversation itself is live on its socket.
 * Measured at 800 msg/s (docs/scale.md): the deltas' sends were ~8 % of the thread at 4 Hz.
 */
const FLUSH_MS = 500;

/** The supervisor's view of one team, before the Worker adds names and sums teams. */
export type TeamSupervision = Omit<SupervisorResponse, 'teams' | 'agents'> & { floor: Omit<TeamFloor, 'name'>; agents: AgentLoad[] };

/**
 * One per (tenant, team): the team's live queue, which of its agents are here and how loaded,
 * assignment by capacity, serving tier and wait, overflow to another team, the fan-out of its
 * rows to the agents who watch them, and the customers' places in line with an estimated wait.
 * Sharding by team keeps every object's traffic to its own team's conversations.
 */
export class Inbox extends DurableObject<Env> {
  private readonly queue: QueueStore;
  private readonly store: InboxStore;
  private readonly roster: Presence;
  private readonly fanout: Fanout;
  private dirty = new Set<string>();
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly positions: QueuePositions;
  private home: { tenantId: string; teamId: string } | null;
  private readonly overflowing: Overflow;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.queue = new QueueStore(ctx.storage.sql);
    this.store = new InboxStore(ctx.storage.sql);
    this.roster = new Presence(ctx);
    this.home = this.store.home();
    this.fanout = new Fanout(this.queue, this.roster, () => this.home?.teamId ?? '');
    this.overflowing = new Overflow(env, this.queue);
    this.positions = new QueuePositions(env, this.queue, this.store);
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(PING, PONG));
  }

  // ---- RPC ----

  /**
   * A Conversation object changed: keep its row and tell agents shortly (coalesced). A row whose
   * team is no longer this one has moved away: it leaves this queue.
   */
  async conversationChanged(item: QueueItem, tenantId: string, teamId: string): Promise<void> {
    this.learnHome(tenantId, teamId);
    if (item.team !== teamId) {
      if (this.queue.remove(item.id)) this.dirty.add(item.id);
      // Its new team tells the customer their place from now on.
      this.positions.forget(item.id);
      this.scheduleFlush();
      return;
    }
    const before = this.queue.upsert(item);
    if (before && !before.assignee && item.assignee && before.status === 'open') this.store.recordAssignment(Date.now());
    // Once when the hold goes overdue, and again each time its object's alarm counts another reminder.
    if (item.hold && remindersOf(item) > remindersOf(before, item.hold.until)) {
      const to = item.assignee ? this.roster.socketsOf(item.assignee.id) : this.roster.supervisorSockets();
      sendAll(to, { type: 'reminder', kind: 'hold.overdue', conversationId: item.id, number: item.number, note: item.hold.note });
    }
    if (item.escalation && !before?.escalation) {
      sendAll(this.roster.supervisorSockets(), { type: 'escalated', conversationId: item.id, number: item.number, reason: item.escalation.reason, by: item.escalation.by });
    }
    this.dirty.add(item.id);
    this.scheduleFlush();
  }

  /** One page of this team's queue for an agent, with its live counts. */
  async page(filter: QueueFilter, agentId: string, after: { key: number; id: string } | null, limit: number) {
    const { items, next } = this.queue.page(filter, agentId, after, limit);
    return { items, next, counts: { ...this.queue.counts(), mine: this.queue.mineOf(agentId) } };
  }

  /** Who of the team is here, with their load in this team against their capacity in it. */
  async loads(): Promise<AgentLoad[]> {
    const loads = this.queue.loads();
    return this.roster.agents().map((a) => ({ ...a, load: loads.get(a.id) ?? 0, maxChats: this.roster.maxChatsOf(a.id) }));
  }

  /** The supervisor's view of this team: who really waits (nobody there to answer), for how long, the breaches, the pace. */
  async supervisor(): Promise<TeamSupervision> {
    const agents = await this.loads();
    const online = new Set(agents.filter((a) => a.status === 'online').map((a) => a.id));
    const now = Date.now();
    const stats = waitingStats(this.queue.customersWaiting(10_000), (id) => online.has(id), now);
    return {
      agents,
      ...stats,
      overdueHolds: this.queue.overdueHolds(),
      escalations: this.queue.escalations(),
      floor: {
        id: this.home?.teamId ?? '',
        agentsOnline: agents.filter((a) => a.status === 'online' && a.role === 'agent' && a.maxChats > 0).length,
        waiting: stats.waiting,
        longestWaitSince: stats.longestWaitSince,
        breached: stats.breached,
        etaS: estimateWaitS(this.store.recentAssignments(), this.queue.counts().unassigned + 1, now),
      },
    };
  }

  /**
   * Another team's customer has waited past its overflow time: give it to one of this team's free
   * agents if there is one. True when taken (the conversation is then this team's).
   */
  async takeOverflow(item: QueueItem, tenantId: string, teamId: string): Promise<boolean> {
    this.learnHome(tenantId, teamId);
    const agent = pickAgent(this.candidates());
    if (!agent) return false;
    const r = await conversationStub(this.env, item.id).update(tenantId, SYSTEM, { assigneeId: agent.id, team: teamId });
    if (!r.ok || r.value.assignee?.id !== agent.id) return false;
    this.queue.upsert({ ...item, team: teamId, assignee: r.value.assignee, status: r.value.status });
    this.store.recordAssignment(Date.now());
    this.dirty.add(item.id);
    sendAll(this.roster.socketsOf(agent.id), { type: 'assigned', conversationId: item.id, number: item.number });
    this.scheduleFlush();
    return true;
  }

  /** Close every team socket of a disabled agent. */
  async disconnectAgent(agentId: string): Promise<number> {
    return this.closeAgent(agentId, undefined, 'auth.forbidden', 'Your account was disabled');
  }

  /** Close the team sockets of one sign-in session (the agent logged out). */
  async endSession(agentId: string, sid: string): Promise<number> {
    return this.closeAgent(agentId, sid, 'auth.required', 'You signed out');
  }

  /** The agent left this team (or the team was removed: every agent): their sockets close with 4403. */
  async leave(agentId: string | null): Promise<number> {
    let n = 0;
    for (const { ws, att } of this.roster.all()) {
      if (agentId !== null && att.id !== agentId) continue;
      endSocket(ws, { type: 'session.ended', code: 'auth.forbidden', message: 'You are no longer in this team' }, CLOSE.forbidden);
      await this.closed(ws);
      n++;
    }
    return n;
  }

  // ---- sockets ----

  override async fetch(request: Request): Promise<Response> {
    const att = attachmentOf(request);
    if (!att) return errorResponse('auth.required', 'The inbox socket needs a signed-in agent');
    if (request.headers.get('upgrade')?.toLowerCase() !== 'websocket') return errorResponse('request.invalid', 'Expected a WebSocket upgrade', 426);
    const tenantId = request.headers.get(TEAM_HEADERS.tenant);
    const teamId = request.headers.get(TEAM_HEADERS.team);
    if (tenantId && teamId) this.learnHome(tenantId, teamId);
    const { 0: client, 1: server } = new WebSocketPair();
    this.roster.accept(server, att);
    // Back within the grace: their chats stay theirs.
    this.store.clearAbsent(att.id);
    if (att.sessionEndsAt !== undefined) await this.wakeAt(att.sessionEndsAt);
    sendAll([server], { type: 'inbox.welcome', you: { id: att.id, name: att.name, role: att.role }, agents: this.roster.agents() });
    this.roster.broadcast(server);
    this.scheduleFlush(); // a new pair of hands: offer them what is waiting
    return new Response(null, { status: 101, webSocket: client });
  }

  override async webSocketMessage(ws: WebSocket, data: string | ArrayBuffer): Promise<void> {
    const frame = readFrame(ws, data);
    if (!frame) return;
    switch (frame.type) {
      case 'presence.set': {
        const att = this.roster.attachment(ws);
        if (!att || att.status === frame.status) return;
        this.roster.setStatus(att.id, frame.status, Date.now());
        // The team's own presence: who of it is here, as its assignment sees them.
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
   * One alarm for every clock of the team: it closes the sockets of sessions that have ended,
   * gives back the chats of agents offline beyond the grace, and offers customers waiting past
   * the overflow time to the other team; then wakes for whichever comes next.
   */
  override async alarm(): Promise<void> {
    const now = Date.now();
    let next = await endEndedSessions(this.roster, now, (ws, att) => this.closeAgent(att.id, att.sid, 'auth.required', 'Your session has ended; sign in again', ws));
    const released = await releaseAbsent(this.env, this.home?.tenantId ?? null, this.queue, this.store, (id) => this.roster.socketsOf(id).some((w) => w.readyState === WebSocket.OPEN), now);
    for (const item of released) this.dirty.add(item.id);
    if (released.length) this.scheduleFlush();
    next = Math.min(next, this.store.nextAbsentDue() ?? Infinity, (await this.overflow(now)) ?? Infinity);
    if (next !== Infinity) await this.ctx.storage.setAlarm(next);
  }

  // ---- internals ----

  private learnHome(tenantId: string, teamId: string): void {
    if (this.home?.tenantId === tenantId && this.home.teamId === teamId) return;
    // Named by tenant and team, but the name is not readable inside: remember it for calls back.
    this.home = { tenantId, teamId };
    this.store.setHome(tenantId, teamId);
  }



  /** Offer who waited past the overflow time to the overflow team; when to look again, if ever. */
  private async overflow(now: number): Promise<number | null> {
    if (!this.home) return null;
    return this.overflowing.run(this.home, now, (id) => {
      this.positions.forget(id);
      this.dirty.add(id);
      this.scheduleFlush();
    });
  }

  /** Agents who take this team's chats by rota: online, with capacity here. Supervisors and admins take by hand. */
  private candidates(): Candidate[] {
    const loads = this.queue.loads();
    return this.roster
      .agents()
      .filter((a) => a.status === 'online' && a.role === 'agent' && this.roster.maxChatsOf(a.id) > 0)
      .map((a) => ({ id: a.id, load: loads.get(a.id) ?? 0, maxChats: this.roster.maxChatsOf(a.id), since: a.since }));
  }



  /** Close an agent's team sockets — all of them, or one session's (`sid`) — telling them why first. */
  private async closeAgent(agentId: string, sid: string | undefined, code: ErrorCode, message: string, only?: WebSocket): Promise<number> {
    let n = 0;
    for (const ws of only ? [only] : this.roster.socketsOf(agentId)) {
      if (sid !== undefined && this.roster.attachment(ws)?.sid !== sid) continue;
      endSocket(ws, { type: 'session.ended', code, message }, CLOSE.unauthorized);
      await this.closed(ws);
      n++;
    }
    return n;
  }

  /** A socket went away: when it was the agent's last here, the grace before their chats go back starts. */
  private async closed(ws: WebSocket): Promise<void> {
    const att = this.roster.attachment(ws);
    if (!att) return;
    this.fanout.forget(att);
    if (!this.roster.hasOtherSocket(att.id, ws)) {
      const due = releaseDueAt(att, Date.now());
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
    // The rows reports changed in place since the last tick, in this one commit.
    this.queue.writeBack();
    await this.assign();
    const overflowAt = await this.overflow(Date.now());
    if (overflowAt !== null) await this.wakeAt(overflowAt);
    for (const id of this.queue.pruneResolved(Date.now() - 24 * 3600_000)) this.dirty.add(id);
    const ids = [...this.dirty];
    this.dirty.clear();
    this.fanout.tick(ids);
    await this.positions.tell();
  }

  /** Offer the waiting conversations, in serving order, to the least-loaded online agents with room. */
  private async assign(): Promise<void> {
    if (!this.home) return;
    const candidates = this.candidates();
    if (candidates.length === 0) return;
    for (const item of this.queue.waiting(50)) {
      const agent = pickAgent(candidates);
      if (!agent) break;
      const r = await conversationStub(this.env, item.id).update(this.home.tenantId, SYSTEM, { assigneeId: agent.id });
      if (!r.ok) continue;
      agent.load++;
      this.queue.upsert({ ...item, assignee: r.value.assignee });
      this.store.recordAssignment(Date.now());
      this.dirty.add(item.id);
      sendAll(this.roster.socketsOf(agent.id), { type: 'assigned', conversationId: item.id, number: item.number });
    }
  }

  private sendError(ws: WebSocket, code: ErrorCode, message: string): void {
    const frame: InboxFrame = { type: 'error', code, message };
    sendAll([ws], frame);
  }
}

/** Reminders counted for a row's overdue hold (of the hold promised for `until`, when given); 0 when not overdue. */
function remindersOf(item: QueueItem | null, until?: number): number {
  const hold = item?.hold;
  if (!hold?.overdue || (until !== undefined && hold.until !== until)) return 0;
  return hold.reminders ?? 1;
}
