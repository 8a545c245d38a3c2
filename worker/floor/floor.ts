import { DurableObject } from 'cloudflare:workers';
import { CLOSE, PING, PONG } from '../../protocol';
import type { AgentPresence, ErrorCode } from '../../protocol';
import type { Env } from '../env';
import { errorResponse } from '../errors';
import { conversationStub } from '../stubs';
import { Presence, sendAll } from '../inbox/presence';
import { assertNever, attachmentOf, closeQuietly, endEndedSessions, endSocket, readFrame } from '../inbox/agent-socket';
import { FloorStore } from './floor-store';
import type { AgentState, AgentStateEntry } from './floor-store';
import { STATE_SYNC_RETRY_MS, StateLogSync } from './state-sync';
import { TEAM_HEADERS } from '../inbox/agent-socket';

/**
 * One per tenant, and thin on purpose: who is signed in to the inbox and how (online, away), the
 * state log that utilization and occupancy are computed from, and which conversation sockets each
 * agent has open. The queues are elsewhere, one Inbox object per team, so no message ever passes
 * through here: it sees a status change, a sign-in or a sign-out, not traffic.
 */
export class Floor extends DurableObject<Env> {
  private readonly store: FloorStore;
  private readonly roster: Presence;
  private readonly sync: StateLogSync;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.store = new FloorStore(ctx.storage.sql);
    this.roster = new Presence(ctx);
    this.sync = new StateLogSync(ctx.storage.sql, env);
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(PING, PONG));
  }

  // ---- RPC ----

  /** Agents online (not away) right now, and everyone's presence. */
  async presence(): Promise<{ agentsOnline: number; agents: AgentPresence[] }> {
    const agents = this.roster.agents();
    return { agentsOnline: agents.filter((a) => a.status === 'online').length, agents };
  }

  /** The state log of one agent, oldest first (for utilization and occupancy reports). */
  async stateLog(agentId: string): Promise<AgentStateEntry[]> {
    return this.store.stateLog(agentId);
  }

  /** An agent opened or closed a conversation's socket: remembered so a disable can reach it. */
  async viewing(agentId: string, conversationId: string, on: boolean): Promise<void> {
    this.store.setViewing(agentId, conversationId, on);
  }

  /** Close every socket of a disabled agent: the presence socket and each conversation's they had open. */
  async disconnectAgent(agentId: string): Promise<number> {
    return this.closeAgent(agentId, undefined, 'auth.forbidden', 'Your account was disabled');
  }

  /** Close the sockets of one sign-in session (the agent logged out); their other sessions stay. */
  async endSession(agentId: string, sid: string): Promise<number> {
    return this.closeAgent(agentId, sid, 'auth.required', 'You signed out');
  }

  // ---- the presence socket ----

  override async fetch(request: Request): Promise<Response> {
    const att = attachmentOf(request);
    if (!att) return errorResponse('auth.required', 'The inbox socket needs a signed-in agent');
    if (request.headers.get('upgrade')?.toLowerCase() !== 'websocket') return errorResponse('request.invalid', 'Expected a WebSocket upgrade', 426);
    this.sync.setTenant(request.headers.get(TEAM_HEADERS.tenant));
    const { 0: client, 1: server } = new WebSocketPair();
    if (this.roster.accept(server, att)) this.logState(att.id, 'online');
    if (att.sessionEndsAt !== undefined) await this.wakeAt(att.sessionEndsAt);
    sendAll([server], { type: 'inbox.welcome', you: { id: att.id, name: att.name, role: att.role }, agents: this.roster.agents() });
    this.roster.broadcast(server);
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
        this.logState(att.id, frame.status);
        this.roster.broadcast();
        return;
      }
      case 'queue.watch':
        return this.sendError(ws, 'request.invalid', 'Queues are watched on a team socket: /v1/agent/inbox/socket?team=…');
      default:
        return assertNever(frame);
    }
  }

  override async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    this.closed(ws);
    closeQuietly(ws, code === 1005 || code === 1006 ? 1000 : code, reason);
  }

  override async webSocketError(ws: WebSocket): Promise<void> {
    this.closed(ws);
  }

  /** Close the sockets of sessions that have ended, then wake for the next one to end. */
  override async alarm(): Promise<void> {
    const now = Date.now();
    let next = await endEndedSessions(this.roster, now, (ws, att) => this.closeAgent(att.id, att.sid, 'auth.required', 'Your session has ended; sign in again', ws));
    if (!(await this.sync.push(now))) next = Math.min(next, now + STATE_SYNC_RETRY_MS);
    if (next !== Infinity) await this.ctx.storage.setAlarm(next);
  }

  // ---- internals ----

  /** Close an agent's sockets — all, or one session's — here and in every conversation they have open. */
  private async closeAgent(agentId: string, sid: string | undefined, code: ErrorCode, message: string, only?: WebSocket): Promise<number> {
    let n = 0;
    for (const ws of only ? [only] : this.roster.socketsOf(agentId)) {
      if (sid !== undefined && this.roster.attachment(ws)?.sid !== sid) continue;
      endSocket(ws, { type: 'session.ended', code, message }, CLOSE.unauthorized);
      this.closed(ws);
      n++;
    }
    const convs = this.store.viewedBy(agentId);
    const closed = await Promise.all(convs.map((c) => conversationStub(this.env, c).disconnectAgent(agentId, sid).catch(() => 0)));
    if (sid === undefined) this.store.forgetViewing(agentId);
    this.roster.broadcast();
    return n + closed.reduce((a, b) => a + b, 0);
  }

  /** A socket went away: the agent is offline when it was their last. */
  private closed(ws: WebSocket): void {
    const att = this.roster.attachment(ws);
    if (!att) return;
    if (!this.roster.hasOtherSocket(att.id, ws) && this.store.lastState(att.id) !== 'offline') this.logState(att.id, 'offline');
    this.roster.broadcast(ws);
  }

  private async wakeAt(at: number): Promise<void> {
    const current = await this.ctx.storage.getAlarm();
    if (current === null || current > at) await this.ctx.storage.setAlarm(at);
  }

  private logState(agentId: string, state: AgentState): void {
    this.store.logState(agentId, state, Date.now());
    // Copied to D1 for the reports; a failure is tried again by the alarm.
    this.ctx.waitUntil(this.sync.push(Date.now()).then((ok) => (ok ? undefined : this.wakeAt(Date.now() + STATE_SYNC_RETRY_MS))));
  }

  private sendError(ws: WebSocket, code: ErrorCode, message: string): void {
    sendAll([ws], { type: 'error', code, message });
  }
}
