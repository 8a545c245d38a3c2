import type { DocumentRequestBody, DocumentRequestResponse, DownloadLinkResponse, MarkSensitiveResponse } from '../../protocol';
import { FileUploads } from '../../client/file-upload';
import type { UploadProgress } from '../../client/file-upload';
import { api, conversationPath } from './api';
import type { ConversationSession } from './conversation-session';

/**
 * An open conversation's files, for the agent: replies with files (uploaded under the reply's
 * clientId through the agent API, the session cookie authorising them), signed links to see a
 * file, and the audited reveal of a sensitive one. One per conversation session.
 */
export class AgentFiles {
  private readonly uploads: FileUploads;

  constructor(private readonly session: ConversationSession) {
    this.uploads = new FileUploads(
      async (clientId, index, file) => {
        const q = new URLSearchParams({ clientId, index: String(index), name: file.name });
        return { url: conversationPath(session.id, `/files?${q}`), headers: {} };
      },
      { stored: (c, i, id) => session.conv.fileStored(c, i, id), refused: (c, m) => session.conv.fail(c, m), changed: () => session.dispatchEvent(new Event('change')) },
    );
  }

  /** Send a reply carrying files: they upload now and the reply follows once all are stored. */
  send(text: string, files: File[]): void {
    const item = this.session.conv.send(text, undefined, files.map((f) => ({ name: f.name, size: f.size, type: f.type })));
    this.uploads.start(item.clientId, files);
  }

  /** Progress of a reply's files while they upload. */
  progress(clientId: string): readonly UploadProgress[] | undefined {
    return this.uploads.of(clientId);
  }

  /** Stop a reply's upload and forget the reply. */
  cancel(clientId: string): void {
    this.uploads.cancel(clientId);
    this.session.discard(clientId);
  }

  /** Ask the customer for a document: a card with an upload button in their thread. */
  request(body: DocumentRequestBody): Promise<DocumentRequestResponse> {
    return api<DocumentRequestResponse>(conversationPath(this.session.id, '/document-requests'), { method: 'POST', json: body });
  }

  /** Mark a file sensitive: audited; every agent's thread covers it until an audited reveal. */
  markSensitive(fileId: string): Promise<MarkSensitiveResponse> {
    return api<MarkSensitiveResponse>(conversationPath(this.session.id, `/files/${encodeURIComponent(fileId)}/sensitive`), { method: 'POST' });
  }

  /** A signed link (minutes long) to a file; a sensitive file needs `reveal` (audited by the server). */
  link(fileId: string, reveal = false): Promise<DownloadLinkResponse> {
    const path = conversationPath(this.session.id, `/files/${encodeURIComponent(fileId)}/${reveal ? 'reveal' : 'link'}`);
    return api<DownloadLinkResponse>(path, reveal ? { method: 'POST' } : {});
  }
}

const bySession = new WeakMap<ConversationSession, AgentFiles>();

/** The files helper of a conversation session, made on first use. */
export function filesOf(session: ConversationSession): AgentFiles {
  let f = bySession.get(session);
  if (!f) bySession.set(session, (f = new AgentFiles(session)));
  return f;
}
