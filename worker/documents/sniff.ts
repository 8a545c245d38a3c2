import type { DocumentType } from '../../protocol';

/**
 * What a file is, from its first bytes only. Names and declared types are what an attacker
 * chooses; the magic bytes are what a viewer's decoder will act on.
 */
export type Sniffed = { ok: true; type: DocumentType } | { ok: false; kind: 'svg' | 'html' | 'script' | 'executable' | 'unknown' };

const HEIF_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'mif1', 'msf1']);

function startsWith(b: Uint8Array, sig: readonly number[], at = 0): boolean {
  if (b.length < at + sig.length) return false;
  for (let i = 0; i < sig.length; i++) if (b[at + i] !== sig[i]) return false;
  return true;
}

function ascii(b: Uint8Array, from: number, to: number): string {
  return String.fromCharCode(...b.subarray(from, Math.min(to, b.length)));
}

/** Decide the type of a file from its magic bytes: one of the allowed types, or why it is refused. */
export function sniff(b: Uint8Array): Sniffed {
  if (startsWith(b, [0xff, 0xd8, 0xff])) return { ok: true, type: 'image/jpeg' };
  if (startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { ok: true, type: 'image/png' };
  if (ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 12) === 'WEBP') return { ok: true, type: 'image/webp' };
  if (ascii(b, 4, 8) === 'ftyp' && HEIF_BRANDS.has(ascii(b, 8, 12))) return { ok: true, type: 'image/heic' };
  if (ascii(b, 0, 5) === '%PDF-') return { ok: true, type: 'application/pdf' };
  return { ok: false, kind: refusedKind(b) };
}

/** Name what a refused file looks like, so the customer is told in words they know. */
function refusedKind(b: Uint8Array): Exclude<Sniffed, { ok: true }>['kind'] {
  if (startsWith(b, [0x4d, 0x5a]) || startsWith(b, [0x7f, 0x45, 0x4c, 0x46]) || startsWith(b, [0xcf, 0xfa, 0xed, 0xfe]) || startsWith(b, [0xca, 0xfe, 0xba, 0xbe]) || startsWith(b, [0x50, 0x4b, 0x03, 0x04])) return 'executable';
  // Text formats: look past a BOM and white space at what the first tag says.
  const head = new TextDecoder().decode(b.subarray(0, 1024)).replace(/^\uFEFF/, '').trimStart().toLowerCase();
  if (head.startsWith('#!')) return 'script';
  if (head.includes('<svg')) return 'svg';
  if (head.startsWith('<') || head.includes('<html') || head.includes('<script')) return 'html';
  return 'unknown';
}

/** The message the customer reads when a file is refused. */
export function refusalMessage(kind: Exclude<Sniffed, { ok: true }>['kind']): string {
  const allowed = 'Please send a photo (JPEG, PNG, WebP or HEIC) or a PDF.';
  switch (kind) {
    case 'svg':
      return `SVG pictures can't be sent here because they can carry code. ${allowed}`;
    case 'html':
      return `Web pages can't be sent here. ${allowed}`;
    case 'script':
    case 'executable':
      return `Programs and scripts can't be sent here. ${allowed}`;
    case 'unknown':
      return `This kind of file can't be sent here. ${allowed}`;
  }
}

/** Aliases browsers and apps declare for our types; anything else declared must match exactly. */
const ALIASES: Record<string, DocumentType> = { 'image/jpg': 'image/jpeg', 'image/pjpeg': 'image/jpeg', 'image/heif': 'image/heic', 'image/heic-sequence': 'image/heic', 'image/heif-sequence': 'image/heic', 'application/x-pdf': 'application/pdf' };

/**
 * Whether the declared type agrees with the bytes. No declared type (or the browser's generic
 * octet-stream, common for HEIC) says nothing and passes; any other declaration must name the same type.
 */
export function declaredAgrees(declared: string | null | undefined, actual: DocumentType): boolean {
  const d = (declared ?? '').split(';')[0]!.trim().toLowerCase();
  if (d === '' || d === 'application/octet-stream') return true;
  return (ALIASES[d] ?? d) === actual;
}
