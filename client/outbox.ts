import type { KeyValue } from './storage';

/** A message the customer wrote that the server has not acknowledged yet. */
export interface OutboxItem {
  clientId: string;
  text: string;
  createdAt: number;
}

/**
 * The customer's unsent messages, in the order written, kept in storage so a reload, a dead battery
 * or a flaky modem link loses nothing (DESIGN.md promise 5). An item leaves only when the server has
 * acknowledged its clientId; resending the same clientId can never double it on the server.
 */
export class Outbox {
  private list: OutboxItem[];

  constructor(
    private readonly store: KeyValue,
    private readonly key: string,
  ) {
    this.list = Outbox.read(store, key);
  }

  private static read(store: KeyValue, key: string): OutboxItem[] {
    try {
      const parsed: unknown = JSON.parse(store.get(key) ?? '[]');
      if (!Array.isArray(parsed)) return [];
      return parsed.filter((i): i is OutboxItem => typeof i?.clientId === 'string' && typeof i?.text === 'string' && typeof i?.createdAt === 'number');
    } catch {
      return [];
    }
  }

  /** Items in the order they were written. */
  items(): readonly OutboxItem[] {
    return this.list;
  }

  /** Queue a new message and persist it before anything is sent. */
  add(text: string, now = Date.now()): OutboxItem {
    // Another tab may have written since we loaded; merge so neither tab's messages are lost.
    this.list = Outbox.read(this.store, this.key);
    const item: OutboxItem = { clientId: newClientId(), text, createdAt: now };
    this.list = [...this.list, item];
    this.save();
    return item;
  }

  /** Forget an item once the server acknowledged it. */
  ack(clientId: string): void {
    this.list = Outbox.read(this.store, this.key).filter((i) => i.clientId !== clientId);
    this.save();
  }

  /** Drop everything (shutdown forgets the device). */
  clear(): void {
    this.list = [];
    this.store.remove(this.key);
  }

  private save(): void {
    if (this.list.length === 0) this.store.remove(this.key);
    else this.store.set(this.key, JSON.stringify(this.list));
  }
}

/** A random id for a message, unique enough to deduplicate on. */
export function newClientId(): string {
  // randomUUID needs a secure context; a partner's plain-http test page still gets good ids.
  if (typeof crypto.randomUUID === 'function' && globalThis.isSecureContext !== false) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(b, (x: number) => x.toString(16).padStart(2, '0')).join('');
}
