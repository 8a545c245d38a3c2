import { CLOSE, PING } from '../../protocol';
import type { InboxLiveFrame, InboxServerFrame, PresenceStatus } from '../../protocol';
import { PING_EVERY_MS, backoffDelay } from '../../client/backoff';

/** Every frame the inbox socket can bring. */
export type InboxFrame = InboxServerFrame | InboxLiveFrame;

/** How the inbox socket is doing. */
export type InboxLink = 'connecting' | 'online' | 'reconnecting' | 'closed';

/**
 * The agent's inbox socket (cookie auth, same origin): presence, the live queue, reminders.
 * Reconnects with backoff and restores the agent's chosen presence after each reconnect.
 * Dispatches `frame` (CustomEvent with the frame), `link` when the link state changes, and
 * `unauthorized` when the server refused the session (the agent must sign in again).
 */
export class InboxSocket extends EventTarget {
  link: InboxLink = 'closed';
  /** What the agent chose; re-sent after every reconnect because the server starts each socket online. */
  wanted: PresenceStatus = 'online';
  private ws: WebSocket | null = null;
  private attempt = 0;
  private stopped = true;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private pingTimer: ReturnType<typeof setInterval> | undefined;

  /** Open the socket, and keep it open until stop(). */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.connect();
  }

  /** Close for good (sign-out). */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    clearInterval(this.pingTimer);
    const ws = this.ws;
    this.ws = null;
    ws?.close(1000, 'signed out');
    this.setLink('closed');
  }

  /** Go online or away. */
  setPresence(status: PresenceStatus): void {
    this.wanted = status;
    this.send({ type: 'presence.set', status });
  }

  private send(frame: object): void {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(frame));
  }

  private connect(): void {
    if (this.stopped || this.ws) return;
    this.setLink(this.attempt === 0 ? 'connecting' : 'reconnecting');
    const url = new URL('/v1/agent/inbox/socket', location.href);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    const ws = new WebSocket(url);
    this.ws = ws;
    ws.onmessage = (e) => {
      if (this.ws !== ws) return;
      let frame: InboxFrame | { type: 'pong' };
      try {
        frame = JSON.parse(String(e.data)) as InboxFrame | { type: 'pong' };
      } catch {
        return;
      }
      if (frame.type === 'pong') return;
      if (frame.type === 'inbox.welcome') {
        this.attempt = 0;
        this.setLink('online');
        if (this.wanted !== 'online') this.send({ type: 'presence.set', status: this.wanted });
      }
      this.dispatchEvent(new CustomEvent<InboxFrame>('frame', { detail: frame }));
    };
    ws.onopen = () => {
      clearInterval(this.pingTimer);
      this.pingTimer = setInterval(() => this.ws === ws && ws.readyState === WebSocket.OPEN && ws.send(PING), PING_EVERY_MS);
    };
    ws.onclose = (e) => {
      if (this.ws !== ws) return;
      this.ws = null;
      clearInterval(this.pingTimer);
      if (this.stopped) return;
      if (e.code === CLOSE.unauthorized || e.code === CLOSE.forbidden) {
        // Disabled or signed out elsewhere; a refused upgrade (401) also lands here with 1006, so
        // the shell checks /me before believing that.
        this.stop();
        this.dispatchEvent(new Event('unauthorized'));
        return;
      }
      this.setLink('reconnecting');
      const delay = backoffDelay(this.attempt++);
      this.retryTimer = setTimeout(() => this.connect(), delay);
      if (this.attempt >= 2) this.dispatchEvent(new Event('suspect'));
    };
  }

  private setLink(link: InboxLink): void {
    if (this.link === link) return;
    this.link = link;
    this.dispatchEvent(new Event('link'));
  }
}
