import { CLOSE } from '../../protocol';
import type { InboxClientFrame, InboxLiveFrame, InboxServerFrame, PresenceStatus, QueueFilter } from '../../protocol';
import { parseFrame } from '../../client/conversation-socket';
import { ReconnectingSocket } from '../../client/reconnecting-socket';
import type { LinkState } from '../../client/reconnecting-socket';

/** Every frame an inbox socket can bring. */
export type InboxFrame = InboxServerFrame | InboxLiveFrame;

/** How an inbox socket is doing. */
export type InboxLink = LinkState;

/** Opens the WebSocket for a same-origin path; tests pass a fake. */
export type OpenInboxSocket = (path: string) => WebSocket;

/** The browser's WebSocket on this page's origin (cookie auth). */
export const openSameOrigin: OpenInboxSocket = (path) => {
  const url = new URL(path, location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return new WebSocket(url);
};

/**
 * One of the agent's inbox sockets (cookie auth, same origin): the presence socket (`team` null:
 * who is online, session end) or one team's socket (`?team=`: that team's watched window of the live
 * queue, its counts, assignments, reminders and escalations). Runs on the shared reconnect loop and
 * restores, after each welcome, the presence the agent chose and the window they watch, because
 * the server starts every socket online and watching nothing.
 * Dispatches `frame` (CustomEvent with the frame), `link` when the link state changes,
 * `unauthorized` when the server refused the session, `dropped` when a team socket was refused
 * because the team is no longer on the agent's wall (it then stays closed), and `suspect` after
 * repeated failures (a refused upgrade looks like a network error; the shell asks /me which it was).
 */
export class InboxSocket extends EventTarget {
  /** What the agent chose; re-sent after every reconnect because the server starts each socket online. */
  wanted: PresenceStatus = 'online';
  /** What the agent looks at; re-sent after every reconnect because the server forgets a closed socket's window. */
  private watching: { filter: QueueFilter; limit: number } | null = null;
  private readonly socket: ReconnectingSocket;

  constructor(
    /** The team whose queue this socket carries; null for the presence socket. */
    readonly team: string | null = null,
    connect: OpenInboxSocket = openSameOrigin,
  ) {
    super();
    const path = team === null ? '/v1/agent/inbox/socket' : `/v1/agent/inbox/socket?${new URLSearchParams({ team })}`;
    this.socket = new ReconnectingSocket({
      open: async () => connect(path),
      onText: (text) => this.onText(text),
      onLink: () => this.dispatchEvent(new Event('link')),
      onClose: (code, attempt) => {
        // A team socket refused as forbidden: the agent left the team (or it is gone). Retrying
        // would be refused for ever; the owner drops the team instead.
        if (team !== null && code === CLOSE.forbidden) {
          this.dispatchEvent(new Event('dropped'));
          return 'give-up';
        }
        if (code === CLOSE.unauthorized || code === CLOSE.forbidden) {
          // Disabled or signed out elsewhere.
          this.dispatchEvent(new Event('unauthorized'));
          return 'give-up';
        }
        if (attempt >= 1) this.dispatchEvent(new Event('suspect'));
        return 'retry';
      },
    });
  }

  /** How the socket is doing. */
  get link(): InboxLink {
    return this.socket.link;
  }

  /** Open the socket, and keep it open until stop(); after a refusal, try again. */
  start(): void {
    this.socket.start();
  }

  /** Close for good (sign-out, or the team left the wall). */
  stop(): void {
    this.socket.stop('signed out');
  }

  /** Go online or away. */
  setPresence(status: PresenceStatus): void {
    this.wanted = status;
    this.send({ type: 'presence.set', status });
  }

  /** Watch a window of the queue (a filter and how many rows are loaded): live rows come for it only. */
  watch(filter: QueueFilter, limit: number): void {
    this.watching = { filter, limit };
    this.send({ type: 'queue.watch', filter, limit });
  }

  private send(frame: InboxClientFrame): void {
    this.socket.send(JSON.stringify(frame));
  }

  private onText(text: string): void {
    const frame = parseFrame<InboxFrame | { type: 'pong' }>(text);
    if (!frame || frame.type === 'pong') return;
    if (frame.type === 'inbox.welcome') {
      this.socket.up();
      if (this.wanted !== 'online') this.send({ type: 'presence.set', status: this.wanted });
      if (this.watching) this.send({ type: 'queue.watch', ...this.watching });
    }
    this.dispatchEvent(new CustomEvent<InboxFrame>('frame', { detail: frame }));
  }
}
