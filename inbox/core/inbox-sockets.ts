import type { PresenceStatus, QueueFilter } from '../../protocol';
import { InboxSocket, openSameOrigin } from './inbox-socket';
import type { InboxFrame, InboxLink, OpenInboxSocket } from './inbox-socket';

/** A frame, and which socket it came on: a team's id, or null for the presence socket. */
export interface SocketFrame {
  team: string | null;
  frame: InboxFrame;
}

/**
 * Every inbox socket of one signed-in agent: the presence socket, and one socket per team on their
 * wall (each team's live queue is its own server object). Presence goes to every one of them, so
 * the agent is away in every team at once; the watched window goes to every team socket, so their
 * windows can be merged. Dispatches `frame` (CustomEvent<SocketFrame>), `link` and `unauthorized`
 * as each socket does, `suspect` (CustomEvent<{ team }>, null for the presence socket) after a
 * socket's repeated failures, and `dropped` (CustomEvent<{ team }>) when a team socket was closed
 * with 4403 because the team left the wall; that socket is closed and forgotten.
 */
export class InboxSockets extends EventTarget {
  /** What the agent chose, for every socket, also those opened later. */
  wanted: PresenceStatus = 'online';
  private readonly presence: InboxSocket;
  private readonly teamSockets = new Map<string, InboxSocket>();
  private watching: { filter: QueueFilter; limit: number } | null = null;
  private started = false;

  constructor(private readonly connect: OpenInboxSocket = openSameOrigin) {
    super();
    this.presence = this.wire(new InboxSocket(null, connect));
  }

  /**
   * The link as the agent should be told it: the presence socket's state while it is not online;
   * otherwise "connecting" or "reconnecting" while a team's queue is not live yet.
   */
  get link(): InboxLink {
    if (this.presence.link !== 'online') return this.presence.link;
    let link: InboxLink = 'online';
    for (const s of this.teamSockets.values()) {
      if (s.link === 'reconnecting' || s.link === 'closed') return 'reconnecting';
      if (s.link === 'connecting') link = 'connecting';
    }
    return link;
  }

  /** The teams with a socket now. */
  get teams(): string[] {
    return [...this.teamSockets.keys()];
  }

  /** Open every socket and keep them open until stop(); sockets that gave up try again. */
  start(): void {
    this.started = true;
    this.presence.start();
    for (const s of this.teamSockets.values()) s.start();
  }

  /** Close every socket for good (sign-out). */
  stop(): void {
    this.started = false;
    this.presence.stop();
    for (const s of this.teamSockets.values()) s.stop();
    this.teamSockets.clear();
  }

  /** The teams on the wall now: a socket opens for each new one, and closes for each one gone. */
  setTeams(teams: readonly string[]): void {
    const keep = new Set(teams);
    for (const [team, s] of this.teamSockets) {
      if (keep.has(team)) continue;
      this.teamSockets.delete(team);
      s.stop();
    }
    for (const team of keep) {
      if (this.teamSockets.has(team)) continue;
      const s = this.wire(new InboxSocket(team, this.connect));
      // Told before it opens, so its first frames after the welcome restore both.
      s.wanted = this.wanted;
      if (this.watching) s.watch(this.watching.filter, this.watching.limit);
      this.teamSockets.set(team, s);
      if (this.started) s.start();
    }
    this.dispatchEvent(new Event('link'));
  }

  /** Go online or away, on every socket. */
  setPresence(status: PresenceStatus): void {
    this.wanted = status;
    this.presence.setPresence(status);
    for (const s of this.teamSockets.values()) s.setPresence(status);
  }

  /** Watch a window of the queue on every team socket. */
  watch(filter: QueueFilter, limit: number): void {
    this.watching = { filter, limit };
    for (const s of this.teamSockets.values()) s.watch(filter, limit);
  }

  private wire(s: InboxSocket): InboxSocket {
    s.addEventListener('frame', (e) => {
      if (s.team !== null && this.teamSockets.get(s.team) !== s) return;
      this.dispatchEvent(new CustomEvent<SocketFrame>('frame', { detail: { team: s.team, frame: (e as CustomEvent<InboxFrame>).detail } }));
    });
    s.addEventListener('link', () => this.dispatchEvent(new Event('link')));
    s.addEventListener('unauthorized', () => this.dispatchEvent(new Event('unauthorized')));
    s.addEventListener('suspect', () => this.dispatchEvent(new CustomEvent<{ team: string | null }>('suspect', { detail: { team: s.team } })));
    s.addEventListener('dropped', () => {
      if (s.team === null || this.teamSockets.get(s.team) !== s) return;
      this.teamSockets.delete(s.team);
      s.stop();
      this.dispatchEvent(new CustomEvent<{ team: string }>('dropped', { detail: { team: s.team } }));
      this.dispatchEvent(new Event('link'));
    });
    return s;
  }
}
