import { INLINE_TYPES } from '../../protocol';
import type { DocumentType } from '../../protocol';

/**
 * The headers a stored file is served with. The bytes were checked at upload, and still nothing
 * is trusted: no sniffing, a CSP that runs nothing and sandboxes the document (a PDF's scripts, an
 * image opened as a page), never cached by anyone but this browser, and inline only for what a
 * browser shows as a picture or a PDF; HEIC, which browsers cannot show, is downloaded.
 */
export function fileHeaders(type: DocumentType, name: string, size: number, forceDownload: boolean): Headers {
  const inline = !forceDownload && INLINE_TYPES.includes(type);
  return new Headers({
    'content-type': type,
    'content-length': String(size),
    'content-disposition': contentDisposition(inline ? 'inline' : 'attachment', name),
    'x-content-type-options': 'nosniff',
    'content-security-policy': "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox",
    // The widget shows files inside partners' pages: the signed link, not the origin, is the wall.
    'cross-origin-resource-policy': 'cross-origin',
    'cache-control': 'private, no-store',
    'referrer-policy': 'no-referrer',
  });
}

/** A Content-Disposition with an ASCII fallback and the real name in RFC 5987 form. */
export function contentDisposition(kind: 'inline' | 'attachment', name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}
