/**
 * A pure token bucket. State is a plain object of numbers so it can live in DO storage, a socket
 * attachment or a SQL row and survive hibernation; time is passed in, so tests need no clock.
 */

/** The stored state of one bucket: tokens left and when they were last counted. */
export interface Bucket {
  tokens: number;
  /** Epoch milliseconds of the last refill. */
  at: number;
}

/** How big a bucket is and how fast it refills. */
export interface BucketRule {
  /** Most tokens the bucket holds: the burst allowed after a quiet spell. */
  capacity: number;
  /** Tokens added per second: the sustained rate allowed. */
  refillPerSec: number;
}

/** The answer of `take`: the new state to store, whether the cost was paid, and how long to wait if not. */
export interface TakeResult {
  bucket: Bucket;
  ok: boolean;
  /** 0 when ok; otherwise milliseconds until `cost` tokens are back. */
  retryAfterMs: number;
}

/** The bucket's state at `now` after refilling, without taking anything; a missing bucket is full. */
export function refill(bucket: Bucket | null | undefined, now: number, rule: BucketRule): Bucket {
  if (!bucket) return { tokens: rule.capacity, at: now };
  // A clock that steps back (another isolate, a restored snapshot) must not mint or drain tokens.
  const elapsed = Math.max(0, now - bucket.at);
  const tokens = Math.min(rule.capacity, bucket.tokens + (elapsed / 1000) * rule.refillPerSec);
  return { tokens, at: Math.max(now, bucket.at) };
}

/**
 * Take `cost` tokens at `now`. When there are not enough, nothing is taken (a refused request
 * does not dig the hole deeper) and `retryAfterMs` says when there will be.
 */
export function take(bucket: Bucket | null | undefined, now: number, rule: BucketRule, cost = 1): TakeResult {
  const current = refill(bucket, now, rule);
  if (current.tokens >= cost) {
    return { bucket: { tokens: current.tokens - cost, at: current.at }, ok: true, retryAfterMs: 0 };
  }
  if (cost > rule.capacity || rule.refillPerSec <= 0) {
    // Can never be paid: say so with an infinite wait rather than a misleading number.
    return { bucket: current, ok: false, retryAfterMs: Number.POSITIVE_INFINITY };
  }
  const missing = cost - current.tokens;
  return { bucket: current, ok: false, retryAfterMs: Math.ceil((missing / rule.refillPerSec) * 1000) };
}

/** Whole seconds to put in a `Retry-After` header for a wait in milliseconds: at least 1. */
export function retryAfterSeconds(ms: number): number {
  if (!Number.isFinite(ms)) return 3600;
  return Math.max(1, Math.ceil(ms / 1000));
}
