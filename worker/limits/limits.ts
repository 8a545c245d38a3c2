import type { Env } from '../env';
import { ApiError } from '../errors';
import type { BucketRule } from './token-bucket';
import { retryAfterSeconds } from './token-bucket';
import { limiterStub } from '../stubs';
import type { LockoutRule } from './lockout';
import type { LimitAnswer } from './limiter';

const MINUTE = 60_000;

/** Wrong passwords for one e-mail address: the 5th locks it 30 s, each further one doubles that, up to 15 min. */
export const LOGIN_ACCOUNT: LockoutRule = { threshold: 5, baseLockMs: 30_000, maxLockMs: 15 * MINUTE, forgetAfterMs: 60 * MINUTE };

/**
 * Wrong passwords from one IP, whatever the address: higher than per account because a contact
 * centre signs a whole shift in from behind one NAT, but the same growth, so spraying many
 * accounts from one place stalls too.
 */
export const LOGIN_IP: LockoutRule = { threshold: 20, baseLockMs: 30_000, maxLockMs: 15 * MINUTE, forgetAfterMs: 60 * MINUTE };

/**
 * New anonymous sessions (each a contact, a conversation and an object) from one IP: a burst of 30,
 * then one every 2 s. Mobile carriers put many subscribers behind one address (CGNAT), so this is
 * loose for people and tight for a script (400 at 48/s gets about 35 through).
 */
export const SESSION_IP: BucketRule = { capacity: 30, refillPerSec: 0.5 };

/** New sessions per brand from everywhere: the ceiling a distributed flood hits; 36,000 an hour sustained. */
export const SESSION_BRAND: BucketRule = { capacity: 600, refillPerSec: 10 };

/** What one contact may carry in host-page attributes; one call or many, the stored total counts. */
export const CONTACT_ATTRIBUTES = { maxKeys: 50, maxBytes: 8 * 1024 } as const;

/** The caller's IP as Cloudflare saw it; IPv6 counts as its /64 (one subscriber's whole prefix). */
export function clientIp(req: Request): string {
  const ip = req.headers.get('cf-connecting-ip')?.trim();
  // Absent only off Cloudflare (tests, some local setups): everyone shares one key.
  if (!ip) return 'local';
  if (!ip.includes(':')) return ip;
  const [head = '', tail = ''] = ip.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const full = ip.includes('::') ? [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right] : left;
  return `${full.slice(0, 4).map((h) => h.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

/** Limits can be switched off for a local load test (`--var RATE_LIMITS:off`); never in production. */
export function limitsOff(env: Pick<Env, 'RATE_LIMITS'>): boolean {
  return env.RATE_LIMITS === 'off';
}

/** The one rate-limit answer: 429 `rate.limited`, with the wait in the message, the body and `Retry-After`. */
export function rateLimited(what: string, retryAfterMs: number): ApiError {
  const s = retryAfterSeconds(retryAfterMs);
  return new ApiError('rate.limited', `${what}; try again in ${s} s`, s);
}

/** Names of the limiter objects, shared with tests that need to drain or inspect one. */
export const limiterName = {
  loginAccount: (email: string) => `login:account:${email.toLowerCase()}`,
  loginIp: (ip: string) => `login:ip:${ip}`,
  sessionIp: (ip: string) => `session:ip:${ip}`,
  sessionBrand: (tenantId: string) => `session:brand:${tenantId}`,
};

/** A login attempt let through the lockout: say `succeeded()` when the password was right. */
export interface LoginGuard {
  succeeded(): Promise<void>;
}

/**
 * Begin a login for `email` from `ip`, or throw 429 while either is locked. The attempt is
 * charged as a failure up front, so the caller need do nothing when the password is wrong.
 */
export async function beginLogin(env: Env, email: string, ip: string): Promise<LoginGuard> {
  if (limitsOff(env)) return { succeeded: async () => {} };
  const account = limiterStub(env, limiterName.loginAccount(email));
  const fromIp = limiterStub(env, limiterName.loginIp(ip));
  const [a, i] = await Promise.all([account.attempt(LOGIN_ACCOUNT), fromIp.attempt(LOGIN_IP)]);
  if (!a.ok || !i.ok) {
    // The side that was let through was charged for a guess that is never checked: give it back.
    await Promise.all([a.ok ? account.succeed(LOGIN_ACCOUNT, 'refund') : null, i.ok ? fromIp.succeed(LOGIN_IP, 'refund') : null]);
    throw rateLimited('Too many sign-in attempts', Math.max(a.ok ? 0 : a.retryAfterMs, i.ok ? 0 : i.retryAfterMs));
  }
  return {
    succeeded: async () => {
      await Promise.all([account.succeed(LOGIN_ACCOUNT, 'reset'), fromIp.succeed(LOGIN_IP, 'refund')]);
    },
  };
}

/**
 * Charge one new session to its IP and its brand, or throw 429. Only sessions that create a
 * contact are charged (the caller decides), so a visitor coming back is never refused.
 */
export async function chargeNewSession(env: Env, tenantId: string, ip: string): Promise<void> {
  if (limitsOff(env)) return;
  // IP first: a flood from one place must not drain the brand's budget for everyone else.
  const perIp: LimitAnswer = await limiterStub(env, limiterName.sessionIp(ip)).take(SESSION_IP);
  if (!perIp.ok) throw rateLimited('Too many new chats from your network', perIp.retryAfterMs);
  const perBrand = await limiterStub(env, limiterName.sessionBrand(tenantId)).take(SESSION_BRAND);
  if (!perBrand.ok) throw rateLimited('This brand is taking too many new chats right now', perBrand.retryAfterMs);
}
