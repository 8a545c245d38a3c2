import { base64url } from 'jose';
import { DOWNLOAD_LINK_TTL_MS } from '../../protocol';
import { encoder, timingSafeEqual } from '../auth/crypto';

/**
 * Signed download links. A link names one attachment of one conversation of one tenant, the
 * viewer it was made for (`customer:<contact>` or `agent:<agent>`), and when it ends; an HMAC over
 * all of that, keyed by the deployment's secret under a label of its own so that no socket token
 * can pass for a link. A link is only ever made for a caller already allowed to see the file.
 */
export interface LinkClaims {
  tenantId: string;
  conversationId: string;
  attachmentId: string;
  viewer: string;
  /** Ms since the epoch. */
  expiresAt: number;
}

const LABEL = 'switchboard:file-link:v1:';

async function hmac(secret: string, text: string): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(LABEL + text)));
}

/** A link token for these claims, good for `ttlMs` (never more than five minutes). */
export async function signLink(secret: string, c: Omit<LinkClaims, 'expiresAt'>, now = Date.now(), ttlMs = DOWNLOAD_LINK_TTL_MS): Promise<{ token: string; expiresAt: number }> {
  const expiresAt = now + Math.min(ttlMs, DOWNLOAD_LINK_TTL_MS);
  const body = base64url.encode(JSON.stringify([c.tenantId, c.conversationId, c.attachmentId, c.viewer, expiresAt]));
  return { token: `${body}.${base64url.encode(await hmac(secret, body))}`, expiresAt };
}

/** The claims of a genuine link, `expired`, or `invalid` (forged, altered, or not a link at all). */
export async function verifyLink(secret: string, token: string, now = Date.now()): Promise<LinkClaims | 'expired' | 'invalid'> {
  const [body, sig, extra] = token.split('.');
  if (!body || !sig || extra !== undefined) return 'invalid';
  let given: Uint8Array;
  try {
    given = base64url.decode(sig);
  } catch {
    return 'invalid';
  }
  if (!timingSafeEqual(given, await hmac(secret, body))) return 'invalid';
  let parts: unknown;
  try {
    parts = JSON.parse(new TextDecoder().decode(base64url.decode(body)));
  } catch {
    return 'invalid';
  }
  if (!Array.isArray(parts) || parts.length !== 5 || typeof parts[4] !== 'number' || parts.slice(0, 4).some((p) => typeof p !== 'string')) return 'invalid';
  const [tenantId, conversationId, attachmentId, viewer, expiresAt] = parts as [string, string, string, string, number];
  if (now > expiresAt) return 'expired';
  return { tenantId, conversationId, attachmentId, viewer, expiresAt };
}

/** The R2 key of an attachment: per tenant and conversation, so a prefix lists or deletes one conversation. */
export function objectKey(tenantId: string, conversationId: string, attachmentId: string): string {
  return `t/${tenantId}/c/${conversationId}/${attachmentId}`;
}

/**
 * The attachment id of an upload: derived from who uploaded it for which message (clientId) at
 * which place, so a retried upload lands on the same id and R2 key and never makes a second file.
 */
export async function attachmentIdOf(tenantId: string, conversationId: string, uploader: string, clientId: string, index: number): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', encoder.encode(JSON.stringify([tenantId, conversationId, uploader, clientId, index])));
  return base64url.encode(new Uint8Array(digest).subarray(0, 16));
}
