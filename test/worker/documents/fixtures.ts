import { api } from '../../helpers';

/** Files for the documents tests, built byte by byte so each test knows exactly what it sends. */

const enc = new TextEncoder();

/** A PNG's signature and a few bytes after it (enough for the magic-byte check). */
export function png(size = 64): Uint8Array {
  const b = new Uint8Array(size);
  b.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  for (let i = 8; i < size; i++) b[i] = i & 0xff;
  return b;
}

/** A small PDF, with `body` inside it. */
export function pdf(body = 'BT /F1 12 Tf (Contract page 1) Tj ET'): Uint8Array {
  return enc.encode(`%PDF-1.4\n1 0 obj << /Length ${body.length} >> stream\n${body}\nendstream endobj\n%%EOF\n`);
}

/** An SVG that would run a script if a browser rendered it as a document. */
export const SVG_WITH_SCRIPT = enc.encode('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>');

/** The EICAR test signature, inside an otherwise valid-looking PDF. */
export const EICAR_PDF = pdf('X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*');

function segment(marker: number, payload: number[]): number[] {
  const len = payload.length + 2;
  return [0xff, marker, len >> 8, len & 0xff, ...payload];
}

/**
 * A JPEG as a phone writes it: Exif with the orientation and a GPS IFD (latitude 56°57′N as
 * "GPS" data), an XMP block with a location, a quantisation table, the scan and its data.
 */
export function jpegWithLocation(orientation = 6): { bytes: Uint8Array; scan: number[] } {
  const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));
  // TIFF, big-endian: IFD0 with Orientation and GPSInfo pointing at a GPS IFD holding GPSLatitudeRef 'N'.
  const tiff = [
    ...ascii('MM'), 0x00, 0x2a, 0, 0, 0, 8,
    0, 2,
    0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, orientation, 0, 0,
    0x88, 0x25, 0, 4, 0, 0, 0, 1, 0, 0, 0, 38,
    0, 0, 0, 0,
    0, 1,
    0x00, 0x01, 0, 2, 0, 0, 0, 2, ...ascii('N'), 0, 0, 0,
    0, 0, 0, 0,
    ...ascii('GPS-56.9496N-24.1052E'),
  ];
  const exif = segment(0xe1, [...ascii('Exif'), 0, 0, ...tiff]);
  const xmp = segment(0xe1, [...ascii('http://ns.adobe.com/xap/1.0/'), 0, ...ascii('<x:xmpmeta><exif:GPSLatitude>56,57.0N</exif:GPSLatitude></x:xmpmeta>')]);
  const dqt = segment(0xdb, [0, ...new Array<number>(64).fill(1)]);
  const scan = [...segment(0xda, [1, 1, 0, 0, 0x3f, 0]), 0x12, 0x34, 0xff, 0x00, 0x56, 0xff, 0xd0, 0x78, 0xff, 0xd9];
  return { bytes: new Uint8Array([0xff, 0xd8, ...exif, ...xmp, ...dqt, ...scan]), scan };
}

/** Whether `needle` occurs in `hay`. */
export function contains(hay: Uint8Array, needle: string): boolean {
  return new TextDecoder('latin1').decode(hay).includes(needle);
}

/** Upload as a customer with their socket token; the declared type is sent as Content-Type. */
export function customerUpload(token: string, bytes: Uint8Array, opts: { clientId: string; index?: number; type?: string; name?: string }): Promise<Response> {
  const q = new URLSearchParams({ clientId: opts.clientId, index: String(opts.index ?? 0), name: opts.name ?? 'file' });
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (opts.type !== undefined) headers['content-type'] = opts.type;
  return api(`/v1/widget/files?${q}`, { method: 'POST', headers, body: bytes });
}

/** Upload as an agent with their session cookie. */
export function agentUpload(cookie: string, conversationId: string, bytes: Uint8Array, opts: { clientId: string; index?: number; type?: string; name?: string; sensitive?: boolean }): Promise<Response> {
  const q = new URLSearchParams({ clientId: opts.clientId, index: String(opts.index ?? 0), name: opts.name ?? 'file' });
  if (opts.sensitive) q.set('sensitive', '1');
  return api(`/v1/agent/conversations/${conversationId}/files?${q}`, { method: 'POST', cookie, headers: opts.type ? { 'content-type': opts.type } : {}, body: bytes });
}
