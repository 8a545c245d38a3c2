/** Small WebCrypto helpers shared by tokens, passwords and IDs. base64url comes from jose. */
import { base64url } from 'jose';

const encoder = new TextEncoder();

/** A random URL-safe secret of `bytes` bytes of entropy. */
export function randomToken(bytes = 32): string {
  return base64url.encode(crypto.getRandomValues(new Uint8Array(bytes)));
}

/** SHA-256 of a string, base64url: how bearer secrets are stored (never the secret itself). */
export async function sha256(text: string): Promise<string> {
  return base64url.encode(new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(text))));
}

/**
 * A new 128-bit ID in UUIDv7 layout: 48 bits of milliseconds then random bits, so IDs sort by
 * creation time (handy for cursors) while carrying no PII and 74 bits of randomness.
 */
export function newId(now = Date.now()): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  // 48 bits of milliseconds, big-endian: exact in a double, and cheaper than BigInt on every message.
  const hi = Math.floor(now / 2 ** 16);
  b[0] = hi >>> 24;
  b[1] = (hi >>> 16) & 0xff;
  b[2] = (hi >>> 8) & 0xff;
  b[3] = hi & 0xff;
  b[4] = (now >>> 8) & 0xff;
  b[5] = now & 0xff;
  b[6] = (b[6]! & 0x0f) | 0x70;
  b[8] = (b[8]! & 0x3f) | 0x80;
  let h = '';
  for (let i = 0; i < 16; i++) {
    h += HEX[b[i]!];
    if (i === 3 || i === 5 || i === 7 || i === 9) h += '-';
  }
  return h;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/**
 * Constant-time comparison of two byte strings, by the runtime's own `crypto.subtle.timingSafeEqual`
 * (which throws on unequal lengths; a length is no secret here).
 */
export function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && crypto.subtle.timingSafeEqual(a, b);
}

export { encoder };
