import { CLOSE } from '../../protocol';
import type { InboxClientFrame, InboxLiveFrame, InboxServerFrame, PresenceStatus, QueueFilter } from '../../protocol';
import { parseFrame } from '../../client/conversation-socket';
import { ReconnectingSocket } from '../../client/reconnecting-socket';
import type { LinkState } from '../../client/reconnecting-socket';

/** Every frame the inbox socket can bring. */
export type InboxFrame = InboxServerFrame | InboxLiveFrame;

/** How the inbox socket is doing. */
export type InboxLink = LinkState;

/**
 * The agent's inbox socket (cookie auth, same origin): presence, the watched window of the live
 * queue, reminders. Runs
 * on the shared reconnect loop and restores the agent's chosen presence after each reconnect.
 * Dispatches `frame` (CustomEvent with the frame), `link` when the link state changes,
 * `unauthorized` when the server refused the session, and `suspect` after repeated failures (a
 * refused upgrade looks like a network error; the shell asks /me which it was).
 */
export class InboxSocket extends EventTarget {
  /** What the agent chose; re-sent after every reconnect because the server starts each socket online. */
  wanted: PresenceStatus = 'online';
  /** What the agent looks at; re-sent after every reconnect because the server forgets a closed socket's window. */
  private watching: { filter: QueueFilter; limit: number } | null = null;
  private readonly socket = new ReconnectingSocket({
    open: async () => {
      const url = new URL('/v1/agent/inbox/socket', location.href);
      url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
      return new WebSocket(url);
    },
    onText: (text) => this.onText(text),
    onLink: () => this.dispatchEvent(new Event('link')),
    onClose: (code, attempt) => {
      if (code === CLOSE.unauthorized || code === CLOSE.forbidden) {
        // Disabled or signed out elsewhere.
        this.dispatchEvent(new Event('unauthorized'));
        return 'give-up';
      }
      if (attempt >= 1) this.dispatchEvent(new Event('suspect'));
      return 'retry';
    },
  });

  /** How the socket is doing. */
  get link(): InboxLink {
    return this.socket.link;
  }

  /** Open the socket, and keep it open until stop(); after a refusal, try again. */
  start(): void {
    this.socket.start();
  }

  /** Close for good (sign-out). */
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
