import type { OutboxFile } from './outbox';

/** One kept file: its bytes and what a File needs back. */
export interface KeptFile {
  name: string;
  type: string;
  size: number;
  blob: Blob;
}

/**
 * Where the bytes of unsent files are kept across a reload: IndexedDB in the browser
 * (client/idb-files.ts), memory in tests. Keys are `<clientId>:<index>`.
 */
export interface FileKeep {
  put(key: string, file: KeptFile): Promise<void>;
  get(key: string): Promise<KeptFile | undefined>;
  delete(key: string): Promise<void>;
  /** Every key with its file's size (to cap the total). */
  sizes(): Promise<{ key: string; size: number }[]>;
}

/** A FileKeep that lives as long as the page (tests, and browsers without IndexedDB). */
export function memoryFileKeep(): FileKeep {
  const m = new Map<string, KeptFile>();
  return {
    put: async (k, f) => void m.set(k, f),
    get: async (k) => m.get(k),
    delete: async (k) => void m.delete(k),
    sizes: async () => Array.from(m, ([key, f]) => ({ key, size: f.size })),
  };
}

/** The most bytes kept for unsent files on one device; beyond it a reload asks to attach again. */
export const KEEP_CAP_BYTES = 50 * 1024 * 1024;

const keyOf = (clientId: string, index: number) => `${clientId}:${index}`;

/**
 * The bytes of files waiting in the outbox, so a reload does not lose them (the outbox itself is
 * in localStorage, which cannot hold a File). A message's files are kept all or none, so a
 * restore is whole; past the cap, or when storage refuses, nothing is kept and the caller falls
 * back to asking the writer to attach again. Every call swallows storage errors: keeping bytes is
 * a convenience, never a reason for sending to fail. Calls run one after another, so a file stored
 * on the server before its bytes were even kept is still forgotten.
 */
export class PendingFiles {
  private last: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly keep: FileKeep,
    private readonly cap = KEEP_CAP_BYTES,
  ) {}

  /** Keep a new message's files; false when they were not kept (over the cap, or storage failed). */
  add(clientId: string, files: readonly File[]): Promise<boolean> {
    return this.serial(() => this.addNow(clientId, files));
  }

  private serial<T>(op: () => Promise<T>): Promise<T> {
    const next = this.last.then(op, op);
    this.last = next.catch(() => undefined);
    return next;
  }

  private async addNow(clientId: string, files: readonly File[]): Promise<boolean> {
    try {
      const used = (await this.keep.sizes()).reduce((n, e) => n + e.size, 0);
      const adding = files.reduce((n, f) => n + f.size, 0);
      if (used + adding > this.cap) return false;
      for (let i = 0; i < files.length; i++) {
        const f = files[i]!;
        await this.keep.put(keyOf(clientId, i), { name: f.name, type: f.type, size: f.size, blob: f });
      }
      return true;
    } catch {
      for (let i = 0; i < files.length; i++) await this.keep.delete(keyOf(clientId, i)).catch(() => undefined);
      return false;
    }
  }

  /**
   * The files of an outbox item, back as Files: a stored one (with an id) needs no bytes and gets
   * an empty stand-in; null when any unstored file's bytes are missing.
   */
  restore(clientId: string, files: readonly OutboxFile[]): Promise<File[] | null> {
    return this.serial(() => this.restoreNow(clientId, files));
  }

  private async restoreNow(clientId: string, files: readonly OutboxFile[]): Promise<File[] | null> {
    try {
      const out: File[] = [];
      for (let i = 0; i < files.length; i++) {
        const meta = files[i]!;
        if (meta.id) {
          out.push(new File([], meta.name, { type: meta.type }));
          continue;
        }
        const kept = await this.keep.get(keyOf(clientId, i));
        if (!kept) return null;
        out.push(new File([kept.blob], kept.name, { type: kept.type }));
      }
      return out;
    } catch {
      return null;
    }
  }

  /** Forget one file's bytes (it is stored on the server). */
  stored(clientId: string, index: number): Promise<void> {
    return this.serial(() => this.keep.delete(keyOf(clientId, index)).catch(() => undefined));
  }

  /** Forget a message's files (sent, refused or removed). */
  async drop(clientId: string, count: number): Promise<void> {
    for (let i = 0; i < count; i++) await this.stored(clientId, i);
  }

  /** Forget the bytes of messages no longer in the outbox (acknowledged in another tab, or cleared). */
  prune(live: ReadonlySet<string>): Promise<void> {
    return this.serial(async () => {
      try {
        for (const { key } of await this.keep.sizes()) if (!live.has(key.slice(0, key.lastIndexOf(':')))) await this.keep.delete(key);
      } catch {
        /* nothing to tidy where storage is unreadable */
      }
    });
  }
}
