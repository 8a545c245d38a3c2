import type { Author, CustomerConversationState, CsatScore, Message, SessionResponse } from '../../protocol';
import { CLOSE, PING } from '../../protocol';
import { Outbox } from './outbox';
import { PING_EVERY_MS, backoffDelay } from '../../client/backoff';
import { openConversationSocket } from '../../client/conversation-socket';
import type { CustomerFrame, IncomingFrame } from '../../client/conversation-socket';
import type { KeyValue } from './storage';

/** How the link to the conversation is doing, as the customer should be told. */
export type LinkState = 'idle' | 'connecting' | 'online' | 'reconnecting';

/** One row of the message list: a stored message, or one of the customer's still in the outbox. */
export interface ViewMessage {
  key: string;
  seq: number | null;
  text: string;
  author: Author;
  createdAt: number;
  mine: boolean;
  /** For the customer's own messages. */
  state: 'sending' | 'sent' | 'read' | 'failed';
}

/** What a connection needs to know. */
export interface ConnectionOptions {
  base: string;
  brand: string;
  channel: 'web' | 'app' | 'modem';
  identityToken?: string;
  attributes?: Record<string, string | number | boolean>;
  storage: KeyValue;
  /** For tests: the WebSocket constructor and fetch to use. */
  WebSocketImpl?: typeof WebSocket;
  fetchImpl?: typeof fetch;
}

const TYPING_TTL_MS = 6_000;

/**
 * The customer's side of a conversation: session, socket, reconnects, history and the outbox.
 * Dispatches `change` whenever anything the view shows changed, and `message` for each new
 * message from someone else (with the message as detail).
 */
export class ChatConnection extends EventTarget {
  messages: Message[] = [];
  conversation: CustomerConversationState | null = null;
  link: LinkState = 'idle';
  typing: Author | null = null;
  /** Furthest seq an agent has read. */
  agentRead = 0;
  failed = new Map<string, string>();
  conversationId: string | null = null;
  readonly outbox: Outbox;

  private session: SessionResponse | null = null;
  private ws: WebSocket | null = null;
  private attempt = 0;
  private stopped = true;
  private timers = new Set<ReturnType<typeof setTimeout>>();
  private pingTimer: ReturnType<typeof setInterval> | undefined;
  private typingTimer: ReturnType<typeof setTimeout> | undefined;
  private sentTypingAt = 0;
  private readonly onOnline = () => this.reconnectNow();
  private readonly onOffline = () => this.dropLink();

  constructor(private readonly opts: ConnectionOptions) {
    super();
    this.outbox = new Outbox(opts.storage, this.key('outbox'));
  }

  private key(name: string): string {
    return `sb:${this.opts.brand}:${name}`;
  }

  /** Connect, and keep connecting until stopped. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    addEventListener('online', this.onOnline);
    addEventListener('offline', this.onOffline);
    void this.connect();
  }

  /** Close the socket and stop reconnecting; the outbox stays for next time. */
  stop(): void {
    this.stopped = true;
    removeEventListener('online', this.onOnline);
    removeEventListener('offline', this.onOffline);
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    clearInterval(this.pingTimer);
    const ws = this.ws;
    this.ws = null;
    ws?.close(1000, 'stopped');
    this.setLink('idle');
  }

  /** Forget this device: visitor token, outbox and read marks. */
  forget(): void {
    this.stop();
    this.outbox.clear();
    this.opts.storage.remove(this.key('visitor'));
    this.opts.storage.remove(this.key('read'));
  }

  /** The device's visitor token, if it has one. */
  visitorToken(): string | null {
    return this.opts.storage.get(this.key('visitor'));
  }

  /** Keep a visitor token the server issued elsewhere (leave-a-message), and connect with it. */
  adoptVisitorToken(token: string): void {
    this.opts.storage.set(this.key('visitor'), token);
    this.session = null;
    this.reconnectNow();
  }

  /** The list to show: stored messages in seq order, then unsent ones in the order written. */
  view(): ViewMessage[] {
    const rows: ViewMessage[] = this.messages.map((m) => {
      const mine = m.author.role === 'customer';
      return { key: m.clientId + m.seq, seq: m.seq, text: m.text, author: m.author, createdAt: m.createdAt, mine, state: mine && m.seq <= this.agentRead ? 'read' : 'sent' };
    });
    const stored = new Set(this.messages.filter((m) => m.author.role === 'customer').map((m) => m.clientId));
    for (const item of this.outbox.items()) {
      if (stored.has(item.clientId)) continue;
      rows.push({ key: item.clientId, seq: null, text: item.text, author: { role: 'customer', id: null, name: null }, createdAt: item.createdAt, mine: true, state: this.failed.has(item.clientId) ? 'failed' : 'sending' });
    }
    return rows;
  }

  /** Queue a message; it is sent now if the link is up, or as soon as it is. */
  send(text: string): void {
    const item = this.outbox.add(text);
    this.sendTyping(false);
    this.frame({ type: 'message.send', clientId: item.clientId, text: item.text });
    this.changed();
  }

  /** Tell the agent the customer is typing, at most every few seconds. */
  sendTyping(on: boolean): void {
    const now = Date.now();
    if (on && now - this.sentTypingAt < 3000) return;
    this.sentTypingAt = on ? now : 0;
    this.frame({ type: 'typing.set', on });
  }

  /** Mark everything up to `seq` as read by the customer. */
  markRead(seq: number): void {
    if (seq <= this.readSeq()) return;
    this.opts.storage.set(this.key('read'), JSON.stringify({ c: this.conversationId, s: seq }));
    this.frame({ type: 'read.set', seq });
    this.changed();
  }

  /** The customer's last read seq in the current conversation. */
  readSeq(): number {
    try {
      const r = JSON.parse(this.opts.storage.get(this.key('read')) ?? 'null') as { c: string; s: number } | null;
      return r && r.c === this.conversationId ? r.s : 0;
    } catch {
      return 0;
    }
  }

  /** Messages from agents the customer has not read yet. */
  unread(): number {
    const read = this.readSeq();
    return this.messages.filter((m) => m.author.role !== 'customer' && m.seq > read).length;
  }

  /** Rate the resolved conversation; rating again replaces the rating. */
  rate(score: CsatScore, comment?: string): void {
    this.frame(comment ? { type: 'csat.rate', score, comment } : { type: 'csat.rate', score });
  }

  /** Switch to another identity: the old socket is closed and a new session made. */
  identify(identityToken: string): void {
    this.opts.identityToken = identityToken;
    this.resetConversation();
    this.reconnectNow();
  }

  /** Update the contact's attributes on the server (sent with the next session). */
  setAttributes(attributes: Record<string, string | number | boolean>): void {
    this.opts.attributes = { ...this.opts.attributes, ...attributes };
    this.session = null;
    this.reconnectNow();
  }

  private resetConversation(): void {
    this.session = null;
    this.messages = [];
    this.conversation = null;
    this.conversationId = null;
    this.agentRead = 0;
    this.typing = null;
  }

  private async openSession(): Promise<SessionResponse> {
    const body: Record<string, unknown> = { brand: this.opts.brand, channel: this.opts.channel };
    const visitorToken = this.opts.storage.get(this.key('visitor'));
    if (visitorToken) body.visitorToken = visitorToken;
    if (this.opts.identityToken) body.identityToken = this.opts.identityToken;
    if (this.opts.attributes && Object.keys(this.opts.attributes).length) body.attributes = this.opts.attributes;
    const res = await (this.opts.fetchImpl ?? fetch)(`${this.opts.base}/v1/widget/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!res.ok) {
      const err = (await res.json().catch(() => null)) as { error?: { code: string; message: string } } | null;
      throw Object.assign(new Error(err?.error?.message ?? `session failed (${res.status})`), { code: err?.error?.code, status: res.status });
    }
    const s = (await res.json()) as SessionResponse;
    this.opts.storage.set(this.key('visitor'), s.visitorToken);
    if (this.conversationId && this.conversationId !== s.conversationId) this.resetConversation();
    this.conversationId = s.conversationId;
    return s;
  }

  private async connect(): Promise<void> {
    if (this.stopped || this.ws) return;
    if (typeof navigator !== 'undefined' && navigator.onLine === false) return this.setLink('reconnecting');
    this.setLink(this.attempt === 0 && !this.conversation ? 'connecting' : 'reconnecting');
    try {
      if (!this.session || this.session.expiresAt - Date.now() < 30_000) this.session = await this.openSession();
    } catch (err) {
      const status = (err as { status?: number }).status ?? 0;
      // 4xx other than rate limits will not heal by retrying: say so instead of hammering.
      if (status >= 400 && status < 500 && status !== 429) {
        this.dispatchEvent(new CustomEvent('fatal', { detail: err }));
        return this.setLink('reconnecting');
      }
      return this.retry();
    }
    if (this.stopped || this.ws) return;
    const lastSeq = this.messages.length ? this.messages[this.messages.length - 1]!.seq : 0;
    const ws: WebSocket = openConversationSocket({
      url: this.session.socketUrl,
      token: this.session.socketToken,
      lastSeq,
      ...(this.opts.WebSocketImpl ? { WebSocketImpl: this.opts.WebSocketImpl } : {}),
      onFrame: (frame) => {
        if (this.ws === ws) this.onFrame(frame);
      },
      onClose: (code) => {
        if (this.ws !== ws) return;
        this.ws = null;
        clearInterval(this.pingTimer);
        // A refused token (expired, or the conversation moved) heals with a fresh session.
        if (code === CLOSE.unauthorized || code === CLOSE.forbidden) this.session = null;
        if (!this.stopped) this.retry();
      },
    });
    this.ws = ws;
  }

  private onFrame(incoming: IncomingFrame): void {
    // This socket carries the customer's projection only (the server sends nothing else here).
    const frame = incoming as CustomerFrame;
    switch (frame.type) {
      case 'welcome': {
        this.attempt = 0;
        this.conversation = frame.conversation;
        for (const m of frame.messages) this.addMessage(m, false);
        this.setLink('online');
        this.pingTimer = setInterval(() => this.ws?.send(PING), PING_EVERY_MS);
        // Drain the outbox in the order written; the server deduplicates anything already stored.
        for (const item of this.outbox.items()) {
          if (!this.failed.has(item.clientId)) this.frame({ type: 'message.send', clientId: item.clientId, text: item.text });
        }
        this.dispatchEvent(new Event('ready'));
        break;
      }
      case 'message.ack':
        this.outbox.ack(frame.clientId);
        break;
      case 'message.created':
        this.addMessage(frame.message, true);
        if (frame.message.author.role !== 'customer' && this.typing?.id === frame.message.author.id) this.typing = null;
        break;
      case 'typing':
        if (frame.author.role === 'customer') return;
        clearTimeout(this.typingTimer);
        this.typing = frame.on ? frame.author : null;
        if (frame.on) this.typingTimer = setTimeout(() => ((this.typing = null), this.changed()), TYPING_TTL_MS);
        break;
      case 'read':
        if (frame.author.role === 'agent') this.agentRead = Math.max(this.agentRead, frame.seq);
        break;
      case 'conversation.updated': {
        const { type: _, ...state } = frame;
        this.conversation = state;
        // Merged into the contact's other thread: follow it there.
        if (state.mergedInto) {
          this.session = null;
          this.ws?.close(1000, 'merged');
        }
        break;
      }
      case 'error':
        if (frame.ref && (frame.code === 'message.too_long' || frame.code === 'frame.invalid')) this.failed.set(frame.ref, frame.message);
        break;
      case 'pong':
        return;
    }
    this.changed();
  }

  private addMessage(m: Message, live: boolean): void {
    const last = this.messages[this.messages.length - 1];
    if (last && m.seq <= last.seq) {
      if (this.messages.some((x) => x.seq === m.seq)) return;
      this.messages = [...this.messages, m].sort((a, b) => a.seq - b.seq);
    } else this.messages = [...this.messages, m];
    if (m.author.role === 'customer') this.outbox.ack(m.clientId);
    if (live && m.author.role !== 'customer') this.dispatchEvent(new CustomEvent('message', { detail: m }));
  }

  private frame(frame: object): void {
    if (this.link === 'online' && this.ws?.readyState === 1) this.ws.send(JSON.stringify(frame));
  }

  private dropLink(): void {
    const ws = this.ws;
    this.ws = null;
    clearInterval(this.pingTimer);
    ws?.close(1000, 'offline');
    if (!this.stopped) this.setLink('reconnecting');
  }

  private reconnectNow(): void {
    if (this.stopped) return;
    this.dropLink();
    this.attempt = 0;
    void this.connect();
  }

  private retry(): void {
    this.setLink('reconnecting');
    const delay = backoffDelay(this.attempt);
    this.attempt++;
    const t = setTimeout(() => {
      this.timers.delete(t);
      void this.connect();
    }, delay);
    this.timers.add(t);
  }

  private setLink(link: LinkState): void {
    if (this.link === link) return;
    this.link = link;
    this.changed();
  }

  private changed(): void {
    this.dispatchEvent(new Event('change'));
  }
}
