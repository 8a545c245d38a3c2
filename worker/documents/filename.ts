import type { DocumentType } from '../../protocol';

/** The canonical extension of each type, and the others people use for it. */
const EXTENSIONS: Record<DocumentType, readonly string[]> = {
  'image/jpeg': ['jpg', 'jpeg', 'jfif'],
  'image/png': ['png'],
  'image/webp': ['webp'],
  'image/heic': ['heic', 'heif'],
  'application/pdf': ['pdf'],
};

const MAX_NAME = 100;

/**
 * A file name safe to show and to put in Content-Disposition: no path, no control or bidi
 * characters (which disguise `gpj.exe` as `exe.jpg`), no characters file systems or headers choke
 * on, at most 100 characters, and always ending in the extension of the type the bytes have.
 */
export function sanitiseFilename(raw: string | null | undefined, type: DocumentType): string {
  let name = (raw ?? '').normalize('NFC');
  name = name.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
  name = name
    .replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g, '')
    .replace(/[<>:"|?*;%\\/]/g, '_')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^[.\s]+|[.\s]+$/g, '');
  const exts = EXTENSIONS[type];
  const dot = name.lastIndexOf('.');
  let stem = dot > 0 ? name.slice(0, dot) : name;
  const ext = dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
  if (!exts.includes(ext)) stem = name;
  stem = stem.replace(/[.\s]+$/g, '') || 'document';
  const finalExt = exts.includes(ext) ? ext : exts[0]!;
  return `${[...stem].slice(0, MAX_NAME - finalExt.length - 1).join('')}.${finalExt}`;
}
