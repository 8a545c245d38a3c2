// Free ports for the bench's servers, inside BENCH_PORTS (default 8790–8890) like bench/run.mjs.
import { createServer } from 'node:net';

/** BENCH_PORTS=8811-8819 keeps the bench's servers inside a range (default 8790–8890). */
export function portRange() {
  const m = process.env.BENCH_PORTS?.match(/^(\d+)-(\d+)$/);
  return m ? [Number(m[1]), Number(m[2])] : [8790, 8890];
}

/** The first port from `start` to `end` that nothing listens on at 127.0.0.1, skipping `avoid`. */
export function freePort(start, end, avoid = []) {
  return new Promise((resolve, reject) => {
    const attempt = (port) => {
      if (port > end) return reject(new Error(`no free port in ${start}–${end}`));
      if (avoid.includes(port)) return attempt(port + 1);
      const srv = createServer();
      srv.once('error', () => attempt(port + 1));
      srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(port)));
    };
    attempt(start);
  });
}
