import { base64url } from 'jose';
import { encoder, timingSafeEqual } from '../auth/crypto';

/**
 * The signed link to a letter: HMAC-SHA-256 over (tenant, letter) with the deployment's secret.
 * It is bound to both, so a signature for one letter opens no other, nor the same id elsewhere.
 * A letter is public to whoever holds its link (the customer, by chat and mail), and no one else.
 */

async function mac(secret: string, tenantId: string, letterId: string): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey('raw', encoder.encode(`letter-link:${secret}`), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(`v1\n${tenantId}\n${letterId}`)));
}

/** The path of a letter's signed link (relative: the chat and the mail put it on their origin). */
export async function letterPath(secret: string, tenantId: string, letterId: string): Promise<string> {
  const sig = base64url.encode(await mac(secret, tenantId, letterId));
  return `/v1/letters/${encodeURIComponent(letterId)}?t=${encodeURIComponent(tenantId)}&sig=${sig}`;
}

/** Whether `sig` is the signature of (tenant, letter). Constant-time; any malformed input is false. */
export async function verifyLetterSig(secret: string, tenantId: string, letterId: string, sig: string): Promise<boolean> {
  let given: Uint8Array;
  try {
    given = base64url.decode(sig);
  } catch {
    return false;
  }
  return timingSafeEqual(given, await mac(secret, tenantId, letterId));
}
