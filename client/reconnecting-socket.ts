import { PING } from '../protocol';
import { PING_EVERY_MS, WELCOME_TIMEOUT_MS, backoffDelay } from './backoff';

/** How a link to the server is doing, as the person in front of it should be told. */
export type LinkState = 'connecting' | 'online' | 'reconnecting' | 'closed';

/** What a reconnecting socket asks of its owner. */
export interface ReconnectPlan {
  /**
   * Open a socket (fetching a token first, if needed). Throws when that failed; `onOpenError` then
   * says whether to try again.
   */
  open(): Promise<WebSocket>;
  /** Text frames of the current socket. */
  onText(text: string): void;
  /** Whether a failed open() heals by retrying (network, 5xx, 429), or never will. */
  onOpenError?(err: unknown, attempt: number): 'retry' | 'give-up';
  /** Whether to reconnect after the server closed the socket with `code`. */
  onClose?(code: number, attempt: number): 'retry' | 'give-up';
  /** Called whenever `link` changes. */
  onLink(link: LinkState): void;
  /** The state to show after giving up; 'closed' unless the owner waits for something else (the network). */
  givenUp?: LinkState;
  /** Follow the browser's online/offline events: drop at once when offline, retry at once when back. */
  watchNetwork?: boolean;
}

/**
 * The one reconnect loop of the browser: open, keep alive with pings, back off with jitter on
 * failure, and stop for good on request. The widget's conversation, the inbox's conversation tabs
 * and the inbox socket all run on it; what the frames mean is their owner's business.
 */
export class ReconnectingSocket {
  link: LinkState = 'closed';
  private ws: WebSocket | null = null;
  private attempt = 0;
  private stopped = true;
  private everOnline = false;
  /** The owner said a failure will not heal: no retries until start() or reconnectNow(). */
  private gaveUp = false;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private pingTimer: ReturnType<typeof setInterval> | undefined;
  /** Fires when a socket has not been welcomed in time: an upgrade a busy server never answered. */
  private welcomeTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly onOnline = () => this.reconnectNow();
  private readonly onOffline = () => this.drop('offline');

  constructor(private readonly plan: ReconnectPlan) {}

  /** Connect, and keep connecting until stop(); after giving up, try again. */
  start(): void {
    if (!this.stopped) {
      if (this.gaveUp) this.reconnectNow();
      return;
    }
    this.stopped = false;
    this.gaveUp = false;
    if (this.plan.watchNetwork) {
      addEventListener('online', this.onOnline);
      addEventListener('offline', this.onOffline);
    }
    void this.connect();
  }

  /** Close the socket and stop reconnecting. */
  stop(reason = 'stopped'): void {
    this.stopped = true;
    if (this.plan.watchNetwork) {
      removeEventListener('online', this.onOnline);
      removeEventListener('offline', this.onOffline);
    }
    clearTimeout(this.retryTimer);
    this.drop(reason);
    this.setLink('closed');
  }

  /** The owner heard the server's welcome: the link is up, the backoff starts over, pings begin. */
  up(): void {
    clearTimeout(this.welcomeTimer);
    this.attempt = 0;
    this.everOnline = true;
    clearInterval(this.pingTimer);
    const ws = this.ws;
    this.pingTimer = setInterval(() => ws === this.ws && ws?.readyState === 1 && ws.send(PING), PING_EVERY_MS);
    this.setLink('online');
  }

  /** Send text if the socket is open; false when it is not (the caller keeps it for later). */
  send(text: string): boolean {
    if (this.ws?.readyState !== 1) return false;
    this.ws.send(text);
    return true;
  }

  /** Drop the current socket and connect again now, without waiting out a backoff. */
  reconnectNow(): void {
    if (this.stopped) return;
    clearTimeout(this.retryTimer);
    this.drop('reconnect');
    this.gaveUp = false;
    this.attempt = 0;
    void this.connect();
  }

  private drop(reason: string): void {
    const ws = this.ws;
    this.ws = null;
    clearInterval(this.pingTimer);
    clearTimeout(this.welcomeTimer);
    ws?.close(1000, reason);
    if (!this.stopped && ws) this.setLink('reconnecting');
  }

  private async connect(): Promise<void> {
    if (this.stopped || this.ws) return;
    if (this.plan.watchNetwork && typeof navigator !== 'undefined' && navigator.onLine === false) return this.setLink('reconnecting');
    this.setLink(this.attempt === 0 && !this.everOnline ? 'connecting' : 'reconnecting');
    let ws: WebSocket;
    try {
      ws = await this.plan.open();
    } catch (err) {
      if (this.stopped) return;
      if ((this.plan.onOpenError?.(err, this.attempt) ?? 'retry') === 'give-up') return this.giveUp();
      return this.retry();
    }
    // Stopped, or another connect won, while the token was on its way.
    if (this.stopped || this.ws) return ws.close(1000, 'superseded');
    this.ws = ws;
    // A socket that is neither welcomed nor closed (an upgrade lost in an overloaded proxy or
    // server) would otherwise wait for ever: give it up and try again, backing off.
    clearTimeout(this.welcomeTimer);
    this.welcomeTimer = setTimeout(() => {
      if (this.ws !== ws || this.link === 'online') return;
      this.drop('no welcome');
      this.retry();
    }, WELCOME_TIMEOUT_MS);
    ws.addEventListener('message', (e) => {
      if (this.ws === ws) this.plan.onText(String(e.data));
    });
    ws.addEventListener('close', (e) => {
      if (this.ws !== ws) return;
      this.ws = null;
      clearInterval(this.pingTimer);
      clearTimeout(this.welcomeTimer);
      if (this.stopped) return;
      if ((this.plan.onClose?.(e.code, this.attempt) ?? 'retry') === 'give-up') return this.giveUp();
      this.retry();
    });
  }

  private giveUp(): void {
    this.gaveUp = true;
    this.setLink(this.plan.givenUp ?? 'closed');
  }

  private retry(): void {
    this.setLink('reconnecting');
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => void this.connect(), backoffDelay(this.attempt++));
  }

  private setLink(link: LinkState): void {
    if (this.link === link) return;
    this.link = link;
    this.plan.onLink(link);
  }
}
