import { describe, expect, it } from 'vitest';
import { retryAfterSeconds, take, type Bucket } from '../../worker/limits/token-bucket';

const rule = { capacity: 3, refillPerSec: 1 };

describe('token bucket', () => {
  it('allows a burst up to capacity, then refuses with the time until the next token', () => {
    let b: Bucket | null = null;
    for (let i = 0; i < 3; i++) {
      const r = take(b, 1000, rule);
      expect(r.ok).toBe(true);
      b = r.bucket;
    }
    const refused = take(b, 1000, rule);
    expect(refused.ok).toBe(false);
    expect(refused.retryAfterMs).toBe(1000);
    // A refused request takes nothing: waiting the advertised time is enough.
    const later = take(refused.bucket, 2000, rule);
    expect(later.ok).toBe(true);
  });

  it('refills at the sustained rate and never above capacity', () => {
    const empty: Bucket = { tokens: 0, at: 0 };
    expect(take(empty, 500, rule).ok).toBe(false);
    expect(take(empty, 500, rule).retryAfterMs).toBe(500);
    const full = take(empty, 3_600_000, rule);
    expect(full.ok).toBe(true);
    expect(full.bucket.tokens).toBe(2);
  });

  it('survives a round trip through JSON and a clock that steps back', () => {
    const r = take(null, 10_000, rule, 2);
    const stored = JSON.parse(JSON.stringify(r.bucket)) as Bucket;
    const back = take(stored, 5_000, rule);
    expect(back.ok).toBe(true);
    expect(back.bucket.tokens).toBe(0);
    expect(take(back.bucket, 5_000, rule).ok).toBe(false);
  });

  it('says a cost above capacity can never be paid', () => {
    const r = take(null, 0, rule, 4);
    expect(r.ok).toBe(false);
    expect(r.retryAfterMs).toBe(Number.POSITIVE_INFINITY);
    expect(retryAfterSeconds(r.retryAfterMs)).toBeGreaterThan(0);
    expect(retryAfterSeconds(1)).toBe(1);
    expect(retryAfterSeconds(1500)).toBe(2);
  });
});
