// A `wrangler dev` of any config (the bench's raw Durable Object chat, bench/raw-chat/), started
// like the product's (scripts/server.mjs): 127.0.0.1, a private port and state dir, its own
// process group so it is stopped by pid tree, never by name.
import { spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { root } from '../../scripts/server.mjs';
import { killTree } from './kill-tree.mjs';

const wrangler = join(root, 'node_modules/.bin/wrangler');
const wranglerEnv = { ...process.env, CI: 'true', WRANGLER_SEND_METRICS: 'false', NO_UPDATE_NOTIFIER: '1' };

/**
 * Start `wrangler dev --config <config>` on 127.0.0.1:`port` with state in `persistTo`, resolving
 * once GET `healthPath` answers 2xx. Returns { url, child, stop }; stop() kills the whole tree.
 */
export async function startWranglerDev({ config, port, persistTo, healthPath = '/health', timeoutMs = 90_000 }) {
  const args = ['dev', '--config', resolve(config), '--ip', '127.0.0.1', '--port', String(port), '--persist-to', resolve(persistTo), '--show-interactive-dev-session=false', '--log-level', 'warn'];
  const child = spawn(wrangler, args, { cwd: dirname(resolve(config)), env: wranglerEnv, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const url = `http://127.0.0.1:${port}`;
  let stopping = null;
  const stop = () => (stopping ??= child.exitCode !== null ? Promise.resolve() : killTree(child.pid).then(() => {}));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`wrangler dev --config ${config} exited (${child.exitCode}):\n${output.slice(-3000)}`);
    try {
      const res = await fetch(url + healthPath, { signal: AbortSignal.timeout(2000) });
      if (res.ok) break;
    } catch {}
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`wrangler dev --config ${config} did not answer within ${timeoutMs / 1000} s:\n${output.slice(-3000)}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { url, child, stop, output: () => output };
}
