import { DurableObject } from 'cloudflare:workers';
import type { Env } from '../env';
import { take, type Bucket, type BucketRule } from './token-bucket';
import { attempt, forgetAt, succeed, type Lockout, type LockoutRule } from './lockout';

/** What a limiter answers: go on, or wait this long. */
export interface LimitAnswer {
  ok: boolean;
  retryAfterMs: number;
}

/**
 * One rate-limit key (an account, an IP, a brand) as its own small Durable Object.
 *
 * Why an object and not the Workers Rate Limiting binding: the binding counts per Cloudflare
 * location, approximately, in fixed 10 s or 60 s windows, and cannot say when to retry or keep a
 * growing lockout; a login lockout that a second data centre or a restart resets is no lockout.
 * An object per key is single-threaded (a parallel burst is counted exactly), keeps its state in
 * storage (a deploy or eviction does not lift a lock), and is only as hot as its one key.
 * It deletes its own storage by alarm once the state would read as fresh anyway.
 */
export class Limiter extends DurableObject<Env> {
  /** Take `cost` tokens from this key's bucket. */
  async take(rule: BucketRule, cost = 1): Promise<LimitAnswer> {
    const now = Date.now();
    const r = take(await this.ctx.storage.get<Bucket>('bucket'), now, rule, cost);
    if (r.ok) {
      await this.ctx.storage.put('bucket', r.bucket);
      // Full again after this long: nothing worth keeping.
      await this.keepUntil(now + Math.ceil(((rule.capacity - r.bucket.tokens) / rule.refillPerSec) * 1000));
    }
    return { ok: r.ok, retryAfterMs: r.retryAfterMs };
  }

  /** Begin a guarded attempt (a password check): refused while locked, otherwise charged as a failure. */
  async attempt(rule: LockoutRule): Promise<LimitAnswer> {
    const r = attempt(await this.ctx.storage.get<Lockout>('lockout'), Date.now(), rule);
    if (r.ok) {
      await this.ctx.storage.put('lockout', r.state);
      await this.keepUntil(forgetAt(r.state, rule));
    }
    return { ok: r.ok, retryAfterMs: r.retryAfterMs };
  }

  /** The attempt succeeded: reset the key (an account) or refund the charge (an IP). */
  async succeed(rule: LockoutRule, mode: 'reset' | 'refund'): Promise<void> {
    const state = succeed(await this.ctx.storage.get<Lockout>('lockout'), mode, rule);
    if (state.failures === 0 && state.lockedUntil === 0) await this.ctx.storage.delete('lockout');
    else await this.ctx.storage.put('lockout', state);
  }

  /** Forget everything once the key has been quiet long enough. */
  override async alarm(): Promise<void> {
    const until = (await this.ctx.storage.get<number>('keepUntil')) ?? 0;
    if (until <= Date.now()) await this.ctx.storage.deleteAll();
    else await this.ctx.storage.setAlarm(until);
  }

  private async keepUntil(at: number): Promise<void> {
    const prev = (await this.ctx.storage.get<number>('keepUntil')) ?? 0;
    if (at <= prev) return;
    await this.ctx.storage.put('keepUntil', at);
    if ((await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(at);
  }
}
