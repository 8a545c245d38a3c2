import type { KeyValue } from './storage';

/**
 * Something written here that the server has not acknowledged yet: a message to the other side,
 * or (agents only) an internal note.
 */
export interface OutboxItem {
  clientId: string;
  text: string;
  createdAt: number;
  /** Absent for a message; 'note' for an agent's internal note. */
  kind?: 'note';
}

/**
 * Unsent messages in the order written, kept in storage so a reload, a dead battery or a flaky
 * modem link loses nothing (DESIGN.md promise 5). The widget and the inbox both use it. An item
 * leaves only when the server acknowledged its clientId; resending the same clientId can never
 * double it on the server.
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
      return parsed
        .filter((i): i is OutboxItem => typeof i?.clientId === 'string' && typeof i?.text === 'string' && typeof i?.createdAt === 'number')
        .map((i) => (i.kind === 'note' ? { clientId: i.clientId, text: i.text, createdAt: i.createdAt, kind: 'note' } : { clientId: i.clientId, text: i.text, createdAt: i.createdAt }));
    } catch {
      return [];
    }
  }

  /** Items in the order they were written. */
  items(): readonly OutboxItem[] {
    return this.list;
  }

  /** The item with this clientId, if it is still waiting. */
  get(clientId: string): OutboxItem | undefined {
    return this.list.find((i) => i.clientId === clientId);
  }

  /** Queue a new item and persist it before anything is sent. */
  add(text: string, now = Date.now(), kind?: 'note'): OutboxItem {
    // Another tab may have written since we loaded; merge so neither tab's messages are lost.
    this.list = Outbox.read(this.store, this.key);
    const item: OutboxItem = kind ? { clientId: newClientId(), text, createdAt: now, kind } : { clientId: newClientId(), text, createdAt: now };
    this.list = [...this.list, item];
    this.save();
    return item;
  }

  /** Forget an item once the server acknowledged it (or the writer gave up on it). */
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
