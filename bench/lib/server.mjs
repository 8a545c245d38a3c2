// The bench's own `wrangler dev`, serving a private copy of dist/public. `npm test` and `npm run
// build` empty and rewrite dist/public, and a `wrangler dev` serving that folder then answers 500 for
// every static file (and /widget.js says "not built") until it is restarted; with `--assets` on a
// folder that vanishes it exits. A copy taken at the start keeps a run valid while others build.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { root } from '../../scripts/server.mjs';

const wrangler = join(root, 'node_modules/.bin/wrangler');
const wranglerEnv = { ...process.env, CI: 'true', WRANGLER_SEND_METRICS: 'false', NO_UPDATE_NOTIFIER: '1' };

/** What a complete build has; a copy taken halfway through someone's build lacks some of it. */
const REQUIRED = ['sb/loader.js', 'sb/panel.js', 'sb/inbox.js', 'inbox.html', 'chat.html', 'demo/strict/index.html', 'demo/operator/index.html'];

/** Copy the built static assets to `dir`, retrying (bounded) while a build is under way; returns `dir`. */
export async function snapshotAssets(dir) {
  for (let attempt = 1; ; attempt++) {
    await rm(dir, { recursive: true, force: true });
    try {
      await cp(join(root, 'dist/public'), dir, { recursive: true });
      const missing = REQUIRED.filter((f) => !existsSync(join(dir, f)));
      if (missing.length === 0) return dir;
      if (attempt >= 10) throw new Error(`dist/public lacks ${missing.join(', ')}; is the build broken?`);
    } catch (err) {
      if (attempt >= 10) throw err;
    }
    await new Promise((r) => setTimeout(r, 2000));
  }
}

/**
 * Like scripts/server.mjs startServer, with the static assets served from `assetsDir`. Resolves with
 * { url, stop, child } once /health answers; stop() ends the server and everything it started.
 */
export async function startBenchServer({ port, persistTo, assetsDir }) {
  const args = ['dev', '--ip', '127.0.0.1', '--port', String(port), '--persist-to', resolve(persistTo), '--assets', resolve(assetsDir), '--show-interactive-dev-session=false', '--log-level', 'warn'];
  const child = spawn(wrangler, args, { cwd: root, env: wranglerEnv, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const url = `http://127.0.0.1:${port}`;
  const stop = () =>
    new Promise((done) => {
      if (child.exitCode !== null) return done();
      child.once('exit', () => done());
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        done();
      }
      setTimeout(() => {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {}
      }, 5000).unref();
    });
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited (${child.exitCode}):\n${output}`);
    try {
      const res = await fetch(`${url}/health`);
      if (res.ok) break;
    } catch {}
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`wrangler dev did not answer within 90 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { url, stop, child };
}
