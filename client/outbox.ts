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
  /**
   * Files the message carries, uploaded under its clientId (client/file-upload.ts); each gets its
   * id once stored, and the message goes out only when every file has one.
   */
  files?: OutboxFile[];
  /** The agent's document request the files answer (customers only). */
  requestId?: string;
}

/** A file of an outbox item: what the view shows, and its id once the server stored it. */
export interface OutboxFile {
  name: string;
  size: number;
  type: string;
  id?: string;
}

/** Whether every file of the item is stored (or it has none): it may be sent. */
export function filesReady(item: OutboxItem): boolean {
  return !item.files || item.files.every((f) => typeof f.id === 'string');
}

function readFiles(raw: unknown): OutboxFile[] | undefined {
  if (!Array.isArray(raw)) return undefined;
  return raw
    .filter((f): f is OutboxFile => typeof f?.name === 'string' && typeof f?.size === 'number' && typeof f?.type === 'string')
    .map((f) => (typeof f.id === 'string' ? { name: f.name, size: f.size, type: f.type, id: f.id } : { name: f.name, size: f.size, type: f.type }));
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
        .map((i): OutboxItem => {
          if (i.kind === 'note') return { clientId: i.clientId, text: i.text, createdAt: i.createdAt, kind: 'note' };
          const files = readFiles(i.files);
          const item: OutboxItem = { clientId: i.clientId, text: i.text, createdAt: i.createdAt };
          if (files?.length) item.files = files;
          if (typeof i.requestId === 'string') item.requestId = i.requestId;
          return item;
        });
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
  add(text: string, now = Date.now(), kind?: 'note', files?: OutboxFile[], requestId?: string): OutboxItem {
    // Another tab may have written since we loaded; merge so neither tab's messages are lost.
    this.list = Outbox.read(this.store, this.key);
    const item: OutboxItem = kind ? { clientId: newClientId(), text, createdAt: now, kind } : { clientId: newClientId(), text, createdAt: now };
    if (!kind && files?.length) item.files = files;
    if (!kind && requestId) item.requestId = requestId;
    this.list = [...this.list, item];
    this.save();
    return item;
  }

  /** Forget an item once the server acknowledged it (or the writer gave up on it). */
  ack(clientId: string): void {
    this.list = Outbox.read(this.store, this.key).filter((i) => i.clientId !== clientId);
    this.save();
  }

  /** Note the stored id of one file of an item; the updated item, or undefined when it is gone. */
  setFileId(clientId: string, index: number, id: string): OutboxItem | undefined {
    this.list = Outbox.read(this.store, this.key).map((i) => (i.clientId === clientId && i.files?.[index] ? { ...i, files: i.files.map((f, n) => (n === index ? { ...f, id } : f)) } : i));
    this.save();
    return this.get(clientId);
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
