import type { AgentPresence, InboxLiveFrame, InboxServerFrame, PresenceStatus, QueueFilter } from '../../protocol';

/** What an agent looks at on one socket: a filter and how many of its rows they have loaded. */
export interface Watch {
  filter: QueueFilter;
  limit: number;
}

/**
 * Who is on an inbox socket; set by the Worker from the verified session, kept through hibernation.
 * v2 added the sign-in session, so logging out or the session's end closes exactly its sockets.
 * v3 added the socket's own id and what it watches, so live rows go only where they are seen.
 */
export interface InboxAttachment {
  v: 1 | 2 | 3;
  id: string;
  name: string;
  role: string;
  maxChats: number;
  status: PresenceStatus;
  since: number;
  sid?: string;
  sessionEndsAt?: number;
  /** The tenant's offline grace (ms) when the socket opened; absent on older sockets: the default. */
  offlineGraceMs?: number;
  /** This socket's id (v3): what the Inbox last told it is kept under it. */
  sock?: string;
  /** What this socket watches (v3); nothing of the queue is sent before it says. */
  watch?: Watch;
}

/** A frame of the inbox socket. */
export type InboxFrame = InboxServerFrame | InboxLiveFrame;

const SUPERVISORS = new Set(['supervisor', 'admin']);

/**
 * Presence from the Inbox object's hibernating sockets: each is tagged with its agent's id, so one
 * agent's sockets are found without a scan, and carries who they are and how they are.
 */
export class Presence {
  constructor(private readonly ctx: DurableObjectState) {}

  /** Accept an agent's inbox socket. True when the agent had no other socket (they came online). */
  accept(server: WebSocket, att: InboxAttachment): boolean {
    this.ctx.acceptWebSocket(server, [att.id]);
    server.serializeAttachment(att);
    return this.ctx.getWebSockets(att.id).length === 1;
  }

  attachment(ws: WebSocket): InboxAttachment | null {
    return ws.deserializeAttachment() as InboxAttachment | null;
  }

  /** Presence is the person's, not the tab's: every socket of the agent carries it. */
  setStatus(agentId: string, status: PresenceStatus, now: number): void {
    for (const ws of this.ctx.getWebSockets(agentId)) {
      const att = this.attachment(ws);
      if (att) ws.serializeAttachment({ ...att, status, since: now });
    }
  }

  /** Remember what a socket watches; returns its attachment as it now is. */
  setWatch(ws: WebSocket, watch: Watch): InboxAttachment | null {
    const att = this.attachment(ws);
    if (!att) return null;
    const next: InboxAttachment = { ...att, v: 3, sock: att.sock ?? crypto.randomUUID(), watch };
    ws.serializeAttachment(next);
    return next;
  }

  /** True when the agent has an open socket besides `ws`. */
  hasOtherSocket(agentId: string, ws: WebSocket): boolean {
    return this.ctx.getWebSockets(agentId).some((w) => w !== ws && w.readyState === WebSocket.OPEN);
  }

  /** Each agent once, with the most present status over their sockets. */
  agents(except?: WebSocket): AgentPresence[] {
    const byId = new Map<string, AgentPresence>();
    for (const ws of this.ctx.getWebSockets()) {
      if (ws === except || ws.readyState !== WebSocket.OPEN) continue;
      const a = this.attachment(ws);
      if (!a) continue;
      const seen = byId.get(a.id);
      if (!seen || (seen.status !== 'online' && a.status === 'online')) byId.set(a.id, { id: a.id, name: a.name, role: a.role, status: a.status, since: a.since });
    }
    return [...byId.values()].sort((x, y) => x.name.localeCompare(y.name));
  }

  maxChatsOf(agentId: string): number {
    const ws = this.ctx.getWebSockets(agentId)[0];
    return (ws && this.attachment(ws)?.maxChats) ?? 5;
  }

  socketsOf(agentId: string): WebSocket[] {
    return this.ctx.getWebSockets(agentId);
  }

  supervisorSockets(): WebSocket[] {
    return this.ctx.getWebSockets().filter((ws) => SUPERVISORS.has(this.attachment(ws)?.role ?? ''));
  }

  /** Every socket with an agent on it. */
  all(): { ws: WebSocket; att: InboxAttachment }[] {
    const out: { ws: WebSocket; att: InboxAttachment }[] = [];
    for (const ws of this.ctx.getWebSockets()) {
      const att = this.attachment(ws);
      if (att) out.push({ ws, att });
    }
    return out;
  }

  /** Tell everyone (but `except`) who is here. */
  broadcast(except?: WebSocket): void {
    const frame: InboxFrame = { type: 'presence', agents: this.agents(except) };
    sendAll(this.ctx.getWebSockets().filter((ws) => ws !== except), frame);
  }
}

/** Send one frame to many sockets, serialised once; a socket closed under us is not an error. */
export function sendAll(sockets: WebSocket[], frame: InboxFrame): void {
  const text = JSON.stringify(frame);
  for (const ws of sockets) {
    try {
      ws.send(text);
    } catch {
      /* closed under us: its close handler cleans up */
    }
  }
}
