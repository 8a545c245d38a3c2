/**
 * The unforgeable link from a mail back to its conversation. Our Message-IDs and the Reply-To
 * plus-address carry a token: the conversation id and an HMAC of (tenant, conversation) keyed with a
 * secret derived from SOCKET_SECRET. Nobody without the secret can make a token for a conversation
 * they never received a mail from, so no one can write into someone else's conversation; the tenant
 * is in the MAC, so a token never crosses brands either.
 */
import { encoder, timingSafeEqual } from '../auth/crypto';

/** Hex digits of MAC kept: 64 bits, plenty against online guessing, short enough for a local part (<= 64 chars). */
const MAC_HEX = 16;

async function macKey(secret: string): Promise<CryptoKey> {
  // A key of its own (domain-separated from socket tokens), so a socket-token MAC is never a mail token.
  const raw = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const derived = await crypto.subtle.sign('HMAC', raw, encoder.encode('switchboard:mail-token:v1'));
  return crypto.subtle.importKey('raw', derived, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
}

async function mac(secret: string, tenantId: string, conversationId: string): Promise<string> {
  const sig = new Uint8Array(await crypto.subtle.sign('HMAC', await macKey(secret), encoder.encode(`${tenantId}\n${conversationId}`)));
  return Array.from(sig.slice(0, MAC_HEX / 2), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The token naming a conversation in mail: 32 hex of its id then 16 hex of MAC, lower-case (local parts get case-folded). */
export async function conversationMailToken(secret: string, tenantId: string, conversationId: string): Promise<string> {
  return conversationId.replace(/-/g, '').toLowerCase() + (await mac(secret, tenantId, conversationId));
}

/** The conversation a token names, if its MAC holds for this tenant; null for anything forged, truncated or foreign. */
export async function verifyMailToken(secret: string, tenantId: string, token: string): Promise<string | null> {
  const m = /^([0-9a-f]{32})([0-9a-f]{16})$/.exec(token.toLowerCase());
  if (!m) return null;
  const h = m[1]!;
  const id = `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  const expected = await mac(secret, tenantId, id);
  return timingSafeEqual(encoder.encode(expected), encoder.encode(m[2]!)) ? id : null;
}

/** The plus-address replies to a conversation go to: support+<token>@domain. */
export function plusAddress(inboundAddress: string, token: string): string {
  const at = inboundAddress.lastIndexOf('@');
  return `${inboundAddress.slice(0, at)}+${token}${inboundAddress.slice(at)}`;
}

/** A Message-ID for a conversation's mail: <token.part@domain>; `part` makes each mail's unique (e.g. `m42` for message seq 42). */
export function conversationMessageId(inboundAddress: string, token: string, part: string): string {
  return `<${token}.${part}@${inboundAddress.slice(inboundAddress.lastIndexOf('@') + 1)}>`;
}

/** The token a Message-ID of ours carries, or null for anyone else's Message-ID. */
export function tokenOfMessageId(messageId: string): string | null {
  return /^<?([0-9a-f]{48})\.[A-Za-z0-9_-]+@/i.exec(messageId.trim())?.[1]?.toLowerCase() ?? null;
}

/** The +tag of an address (support+tag@d → tag) and the address without it, lower-case. */
export function splitPlus(address: string): { base: string; tag: string | null } {
  const a = address.trim().toLowerCase();
  const at = a.lastIndexOf('@');
  const local = a.slice(0, at);
  const plus = local.indexOf('+');
  return plus < 0 ? { base: a, tag: null } : { base: local.slice(0, plus) + a.slice(at), tag: local.slice(plus + 1) };
}
