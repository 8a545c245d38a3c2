import { CLOSE, PING } from '../../protocol';
import type { AgentProfile, AgentRef, Author, ConversationDetailResponse, ConversationState, ConversationUpdateRequest, Message, Note, ServerFrame, SocketTokenResponse } from '../../protocol';
import { ApiError, api, conversationPath, shownError } from './api';
import type { RevealResponse, ShownError, StateResponse } from './api';
import { PING_EVERY_MS, backoffDelay } from '../../client/backoff';
import { openConversationSocket } from '../../client/conversation-socket';
import type { AgentFrame, IncomingFrame } from '../../client/conversation-socket';
import { read, remove, write } from './drafts';
import type { ComposeMode } from './drafts';

/** A reply or note written here and not yet stored by the server. */
export interface Pending {
  clientId: string;
  kind: ComposeMode;
  text: string;
  createdAt: number;
  state: 'sending' | 'sent' | 'failed';
  error?: string;
}

/** One row of the thread: a message, an internal note, or something still being sent. */
export type TimelineRow =
  | { kind: 'message'; key: string; at: number; message: Message }
  | { kind: 'note'; key: string; at: number; note: Note }
  | { kind: 'pending'; key: string; at: number; pending: Pending };

/** How a conversation's socket is doing. */
export type ConversationLink = 'connecting' | 'online' | 'reconnecting' | 'closed';

/** Where a session's knowledge of the conversation came from before the socket said more. */
export interface SessionHints {
  number?: number;
  brand?: string;
  contactName?: string | null;
}

const TYPING_TTL_MS = 6_000;
/** How often a 404 is retried before it is believed (backoff makes that ~15 s). */
const MAX_EARLY_RETRIES = 5;
const TYPING_EVERY_MS = 3_000;

/**
 * One open conversation tab: its own socket (token refreshed on every reconnect, `hello` with the
 * last seq seen), the thread with notes, viewers and typing, a persisted outbox of unsent replies,
 * and the HTTP actions on the ticket. Dispatches `change`, and `unauthorized` if the session died.
 */
export class ConversationSession extends EventTarget {
  state: ConversationState | null = null;
  messages: Message[] = [];
  notes: Note[] = [];
  pending: Pending[] = [];
  viewers: AgentRef[] = [];
  typing: Author[] = [];
  /** Furthest seq the customer has read. */
  customerRead = 0;
  link: ConversationLink = 'closed';
  detail: ConversationDetailResponse | null = null;
  detailError: ShownError | null = null;
  /** Clear text of masked messages the agent revealed (audited by the server). */
  revealed = new Map<number, string>();
  revealing = new Set<number>();
  /** The last failed action or socket error, shown inline until the next action. */
  error: ShownError | null = null;
  /** The action in flight, to disable its button. */
  busy: string | null = null;
  /** Customer messages that arrived while this tab was not in front. */
  unread = 0;
  /** Whether this tab is the one the agent looks at. */
  active = false;

  private ws: WebSocket | null = null;
  private stopped = true;
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private detailTimer: ReturnType<typeof setTimeout> | undefined;
  private detailAttempt = 0;
  private pingTimer: ReturnType<typeof setInterval> | undefined;
  private typingTimers = new Map<string, ReturnType<typeof setTimeout>>();
  private sentTypingAt = 0;
  private readSent = 0;

  constructor(
    readonly id: string,
    readonly me: AgentProfile,
    readonly hints: SessionHints = {},
  ) {
    super();
    this.pending = this.loadOutbox();
  }

  /** The conversation number, as soon as anything told it. */
  get number(): number | null {
    return this.state?.number ?? this.detail?.conversation.number ?? this.hints.number ?? null;
  }

  /** The contact's name, if known. */
  get contactName(): string | null {
    return this.detail?.contact.name ?? this.detail?.conversation.contact.name ?? this.hints.contactName ?? null;
  }

  /** Connect and fetch the details; keeps reconnecting until stop(). */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    void this.connect();
    void this.loadDetail();
  }

  /** Close the socket for good (the tab was closed). */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    clearTimeout(this.detailTimer);
    clearInterval(this.pingTimer);
    for (const t of this.typingTimers.values()) clearTimeout(t);
    this.typingTimers.clear();
    const ws = this.ws;
    this.ws = null;
    ws?.close(1000, 'tab closed');
    this.setLink('closed');
  }

  /** Messages, notes and unsent items in the order they happened. */
  timeline(): TimelineRow[] {
    const rows: TimelineRow[] = [];
    for (const m of this.messages) rows.push({ kind: 'message', key: `m${m.seq}`, at: m.createdAt, message: m });
    for (const n of this.notes) rows.push({ kind: 'note', key: `n${n.id}`, at: n.createdAt, note: n });
    // Stable sort: equal times keep messages in seq order.
    rows.sort((a, b) => a.at - b.at);
    for (const p of this.pending) rows.push({ kind: 'pending', key: `p${p.clientId}`, at: p.createdAt, pending: p });
    return rows;
  }

  /** Send a reply to the customer or an internal note; it waits in the outbox until acknowledged. */
  send(kind: ComposeMode, text: string): void {
    const p: Pending = { clientId: crypto.randomUUID(), kind, text, createdAt: Date.now(), state: 'sending' };
    this.pending = [...this.pending, p];
    this.saveOutbox();
    if (kind === 'reply') this.sendTyping(false);
    this.transmit(p);
    this.changed();
  }

  /** Try a failed item again, under the same clientId so the server never stores it twice. */
  retry(clientId: string): void {
    const p = this.pending.find((x) => x.clientId === clientId);
    if (!p) return;
    p.state = 'sending';
    delete p.error;
    this.transmit(p);
    this.changed();
  }

  /** Give up on an unsent item. */
  discard(clientId: string): void {
    this.pending = this.pending.filter((x) => x.clientId !== clientId);
    this.saveOutbox();
    this.changed();
  }

  /** Tell the others the agent is typing, at most once every 3 s; `false` goes out at once. */
  sendTyping(on: boolean): void {
    const now = Date.now();
    if (on && now - this.sentTypingAt < TYPING_EVERY_MS) return;
    if (!on && this.sentTypingAt === 0) return;
    this.sentTypingAt = on ? now : 0;
    this.frame({ type: 'typing.set', on });
  }

  /** Mark the customer's last message read, once the agent can see it. */
  markRead(): void {
    const last = this.lastCustomerSeq();
    if (last <= this.readSent || this.link !== 'online') return;
    this.readSent = last;
    this.frame({ type: 'read.set', seq: last });
  }

  private lastCustomerSeq(): number {
    for (let i = this.messages.length - 1; i >= 0; i--) if (this.messages[i]!.author.role === 'customer') return this.messages[i]!.seq;
    return 0;
  }

  /** Take the conversation (assign it to me). */
  take(show = true): Promise<ShownError | null> {
    return this.act('take', show, () => api<StateResponse>(conversationPath(this.id, '/take'), { method: 'POST' }));
  }

  /** Change the ticket: status, priority, assignee, hold. */
  update(patch: ConversationUpdateRequest, show = true): Promise<ShownError | null> {
    const label = patch.hold !== undefined ? 'hold' : patch.assigneeId !== undefined ? 'assign' : patch.status ? 'status' : 'priority';
    return this.act(label, show, () => api<StateResponse>(conversationPath(this.id), { method: 'PATCH', json: patch }));
  }

  /** Escalate to supervisors, with a reason. */
  escalate(reason: string, show = true): Promise<ShownError | null> {
    return this.act('escalate', show, () => api<StateResponse>(conversationPath(this.id, '/escalate'), { method: 'POST', json: { reason } }));
  }

  /** Show a masked message in clear; the server audits who looked. */
  async reveal(seq: number): Promise<void> {
    if (this.revealing.has(seq) || this.revealed.has(seq)) return;
    this.revealing.add(seq);
    this.changed();
    try {
      const res = await api<RevealResponse>(conversationPath(this.id, '/reveal'), { method: 'POST', json: { seq } });
      this.revealed.set(seq, res.text);
    } catch (err) {
      this.fail(err);
    } finally {
      this.revealing.delete(seq);
      this.changed();
    }
  }

  /** Forget the inline error. */
  dismissError(): void {
    this.error = null;
    this.changed();
  }

  private async act(label: string, show: boolean, call: () => Promise<StateResponse | null>): Promise<ShownError | null> {
    this.busy = label;
    if (show) this.error = null;
    this.changed();
    try {
      const res = await call();
      if (res?.state) this.state = res.state;
      return null;
    } catch (err) {
      const e = shownError(err);
      if (show) this.error = e;
      if (err instanceof ApiError && err.status === 401) this.dispatchEvent(new Event('unauthorized'));
      return e;
    } finally {
      this.busy = null;
      this.changed();
    }
  }

  private fail(err: unknown): void {
    this.error = shownError(err);
    if (err instanceof ApiError && err.status === 401) this.dispatchEvent(new Event('unauthorized'));
  }

  /** The ticket, contact card and full history over HTTP. */
  async loadDetail(): Promise<void> {
    clearTimeout(this.detailTimer);
    try {
      const d = await api<ConversationDetailResponse>(conversationPath(this.id));
      if (this.stopped) return;
      this.detail = d;
      this.detailError = null;
      this.detailAttempt = 0;
      if (!this.state) this.state = d.state;
      for (const m of d.messages) this.addMessage(m);
      for (const n of d.notes) this.addNote(n);
    } catch (err) {
      if (this.stopped) return;
      const status = err instanceof ApiError ? err.status : 0;
      if (status === 401) this.dispatchEvent(new Event('unauthorized'));
      // A brand-new conversation is in the live queue a moment before the ticket index knows it;
      // network failures, 5xx and 429 heal by themselves too.
      const transient = status === 0 || status === 429 || status >= 500 || (status === 404 && this.detailAttempt < MAX_EARLY_RETRIES);
      if (transient) this.detailTimer = setTimeout(() => void this.loadDetail(), backoffDelay(this.detailAttempt++));
      if (!transient || this.detailAttempt > 2) this.detailError = shownError(err);
    }
    this.changed();
  }

  // ---- socket ----

  private async connect(): Promise<void> {
    if (this.stopped || this.ws) return;
    this.setLink(this.attempt === 0 && !this.state ? 'connecting' : 'reconnecting');
    let tok: SocketTokenResponse;
    try {
      // A fresh token every time: tokens are short-lived and a reconnect may come hours later.
      tok = await api<SocketTokenResponse>(conversationPath(this.id, '/socket-token'), { method: 'POST' });
    } catch (err) {
      if (this.stopped) return;
      const status = err instanceof ApiError ? err.status : 0;
      if (status === 401) {
        this.dispatchEvent(new Event('unauthorized'));
        return this.setLink('closed');
      }
      // 404 can be the ticket index lagging behind the live queue for a new conversation: retry a few
      // times before believing it. 403 will not heal.
      if (status === 403 || (status === 404 && this.attempt >= MAX_EARLY_RETRIES)) {
        this.fail(err);
        return this.setLink('closed');
      }
      return this.retryLater();
    }
    if (this.stopped || this.ws) return;
    const ws: WebSocket = openConversationSocket({
      url: tok.socketUrl,
      token: tok.socketToken,
      lastSeq: this.lastSeq(),
      onFrame: (frame) => {
        if (this.ws === ws) this.onFrame(frame);
      },
      onClose: (code) => {
        if (this.ws !== ws) return;
        this.ws = null;
        clearInterval(this.pingTimer);
        if (this.stopped) return;
        if (code === CLOSE.forbidden) {
          this.error = { code: 'auth.forbidden', message: 'This conversation is not yours to see' };
          return this.setLink('closed');
        }
        this.retryLater();
      },
    });
    this.ws = ws;
  }

  private retryLater(): void {
    this.setLink('reconnecting');
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => void this.connect(), backoffDelay(this.attempt++));
  }

  private lastSeq(): number {
    return this.messages.length ? this.messages[this.messages.length - 1]!.seq : 0;
  }

  private onFrame(incoming: IncomingFrame): void {
    // An agent's token opens the agents' projection of the conversation.
    const frame = incoming as AgentFrame;
    switch (frame.type) {
      case 'welcome': {
        this.attempt = 0;
        this.state = frame.conversation;
        for (const m of frame.messages) this.addMessage(m);
        for (const n of frame.notes ?? []) this.addNote(n);
        if (frame.viewers) this.viewers = frame.viewers;
        this.readSent = 0;
        this.setLink('online');
        clearInterval(this.pingTimer);
        this.pingTimer = setInterval(() => this.ws?.readyState === WebSocket.OPEN && this.ws.send(PING), PING_EVERY_MS);
        // The outbox drains in the order written; the server deduplicates by clientId.
        for (const p of this.pending) if (p.state !== 'failed') this.transmit(p);
        break;
      }
      case 'message.ack': {
        const p = this.pending.find((x) => x.clientId === frame.clientId);
        if (!p) return;
        if (this.messages.some((m) => m.seq === frame.seq && m.clientId === p.clientId)) this.drop(p.clientId);
        else p.state = 'sent';
        break;
      }
      case 'message.created': {
        const m = frame.message;
        const isNew = this.addMessage(m);
        if (m.author.role === 'agent' && m.author.id === this.me.id) this.drop(m.clientId);
        this.stopTyping(m.author);
        if (isNew && m.author.role === 'customer' && !this.active) this.unread++;
        break;
      }
      case 'note.created':
        this.addNote(frame.note);
        if (frame.note.author.id === this.me.id) this.drop(frame.note.clientId);
        break;
      case 'typing': {
        const a = frame.author;
        if (a.role === 'agent' && a.id === this.me.id) return;
        if (frame.on) this.startTyping(a);
        else this.stopTyping(a);
        break;
      }
      case 'read':
        if (frame.author.role === 'customer') this.customerRead = Math.max(this.customerRead, frame.seq);
        break;
      case 'conversation.updated': {
        const { type: _, ...state } = frame;
        this.state = state;
        break;
      }
      case 'viewers':
        this.viewers = frame.agents;
        break;
      case 'error': {
        const p = frame.ref ? this.pending.find((x) => x.clientId === frame.ref) : undefined;
        if (p) {
          p.state = 'failed';
          p.error = frame.message;
        } else this.error = { code: frame.code, message: frame.message };
        break;
      }
      case 'pong':
        return;
    }
    this.changed();
  }

  /** Insert by seq; false when it was already there. */
  private addMessage(m: Message): boolean {
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
    if (this.notes.some((x) => x.id === n.id)) return;
    this.notes = [...this.notes, n].sort((a, b) => a.createdAt - b.createdAt);
  }

  private drop(clientId: string): void {
    if (!this.pending.some((p) => p.clientId === clientId)) return;
    this.pending = this.pending.filter((p) => p.clientId !== clientId);
    this.saveOutbox();
  }

  private transmit(p: Pending): void {
    this.frame(p.kind === 'note' ? { type: 'note.send', clientId: p.clientId, text: p.text } : { type: 'message.send', clientId: p.clientId, text: p.text });
  }

  private frame(frame: object): void {
    if (this.link === 'online' && this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(frame));
  }

  private typingKey(a: Author): string {
    return `${a.role}:${a.id ?? ''}`;
  }

  private startTyping(a: Author): void {
    const key = this.typingKey(a);
    clearTimeout(this.typingTimers.get(key));
    if (!this.typing.some((t) => this.typingKey(t) === key)) this.typing = [...this.typing, a];
    // A lost "stopped typing" frame must not leave someone typing forever.
    this.typingTimers.set(key, setTimeout(() => (this.stopTyping(a), this.changed()), TYPING_TTL_MS));
  }

  private stopTyping(a: Author): void {
    const key = this.typingKey(a);
    clearTimeout(this.typingTimers.get(key));
    this.typingTimers.delete(key);
    this.typing = this.typing.filter((t) => this.typingKey(t) !== key);
  }

  // ---- outbox in localStorage: an acknowledged-later reply survives a reload ----

  private outboxKey(): string {
    return `sb-inbox:${this.me.id}:outbox:${this.id}`;
  }

  private loadOutbox(): Pending[] {
    try {
      const items = JSON.parse(read(this.outboxKey()) ?? '[]') as Pending[];
      return Array.isArray(items) ? items.map((p) => ({ clientId: p.clientId, kind: p.kind === 'note' ? 'note' : 'reply', text: p.text, createdAt: p.createdAt, state: 'sending' })) : [];
    } catch {
      return [];
    }
  }

  private saveOutbox(): void {
    if (this.pending.length === 0) return remove(this.outboxKey());
    write(this.outboxKey(), JSON.stringify(this.pending.map(({ clientId, kind, text, createdAt }) => ({ clientId, kind, text, createdAt }))));
  }

  private setLink(link: ConversationLink): void {
    if (this.link === link) return;
    this.link = link;
    this.changed();
  }

  private changed(): void {
    this.dispatchEvent(new Event('change'));
  }
}
