import { DurableObject } from 'cloudflare:workers';
import * as v from 'valibot';
import { InboxClientFrame, PING, PONG } from '../../protocol';
import type { AgentPresence, ErrorCode, InboxServerFrame, PresenceStatus } from '../../protocol';
import type { Env } from '../env';
import { describeIssues } from '../middleware/validate';

/** Who is on an inbox socket; set by the Worker from the verified session, kept through hibernation. */
interface InboxAttachment {
  v: 1;
  id: string;
  name: string;
  role: string;
  status: PresenceStatus;
  since: number;
}

/** Headers the Worker uses to tell the Inbox object who the (already authenticated) agent is. */
export const AGENT_HEADERS = { id: 'x-sb-agent-id', name: 'x-sb-agent-name', role: 'x-sb-agent-role' } as const;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS agent_states (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  agent_id TEXT NOT NULL,
  state TEXT NOT NULL,
  at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS agent_states_by_agent ON agent_states (agent_id, at);
`;

/**
 * One per tenant: who of its agents is online, over their inbox sockets, and the time log of every
 * agent state change that utilization and occupancy are computed from.
 */
export class Inbox extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.storage.sql.exec(SCHEMA);
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(PING, PONG));
  }

  /** How many distinct agents are online (not away) right now. */
  async presence(): Promise<{ agentsOnline: number; agents: AgentPresence[] }> {
    const agents = this.agents();
    return { agentsOnline: agents.filter((a) => a.status === 'online').length, agents };
  }

  /** The state log of one agent, oldest first (for reports and tests). */
  async stateLog(agentId: string): Promise<{ state: string; at: number }[]> {
    return this.ctx.storage.sql.exec<{ state: string; at: number }>('SELECT state, at FROM agent_states WHERE agent_id = ? ORDER BY id', agentId).toArray();
  }

  /** Close every socket of an agent (disabled, or signed out everywhere). */
  async disconnectAgent(agentId: string, code = 4401, reason = 'auth.forbidden'): Promise<number> {
    let n = 0;
    for (const ws of this.ctx.getWebSockets(agentId)) {
      ws.close(code, reason);
      n++;
    }
    this.logState(agentId, 'offline');
    return n;
  }

  override async fetch(request: Request): Promise<Response> {
    const id = request.headers.get(AGENT_HEADERS.id);
    if (!id || request.headers.get('upgrade')?.toLowerCase() !== 'websocket') return new Response('expected an agent WebSocket', { status: 400 });
    const { 0: client, 1: server } = new WebSocketPair();
    // Tagged by agent id so one agent's sockets can be found (and closed) without a scan.
    this.ctx.acceptWebSocket(server, [id]);
    const wasOnline = this.ctx.getWebSockets(id).length > 1;
    const att: InboxAttachment = {
      v: 1,
      id,
      name: decodeURIComponent(request.headers.get(AGENT_HEADERS.name) ?? ''),
      role: request.headers.get(AGENT_HEADERS.role) ?? 'agent',
      status: 'online',
      since: Date.now(),
    };
    server.serializeAttachment(att);
    if (!wasOnline) this.logState(id, 'online');
    this.send(server, { type: 'inbox.welcome', you: { id: att.id, name: att.name, role: att.role }, agents: this.agents() });
    this.broadcastPresence(server);
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
        // Every socket of the agent carries the same status: presence is the person's, not the tab's.
        for (const other of this.ctx.getWebSockets(att.id)) {
          other.serializeAttachment({ ...(other.deserializeAttachment() as InboxAttachment), status: frame.status, since: Date.now() });
        }
        this.logState(att.id, frame.status);
        this.broadcastPresence();
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

  private closed(ws: WebSocket): void {
    const att = ws.deserializeAttachment() as InboxAttachment | null;
    if (!att) return;
    const others = this.ctx.getWebSockets(att.id).filter((w) => w !== ws && w.readyState === WebSocket.OPEN);
    if (others.length === 0) this.logState(att.id, 'offline');
    this.broadcastPresence(ws);
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
    const text = JSON.stringify(frame);
    for (const ws of this.ctx.getWebSockets()) {
      if (ws === except) continue;
      try {
        ws.send(text);
      } catch {
        /* closed under us */
      }
    }
  }

  private logState(agentId: string, state: string): void {
    this.ctx.storage.sql.exec('INSERT INTO agent_states (agent_id, state, at) VALUES (?, ?, ?)', agentId, state, Date.now());
  }

  private send(ws: WebSocket, frame: InboxServerFrame): void {
    try {
      ws.send(JSON.stringify(frame));
    } catch {
      /* closed under us */
    }
  }

  private sendError(ws: WebSocket, code: ErrorCode, message: string): void {
    this.send(ws, { type: 'error', code, message });
  }
}
