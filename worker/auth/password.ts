import { base64url } from 'jose';
import { encoder, timingSafeEqual } from './crypto';

/** Workers cap PBKDF2 at 100,000 iterations; that is the slow hash we can afford at the edge. */
export const PBKDF2_ITERATIONS = 100_000;

async function derive(password: string, salt: Uint8Array, iterations: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey('raw', encoder.encode(password), 'PBKDF2', false, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, key, 256);
  return new Uint8Array(bits);
}

/** Hash a password as `pbkdf2-sha256$iterations$salt$hash` (base64url parts). */
export async function hashPassword(password: string, iterations = PBKDF2_ITERATIONS): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const hash = await derive(password, salt, iterations);
  return `pbkdf2-sha256$${iterations}$${base64url.encode(salt)}$${base64url.encode(hash)}`;
}

/** Check a password against a stored hash, in constant time. Malformed hashes never match. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, iter, salt, hash] = stored.split('$');
  const iterations = Number(iter);
  if (scheme !== 'pbkdf2-sha256' || !salt || !hash || !Number.isInteger(iterations) || iterations < 1) return false;
  const actual = await derive(password, base64url.decode(salt), Math.min(iterations, PBKDF2_ITERATIONS));
  return timingSafeEqual(actual, base64url.decode(hash));
}

/** A hash of nothing, checked when the email is unknown so timing does not reveal which emails exist. */
export const DUMMY_HASH = 'pbkdf2-sha256$100000$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
