import { DurableObject } from 'cloudflare:workers';
import * as v from 'valibot';
import { InboxClientFrame, PING, PONG } from '../../protocol';
import type { AgentLoad, AgentPresence, ErrorCode, InboxLiveFrame, InboxServerFrame, PresenceStatus, QueueCounts, QueueFilter, QueueItem, SupervisorResponse } from '../../protocol';
import type { Env } from '../env';
import { describeIssues } from '../errors';
import { conversationStub } from '../stubs';
import { QueueStore } from './queue-store';
import { pickAgent } from './assign';

/** Who is on an inbox socket; set by the Worker from the verified session, kept through hibernation. */
interface InboxAttachment {
  v: 1;
  id: string;
  name: string;
  role: string;
  maxChats: number;
  status: PresenceStatus;
  since: number;
}

/** Headers the Worker uses to tell the Inbox object who the (already authenticated) agent is. */
export const AGENT_HEADERS = { id: 'x-sb-agent-id', name: 'x-sb-agent-name', role: 'x-sb-agent-role', maxChats: 'x-sb-agent-max-chats' } as const;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS agent_states (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  agent_id TEXT NOT NULL,
  state TEXT NOT NULL,
  at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS agent_states_by_agent ON agent_states (agent_id, at);
CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS viewing (
  agent_id TEXT NOT NULL,
  conversation_id TEXT NOT NULL,
  PRIMARY KEY (agent_id, conversation_id)
);
`;

/** How often queued changes are fanned out to agents, and assignment re-run. */
const FLUSH_MS = 150;
/** How many waiting customers are told their queue position. */
const POSITIONS_TOLD = 100;
const SYSTEM = { role: 'system' as const, id: null, name: null };
const SUPERVISORS = new Set(['supervisor', 'admin']);

/**
 * One per tenant: the live queue of its conversations, who of its agents is online and how loaded,
 * assignment by capacity, the fan-out of every conversation change to agents, and the time log of
 * agent states that utilization and occupancy are computed from.
 */
export class Inbox extends DurableObject<Env> {
  private readonly queue: QueueStore;
  private dirty = new Set<string>();
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  /** Queue positions last told to each waiting conversation (lost on eviction; then told again). */
  private told = new Map<string, number>();
  private tenantId: string | null = null;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.storage.sql.exec(SCHEMA);
    this.queue = new QueueStore(ctx.storage.sql);
    this.tenantId = ctx.storage.sql.exec<{ v: string }>("SELECT v FROM meta WHERE k = 'tenant'").toArray()[0]?.v ?? null;
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(PING, PONG));
  }

  // ---- RPC ----

  /** A Conversation object changed: keep its row and tell agents shortly (coalesced). */
  async conversationChanged(item: QueueItem, tenantId: string): Promise<void> {
    if (this.tenantId !== tenantId) {
      // Named by its tenant, but the name is not readable inside: remember it for calls back.
      this.tenantId = tenantId;
      this.ctx.storage.sql.exec("INSERT OR REPLACE INTO meta (k, v) VALUES ('tenant', ?)", tenantId);
    }
    const before = this.queue.get(item.id);
    this.queue.upsert(item);
    if (item.hold?.overdue && !before?.hold?.overdue) {
      const to = item.assignee ? this.socketsOf(item.assignee.id) : this.supervisorSockets();
      this.sendAll(to, { type: 'reminder', kind: 'hold.overdue', conversationId: item.id, number: item.number, note: item.hold.note });
    }
    if (item.escalation && !before?.escalation) {
      this.sendAll(this.supervisorSockets(), { type: 'escalated', conversationId: item.id, number: item.number, reason: item.escalation.reason, by: item.escalation.by });
    }
    this.dirty.add(item.id);
    this.scheduleFlush();
  }

  /** Agents online (not away) right now, and everyone's presence. */
  async presence(): Promise<{ agentsOnline: number; agents: AgentPresence[] }> {
    const agents = this.agents();
    return { agentsOnline: agents.filter((a) => a.status === 'online').length, agents };
  }

  /** One page of the queue for an agent, with live counts. */
  async page(filter: QueueFilter, agentId: string, after: { key: number; id: string } | null, limit: number) {
    const { items, next } = this.queue.page(filter, agentId, after, limit);
    return { items, next, counts: this.countsFor(agentId) };
  }

  /** Everyone's presence with their load, for assignment pickers and the supervisor view. */
  async loads(): Promise<AgentLoad[]> {
    const loads = this.queue.loads();
    return this.agents().map((a) => ({ ...a, load: loads.get(a.id) ?? 0, maxChats: this.maxChatsOf(a.id) }));
  }

  /** The supervisor's view of the floor. */
  async supervisor(): Promise<SupervisorResponse> {
    const waiting = this.queue.waiting(10_000);
    return {
      agents: await this.loads(),
      waiting: waiting.length,
      longestWaitSince: waiting.reduce<number | null>((m, i) => (i.waitingSince !== null && (m === null || i.waitingSince < m) ? i.waitingSince : m), null),
      overdueHolds: this.queue.overdueHolds(),
      escalations: this.queue.escalations(),
    };
  }

  /** The state log of one agent, oldest first (for utilization and occupancy reports). */
  async stateLog(agentId: string): Promise<{ state: string; at: number }[]> {
    return this.ctx.storage.sql.exec<{ state: string; at: number }>('SELECT state, at FROM agent_states WHERE agent_id = ? ORDER BY id', agentId).toArray();
  }

  /** An agent opened or closed a conversation's socket: remembered so a disable can reach it. */
  async viewing(agentId: string, conversationId: string, on: boolean): Promise<void> {
    if (on) this.ctx.storage.sql.exec('INSERT OR IGNORE INTO viewing (agent_id, conversation_id) VALUES (?, ?)', agentId, conversationId);
    else this.ctx.storage.sql.exec('DELETE FROM viewing WHERE agent_id = ? AND conversation_id = ?', agentId, conversationId);
  }

  /** Close every socket of a disabled agent: the inbox's and each conversation's they had open. */
  async disconnectAgent(agentId: string): Promise<number> {
    let n = 0;
    for (const ws of this.ctx.getWebSockets(agentId)) {
      this.send(ws, { type: 'session.ended', code: 'auth.forbidden', message: 'Your account was disabled' });
      ws.close(4401, 'auth.forbidden');
      n++;
    }
    const convs = this.ctx.storage.sql.exec<{ c: string }>('SELECT conversation_id AS c FROM viewing WHERE agent_id = ?', agentId).toArray();
    const closed = await Promise.all(convs.map(({ c }) => conversationStub(this.env, c).disconnectAgent(agentId).catch(() => 0)));
    this.ctx.storage.sql.exec('DELETE FROM viewing WHERE agent_id = ?', agentId);
    if (n) this.logState(agentId, 'offline');
    this.broadcastPresence();
    return n + closed.reduce((a, b) => a + b, 0);
  }

  // ---- sockets ----

  override async fetch(request: Request): Promise<Response> {
    const id = request.headers.get(AGENT_HEADERS.id);
    if (!id || request.headers.get('upgrade')?.toLowerCase() !== 'websocket') return new Response('expected an agent WebSocket', { status: 400 });
    const { 0: client, 1: server } = new WebSocketPair();
    // Tagged by agent id so one agent's sockets are found (and closed) without a scan.
    this.ctx.acceptWebSocket(server, [id]);
    const wasOnline = this.ctx.getWebSockets(id).length > 1;
    const att: InboxAttachment = {
      v: 1,
      id,
      name: decodeURIComponent(request.headers.get(AGENT_HEADERS.name) ?? ''),
      role: request.headers.get(AGENT_HEADERS.role) ?? 'agent',
      maxChats: Number(request.headers.get(AGENT_HEADERS.maxChats) ?? 5),
      status: 'online',
      since: Date.now(),
    };
    server.serializeAttachment(att);
    if (!wasOnline) this.logState(id, 'online');
    this.send(server, { type: 'inbox.welcome', you: { id: att.id, name: att.name, role: att.role }, agents: this.agents() });
    this.broadcastPresence(server);
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
        const att = ws.deserializeAttachment() as InboxAttachment;
        if (att.status === frame.status) return;
        // Presence is the person's, not the tab's: every socket of the agent carries it.
        for (const other of this.ctx.getWebSockets(att.id)) {
          other.serializeAttachment({ ...(other.deserializeAttachment() as InboxAttachment), status: frame.status, since: Date.now() });
        }
        this.logState(att.id, frame.status);
        this.broadcastPresence();
        this.scheduleFlush();
        return;
      }
    }
  }

  override async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    this.closed(ws);
    try {
      ws.close(code === 1005 || code === 1006 ? 1000 : code, reason);
    } catch {
      /* already closed */
    }
  }

  override async webSocketError(ws: WebSocket): Promise<void> {
    this.closed(ws);
  }

  // ---- internals ----

  private closed(ws: WebSocket): void {
    const att = ws.deserializeAttachment() as InboxAttachment | null;
    if (!att) return;
    const others = this.ctx.getWebSockets(att.id).filter((w) => w !== ws && w.readyState === WebSocket.OPEN);
    if (others.length === 0) this.logState(att.id, 'offline');
    this.broadcastPresence(ws);
  }

  private scheduleFlush(): void {
    this.flushTimer ??= setTimeout(() => {
      this.flushTimer = undefined;
      this.ctx.waitUntil(this.flush().catch((err: Error) => console.warn('inbox flush failed:', err.message)));
    }, FLUSH_MS);
  }

  /** Fan queued changes out, offer waiting conversations to free agents, tell customers their place. */
  private async flush(): Promise<void> {
    await this.assign();
    const ids = [...this.dirty];
    this.dirty.clear();
    if (ids.length) {
      const base = this.queue.counts();
      const loads = this.queue.loads();
      for (const ws of this.ctx.getWebSockets()) {
        const att = ws.deserializeAttachment() as InboxAttachment | null;
        if (!att) continue;
        const counts: QueueCounts = { ...base, mine: loads.get(att.id) ?? 0 };
        for (const id of ids) {
          const item = this.queue.get(id);
          if (item) this.send(ws, { type: 'queue.changed', item, counts });
          else this.send(ws, { type: 'queue.removed', id, counts });
        }
      }
    }
    await this.tellPositions();
    this.queue.pruneResolved(Date.now() - 24 * 3600_000);
  }

  /** Offer the longest-waiting unassigned conversations to the least-loaded online agents. */
  private async assign(): Promise<void> {
    const loads = this.queue.loads();
    // Supervisors and admins watch the floor; they take conversations by hand, not by rota.
    const online = this.agents().filter((a) => a.status === 'online' && a.role === 'agent');
    if (online.length === 0) return;
    const candidates = online.map((a) => ({ id: a.id, load: loads.get(a.id) ?? 0, maxChats: this.maxChatsOf(a.id), since: a.since }));
    for (const item of this.queue.waiting(50)) {
      const agent = pickAgent(candidates);
      if (!agent) break;
      if (!this.tenantId) return;
      const r = await conversationStub(this.env, item.id).update(this.tenantId, SYSTEM, { assigneeId: agent.id });
      if (!r.ok) continue;
      agent.load++;
      this.queue.upsert({ ...item, assignee: r.value.assignee });
      this.dirty.add(item.id);
      this.sendAll(this.socketsOf(agent.id), { type: 'assigned', conversationId: item.id, number: item.number });
    }
  }

  /** Tell waiting customers their place in line when it changed. */
  private async tellPositions(): Promise<void> {
    const waiting = this.queue.waiting(POSITIONS_TOLD);
    const now = new Map(waiting.map((item, i) => [item.id, i + 1]));
    const calls: Promise<void>[] = [];
    for (const [id, pos] of now) {
      if (this.told.get(id) === pos) continue;
      this.told.set(id, pos);
      calls.push(conversationStub(this.env, id).setQueuePosition(pos).catch(() => {}));
    }
    for (const id of [...this.told.keys()]) {
      if (!now.has(id)) {
        this.told.delete(id);
        calls.push(conversationStub(this.env, id).setQueuePosition(null).catch(() => {}));
      }
    }
    await Promise.all(calls);
  }

  private countsFor(agentId: string): QueueCounts {
    return { ...this.queue.counts(), mine: this.queue.loads().get(agentId) ?? 0 };
  }

  private maxChatsOf(agentId: string): number {
    const ws = this.ctx.getWebSockets(agentId)[0];
    return (ws?.deserializeAttachment() as InboxAttachment | null)?.maxChats ?? 5;
  }

  private socketsOf(agentId: string): WebSocket[] {
    return this.ctx.getWebSockets(agentId);
  }

  private supervisorSockets(): WebSocket[] {
    return this.ctx.getWebSockets().filter((ws) => SUPERVISORS.has((ws.deserializeAttachment() as InboxAttachment | null)?.role ?? ''));
  }

  /** Each agent once, with the most present status over their sockets. */
  private agents(except?: WebSocket): AgentPresence[] {
    const byId = new Map<string, AgentPresence>();
    for (const ws of this.ctx.getWebSockets()) {
      if (ws === except || ws.readyState !== WebSocket.OPEN) continue;
      const a = ws.deserializeAttachment() as InboxAttachment | null;
      if (!a) continue;
      const seen = byId.get(a.id);
      if (!seen || (seen.status !== 'online' && a.status === 'online')) byId.set(a.id, { id: a.id, name: a.name, role: a.role, status: a.status, since: a.since });
    }
    return [...byId.values()].sort((x, y) => x.name.localeCompare(y.name));
  }

  private broadcastPresence(except?: WebSocket): void {
    const frame: InboxServerFrame = { type: 'presence', agents: this.agents(except) };
    this.sendAll(this.ctx.getWebSockets().filter((ws) => ws !== except), frame);
  }

  private logState(agentId: string, state: string): void {
    this.ctx.storage.sql.exec('INSERT INTO agent_states (agent_id, state, at) VALUES (?, ?, ?)', agentId, state, Date.now());
  }

  private sendAll(sockets: WebSocket[], frame: InboxServerFrame | InboxLiveFrame): void {
    const text = JSON.stringify(frame);
    for (const ws of sockets) {
      try {
        ws.send(text);
      } catch {
        /* closed under us */
      }
    }
  }

  private send(ws: WebSocket, frame: InboxServerFrame | InboxLiveFrame): void {
    this.sendAll([ws], frame);
  }

  private sendError(ws: WebSocket, code: ErrorCode, message: string): void {
    this.send(ws, { type: 'error', code, message });
  }
}
