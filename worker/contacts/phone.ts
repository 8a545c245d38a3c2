import { encoder } from '../auth/crypto';
import { maskText } from '../privacy/mask';

/**
 * Phone numbers as identities: one normalisation and one hash, used by the identity token (which
 * stores the number) and by search (which looks it up), so a number written "+371 2912 3456" by an
 * agent finds the one a partner signed as "0037129123456". The clear number is never stored.
 */

/** What may stand between the digits of a written number: whitespace, any dash, dots, brackets. */
const SEPARATORS = /[\s\p{Pd}.()]/gu;
/** E.164: a country code never starting with 0, 8–15 digits in all. */
const E164 = /^\+[1-9]\d{7,14}$/;

/** The number in E.164 (`+37129123456`), or null when `raw` is not a plausible international number. */
export function normalisePhone(raw: string): string | null {
  if (raw.length > 40) return null;
  const compact = raw.replace(SEPARATORS, '');
  const e164 = compact.startsWith('00') ? `+${compact.slice(2)}` : compact;
  return E164.test(e164) ? e164 : null;
}

/**
 * How a phone identity is stored: HMAC-SHA-256 of the E.164 number keyed with the tenant id, in hex.
 * Keyed per tenant so equal numbers of two partners' subscribers never hash alike (no join across
 * tenants, even in a dump). The space of numbers is small, so this keeps the number out of sight
 * and out of the index, not secret from someone who holds the database and tries every number.
 */
export async function phoneHash(tenantId: string, e164: string): Promise<string> {
  const key = await crypto.subtle.importKey('raw', encoder.encode(tenantId), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(e164)));
  return Array.from(mac, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * A number as agents may see it: masked as in every agent view, in the shape it was written
 * (`+371 2912 3456` → `+••• •••• ••56`). Should the masker leave more than the last two digits of
 * an odd spelling (a span it reads as a date), the E.164 form is masked instead.
 */
export function maskedPhone(written: string, e164: string): string {
  const masked = maskText(written.trim()).text;
  return (masked.match(/\d/g)?.length ?? 0) <= 2 ? masked : maskText(e164).text;
}
