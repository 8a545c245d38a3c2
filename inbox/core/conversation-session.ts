import { CLOSE } from '../../protocol';
import type {
  AgentProfile,
  AgentRef,
  Author,
  ConversationDetailResponse,
  ConversationState,
  ConversationStateResponse,
  ConversationUpdateRequest,
  MacroRunResponse,
  Message,
  Note,
  RevealResponse,
  SocketTokenResponse,
  SystemLine,
} from '../../protocol';
import { ApiError, api, conversationPath, shownError } from './api';
import type { ShownError } from './api';
import { backoffDelay } from '../../client/backoff';
import { ConversationLink } from '../../client/conversation-link';
import type { PendingItem } from '../../client/conversation-link';
import type { LinkState } from '../../client/reconnecting-socket';
import type { KeyValue } from '../../client/storage';
import type { ComposeMode } from './drafts';

/** A reply or note written here and not yet stored by the server. */
export type Pending = PendingItem;

/** One row of the thread: a message, an internal note, a system line, or something still being sent. */
export type TimelineRow =
  | { kind: 'message'; key: string; at: number; message: Message }
  | { kind: 'note'; key: string; at: number; note: Note }
  | { kind: 'pending'; key: string; at: number; pending: Pending }
  | { kind: 'line'; key: string; at: number; line: SystemLine };

/** How a conversation's socket is doing. */
export type ConversationLinkState = LinkState;

/** Where a session's knowledge of the conversation came from before the socket said more. */
export interface SessionHints {
  number?: number;
  brand?: string;
  contactName?: string | null;
}

/** How often a 404 is retried before it is believed (backoff makes that ~15 s). */
const MAX_EARLY_RETRIES = 5;

/**
 * One open conversation tab: the shared conversation link (a fresh socket token on every
 * reconnect, the agents' projection with notes and viewers, the persisted outbox of unsent replies
 * and notes) plus the ticket's details and HTTP actions. Dispatches `change`, and `unauthorized`
 * if the session died.
 */
export class ConversationSession extends EventTarget {
  detail: ConversationDetailResponse | null = null;
  detailError: ShownError | null = null;
  /** Clear text of masked messages the agent revealed (audited by the server). */
  revealed = new Map<number, string>();
  revealing = new Set<number>();
  /** The last failed action, shown inline until the next action. */
  error: ShownError | null = null;
  /** The action in flight, to disable its button. */
  busy: string | null = null;
  /** Customer messages that arrived while this tab was not in front. */
  unread = 0;
  /** Whether this tab is the one the agent looks at. */
  active = false;

  /** The shared conversation link (documents send through it: inbox/core/agent-files.ts). */
  readonly conv: ConversationLink;
  /** State from an HTTP answer, until the socket says more. */
  private httpState: ConversationState | null = null;
  private stopped = true;
  private detailTimer: ReturnType<typeof setTimeout> | undefined;
  private detailAttempt = 0;
  /** Set when the socket was refused for good. */
  private refused: ShownError | null = null;

  constructor(
    readonly id: string,
    readonly me: AgentProfile,
    storage: KeyValue,
    readonly hints: SessionHints = {},
  ) {
    super();
    this.conv = new ConversationLink({
      storage,
      outboxKey: `sb-inbox:${me.id}:outbox:${id}`,
      isMe: (a) => a.role === 'agent' && a.id === me.id,
      // A fresh token every time: tokens are short-lived and a reconnect may come hours later.
      ticket: async () => {
        const t = await api<SocketTokenResponse>(conversationPath(id, '/socket-token'), { method: 'POST' });
        return { url: t.socketUrl, token: t.socketToken };
      },
      onTicketError: (err, attempt) => {
        const status = err instanceof ApiError ? err.status : 0;
        if (status === 401) {
          this.dispatchEvent(new Event('unauthorized'));
          return 'give-up';
        }
        // 404 can be the ticket index lagging behind the live queue for a new conversation: retry a
        // few times before believing it. 403 will not heal.
        if (status === 403 || (status === 404 && attempt >= MAX_EARLY_RETRIES)) {
          this.refused = shownError(err);
          return 'give-up';
        }
        return 'retry';
      },
      onClose: (code) => {
        if (code !== CLOSE.forbidden) return 'retry';
        this.refused = { code: 'auth.forbidden', message: 'This conversation is not yours to see' };
        return 'give-up';
      },
    });
    this.conv.addEventListener('change', () => this.changed());
    this.conv.addEventListener('message', (e) => {
      if ((e as CustomEvent<Message>).detail.author.role === 'customer' && !this.active) this.unread++;
    });
  }

  /** The conversation's live state: the socket's word, else the last HTTP answer. */
  get state(): ConversationState | null {
    return this.conv.conversation ?? this.httpState;
  }

  /** Messages in seq order. */
  get messages(): Message[] {
    return this.conv.messages;
  }

  /** Internal notes, oldest first. */
  get notes(): Note[] {
    return this.conv.notes;
  }

  /** The thread's system lines: the socket's once welcomed, the HTTP answer's until then. */
  get lines(): SystemLine[] {
    return this.conv.conversation ? this.conv.lines : (this.detail?.lines ?? []);
  }

  /** Replies and notes not yet stored, in the order written. */
  get pending(): Pending[] {
    return this.conv.pending();
  }

  /** Other agents looking at this conversation. */
  get viewers(): AgentRef[] {
    return this.conv.viewers;
  }

  /** Who else is typing. */
  get typing(): Author[] {
    return this.conv.typing;
  }

  /** Furthest seq the customer has read. */
  get customerRead(): number {
    return this.conv.readBy.customer;
  }

  /** How the socket is doing. */
  get link(): ConversationLinkState {
    return this.conv.link;
  }

  /** The error to show: an action's, a refusal, or the server's last word on the socket. */
  get shownError(): ShownError | null {
    return this.error ?? this.refused ?? this.conv.error;
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
    this.conv.start();
    void this.loadDetail();
  }

  /** Close the socket for good (the tab was closed). */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.detailTimer);
    this.conv.stop();
  }

  /** Messages, notes and unsent items in the order they happened. */
  timeline(): TimelineRow[] {
    const rows: TimelineRow[] = [];
    for (const m of this.messages) rows.push({ kind: 'message', key: `m${m.seq}`, at: m.createdAt, message: m });
    for (const n of this.notes) rows.push({ kind: 'note', key: `n${n.id}`, at: n.createdAt, note: n });
    for (const l of this.lines) rows.push({ kind: 'line', key: `l${l.seq}`, at: l.at, line: l });
    // Stable sort: equal times keep messages in seq order, and a line after the message that made it.
    rows.sort((a, b) => a.at - b.at);
    for (const p of this.pending) rows.push({ kind: 'pending', key: `p${p.clientId}`, at: p.createdAt, pending: p });
    return rows;
  }

  /** Send a reply to the customer or an internal note; it waits in the outbox until acknowledged. */
  send(mode: ComposeMode, text: string): void {
    this.conv.send(text, mode === 'note' ? 'note' : undefined);
  }

  /** Try a failed item again, under the same clientId so the server never stores it twice. */
  retry(clientId: string): void {
    this.conv.retry(clientId);
  }

  /** Give up on an unsent item. */
  discard(clientId: string): void {
    this.conv.discard(clientId);
  }

  /** Tell the others the agent is typing, at most once every 3 s; `false` goes out at once. */
  sendTyping(on: boolean): void {
    this.conv.sendTyping(on);
  }

  /** Mark the customer's last message read, once the agent can see it. */
  markRead(): void {
    for (let i = this.messages.length - 1; i >= 0; i--) {
      const m = this.messages[i]!;
      if (m.author.role === 'customer') return this.conv.markRead(m.seq);
    }
  }

  /** Take the conversation (assign it to me). */
  take(show = true): Promise<ShownError | null> {
    return this.act('take', show, () => api<ConversationStateResponse>(conversationPath(this.id, '/take'), { method: 'POST' }));
  }

  /** Change the ticket: status, priority, assignee, hold. */
  update(patch: ConversationUpdateRequest, show = true): Promise<ShownError | null> {
    const label = patch.hold !== undefined ? 'hold' : patch.assigneeId !== undefined ? 'assign' : patch.status ? 'status' : 'priority';
    return this.act(label, show, () => api<ConversationStateResponse>(conversationPath(this.id), { method: 'PATCH', json: patch }));
  }

  /** Run a macro: its reply and actions over REST; `text` only when the agent edited the preview (inbox/core/macros.ts). */
  runMacro(macroId: string, clientId: string, text?: string): Promise<ShownError | null> {
    return this.act('macro', true, async () => {
      const r = await api<MacroRunResponse>(conversationPath(this.id, `/macros/${encodeURIComponent(macroId)}`), { method: 'POST', json: { clientId, text } });
      this.conv.merge([r.message]);
      return r;
    });
  }

  /** Escalate to supervisors, with a reason. */
  escalate(reason: string, show = true): Promise<ShownError | null> {
    return this.act('escalate', show, () => api<ConversationStateResponse>(conversationPath(this.id, '/escalate'), { method: 'POST', json: { reason } }));
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
    this.conv.error = null;
    this.changed();
  }

  private async act(label: string, show: boolean, call: () => Promise<ConversationStateResponse>): Promise<ShownError | null> {
    this.busy = label;
    if (show) this.error = null;
    this.changed();
    try {
      const res = await call();
      // The socket's conversation.updated follows; until then the answer is the freshest word.
      if (res?.state) {
        this.httpState = res.state;
        if (this.conv.conversation) this.conv.conversation = res.state;
      }
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
      this.httpState ??= d.state;
      this.conv.merge(d.messages, d.notes);
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

  private changed(): void {
    this.dispatchEvent(new Event('change'));
  }
}
