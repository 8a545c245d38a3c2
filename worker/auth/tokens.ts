import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import type { AgentRole, Channel } from '../../protocol';
import { encoder } from './crypto';
import { ApiError } from '../errors';
import { normalisePhone } from '../contacts/phone';

/** How long a socket token stays good: long enough to connect, short enough to be worthless if leaked. */
export const SOCKET_TOKEN_TTL_S = 300;

/** Claims of a socket token: who may join which conversation, as what. */
export interface SocketClaims {
  /** Contact id for customers, agent id for agents. */
  sub: string;
  tid: string;
  cid: string;
  role: 'customer' | 'agent';
  name: string | null;
  ch: Channel | null;
  /** Agents: their role, because what they may do in a conversation depends on it. */
  ar?: AgentRole;
  /** Agents: the sign-in session behind the token, so logging out closes its sockets. */
  sid?: string;
  /** Agents: when that session ends (ms since epoch); its sockets close then. */
  sexp?: number;
  /**
   * Agents: the tenant requires a topic at resolve, as it was when the token was signed, so a
   * resolve sent over the socket gets the same rule as over REST without the object reading D1.
   */
  rt?: boolean;
}

/** Claims of a partner's identity token that Switchboard reads. */
export interface IdentityClaims {
  sub: string;
  name?: string;
  email?: string;
  /** The subscriber's number in E.164 (`+37129123456`); a value that is no plausible number is dropped. Stored only hashed. */
  phone?: string;
  /** Attributes the partner vouches for (e.g. `segment: vip`): the only ones routing trusts. */
  attributes?: Record<string, string | number | boolean>;
}

/** At most this many signed attributes are kept, each value at most 200 characters. */
const MAX_SIGNED_ATTRIBUTES = 20;

const keys = new Map<string, Promise<CryptoKey>>();

/** HMAC keys are imported once per isolate; importing on every verify would dominate the hello path. */
function hmacKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
    if (keys.size > 1000) keys.clear();
    keys.set(secret, key);
  }
  return key;
}

/** Sign a short-lived socket token with the deployment's socket secret. */
export async function signSocketToken(secret: string, claims: SocketClaims, now = Date.now()): Promise<{ token: string; expiresAt: number }> {
  const exp = Math.floor(now / 1000) + SOCKET_TOKEN_TTL_S;
  const { sub, ...rest } = claims;
  const token = await new SignJWT({ ...rest })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(sub)
    .setAudience('switchboard:socket')
    .setIssuedAt(Math.floor(now / 1000))
    .setExpirationTime(exp)
    .sign(await hmacKey(secret));
  return { token, expiresAt: exp * 1000 };
}

/** Verify a socket token; throws ApiError auth.token_invalid / auth.token_expired. */
export async function verifySocketToken(secret: string, token: string): Promise<SocketClaims> {
  const { payload } = await verify(token, secret, { audience: 'switchboard:socket' });
  const { sub, tid, cid, role, name, ch, ar, sid, sexp, rt } = payload as Record<string, unknown>;
  if (typeof sub !== 'string' || typeof tid !== 'string' || typeof cid !== 'string' || (role !== 'customer' && role !== 'agent')) {
    throw new ApiError('auth.token_invalid', 'Socket token is missing claims');
  }
  const claims: SocketClaims = { sub, tid, cid, role, name: typeof name === 'string' ? name : null, ch: (typeof ch === 'string' ? ch : null) as Channel | null };
  if (ar === 'agent' || ar === 'supervisor' || ar === 'admin') claims.ar = ar;
  if (typeof sid === 'string') claims.sid = sid;
  if (typeof sexp === 'number') claims.sexp = sexp;
  if (typeof rt === 'boolean') claims.rt = rt;
  return claims;
}

/** Identity tokens may live at most a day unless the tenant says otherwise. */
export const DEFAULT_IDENTITY_TOKEN_MAX_AGE_S = 24 * 60 * 60;

/** Clocks of partners' backends drift; this much is forgiven on `iat` and `exp`. */
const CLOCK_SKEW_S = 60;

/**
 * Verify a partner's identity token: HS256 with the tenant's secret, `sub` required, `exp` enforced,
 * and never longer-lived than `maxAgeS`: a token valid for 100 years is a password that never
 * changes, so `exp` may lie at most `maxAgeS` ahead and `iat`, when present, at most `maxAgeS` back.
 */
export async function verifyIdentityToken(
  secret: string,
  token: string,
  maxAgeS: number | null = DEFAULT_IDENTITY_TOKEN_MAX_AGE_S,
  now = Date.now(),
): Promise<IdentityClaims> {
  const maxAge = maxAgeS ?? DEFAULT_IDENTITY_TOKEN_MAX_AGE_S;
  const nowS = Math.floor(now / 1000);
  const { payload } = await verify(token, secret, { requiredClaims: ['sub', 'exp'], currentDate: new Date(now) });
  if (typeof payload.exp === 'number' && payload.exp - nowS > maxAge + CLOCK_SKEW_S) {
    throw new ApiError('auth.token_invalid', `Identity token lives too long: exp may be at most ${maxAge} s ahead`);
  }
  if (payload.iat !== undefined) {
    if (typeof payload.iat !== 'number' || payload.iat - nowS > CLOCK_SKEW_S) throw new ApiError('auth.token_invalid', 'Identity token has a bad iat');
    if (nowS - payload.iat > maxAge + CLOCK_SKEW_S) throw new ApiError('auth.token_expired', `Identity token is older than ${maxAge} s`);
  }
  if (typeof payload.sub !== 'string' || payload.sub.length === 0 || payload.sub.length > 200) {
    throw new ApiError('auth.token_invalid', 'Identity token needs a string `sub`');
  }
  const claims: IdentityClaims = { sub: payload.sub };
  if (typeof payload.name === 'string') claims.name = payload.name.slice(0, 200);
  if (typeof payload.email === 'string') claims.email = payload.email.slice(0, 200).toLowerCase();
  // A malformed number costs the agent a lookup, not the subscriber their chat: it is ignored.
  const phone = typeof payload.phone === 'string' ? normalisePhone(payload.phone) : null;
  if (phone) claims.phone = phone;
  const attrs = signedAttributes(payload.attributes);
  if (attrs) claims.attributes = attrs;
  return claims;
}

async function verify(token: string, secret: string, options: { audience?: string; requiredClaims?: string[]; currentDate?: Date }) {
  try {
    return await jwtVerify(token, await hmacKey(secret), { algorithms: ['HS256'], ...options });
  } catch (err) {
    if (err instanceof joseErrors.JWTExpired) throw new ApiError('auth.token_expired', 'Token has expired');
    if (err instanceof joseErrors.JOSEError) throw new ApiError('auth.token_invalid', `Token is not valid: ${err.code}`);
    throw err;
  }
}

/** The token's `attributes` claim, kept only as flat scalars; anything else in it is ignored. */
function signedAttributes(raw: unknown): Record<string, string | number | boolean> | null {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return null;
  const out: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(raw).slice(0, MAX_SIGNED_ATTRIBUTES)) {
    if (k.length > 100) continue;
    if (typeof v === 'string') out[k] = v.slice(0, 200);
    else if (typeof v === 'number' || typeof v === 'boolean') out[k] = v;
  }
  return Object.keys(out).length ? out : null;
}
