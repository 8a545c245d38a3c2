import type { Env } from '../env';
import type { BucketRule } from '../limits/token-bucket';
import { limitsOff, rateLimited } from '../limits/limits';
import { limiterStub } from '../stubs';

/**
 * Uploads per customer (contact): a burst of 30 files, then one every 5 s. A person sending scans
 * never meets it; a script filling R2 does. A refusal is `rate.limited` with Retry-After, and the
 * widget's outbox waits and sends the file again.
 */
export const CUSTOMER_UPLOADS: BucketRule = { capacity: 30, refillPerSec: 0.2 };

/** Charge one upload to the customer's bucket, or throw 429. */
export async function chargeUpload(env: Env, tenantId: string, contactId: string): Promise<void> {
  if (limitsOff(env)) return;
  const r = await limiterStub(env, `upload:contact:${tenantId}:${contactId}`).take(CUSTOMER_UPLOADS);
  if (!r.ok) throw rateLimited('Too many files at once', r.retryAfterMs);
}
