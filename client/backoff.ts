/**
 * Delay before reconnect attempt `attempt` (0-based): exponential, capped, with jitter so that a
 * restarted server is not hit by every open tab in the same millisecond.
 */
export function backoffDelay(attempt: number, baseMs = 500, capMs = 15_000): number {
  return Math.min(capMs, baseMs * 2 ** attempt) * (0.75 + Math.random() / 2);
}

/** Keep-alive interval of every socket: below the idle timeouts of common proxies. */
export const PING_EVERY_MS = 25_000;

/** How long a new socket may wait for the server's welcome before it is dropped and retried. */
export const WELCOME_TIMEOUT_MS = 10_000;
