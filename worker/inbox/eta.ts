/**
 * The estimated wait of a customer in a team's queue, from the pace at which that team has been
 * taking customers lately: n assignments since the oldest one remembered means one every
 * (now − oldest) / n. Counting up to now (not to the last assignment) makes a team that stopped
 * taking customers look slower, as it is. Too little history, or history over half an hour old,
 * gives no estimate: "about 4 min" must mean something.
 */

const MIN_SAMPLES = 3;
const STALE_MS = 30 * 60_000;

/** Estimates are told in steps, so a customer is not told a new figure every tick. */
function step(seconds: number): number {
  // Under a minute the customer is told "less than a minute": any figure below 60 says that.
  if (seconds < 60) return 30;
  if (seconds <= 600) return Math.ceil(seconds / 60) * 60;
  return Math.ceil(seconds / 300) * 300;
}

/** Seconds until the customer at `position` (1 = next) gets an agent; null when unknown. */
export function estimateWaitS(recent: readonly number[], position: number, now: number): number | null {
  if (recent.length < MIN_SAMPLES) return null;
  const oldest = recent[0]!;
  if (now - recent[recent.length - 1]! > STALE_MS) return null;
  const perCustomerMs = Math.max(1, now - oldest) / recent.length;
  return step((position * perCustomerMs) / 1000);
}
