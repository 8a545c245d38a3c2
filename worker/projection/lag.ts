import type { ProjectionPayload } from './payload';

/**
 * Projection lag, measured where it ends: when the consumer's D1 batch has committed. Two figures
 * per written message: from its acknowledgement to the sender (its `createdAt`) and from the
 * object handing the slice to the queue (`enqueuedAt`). Kept over a sliding window per isolate and
 * logged as one `projection_lag` JSON line at most every LOG_EVERY_MS, for a bench or a log reader.
 */

const WINDOW = 2000;
const LOG_EVERY_MS = 5000;

const sinceAck: number[] = [];
const sinceEnqueue: number[] = [];
let lastLogAt = 0;

/** p50/p99 (ms) over the window, and how many samples it holds. */
export interface LagSummary {
  n: number;
  ackToD1: { p50: number; p99: number };
  queueToD1: { p50: number; p99: number };
}

/** Record what a committed batch tells about lag; logs the window's summary now and then. */
export function recordLag(written: ProjectionPayload[], now: number): void {
  for (const p of written) {
    push(sinceEnqueue, now - p.enqueuedAt);
    for (const m of p.messages) push(sinceAck, now - m.createdAt);
  }
  if (written.length && now - lastLogAt >= LOG_EVERY_MS) {
    lastLogAt = now;
    console.log(JSON.stringify({ projection_lag: lagSummary() }));
  }
}

/** The current window's lag figures. */
export function lagSummary(): LagSummary {
  return { n: sinceAck.length, ackToD1: percentiles(sinceAck), queueToD1: percentiles(sinceEnqueue) };
}

function push(window: number[], ms: number): void {
  window.push(Math.max(0, ms));
  if (window.length > WINDOW) window.splice(0, window.length - WINDOW);
}

function percentiles(xs: number[]): { p50: number; p99: number } {
  if (xs.length === 0) return { p50: 0, p99: 0 };
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
  return { p50: at(0.5), p99: at(0.99) };
}
