import type { AgentRef, AgentServerFrame, Author, ClientFrame, ErrorCode, Message, Note, ServerFrame, SystemLine } from '../protocol';
import { withLine } from '../protocol';
import { Typists } from './typists';
import { openConversationSocket, parseFrame } from './conversation-socket';
import type { IncomingFrame } from './conversation-socket';
import { Outbox, filesReady } from './outbox';
import type { OutboxFile, OutboxItem } from './outbox';
import { ReconnectingSocket } from './reconnecting-socket';
import type { LinkState, ReconnectPlan } from './reconnecting-socket';
import type { KeyValue } from './storage';

/** Our own "typing" goes out at most this often. */
const TYPING_EVERY_MS = 3_000;

/** The conversation state a projection's frames carry: the agents' full one or the customer's. */
export type StateOf<F extends ServerFrame> = Extract<F, { type: 'welcome' }>['conversation'];

/** Where to say hello, and with which short-lived token. */
export interface SocketTicket {
  url: string;
  token: string;
}

/** An outbox item as a view shows it. */
export interface PendingItem extends OutboxItem {
  /** sending: waiting for the server; sent: acknowledged, not yet seen in the log; failed: refused. */
  state: 'sending' | 'sent' | 'failed';
  error?: string;
}

/** What a conversation link needs to know from the widget or the inbox. */
export interface ConversationLinkOptions {
  /** A ticket for the next socket; throws (with `status`) when none can be had. */
  ticket(): Promise<SocketTicket>;
  /** Whether an author is the one this link speaks for (their messages ack the outbox; their typing is not shown). */
  isMe(author: Author): boolean;
  storage: KeyValue;
  /** Storage key of the outbox. */
  outboxKey: string;
  /** Whether an error naming an outbox item marks it failed (left for the writer); otherwise it is resent on reconnect. */
  failsOn?(code: ErrorCode): boolean;
  /**
   * Frames that must reach the server before any queued message (the customer's pre-chat topic):
   * asked for after every welcome, once the log is merged, and sent ahead of the outbox's drain.
   */
  lead?(): ClientFrame[];
  onTicketError?: ReconnectPlan['onOpenError'];
  onClose?: ReconnectPlan['onClose'];
  givenUp?: LinkState;
  watchNetwork?: boolean;
  WebSocketImpl?: typeof WebSocket;
}

/**
 * The one conversation link of the browser, for the widget and every inbox tab: a ticket (token)
 * per socket, `hello` with the last seq held, pings and backoff, the seq-ordered merge of the log,
 * notes, viewers, typing with a timeout, read marks, and the persisted outbox that drains in the
 * order written after every welcome, behind any lead frames. Dispatches `change` whenever
 * anything shown changed, `welcome` after each welcome, `updated` after `conversation.updated`,
 * `message` (detail: the message) for each new live message by someone else, and `error`
 * (detail: code and message) for each refusal that names no outbox item.
 */
export class ConversationLink<F extends ServerFrame = AgentServerFrame> extends EventTarget {
  /** The live state in this socket's projection (the token decides which one the server sends). */
  conversation: StateOf<F> | null = null;
  messages: Message[] = [];
  notes: Note[] = [];
  viewers: AgentRef[] = [];
  /** The thread's system lines in this projection, by seq. */
  lines: SystemLine[] = [];
  private readonly typists = new Typists(() => this.changed());
  /** The furthest seq each side has read, as the server told us. */
  readBy = { customer: 0, agent: 0 };
  /** Outbox items the server refused, with its message. */
  readonly failed = new Map<string, string>();
  /** The last error the server sent that named no outbox item. */
  error: { code: ErrorCode; message: string } | null = null;
  readonly outbox: Outbox;

  private readonly socket: ReconnectingSocket;
  /** Acknowledged items not yet seen in the log, kept to show them as sent meanwhile. */
  private readonly acked = new Map<string, OutboxItem>();
  private sentTypingAt = 0;
  private readSent = 0;
  private resendTimers = new Set<ReturnType<typeof setTimeout>>();

  constructor(private readonly opts: ConversationLinkOptions) {
    super();
    this.outbox = new Outbox(opts.storage, opts.outboxKey);
    this.socket = new ReconnectingSocket({
      open: async () => {
        const t = await opts.ticket();
        return openConversationSocket({ url: t.url, token: t.token, lastSeq: this.lastSeq(), ...(opts.WebSocketImpl ? { WebSocketImpl: opts.WebSocketImpl } : {}) });
      },
      onText: (text) => {
        const frame = parseFrame<IncomingFrame<ServerFrame>>(text);
        if (frame) this.onFrame(frame);
      },
      onLink: () => this.changed(),
      ...(opts.onTicketError ? { onOpenError: opts.onTicketError } : {}),
      ...(opts.onClose ? { onClose: opts.onClose } : {}),
      ...(opts.givenUp ? { givenUp: opts.givenUp } : {}),
      ...(opts.watchNetwork ? { watchNetwork: true } : {}),
    });
  }

  /** Who else is typing now. */
  get typing(): Author[] {
    return this.typists.list;
  }

  /** How the link is doing. */
  get link(): LinkState {
    return this.socket.link;
  }

  /** Connect, and keep connecting until stop(). */
  start(): void {
    this.socket.start();
  }

  /** Close for good; the outbox stays in storage for next time. */
  stop(): void {
    this.socket.stop();
    for (const t of this.resendTimers) clearTimeout(t);
    this.resendTimers.clear();
    this.typists.clear();
  }

  /** Reconnect at once (a new identity, a merged conversation, the network came back). */
  reconnectNow(): void {
    this.socket.reconnectNow();
  }

  /** Forget the conversation held (the next welcome brings another one); the outbox stays. */
  reset(): void {
    this.conversation = null;
    this.messages = [];
    this.notes = [];
    this.viewers = [];
    this.lines = [];
    this.typists.clear();
    this.readBy = { customer: 0, agent: 0 };
    this.readSent = 0;
    this.acked.clear();
  }

  /** The last seq held; `hello` asks for everything after it. */
  lastSeq(): number {
    return this.messages.length ? this.messages[this.messages.length - 1]!.seq : 0;
  }

  /** Outbox items still to show: waiting, refused, or acknowledged but not yet in the log. */
  pending(): PendingItem[] {
    const rows: PendingItem[] = [];
    for (const item of this.outbox.items()) {
      const error = this.failed.get(item.clientId);
      rows.push(error === undefined ? { ...item, state: 'sending' } : { ...item, state: 'failed', error });
    }
    for (const item of this.acked.values()) if (!this.outbox.get(item.clientId)) rows.push({ ...item, state: 'sent' });
    return rows.sort((a, b) => a.createdAt - b.createdAt);
  }

  /** Write a message (or an agent's note); it is sent now if the link is up, or after the next welcome. */
  send(text: string, kind?: 'note', files?: OutboxFile[], requestId?: string): OutboxItem {
    const item = this.outbox.add(text, Date.now(), kind, files, requestId);
    if (!kind) this.sendTyping(false);
    this.transmit(item);
    this.changed();
    return item;
  }

  /** Try a refused item again, under the same clientId so the server never stores it twice. */
  retry(clientId: string): void {
    const item = this.outbox.get(clientId);
    if (!item) return;
    this.failed.delete(clientId);
    this.transmit(item);
    this.changed();
  }

  /** One file of an item is stored; once all are, the message goes (now, or after the next welcome). */
  fileStored(clientId: string, index: number, id: string): void {
    const item = this.outbox.setFileId(clientId, index, id);
    if (item && filesReady(item)) this.transmit(item);
    this.changed();
  }

  /** Mark an item refused with a message for the writer (a file the server would not take). */
  fail(clientId: string, message: string): void {
    if (!this.outbox.get(clientId)) return;
    this.failed.set(clientId, message);
    this.changed();
  }

  /** Give up on an unsent item. */
  discard(clientId: string): void {
    this.outbox.ack(clientId);
    this.failed.delete(clientId);
    this.changed();
  }

  /** Tell the others we are typing, at most every few seconds; `false` goes out at once, once. */
  sendTyping(on: boolean): void {
    const now = Date.now();
    if (on && now - this.sentTypingAt < TYPING_EVERY_MS) return;
    if (!on && this.sentTypingAt === 0) return;
    this.sentTypingAt = on ? now : 0;
    this.frame({ type: 'typing.set', on });
  }

  /** Tell the server everything up to `seq` was read; sent once per seq, and only while online. */
  markRead(seq: number): void {
    if (seq <= this.readSent || this.link !== 'online') return;
    this.readSent = seq;
    this.frame({ type: 'read.set', seq });
  }

  /** Send a frame if the link is up; frames that matter (messages) live in the outbox instead. */
  frame(frame: ClientFrame): void {
    if (this.link === 'online') this.socket.send(JSON.stringify(frame));
  }

  /** Merge messages and notes fetched over HTTP; duplicates and order are handled as for live ones. */
  merge(messages: readonly Message[], notes: readonly Note[] = []): void {
    for (const m of messages) this.addMessage(m);
    for (const n of notes) this.addNote(n);
    this.changed();
  }

  private onFrame(frame: IncomingFrame<ServerFrame>): void {
    switch (frame.type) {
      case 'welcome':
        this.conversation = frame.conversation as StateOf<F>;
        for (const m of frame.messages) this.addMessage(m);
        if ('notes' in frame) for (const n of frame.notes) this.addNote(n);
        if ('viewers' in frame) this.viewers = frame.viewers;
        // The welcome carries the newest lines whole: what it has is the truth, live ones follow.
        this.lines = frame.lines ?? [];
        this.readSent = 0;
        this.socket.up();
        for (const f of this.opts.lead?.() ?? []) this.frame(f);
        // Drain the outbox in the order written; the server deduplicates anything already stored.
        for (const item of this.outbox.items()) if (!this.failed.has(item.clientId)) this.transmit(item);
        this.dispatchEvent(new Event('welcome'));
        break;
      case 'message.ack': {
        const item = this.outbox.get(frame.clientId);
        this.outbox.ack(frame.clientId);
        if (item && !this.stored(item)) this.acked.set(item.clientId, item);
        break;
      }
      case 'message.created': {
        const m = frame.message;
        const isNew = this.addMessage(m);
        this.typists.stop(m.author);
        if (isNew && !this.opts.isMe(m.author)) this.dispatchEvent(new CustomEvent<Message>('message', { detail: m }));
        break;
      }
      case 'note.created':
        this.addNote(frame.note);
        break;
      case 'typing':
        if (this.opts.isMe(frame.author)) return;
        if (frame.on) this.typists.start(frame.author);
        else this.typists.stop(frame.author);
        break;
      case 'system.line':
        this.lines = withLine(this.lines, frame.line);
        break;
      case 'read':
        if (frame.author.role === 'customer' || frame.author.role === 'agent') this.readBy[frame.author.role] = Math.max(this.readBy[frame.author.role], frame.seq);
        break;
      case 'conversation.updated': {
        const { type: _, ...state } = frame;
        this.conversation = state as StateOf<F>;
        this.dispatchEvent(new Event('updated'));
        break;
      }
      case 'viewers':
        this.viewers = frame.agents;
        break;
      case 'error': {
        const item = frame.ref ? this.outbox.get(frame.ref) : undefined;
        // Too fast: the same item goes again when the server said it may.
        if (item && frame.retryAfter !== undefined) this.resendAfter(item, frame.retryAfter * 1000);
        else if (item && (this.opts.failsOn?.(frame.code) ?? true)) this.failed.set(item.clientId, frame.message);
        else {
          this.error = { code: frame.code, message: frame.message };
          this.dispatchEvent(new CustomEvent('error', { detail: this.error }));
        }
        break;
      }
      case 'pong':
        return;
    }
    this.changed();
  }

  /** Insert by seq; false when it was already there. Our own stored message leaves the outbox. */
  private addMessage(m: Message): boolean {
    if (this.opts.isMe(m.author)) this.settle(m.clientId);
    const last = this.messages[this.messages.length - 1];
    if (!last || m.seq > last.seq) {
      this.messages = [...this.messages, m];
      return true;
    }
    if (this.messages.some((x) => x.seq === m.seq)) return false;
    this.messages = [...this.messages, m].sort((a, b) => a.seq - b.seq);
    return true;
  }

  private addNote(n: Note): void {
    if (this.opts.isMe({ role: 'agent', id: n.author.id, name: n.author.name })) this.settle(n.clientId);
    if (this.notes.some((x) => x.id === n.id)) return;
    this.notes = [...this.notes, n].sort((a, b) => a.createdAt - b.createdAt);
  }

  /** Our item is in the log now: nothing left to send or to show as pending. */
  private settle(clientId: string): void {
    this.acked.delete(clientId);
    this.failed.delete(clientId);
    if (this.outbox.get(clientId)) this.outbox.ack(clientId);
  }

  private stored(item: OutboxItem): boolean {
    return item.kind === 'note' ? this.notes.some((n) => n.clientId === item.clientId) : this.messages.some((m) => m.clientId === item.clientId && this.opts.isMe(m.author));
  }

  private resendAfter(item: OutboxItem, ms: number): void {
    const t = setTimeout(() => {
      this.resendTimers.delete(t);
      if (this.outbox.get(item.clientId) && !this.failed.has(item.clientId)) this.transmit(item);
    }, ms);
    this.resendTimers.add(t);
  }

  private transmit(item: OutboxItem): void {
    // A message with files waits until every file is stored (fileStored sends it then).
    if (!filesReady(item)) return;
    if (item.kind === 'note') return this.frame({ type: 'note.send', clientId: item.clientId, text: item.text });
    const ids = item.files?.map((f) => f.id!) ?? [];
    this.frame({ type: 'message.send', clientId: item.clientId, text: item.text, ...(ids.length ? { attachments: ids } : {}), ...(item.requestId ? { requestId: item.requestId } : {}) });
  }

  private changed(): void {
    this.dispatchEvent(new Event('change'));
  }
}
