import type { Outbox } from '../../client/outbox';
import type { FileUploads } from '../../client/file-upload';
import type { PendingFiles } from '../../client/pending-files';
import { FILE_LOST } from '../i18n/file-refusal';

/** What resuming needs of the connection. */
export interface ResumeParts {
  outbox: Outbox;
  uploads: Pick<FileUploads, 'has' | 'start'>;
  pending: PendingFiles;
  /** Messages marked failed (a refusal stays as it is, with its own reason). */
  failed: ReadonlyMap<string, string>;
  refuse(clientId: string, message: string, code: string): void;
}

const resuming = new WeakSet<object>();
const busy = new Set<string>();

/**
 * After a welcome (a reload, or a reconnect), upload again the files of outbox messages that are
 * not uploading: their bytes come back from the device's file keep; a message whose bytes are not
 * there (over the cap, storage refused, another browser) asks the customer to attach it again.
 * Runs at most once at a time per message, however many welcomes arrive meanwhile.
 */
export async function resumeFiles(p: ResumeParts): Promise<void> {
  // The first welcome also tidies bytes of messages another tab has since sent or dropped.
  if (!resuming.has(p.pending)) {
    resuming.add(p.pending);
    await p.pending.prune(new Set(p.outbox.items().map((i) => i.clientId)));
  }
  for (const item of p.outbox.items()) {
    const id = item.clientId;
    if (!item.files?.some((f) => !f.id) || p.uploads.has(id) || p.failed.has(id) || busy.has(id)) continue;
    busy.add(id);
    const files = await p.pending.restore(id, item.files);
    busy.delete(id);
    const now = p.outbox.get(id);
    if (!now?.files || p.uploads.has(id) || p.failed.has(id)) continue;
    if (files) p.uploads.start(id, files, now.files.map((f) => f.id));
    else p.refuse(id, 'The file was not sent. Please attach it again.', FILE_LOST);
  }
}
