import type { ProjectionPayload } from '../projection/payload';
import { RESEND_AFTER_MS, sendOutbox } from './d1-projection';
import type { ConversationStore } from './store';
import type { DoState } from './state';

/**
 * The latest a change waits for the durable alarm when the in-memory timer is lost (an eviction,
 * a crash): the alarm is the backstop of delivery promise 6, the timer the usual path.
 */
export const BACKSTOP_MS = 30_000;

/**
 * How often a busy conversation's writes carry what the drain holds in memory. Confirmed rows are
 * only garbage until then and a handed-over row is not due again before RESEND_AFTER_MS, so there
 * is no hurry; a chat at a message every second saves a statement or two on most of them.
 */
const WRITE_DOWN_EVERY_MS = 5_000;

/**
 * How far a drain's delay strays either way. Conversations that began together (a shift's start, a
 * campaign, an outage) would otherwise hand their slices over together every DRAIN_DELAY_MS, and
 * the consumer's confirmations come back to all of them at once: bursts that messages wait behind.
 */
const JITTER = 0.25;

/** What the drain needs of its conversation: kept narrow so the core and the alarm share one drain. */
export interface DrainHost {
  readonly store: ConversationStore;
  readonly st: DoState | null;
  readonly seq: number;
  /** Make sure the durable alarm fires no later than `at`. */
  schedule(at: number): Promise<void>;
}

/**
 * The outbox's way to the projection queue. Every storage transaction of a Durable Object is a
 * commit (locally an fsync; on Cloudflare a replicated write that holds the object's output), so
 * the drain adds none of its own: it runs on an in-memory timer, hands slices to the queue, and
 * keeps "handed over" and "confirmed by the consumer" in memory; both are written down with the
 * next write the object makes anyway (a message, a state change, the alarm). The durable alarm,
 * set no later than BACKSTOP_MS after a change and in that change's own transaction, catches
 * whatever a lost timer left. A lost memory only costs one harmless resend (slices are idempotent).
 */
export class Drain {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private timerAt = Infinity;
  private sending = false;
  /** A send was asked for while one was out: it runs again when that one is back. */
  private again = false;
  /** Slices the queue accepted and not yet written down: their rows' ids and when. */
  private handed: { ids: number[]; at: number }[] = [];
  private handedIds = new Set<number>();
  /** Rows the consumer confirmed and not yet deleted. */
  private confirmed: number[] = [];
  private writtenDownAt = 0;

  constructor(
    private readonly host: DrainHost,
    private readonly queue: Queue<ProjectionPayload>,
  ) {}

  /**
   * Send what is due within `delayMs` (give or take a quarter, see JITTER); the alarm is the
   * backstop. Call within the change's own event.
   */
  async soon(delayMs: number): Promise<void> {
    const now = Date.now();
    this.arm(now, Math.round(delayMs * (1 - JITTER + Math.random() * 2 * JITTER)));
    await this.host.schedule(now + BACKSTOP_MS);
  }

  /**
   * The consumer wrote these rows to D1: forgotten with the next write, at the latest the backstop
   * alarm's. Not written down here, even in a quiet conversation: a commit of its own per
   * confirmation was half a commit more per message at 0.4 messages a second per conversation, and
   * the backstop alarm that every change sets comes anyway. Should the object be evicted before it,
   * the rows go once more (harmless, slices are idempotent) and this comes again. Only if no alarm
   * is left (it ran before the confirmation came) is one set, so the memory is written down.
   */
  async projected(outboxIds: number[]): Promise<void> {
    this.confirmed.push(...outboxIds);
    await this.host.schedule(Date.now() + BACKSTOP_MS);
  }

  /**
   * Write down what is only in memory. Every path that writes anyway calls this, so it costs no
   * commit of its own; `ifDue` (a message) does so at most every WRITE_DOWN_EVERY_MS.
   */
  writeDown(ifDue = false): void {
    const now = Date.now();
    if (ifDue && now - this.writtenDownAt < WRITE_DOWN_EVERY_MS) return;
    this.writtenDownAt = now;
    const store = this.host.store;
    for (const h of this.handed) store.markSent(h.ids, h.at, RESEND_AFTER_MS);
    this.handed = [];
    this.handedIds.clear();
    if (this.confirmed.length) store.confirmOutbox(this.confirmed);
    this.confirmed = [];
  }

  /**
   * Hand one slice of what is due to the queue; true when more is due at once. `writeNow` writes
   * the hand-over down in this event (the alarm, which writes anyway); otherwise it waits in memory.
   */
  async send(now: number, writeNow: boolean): Promise<boolean> {
    const { st } = this.host;
    if (!st) return false;
    // One slice out at a time (two could hand the same rows over). A send asked for meanwhile is
    // not dropped: without `again` its rows would wait for the backstop alarm, BACKSTOP_MS later.
    if (this.sending) {
      this.again = true;
      return false;
    }
    this.sending = true;
    try {
      const sent = await sendOutbox(this.queue, this.host.store, st, this.host.seq, now, this.handedIds);
      if (!sent) return false;
      if (writeNow) this.host.store.markSent(sent.ids, sent.at, RESEND_AFTER_MS);
      else {
        this.handed.push({ ids: sent.ids, at: sent.at });
        for (const id of sent.ids) this.handedIds.add(id);
      }
      return sent.more;
    } finally {
      this.sending = false;
      if (this.again) {
        this.again = false;
        this.arm(Date.now(), 0);
      }
    }
  }

  /** Forget everything in memory (the conversation's storage was deleted). */
  reset(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Infinity;
    this.again = false;
    this.handed = [];
    this.handedIds.clear();
    this.confirmed = [];
  }

  /** Run the in-memory timer `delayMs` from `now`, unless it already runs sooner. */
  private arm(now: number, delayMs: number): void {
    if (now + delayMs >= this.timerAt) return;
    clearTimeout(this.timer);
    this.timerAt = now + delayMs;
    this.timer = setTimeout(() => void this.fire(), delayMs);
  }

  private async fire(): Promise<void> {
    this.timer = undefined;
    this.timerAt = Infinity;
    try {
      if (await this.send(Date.now(), false)) await this.soon(0);
    } catch (err) {
      // The queue refused: the rows stay due, and the backstop alarm retries with its backoff.
      console.warn('outbox send failed (the alarm retries):', (err as Error).message);
    }
  }
}
