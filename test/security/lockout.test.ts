import { describe, expect, it } from 'vitest';
import { attempt, lockMs, succeed, type Lockout } from '../../worker/limits/lockout';
import { LOGIN_ACCOUNT as rule, clientIp } from '../../worker/limits/limits';

const MIN = 60_000;

describe('growing lockout', () => {
  it('locks at the 5th failure for 30 s and doubles per further failure up to 15 min', () => {
    expect([4, 5, 6, 7, 8, 9, 10, 11, 50].map((f) => lockMs(f, rule))).toEqual([0, 30_000, 60_000, 120_000, 240_000, 480_000, 900_000, 900_000, 900_000]);
  });

  it('refuses every attempt while locked, and charges before the check so a burst cannot slip past', () => {
    let s: Lockout | null = null;
    let now = 1_000_000;
    for (let i = 0; i < 5; i++) {
      const r = attempt(s, now, rule);
      expect(r.ok).toBe(true);
      s = r.state;
    }
    const locked = attempt(s, now + 1000, rule);
    expect(locked).toMatchObject({ ok: false, retryAfterMs: 29_000 });
    now += 30_000;
    const sixth = attempt(s, now, rule);
    expect(sixth.ok).toBe(true);
    expect(sixth.state.lockedUntil - now).toBe(60_000);
    // Right password: the account is forgotten; an IP only gets this attempt back.
    expect(succeed(sixth.state, 'reset', rule)).toEqual({ failures: 0, lockedUntil: 0, lastAt: 0 });
    expect(succeed(sixth.state, 'refund', rule)).toMatchObject({ failures: 5, lockedUntil: sixth.state.lockedUntil });
  });

  it('forgets a key quiet for an hour, but never while it is locked', () => {
    const s: Lockout = { failures: 9, lockedUntil: 0, lastAt: 0 };
    expect(attempt(s, 61 * MIN, rule).state.failures).toBe(1);
    const stillLocked: Lockout = { failures: 12, lockedUntil: 90 * MIN, lastAt: 0 };
    expect(attempt(stillLocked, 70 * MIN, rule).ok).toBe(false);
  });
});

describe('client IP', () => {
  const req = (ip?: string) => new Request('http://x/', { headers: ip ? { 'cf-connecting-ip': ip } : {} });
  it('uses CF-Connecting-IP, a /64 for IPv6, and one shared key when absent', () => {
    expect(clientIp(req('203.0.113.5'))).toBe('203.0.113.5');
    expect(clientIp(req('2001:db8:abcd:12:1::7'))).toBe('2001:db8:abcd:12::/64');
    expect(clientIp(req('2001:db8::1'))).toBe('2001:db8:0:0::/64');
    expect(clientIp(req())).toBe('local');
  });
});
