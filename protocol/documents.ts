import * as v from 'valibot';

/**
 * Documents: files a customer or an agent attaches to a message (passport scans, photos, PDFs).
 * Types are decided from the file's bytes on the server, never from its name or declared type.
 */

/** The only file types that pass, as decided from their magic bytes. */
export const DOCUMENT_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/heic', 'application/pdf'] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

/** Types a browser can show inline (HEIC is downloaded: most browsers cannot draw it). */
export const INLINE_TYPES: readonly DocumentType[] = ['image/jpeg', 'image/png', 'image/webp', 'application/pdf'];

/** Defaults of the tenant's document settings (migration 0012 columns left NULL). */
export const DEFAULT_DOCUMENT_LIMITS = { maxFileBytes: 10 * 1024 * 1024, maxFilesPerMessage: 5, retentionDays: 90 } as const;

/** The hard upper bound of files a message may reference, whatever a tenant sets. */
export const MAX_ATTACHMENTS = 10;

/** How long a signed download link stays good: at most five minutes. */
export const DOWNLOAD_LINK_TTL_MS = 5 * 60_000;

/** An attachment id: derived from who uploaded it under which message clientId and index. */
export const AttachmentId = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{22}$/, 'not an attachment id'));

/** The attachments a message references, in order. */
export const AttachmentIds = v.pipe(v.array(AttachmentId), v.minLength(1), v.maxLength(MAX_ATTACHMENTS));

/** The query of an upload: the message it belongs to (clientId), its place in it, its name. */
export const UploadQuery = v.strictObject({
  clientId: v.pipe(v.string(), v.minLength(1), v.maxLength(100)),
  index: v.pipe(v.string(), v.regex(/^\d{1,2}$/, 'index must be a small number'), v.transform(Number)),
  name: v.optional(v.pipe(v.string(), v.maxLength(500))),
  /** Agents only: mark the file sensitive (blurred for agents until an audited reveal). */
  sensitive: v.optional(v.picklist(['1', '0'])),
});

/** What an agent may ask a customer to send. Passports and contract pages are sensitive by kind. */
export const DocumentRequestKind = v.picklist(['passport', 'contract_page', 'device_label', 'other']);
export type DocumentRequestKind = v.InferOutput<typeof DocumentRequestKind>;

/** How the inbox names each kind (the widget has its own words per language). */
export const REQUEST_KIND_LABELS: Record<DocumentRequestKind, string> = {
  passport: 'Passport (photo page)',
  contract_page: 'Signed contract page',
  device_label: 'Photo of the device or modem label',
  other: 'Other document',
};

/** The kinds whose files are blurred for agents until an audited reveal, whatever the agent marked. */
export const SENSITIVE_REQUEST_KINDS: readonly DocumentRequestKind[] = ['passport', 'contract_page'];

/** POST /v1/agent/conversations/:id/document-requests: ask the customer for a document. */
export const DocumentRequestBody = v.strictObject({
  kind: DocumentRequestKind,
  /** What exactly, in the agent's words (free text; required for `other`). */
  note: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(300))),
  /** Mark the files that answer it sensitive, whatever the kind. */
  sensitive: v.optional(v.boolean()),
});
export type DocumentRequestBody = v.InferOutput<typeof DocumentRequestBody>;

/** A request for a document, as the thread shows it. */
export interface DocumentRequest {
  id: string;
  kind: DocumentRequestKind;
  note: string | null;
  sensitive: boolean;
  createdAt: number;
  /** The seq of the customer's message that answered it; null while open. */
  fulfilledSeq: number | null;
}

/** The answer to POST …/document-requests. */
export interface DocumentRequestResponse {
  request: DocumentRequest;
}

/** A request id: random, URL-safe. */
export const RequestId = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{8,40}$/, 'not a request id'));

/** A stored file as participants see it. Its bytes are reached only through a signed link. */
export interface Attachment {
  id: string;
  /** Sanitised file name, with the extension of its real type. */
  name: string;
  type: DocumentType;
  size: number;
  /** Agents only see it blurred until an audited reveal (customers always see their own). */
  sensitive: boolean;
  /** When retention deleted the bytes; the thread keeps the line. */
  deletedAt: number | null;
}

/** POST …/files answers: the stored attachment; `duplicate` when a retry found it stored already. */
export interface UploadResponse {
  attachment: Attachment;
  duplicate: boolean;
}

/** A signed download link: good until `expiresAt` (ms), for this viewer only. */
export interface DownloadLinkResponse {
  url: string;
  expiresAt: number;
}

/** POST /v1/agent/conversations/:id/files/:fileId/sensitive answers: the file, now sensitive; `duplicate` when it already was. */
export interface MarkSensitiveResponse {
  attachment: Attachment;
  duplicate: boolean;
}
