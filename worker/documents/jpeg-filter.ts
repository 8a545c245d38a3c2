/**
 * A JPEG segment filter that removes where a photo was taken. Phones write the GPS position into
 * the Exif block (APP1), and editors copy it into XMP (APP1) and IPTC (APP13). We walk the
 * segments up to the start of the image data and rebuild the file without those blocks, keeping
 * only the Exif orientation (so a portrait photo does not turn sideways). The compressed image
 * after the start-of-scan marker is copied byte for byte: nothing is decoded or re-encoded.
 */

const SOI = 0xd8;
const SOS = 0xda;
const APP1 = 0xe1;
const APP13 = 0xed;
const EXIF = [0x45, 0x78, 0x69, 0x66, 0x00, 0x00]; // "Exif\0\0"

/** A JPEG the filter cannot walk safely; the upload is refused rather than stored with its metadata. */
export class MalformedJpeg extends Error {}

function hasPrefix(b: Uint8Array, at: number, sig: readonly number[]): boolean {
  for (let i = 0; i < sig.length; i++) if (b[at + i] !== sig[i]) return false;
  return true;
}

/** Markers that stand alone, with no length: TEM and the restart markers. */
function standalone(marker: number): boolean {
  return marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7);
}

/** The JPEG without location metadata (Exif other than orientation, XMP, IPTC). */
export function stripJpegMetadata(b: Uint8Array): Uint8Array {
  if (b[0] !== 0xff || b[1] !== SOI) throw new MalformedJpeg('not a JPEG');
  const parts: Uint8Array[] = [b.subarray(0, 2)];
  let i = 2;
  for (;;) {
    if (i >= b.length) throw new MalformedJpeg('no image data');
    if (b[i] !== 0xff) throw new MalformedJpeg(`expected a marker at ${i}`);
    // Any number of 0xFF fill bytes may precede a marker.
    let m = i + 1;
    while (m < b.length && b[m] === 0xff) m++;
    if (m >= b.length) throw new MalformedJpeg('truncated marker');
    const marker = b[m]!;
    if (standalone(marker)) {
      parts.push(b.subarray(i, m + 1));
      i = m + 1;
      continue;
    }
    if (m + 2 >= b.length) throw new MalformedJpeg('truncated segment length');
    const len = (b[m + 1]! << 8) | b[m + 2]!;
    const end = m + 1 + len;
    if (len < 2 || end > b.length) throw new MalformedJpeg(`segment at ${i} runs past the file`);
    if (marker === SOS) {
      // From here on it is entropy-coded data and the markers inside it: copied as it is.
      parts.push(b.subarray(i));
      break;
    }
    const payload = b.subarray(m + 3, end);
    if (marker === APP1 && hasPrefix(payload, 0, EXIF)) {
      const orientation = exifOrientation(payload.subarray(EXIF.length));
      if (orientation !== null) parts.push(orientationOnlyExif(orientation));
    } else if (marker !== APP1 && marker !== APP13) {
      parts.push(b.subarray(i, end));
    }
    i = end;
  }
  return concat(parts);
}

/** The orientation tag (0x0112) of IFD0 of a TIFF block, or null when absent or unreadable. */
export function exifOrientation(tiff: Uint8Array): number | null {
  if (tiff.length < 8) return null;
  const little = tiff[0] === 0x49 && tiff[1] === 0x49;
  if (!little && !(tiff[0] === 0x4d && tiff[1] === 0x4d)) return null;
  const u16 = (at: number): number => (at + 2 > tiff.length ? -1 : little ? tiff[at]! | (tiff[at + 1]! << 8) : (tiff[at]! << 8) | tiff[at + 1]!);
  const u32 = (at: number): number => (at + 4 > tiff.length ? -1 : little ? (u16(at) | (u16(at + 2) << 16)) >>> 0 : ((u16(at) << 16) | u16(at + 2)) >>> 0);
  if (u16(2) !== 42) return null;
  const ifd = u32(4);
  const count = u16(ifd);
  if (ifd < 8 || count < 0) return null;
  for (let e = 0; e < count; e++) {
    const at = ifd + 2 + e * 12;
    if (at + 12 > tiff.length) return null;
    if (u16(at) === 0x0112 && u16(at + 2) === 3) {
      const v = u16(at + 8);
      return v >= 1 && v <= 8 ? v : null;
    }
  }
  return null;
}

/** An APP1 segment whose Exif holds nothing but the orientation. */
function orientationOnlyExif(orientation: number): Uint8Array {
  const tiff = [0x4d, 0x4d, 0x00, 0x2a, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, orientation, 0, 0, 0, 0, 0, 0];
  const body = [...EXIF, ...tiff];
  const len = body.length + 2;
  return new Uint8Array([0xff, APP1, len >> 8, len & 0xff, ...body]);
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
