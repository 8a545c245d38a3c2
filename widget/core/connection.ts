import type { Attachment, Author, CsatScore, DownloadLinkResponse, CustomerConversationState, CustomerServerFrame, ErrorCode, Message, SessionResponse, SystemLine } from '../../protocol';
import { CLOSE } from '../../protocol';
import { ConversationLink } from '../../client/conversation-link';
import type { LinkState } from '../../client/reconnecting-socket';
import type { Outbox, OutboxFile } from '../../client/outbox';
import type { KeyValue } from '../../client/storage';
import { PrechatChoice } from './prechat';
import { FileUploads, type UploadProgress } from '../../client/file-upload';
import { PendingFiles, memoryFileKeep, type FileKeep } from '../../client/pending-files';
import { indexedDbFileKeep } from '../../client/idb-files';
import { resumeFiles } from './file-resume';

export type { LinkState };

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
  /** Files a stored message carries. */
  attachments?: Attachment[];
  /** Files of a message still being sent, with their progress; `error`: why it was refused. */
  files?: (OutboxFile & { progress?: UploadProgress })[];
  error?: string;
  /** The refusal's code (a server error code, or FILE_LOST), for the view to word it in the customer's language. */
  errorCode?: string;
}

/** What a connection needs to know. */
export interface ConnectionOptions {
  base: string;
  brand: string;
  channel: 'web' | 'app' | 'modem';
  identityToken?: string;
  attributes?: Record<string, string | number | boolean>;
  storage: KeyValue;
  /** Where unsent files' bytes survive a reload; IndexedDB unless a test gives one. */
  fileKeep?: FileKeep;
  /** For tests: the WebSocket constructor and fetch to use. */
  WebSocketImpl?: typeof WebSocket;
  fetchImpl?: typeof fetch;
}

/** Errors after which a message is left for the customer instead of being resent on every reconnect. */
const REFUSED = new Set<string>(['message.too_long', 'message.empty', 'frame.invalid']);

/**
 * The customer's side of a conversation: the widget session (visitor token, identity, attributes)
 * on top of the shared conversation link. Dispatches `change` whenever anything the view shows
 * changed, `ready` after each welcome, `message` for each new message from someone else (with the
 * message as detail), and `fatal` when the session is refused for good.
 */
export class ChatConnection extends EventTarget {
  conversationId: string | null = null;
  private readonly conv: ConversationLink<CustomerServerFrame>;
  private readonly prechat: PrechatChoice;
  private session: SessionResponse | null = null;
  private readonly uploads: FileUploads;
  private readonly pending: PendingFiles;
  /** Why each refused message with files was refused: its error code. */
  private readonly refusals = new Map<string, string>();

  constructor(private readonly opts: ConnectionOptions) {
    super();
    this.prechat = new PrechatChoice(opts.storage, this.key('topic'));
    this.conv = new ConversationLink<CustomerServerFrame>({
      storage: opts.storage,
      outboxKey: this.key('outbox'),
      isMe: (a) => a.role === 'customer',
      failsOn: (code) => REFUSED.has(code),
      // The pre-chat topic routes the first message, so it goes ahead of everything queued.
      lead: () => this.prechat.lead(this.conversationId, this.conv.messages.length > 0),
      watchNetwork: true,
      // A refused session waits for the network or a new identity, showing "reconnecting".
      givenUp: 'reconnecting',
      ...(opts.WebSocketImpl ? { WebSocketImpl: opts.WebSocketImpl } : {}),
      ticket: async () => {
        const token = await this.token();
        return { url: this.session!.socketUrl, token };
      },
      onTicketError: (err) => {
        const status = (err as { status?: number }).status ?? 0;
        // 4xx other than rate limits will not heal by retrying: say so instead of hammering.
        if (status >= 400 && status < 500 && status !== 429) {
          this.dispatchEvent(new CustomEvent('fatal', { detail: err }));
          return 'give-up';
        }
        return 'retry';
      },
      onClose: (code) => {
        // A refused token (expired, or the conversation moved) heals with a fresh session.
        if (code === CLOSE.unauthorized || code === CLOSE.forbidden) this.session = null;
        return 'retry';
      },
    });
    this.pending = new PendingFiles(opts.fileKeep ?? indexedDbFileKeep(this.key('files')) ?? memoryFileKeep());
    // Files go with the session's own short-lived token, like the socket (never in the URL).
    this.uploads = new FileUploads(
      async (clientId, index, file) => {
        const t = await this.token();
        const q = new URLSearchParams({ clientId, index: String(index), name: file.name });
        return { url: `${opts.base}/v1/widget/files?${q}`, headers: { authorization: `Bearer ${t}` } };
      },
      { stored: (c, i, id) => (void this.pending.stored(c, i), this.conv.fileStored(c, i, id)), refused: (c, m, code) => this.refuse(c, m, code), changed: () => this.dispatchEvent(new Event('change')) },
    );
    // After a reload the bytes of an unsent file come back from the device (or it is asked for again).
    this.conv.addEventListener('welcome', () => void resumeFiles({ outbox: this.conv.outbox, uploads: this.uploads, pending: this.pending, failed: this.conv.failed, refuse: (c, m, code) => this.refuse(c, m, code) }));
    this.conv.addEventListener('change', () => this.dispatchEvent(new Event('change')));
    this.conv.addEventListener('welcome', () => this.dispatchEvent(new Event('ready')));
    this.conv.addEventListener('message', (e) => this.dispatchEvent(new CustomEvent('message', { detail: (e as CustomEvent<Message>).detail })));
    this.conv.addEventListener('error', (e) => {
      const code = (e as CustomEvent<{ code: ErrorCode }>).detail.code;
      // Someone wrote first (another device, an agent): the choice is gone for this conversation.
      if (code === 'prechat.too_late' && this.conversationId) {
        this.prechat.close(this.conversationId);
        this.dispatchEvent(new Event('change'));
      }
    });
    this.conv.addEventListener('updated', () => {
      // Merged into the contact's other thread: follow it there with a fresh session.
      if (this.conv.conversation?.mergedInto) {
        this.session = null;
        this.conv.reconnectNow();
      }
    });
  }

  private key(name: string): string {
    return `sb:${this.opts.brand}:${name}`;
  }

  /** Messages of the conversation, in seq order. */
  get messages(): Message[] {
    return this.conv.messages;
  }

  /** The conversation's live state, once welcomed. */
  get conversation(): CustomerConversationState | null {
    return this.conv.conversation;
  }

  /** The customer's system lines of the thread (joined, holds, resolved, their rating), by seq. */
  get lines(): SystemLine[] {
    return this.conv.lines;
  }

  /** How the link is doing, as the customer should be told. */
  get link(): LinkState {
    return this.conv.link;
  }

  /** An agent typing now, if any. */
  get typing(): Author | null {
    return this.conv.typing[0] ?? null;
  }

  /** The customer's unsent messages. */
  get outbox(): Outbox {
    return this.conv.outbox;
  }

  /** Connect, and keep connecting until stopped. */
  start(): void {
    this.conv.start();
  }

  /** Close the socket and stop reconnecting; the outbox stays for next time. */
  stop(): void {
    this.conv.stop();
  }

  /** Forget this device: visitor token, outbox (and its files' bytes), pre-chat topic and read marks. */
  forget(): void {
    this.stop();
    this.conv.outbox.clear();
    void this.pending.prune(new Set());
    this.prechat.forget();
    this.opts.storage.remove(this.key('visitor'));
    this.opts.storage.remove(this.key('read'));
  }

  /** The partner's identity token this chat was booted with, if any (the complaint form identifies with it). */
  identityToken(): string | undefined {
    return this.opts.identityToken;
  }

  /** The device's visitor token, if it has one. */
  visitorToken(): string | null {
    return this.opts.storage.get(this.key('visitor'));
  }

  /** Keep a visitor token the server issued elsewhere (leave-a-message), and connect with it. */
  adoptVisitorToken(token: string): void {
    this.opts.storage.set(this.key('visitor'), token);
    this.session = null;
    this.conv.reconnectNow();
  }

  /** The list to show: stored messages in seq order, then unsent ones in the order written. */
  view(): ViewMessage[] {
    const agentRead = this.conv.readBy.agent;
    const rows: ViewMessage[] = this.conv.messages.map((m) => {
      const mine = m.author.role === 'customer';
      const row: ViewMessage = { key: m.clientId + m.seq, seq: m.seq, text: m.text, author: m.author, createdAt: m.createdAt, mine, state: mine && m.seq <= agentRead ? 'read' : 'sent' };
      return m.attachments?.length ? { ...row, attachments: m.attachments } : row;
    });
    for (const p of this.conv.pending()) {
      const row: ViewMessage = { key: p.clientId, seq: null, text: p.text, author: { role: 'customer', id: null, name: null }, createdAt: p.createdAt, mine: true, state: p.state, ...(p.error ? { error: p.error } : {}) };
      const code = p.state === 'failed' ? this.refusals.get(p.clientId) : undefined;
      if (code) row.errorCode = code;
      const progress = this.uploads.of(p.clientId);
      rows.push(p.files ? { ...row, files: p.files.map((f, i) => (progress?.[i] ? { ...f, progress: progress[i] } : f)) } : row);
    }
    return rows;
  }

  /** Queue a message, with files: they upload now and the message follows once they are stored. */
  send(text: string, files: File[] = [], requestId?: string): void {
    const item = this.conv.send(text, undefined, files.map((f) => ({ name: f.name, size: f.size, type: f.type })), requestId);
    if (files.length) {
      this.uploads.start(item.clientId, files);
      void this.pending.add(item.clientId, files);
    }
  }

  /** Stop sending a message with files and forget it. */
  cancel(clientId: string): void {
    this.uploads.cancel(clientId);
    this.refusals.delete(clientId);
    void this.pending.drop(clientId, this.conv.outbox.get(clientId)?.files?.length ?? 0);
    this.conv.discard(clientId);
  }

  private refuse(clientId: string, message: string, code: string | undefined): void {
    if (code) this.refusals.set(clientId, code);
    void this.pending.drop(clientId, this.conv.outbox.get(clientId)?.files?.length ?? 0); // it can only be removed now
    this.conv.fail(clientId, message);
  }

  /** A signed link (minutes long) to a file of this conversation. */
  async fileLink(id: string): Promise<DownloadLinkResponse> {
    const res = await (this.opts.fetchImpl ?? fetch)(`${this.opts.base}/v1/widget/files/${encodeURIComponent(id)}/link`, { headers: { authorization: `Bearer ${await this.token()}` } });
    if (!res.ok) throw new Error(`no link (${res.status})`);
    return (await res.json()) as DownloadLinkResponse;
  }

  /** The session's socket token, renewed when it is about to end. */
  private async token(): Promise<string> {
    if (!this.session || this.session.expiresAt - Date.now() < 30_000) this.session = await this.openSession();
    return this.session.socketToken;
  }

  /** The pre-chat topic the customer picked in this conversation, if any. */
  get topic(): string | null {
    return this.prechat.picked(this.conversationId);
  }

  /** The server refused a pre-chat topic: the conversation had already begun. */
  get topicClosed(): boolean {
    return this.prechat.closed(this.conversationId);
  }

  /** Pick a pre-chat topic: sent now if the link is up, else after the next welcome, before any queued message. */
  chooseTopic(key: string): void {
    if (!this.conversationId) return;
    this.conv.frame(this.prechat.pick(this.conversationId, key));
    this.dispatchEvent(new Event('change'));
  }

  /** Tell the agent the customer is typing, at most every few seconds. */
  sendTyping(on: boolean): void {
    this.conv.sendTyping(on);
  }

  /** Mark everything up to `seq` as read by the customer. */
  markRead(seq: number): void {
    if (seq <= this.readSeq()) return;
    this.opts.storage.set(this.key('read'), JSON.stringify({ c: this.conversationId, s: seq }));
    this.conv.markRead(seq);
    this.dispatchEvent(new Event('change'));
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
    return this.conv.messages.filter((m) => m.author.role !== 'customer' && m.seq > read).length;
  }

  /** Rate the resolved conversation; rating again replaces the rating. */
  rate(score: CsatScore, comment?: string): void {
    this.conv.frame(comment ? { type: 'csat.rate', score, comment } : { type: 'csat.rate', score });
  }

  /** Switch to another identity: the old socket is closed and a new session made. */
  identify(identityToken: string): void {
    this.opts.identityToken = identityToken;
    this.resetConversation();
    this.conv.reconnectNow();
  }

  /** Update the contact's attributes on the server (sent with the next session). */
  setAttributes(attributes: Record<string, string | number | boolean>): void {
    this.opts.attributes = { ...this.opts.attributes, ...attributes };
    this.session = null;
    this.conv.reconnectNow();
  }

  private resetConversation(): void {
    this.session = null;
    this.conversationId = null;
    this.conv.reset();
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
    if (this.conversationId && this.conversationId !== s.conversationId) this.conv.reset();
    this.conversationId = s.conversationId;
    return s;
  }
}
