import type { ClientFrame, PrechatTopic } from '../../protocol';
import type { KeyValue } from '../../client/storage';

/**
 * Whether to offer the brand's pre-chat topics: it has some, the conversation is known (welcomed
 * at least once, so a returning customer's history never hides behind a choice for a moment),
 * nothing is written in it yet (not even a message still in the outbox: typing first means no
 * topic), and the server has not said it is too late.
 */
export function offerTopics(topics: readonly PrechatTopic[] | undefined, welcomed: boolean, rows: number, closed: boolean): boolean {
  return !!topics?.length && welcomed && rows === 0 && !closed;
}

/** What storage holds: the conversation, and the topic picked in it or `null` once it is too late. */
interface Stored {
  c: string;
  k: string | null;
}

/**
 * The customer's pre-chat topic in one conversation, kept in storage until the conversation has a
 * message, so a pick made offline, or lost with a dropped socket or a reload, still reaches the
 * server ahead of the first message it routes. The link sends it after every welcome before the
 * outbox drains; the server takes a repeat of the same topic as a no-op.
 */
export class PrechatChoice {
  constructor(
    private readonly store: KeyValue,
    private readonly key: string,
  ) {}

  private read(conversationId: string | null): Stored | null {
    if (!conversationId) return null;
    try {
      const s = JSON.parse(this.store.get(this.key) ?? 'null') as Stored | null;
      return s && s.c === conversationId && (typeof s.k === 'string' || s.k === null) ? s : null;
    } catch {
      return null;
    }
  }

  /** The topic picked in this conversation, if any. */
  picked(conversationId: string | null): string | null {
    return this.read(conversationId)?.k ?? null;
  }

  /** Whether the server refused a topic here because the conversation had already begun. */
  closed(conversationId: string | null): boolean {
    return this.read(conversationId)?.k === null;
  }

  /** Remember a pick (a later pick replaces it) and return the frame that tells the server. */
  pick(conversationId: string, topic: string): ClientFrame {
    this.store.set(this.key, JSON.stringify({ c: conversationId, k: topic } satisfies Stored));
    return { type: 'prechat', topic };
  }

  /** The server said it is too late: offer no choice in this conversation again. */
  close(conversationId: string): void {
    this.store.set(this.key, JSON.stringify({ c: conversationId, k: null } satisfies Stored));
  }

  /**
   * What to send after a welcome, ahead of the outbox: the pick, while the conversation has no
   * message. Once it has one the pick has done its work (or it is too late), so it is forgotten.
   */
  lead(conversationId: string | null, hasMessages: boolean): ClientFrame[] {
    if (hasMessages) {
      this.forget();
      return [];
    }
    const topic = this.picked(conversationId);
    return topic ? [{ type: 'prechat', topic }] : [];
  }

  /** Drop what is stored (shutdown forgets the device). */
  forget(): void {
    this.store.remove(this.key);
  }
}
