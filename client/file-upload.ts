import type { ErrorBody, UploadResponse } from '../protocol';
import { backoffDelay } from './backoff';

/** Where one file of a message goes: the URL (with clientId, index, name) and the headers (a token). */
export type UploadTarget = (clientId: string, index: number, file: File) => Promise<{ url: string; headers: Record<string, string> }>;

/** What the view shows of one file being sent. */
export interface UploadProgress {
  loaded: number;
  total: number;
  /** Waiting to try again after the link dropped. */
  retrying: boolean;
}

/** How an upload ended: stored, refused by the server (for good), or the link failed (try again). */
type Outcome = { ok: true; body: UploadResponse } | { ok: false; refused: true; message: string; code?: string } | { ok: false; refused: false };

/** What the uploader reports to the conversation link. */
export interface UploadSink {
  stored(clientId: string, index: number, id: string): void;
  /** `code`: the server's error code (e.g. document.too_large), for a view that words it itself. */
  refused(clientId: string, message: string, code?: string): void;
  changed(): void;
}

/**
 * The files of messages in the outbox, in memory (a File cannot be stored in localStorage; a
 * message whose file did not survive a reload is marked for the writer to attach again). Each
 * file is sent with XMLHttpRequest for its upload progress, keyed by the message's clientId and
 * its index, so sending it again after a dropped link lands on the same stored file. Network
 * failures and 5xx/429 are retried with backoff until cancelled; a refusal (4xx) ends it.
 */
export class FileUploads {
  private readonly files = new Map<string, File[]>();
  private readonly progress = new Map<string, UploadProgress[]>();
  private readonly running = new Map<string, XMLHttpRequest>();
  private readonly cancelled = new Set<string>();

  constructor(
    private readonly target: UploadTarget,
    private readonly sink: UploadSink,
  ) {}

  /** Whether the bytes of this message's files are here to send. */
  has(clientId: string): boolean {
    return this.files.has(clientId);
  }

  /** Progress of each file of a message, if it is being sent. */
  of(clientId: string): readonly UploadProgress[] | undefined {
    return this.progress.get(clientId);
  }

  /** Send the files of a message, skipping those already stored (`storedIds[i]` set). */
  start(clientId: string, files: File[], storedIds: readonly (string | undefined)[] = []): void {
    this.files.set(clientId, files);
    this.cancelled.delete(clientId);
    this.progress.set(clientId, files.map((f, i) => ({ loaded: storedIds[i] ? f.size : 0, total: f.size, retrying: false })));
    void this.run(clientId, storedIds);
  }

  /** Stop sending a message's files; the link discards the message. */
  cancel(clientId: string): void {
    this.cancelled.add(clientId);
    this.running.get(clientId)?.abort();
    this.forget(clientId);
  }

  private forget(clientId: string): void {
    this.files.delete(clientId);
    this.progress.delete(clientId);
    this.running.delete(clientId);
    this.sink.changed();
  }

  private async run(clientId: string, storedIds: readonly (string | undefined)[]): Promise<void> {
    const files = this.files.get(clientId) ?? [];
    for (let i = 0; i < files.length; i++) {
      if (storedIds[i]) continue;
      for (let attempt = 0; ; attempt++) {
        if (this.cancelled.has(clientId)) return;
        const out = await this.once(clientId, i, files[i]!);
        if (this.cancelled.has(clientId)) return;
        if (out.ok) {
          this.sink.stored(clientId, i, out.body.attachment.id);
          break;
        }
        if (out.refused) {
          this.sink.refused(clientId, out.message, out.code);
          this.forget(clientId);
          return;
        }
        this.mark(clientId, i, { retrying: true, loaded: 0 });
        await new Promise((r) => setTimeout(r, backoffDelay(attempt)));
      }
    }
    this.forget(clientId);
  }

  private mark(clientId: string, i: number, patch: Partial<UploadProgress>): void {
    const list = this.progress.get(clientId);
    if (!list?.[i]) return;
    list[i] = { ...list[i]!, ...patch };
    this.sink.changed();
  }

  private async once(clientId: string, index: number, file: File): Promise<Outcome> {
    let t: { url: string; headers: Record<string, string> };
    try {
      t = await this.target(clientId, index, file);
    } catch {
      return { ok: false, refused: false };
    }
    return new Promise<Outcome>((resolve) => {
      const xhr = new XMLHttpRequest();
      this.running.set(clientId, xhr);
      xhr.open('POST', t.url);
      for (const [k, v] of Object.entries(t.headers)) xhr.setRequestHeader(k, v);
      if (file.type) xhr.setRequestHeader('content-type', file.type);
      xhr.upload.onprogress = (e) => this.mark(clientId, index, { loaded: e.loaded, total: e.total || file.size, retrying: false });
      xhr.onload = () => {
        let body: unknown = null;
        try {
          body = JSON.parse(xhr.responseText);
        } catch {
          /* not JSON: judged by status below */
        }
        if (xhr.status >= 200 && xhr.status < 300) resolve({ ok: true, body: body as UploadResponse });
        else if (xhr.status >= 400 && xhr.status < 500 && xhr.status !== 429 && xhr.status !== 401) {
          const error = (body as ErrorBody | null)?.error;
          resolve({ ok: false, refused: true, message: error?.message ?? `Upload refused (${xhr.status})`, ...(typeof error?.code === 'string' ? { code: error.code } : {}) });
        }
        else resolve({ ok: false, refused: false });
      };
      xhr.onerror = xhr.onabort = xhr.ontimeout = () => resolve({ ok: false, refused: false });
      xhr.send(file);
    });
  }
}
