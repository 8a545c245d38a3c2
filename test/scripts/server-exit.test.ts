// A `wrangler dev` started by scripts/server.mjs does not outlive the process that started it:
// a test runner that crashed without calling stop() once left its server holding a port and a core.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';

const SERVER = new URL('../../scripts/server.mjs', import.meta.url).href;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('scripts/server.mjs', () => {
  it('takes its server down when the process that started it dies without stopping it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sb-exit-'));
    const port = await freePort();
    // A child that starts the server, reports its pid, and crashes.
    const script = `const { prepare, startServer } = await import(${JSON.stringify(SERVER)});
await prepare({ persistTo: ${JSON.stringify(dir)} });
const s = await startServer({ port: ${port}, persistTo: ${JSON.stringify(dir)} });
console.log('server-pid', s.child.pid);
throw new Error('crashed without stop()');`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const code = await new Promise<number | null>((r) => child.on('exit', r));
    try {
      expect(code).not.toBe(0);
      const pid = Number(/server-pid (\d+)/.exec(out)?.[1]);
      expect(pid).toBeGreaterThan(0);
      await vi.waitFor(() => expect(alive(pid)).toBe(false), { timeout: 10_000, interval: 100 });
      await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
