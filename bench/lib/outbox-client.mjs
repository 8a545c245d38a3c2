// A conversation participant that behaves like the widget's link (client/conversation-link.ts):
// messages go into an outbox first, are sent when the socket is up, leave it only on `message.ack`,
// and everything still in it is resent with the same clientId after every reconnect, which says
// `hello { lastSeq }` with the highest seq seen. It reconnects by itself with a short jittered
// backoff, asking for a fresh token each time. It also keeps the record the chaos bench checks:
// every ack, every delivery (welcome backlog or live) and anything delivered twice or out of order.
import { BenchSocket } from './socket.mjs';

const BACKOFF_MS = [250, 500, 1000];

/**
 * One participant on one conversation. `token()` resolves with { socketUrl, socketToken } (a fresh
 * token per attempt); `role` is 'customer' or 'agent' (whose own messages these are).
 */
export class OutboxClient {
  constructor({ label, role, conversationId, token }) {
    Object.assign(this, { label, role, conversationId, token });
    /** clientId → { clientId, text, queuedAt, sends }, in the order written. */
    this.outbox = new Map();
    /** clientId → seq of the first ack. */
    this.acks = new Map();
    /** Acks that named another seq for a clientId already acknowledged (a duplicate row). */
    this.ackConflicts = [];
    /** seq → message, every message delivered on this participant's sockets. */
    this.log = new Map();
    this.maxSeq = 0;
    this.duplicateDeliveries = [];
    this.outOfOrder = [];
    this.rateLimited = 0;
    /** Items sent on an earlier connection and sent again after a reconnect. */
    this.resent = 0;
    this.refused = [];
    this.otherErrors = [];
    this.generated = 0;
    this.connections = 0;
    this.connectFailures = [];
    this.socket = null;
    this.up = false;
    this.stopped = false;
    this.timers = new Set();
    this.counter = 0;
  }

  /** Write a new message: into the outbox, and onto the socket if it is up. */
  write(text) {
    const clientId = `${this.label}-${String(++this.counter).padStart(6, '0')}`;
    const item = { clientId, text: `${text} ${clientId}`, queuedAt: Date.now(), sends: 0 };
    this.outbox.set(clientId, item);
    this.generated++;
    if (this.up) this.transmit(item);
    return clientId;
  }

  transmit(item) {
    item.sends++;
    try {
      this.socket.send({ type: 'message.send', clientId: item.clientId, text: item.text });
    } catch {
      // The socket died under us; the reconnect resends it.
    }
  }

  /**
   * Connect and keep reconnecting until stop(). Resolves on the first welcome; `onWelcome(ms)` is
   * told about every welcome with the time since the connection was lost (or first asked for).
   */
  start({ onWelcome } = {}) {
    this.onWelcome = onWelcome;
    this.lostAt = Date.now();
    return new Promise((resolve) => {
      this.firstWelcome = resolve;
      this.connectLoop(0);
    });
  }

  async connectLoop(attempt) {
    if (this.stopped) return;
    try {
      await this.connectOnce();
    } catch (err) {
      if (this.stopped) return;
      if (this.connectFailures.length < 50) this.connectFailures.push({ at: Date.now(), error: String(err.message ?? err).slice(0, 200) });
      const base = BACKOFF_MS[Math.min(attempt, BACKOFF_MS.length - 1)];
      this.later(() => this.connectLoop(attempt + 1), base / 2 + Math.random() * base);
    }
  }

  async connectOnce() {
    const { socketUrl, socketToken } = await this.token();
    const socket = await BenchSocket.open(socketUrl, { label: this.label, timeoutMs: 10_000 });
    if (this.stopped) return socket.close();
    const conn = ++this.connections;
    let connLast = this.maxSeq;
    const deliver = (m) => {
      if (m.seq <= connLast) this.outOfOrder.push({ seq: m.seq, after: connLast, conn });
      connLast = Math.max(connLast, m.seq);
      if (this.log.has(m.seq)) {
        this.duplicateDeliveries.push({ seq: m.seq, conn, clientId: m.clientId });
        return;
      }
      this.log.set(m.seq, m);
      this.maxSeq = Math.max(this.maxSeq, m.seq);
      // Unlike the widget's link, an item seen in the log stays in the outbox until its own ack: a
      // kill between store and ack then makes a real resend, which must get the original seq back.
    };
    socket.onFrame = (f) => {
      switch (f.type) {
        case 'welcome':
          if (f.conversation?.id && f.conversation.id !== this.conversationId) this.otherErrors.push({ code: 'welcome.other_conversation', message: f.conversation.id });
          for (const m of f.messages) deliver(m);
          // Only a welcomed socket is ours: one that dies before this is retried by connectLoop.
          this.socket = socket;
          this.up = true;
          // Drain in the order written; the server deduplicates anything already stored.
          for (const item of this.outbox.values()) {
            if (item.sends > 0) this.resent++;
            this.transmit(item);
          }
          this.onWelcome?.(Date.now() - this.lostAt, conn);
          this.firstWelcome?.();
          this.firstWelcome = null;
          return;
        case 'message.created':
          return deliver(f.message);
        case 'message.ack': {
          const first = this.acks.get(f.clientId);
          if (first === undefined) this.acks.set(f.clientId, f.seq);
          else if (first !== f.seq) this.ackConflicts.push({ clientId: f.clientId, first, again: f.seq });
          this.outbox.delete(f.clientId);
          return;
        }
        case 'error': {
          const item = f.ref ? this.outbox.get(f.ref) : undefined;
          if (item && f.retryAfter !== undefined) {
            // Too fast: the same item goes again when the server says it may.
            this.rateLimited++;
            this.later(() => this.up && this.outbox.has(item.clientId) && this.transmit(item), f.retryAfter * 1000);
          } else if (item) {
            this.refused.push({ clientId: item.clientId, code: f.code, message: f.message });
            this.outbox.delete(item.clientId);
          } else if (this.otherErrors.length < 50) this.otherErrors.push({ code: f.code, message: f.message });
          return;
        }
      }
    };
    socket.ws.on('close', () => {
      if (this.socket !== socket) return;
      this.up = false;
      this.socket = null;
      if (this.stopped || socket.closing) return;
      this.lostAt = Date.now();
      this.later(() => this.connectLoop(0), Math.random() * BACKOFF_MS[0]);
    });
    try {
      await socket.hello(socketToken, { lastSeq: this.maxSeq, timeoutMs: 10_000 });
      if (this.stopped) await socket.close();
    } catch (err) {
      if (this.socket === socket) {
        this.socket = null;
        this.up = false;
      }
      socket.closing = true;
      socket.ws.terminate();
      throw err;
    }
  }

  later(fn, ms) {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }

  /** Stop reconnecting and close the socket. */
  async stop() {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    const s = this.socket;
    this.socket = null;
    this.up = false;
    if (s) await s.close();
  }
}
