import type { AgentRole, Channel, ServerFrame } from '../../protocol';
import type { Actor } from './commands';

/**
 * What a socket carries through hibernation, versioned so a deploy can read older attachments.
 * Before `hello` a socket is `pending` with a deadline; after it, it knows who is on the other end.
 * v2 added the agent's role and sign-in session; a v1 agent is read as the least privileged role.
 */
export type Attachment =
  | { v: 1 | 2; ready: false; deadline: number }
  | {
      v: 1 | 2;
      ready: true;
      role: 'customer' | 'agent';
      id: string;
      name: string | null;
      channel: Channel | null;
      agentRole?: AgentRole;
      /** The agent's sign-in session and when it ends: logout or expiry closes the socket. */
      sid?: string;
      sessionEndsAt?: number;
      /** Agents: the tenant's "topic required at resolve", from the token; absent (older tokens): treated as required. */
      requireTopic?: boolean;
    };

/** A socket whose participant said hello. */
export type ReadyAttachment = Extract<Attachment, { ready: true }>;

/** The ready participant behind a socket, as the rules see them. */
export function actorOf(a: ReadyAttachment): Actor {
  if (a.role === 'agent') return { role: 'agent', id: a.id, name: a.name ?? '', agentRole: a.agentRole ?? 'agent' };
  return { role: 'customer', id: a.id, name: a.name };
}

/**
 * Reads attachments through a cache: deserializing on every broadcast would cost more than the
 * message itself. The WeakMap empties with the instance, so after hibernation it refills from storage.
 */
export class SocketRegistry {
  private readonly cache = new WeakMap<WebSocket, Attachment>();

  constructor(private readonly ctx: DurableObjectState) {}

  get(ws: WebSocket): Attachment {
    let a = this.cache.get(ws);
    if (!a) {
      a = (ws.deserializeAttachment() as Attachment | null) ?? { v: 2, ready: false, deadline: 0 };
      this.cache.set(ws, a);
    }
    return a;
  }

  set(ws: WebSocket, a: Attachment): void {
    ws.serializeAttachment(a);
    this.cache.set(ws, a);
  }

  /** Send one frame to one socket; a socket that is already gone is not an error. */
  send(ws: WebSocket, frame: ServerFrame): void {
    try {
      ws.send(JSON.stringify(frame));
    } catch {
      /* closed under us: its close handler cleans up */
    }
  }

  /** Send one frame to every participant who said hello (of one role, if given), except `except`. Serialized once. */
  broadcast(frame: ServerFrame, except?: WebSocket, role?: 'customer' | 'agent'): void {
    const text = JSON.stringify(frame);
    this.sendByRole(role === 'agent' ? null : text, role === 'customer' ? null : text, except);
  }

  /** Each role its own projection of one change, in one pass over the sockets; each text serialized once. */
  broadcastEach(customerFrame: ServerFrame | null, agentFrame: ServerFrame, except?: WebSocket): void {
    const agentText = JSON.stringify(agentFrame);
    // One projection for both (a customer's message with nothing to mask): serialised once.
    this.sendByRole(customerFrame === agentFrame ? agentText : customerFrame && JSON.stringify(customerFrame), agentText, except);
  }

  private sendByRole(customerText: string | null, agentText: string | null, except?: WebSocket): void {
    for (const ws of this.ctx.getWebSockets()) {
      if (ws === except) continue;
      const a = this.get(ws);
      if (!a.ready) continue;
      const text = a.role === 'agent' ? agentText : customerText;
      if (text === null) continue;
      try {
        ws.send(text);
      } catch {
        /* closed under us */
      }
    }
  }

  /** Everyone who said hello, except `except`. */
  ready(except?: WebSocket): ReadyAttachment[] {
    const out: ReadyAttachment[] = [];
    for (const ws of this.ctx.getWebSockets()) {
      if (ws === except) continue;
      const a = this.get(ws);
      if (a.ready) out.push(a);
    }
    return out;
  }

  /** Sockets still waiting for `hello`. */
  pending(): { ws: WebSocket; deadline: number }[] {
    const out: { ws: WebSocket; deadline: number }[] = [];
    for (const ws of this.ctx.getWebSockets()) {
      const a = this.get(ws);
      if (!a.ready) out.push({ ws, deadline: a.deadline });
    }
    return out;
  }

  /** Close every socket of one participant role (or all), e.g. after a merge or a disabled agent. */
  closeAll(code: number, reason: string, filter: (a: Attachment) => boolean = () => true): void {
    for (const ws of this.ctx.getWebSockets()) {
      if (!filter(this.get(ws))) continue;
      try {
        ws.close(code, reason);
      } catch {
        /* already closed */
      }
    }
  }
}
