// A thin client over `ws` for the conversation socket: one frame parser, timestamps taken on
// arrival before any parsing, and waiters that always time out instead of hanging the bench.
import { WebSocket } from 'ws';

/** The keepalive text the runtime answers itself, without running the object's code. */
export const PING = '{"type":"ping"}';
const PONG = '{"type":"pong"}';

/** A frame the test was waiting for did not come (timeout, close or error frame). */
export class WaitError extends Error {}

/**
 * One conversation socket. `onFrame(frame, t)` sees every parsed frame with its arrival time
 * (process.hrtime.bigint()); error frames and closes nobody asked for are recorded as problems.
 */
export class BenchSocket {
  /** Connect to `url`; resolves once the upgrade is done. */
  static open(url, { label = url, timeoutMs = 10_000 } = {}) {
    return new Promise((resolve, reject) => {
      // Compression off: zlib runs on the client's thread pool and would add our own hops to every
      // measurement; the bench is about the server, not about deflate.
      const ws = new WebSocket(url, { perMessageDeflate: false, handshakeTimeout: timeoutMs });
      const fail = (err) => {
        ws.removeAllListeners();
        ws.on('error', () => {});
        ws.terminate();
        reject(new Error(`${label}: could not open socket: ${err.message ?? err}`));
      };
      ws.once('error', fail);
      ws.once('unexpected-response', (_req, res) => {
        let text = '';
        res.on('data', (d) => (text += d));
        res.on('end', () => fail(new Error(`HTTP ${res.statusCode} ${text.slice(0, 300)}`)));
      });
      ws.once('open', () => {
        ws.removeListener('error', fail);
        resolve(new BenchSocket(ws, label));
      });
    });
  }

  constructor(ws, label) {
    this.ws = ws;
    this.label = label;
    this.onFrame = null;
    this.errorFrames = [];
    this.closed = null;
    this.closing = false;
    this.badFrames = 0;
    this.waiters = new Set();
    ws.on('message', (data, isBinary) => {
      const t = process.hrtime.bigint();
      const text = isBinary ? null : data.toString();
      let frame;
      if (text === PONG) frame = { type: 'pong' };
      else {
        try {
          frame = JSON.parse(text);
        } catch {
          this.badFrames++;
          return;
        }
      }
      if (frame.type === 'error') this.errorFrames.push(frame);
      for (const w of this.waiters) {
        if (w.match(frame)) {
          this.waiters.delete(w);
          clearTimeout(w.timer);
          w.resolve({ frame, t });
        }
      }
      if (this.onFrame) this.onFrame(frame, t);
    });
    ws.on('error', (err) => {
      this.socketError = err.message;
    });
    ws.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString(), expected: this.closing, at: Date.now() };
      for (const w of this.waiters) {
        clearTimeout(w.timer);
        w.reject(new WaitError(`${this.label}: socket closed (${code} ${reason}) while waiting for ${w.what}`));
      }
      this.waiters.clear();
    });
  }

  /** True when the socket closed although we did not close it. */
  get closedUnexpectedly() {
    return this.closed !== null && !this.closed.expected;
  }

  /** Resolve with { frame, t } for the first frame `match` accepts; reject on timeout or close. */
  waitFor(match, timeoutMs, what = 'a frame') {
    const p = this.closed
      ? Promise.reject(new WaitError(`${this.label}: socket already closed, cannot wait for ${what}`))
      : new Promise((resolve, reject) => {
          const w = { match, resolve, reject, what };
          w.timer = setTimeout(() => {
            this.waiters.delete(w);
            reject(new WaitError(`${this.label}: no ${what} within ${timeoutMs} ms`));
          }, timeoutMs);
          this.waiters.add(w);
        });
    // Callers register a waiter before sending and await it after; if the send throws in between,
    // the rejection must not become an unhandled one that kills the run before cleanup.
    p.catch(() => {});
    return p;
  }

  /** Send a frame; returns process.hrtime.bigint() taken just before the bytes are handed to ws. */
  send(frame) {
    const text = JSON.stringify(frame);
    const t = process.hrtime.bigint();
    this.ws.send(text);
    return t;
  }

  /** Send raw text (the keepalive); returns the send time like send(). */
  sendText(text) {
    const t = process.hrtime.bigint();
    this.ws.send(text);
    return t;
  }

  /** Say hello and resolve with the welcome frame; an error frame or close rejects with its code. */
  async hello(token, { lastSeq = 0, timeoutMs = 10_000 } = {}) {
    const answer = this.waitFor((f) => f.type === 'welcome' || f.type === 'error', timeoutMs, 'welcome');
    const t0 = this.send({ type: 'hello', token, lastSeq });
    const { frame, t } = await answer;
    if (frame.type === 'error') throw new WaitError(`${this.label}: hello answered with error ${frame.code}: ${frame.message}`);
    return { welcome: frame, t0, t };
  }

  /** Close politely and wait (bounded) for the close to complete. */
  close(timeoutMs = 3000) {
    this.closing = true;
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.ws.terminate();
        resolve();
      }, timeoutMs);
      this.ws.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      this.ws.close(1000, 'bench done');
    });
  }
}

/** Close every socket in the list, never throwing. */
export async function closeAll(sockets) {
  await Promise.all(sockets.filter(Boolean).map((s) => s.close().catch(() => {})));
}
