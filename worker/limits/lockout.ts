/**
 * Pure growing lockout for guessing attacks (passwords). Each attempt is charged as a failure
 * before the guess is checked, so a burst of parallel guesses cannot all slip past the threshold
 * while the slow hash runs; a success then resets or refunds the charge.
 */

/** Stored state of one lockout key. */
export interface Lockout {
  /** Failures counted (pending attempts included) since the key was last forgotten or reset. */
  failures: number;
  /** Epoch ms until which every attempt is refused; 0 when open. */
  lockedUntil: number;
  /** Epoch ms of the last charged attempt: a key quiet for `forgetAfterMs` starts over. */
  lastAt: number;
}

/** How many failures lock a key, for how long, and when it is forgotten. */
export interface LockoutRule {
  /** The failure that reaches this count locks the key. */
  threshold: number;
  /** First lock; each further failure doubles it. */
  baseLockMs: number;
  /** The lock never grows past this. */
  maxLockMs: number;
  /** A key with no attempt for this long starts from zero. */
  forgetAfterMs: number;
}

/** The answer of `attempt`: the state to store, whether to go on checking the guess, and how long to wait if not. */
export interface AttemptResult {
  state: Lockout;
  ok: boolean;
  retryAfterMs: number;
}

const OPEN: Lockout = { failures: 0, lockedUntil: 0, lastAt: 0 };

/** How long the key locks after its `failures`-th failure: 0 below the threshold, then doubling up to the cap. */
export function lockMs(failures: number, rule: LockoutRule): number {
  if (failures < rule.threshold) return 0;
  const doublings = Math.min(failures - rule.threshold, 30);
  return Math.min(rule.maxLockMs, rule.baseLockMs * 2 ** doublings);
}

function current(state: Lockout | null | undefined, now: number, rule: LockoutRule): Lockout {
  if (!state) return OPEN;
  if (state.lockedUntil <= now && now - state.lastAt >= rule.forgetAfterMs) return OPEN;
  return state;
}

/**
 * Begin an attempt at `now`: refused while locked (the guess is never checked, so the right
 * password does not work either); otherwise charged as a failure, locking the key when this
 * charge reaches the threshold.
 */
export function attempt(state: Lockout | null | undefined, now: number, rule: LockoutRule): AttemptResult {
  const s = current(state, now, rule);
  if (s.lockedUntil > now) return { state: s, ok: false, retryAfterMs: s.lockedUntil - now };
  const failures = s.failures + 1;
  const lock = lockMs(failures, rule);
  return { state: { failures, lockedUntil: lock ? now + lock : 0, lastAt: now }, ok: true, retryAfterMs: 0 };
}

/**
 * The guess was right. `reset` (an account: its owner proved who they are) forgets everything;
 * `refund` (an IP: one good login must not wipe many bad ones) takes back this attempt's charge
 * and lifts a lock only if the count falls back under the threshold.
 */
export function succeed(state: Lockout | null | undefined, mode: 'reset' | 'refund', rule: LockoutRule): Lockout {
  if (mode === 'reset' || !state) return OPEN;
  const failures = Math.max(0, state.failures - 1);
  return { failures, lockedUntil: failures < rule.threshold ? 0 : state.lockedUntil, lastAt: state.lastAt };
}

/** When a stored state can be deleted because it would read as fresh anyway. */
export function forgetAt(state: Lockout, rule: LockoutRule): number {
  return Math.max(state.lockedUntil, state.lastAt + rule.forgetAfterMs);
}
