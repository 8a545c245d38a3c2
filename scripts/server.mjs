// Starts Switchboard locally the way `npm start` does: build, migrate, seed, `wrangler dev`.
// Shared by the start command, the benchmarks and the browser tests, so all three run the same thing.
import { spawn, execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildAll } from './build.mjs';

const run = promisify(execFile);
export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const wrangler = join(root, 'node_modules/.bin/wrangler');
// No prompts, no telemetry: this must work unattended on a machine without internet.
const wranglerEnv = { ...process.env, CI: 'true', WRANGLER_SEND_METRICS: 'false', NO_UPDATE_NOTIFIER: '1' };

/** Make sure local secrets exist; `.dev.vars` is git-ignored and made once per checkout. */
async function ensureDevVars() {
  const path = join(root, '.dev.vars');
  if (existsSync(path) && (await readFile(path, 'utf8')).includes('SOCKET_SECRET=')) return;
  await writeFile(path, `SOCKET_SECRET=${randomBytes(32).toString('base64url')}\n`);
}

/**
 * Build, apply migrations and seed the demo tenants into the local state at `persistTo`.
 * `build: 'if-missing'` reuses an existing dist/: every running `wrangler dev` watches it and
 * restarts (dropping all sockets) when it is rebuilt, so tests and benchmarks must not rebuild
 * under each other.
 */
export async function prepare({ persistTo = join(root, '.state'), log = () => {}, build = true } = {}) {
  await ensureDevVars();
  if (build === true || !existsSync(join(root, 'dist/public/sb/loader.js')) || !existsSync(join(root, 'dist/seed.mjs'))) {
    log('building…');
    await buildAll();
  }
  log('applying D1 migrations…');
  await run(wrangler, ['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', persistTo], { cwd: root, env: wranglerEnv });
  log('seeding demo tenants…');
  const seed = await import(pathToFileURL(join(root, 'dist/seed.mjs')).href);
  const sqlFile = join(root, 'dist/seed.sql');
  // Two weeks of report history too (issue 14), so the Reports view has something to show.
  await writeFile(sqlFile, seed.toSqlScript([...(await seed.demoSeedStatements()), ...seed.demoReportStatements(seed.DEMO_TENANTS)]));
  await run(wrangler, ['d1', 'execute', 'DB', '--local', '--persist-to', persistTo, '--file', sqlFile], { cwd: root, env: wranglerEnv });
  return seed;
}

/**
 * Start `wrangler dev` on 127.0.0.1:`port` and resolve once /health answers.
 * `assetsDir` serves static files from a copy instead of dist/public; `inspectorPort` fixes wrangler's inspector proxy port;
 * `devClock` lets tests move a conversation's SLA clock (never for `npm start`).
 * Returns { url, stop, child } — stop() ends the server and everything it started.
 */
export async function startServer({ port = 8787, persistTo = join(root, '.state'), inherit = false, vars = {}, assetsDir, inspectorPort, devClock = false } = {}) {
  const args = ['dev', '--ip', '127.0.0.1', '--port', String(port), '--persist-to', resolve(persistTo), '--show-interactive-dev-session=false', '--log-level', 'warn'];
  // The bench's CPU profile connects here (bench/lib/cpu-profile.mjs).
  if (inspectorPort) args.push('--inspector-port', String(inspectorPort));
  // A private copy of the assets keeps a long run alive while someone else rebuilds dist/.
  if (assetsDir) args.push('--assets', resolve(assetsDir));
  // The development-only SLA clock route (worker/routes/dev-clock.ts): for the browser tests, never in wrangler.toml.
  if (devClock) args.push('--var', 'DEV_CLOCK:on');
  for (const [k, v] of Object.entries(vars)) args.push('--var', `${k}:${v}`);
  const child = spawn(wrangler, args, { cwd: root, env: wranglerEnv, stdio: inherit ? 'inherit' : ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  if (!inherit) {
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
  }
  const url = `http://127.0.0.1:${port}`;
  // The server is its own process group (detached, so stop() takes wrangler's workerd too). Should
  // the process that started it die without calling stop() (a test runner's crash), the group
  // would live on, holding its port and a core: take it down when this process exits.
  const killGroup = () => {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {}
  };
  process.once('exit', killGroup);
  const stop = () =>
    new Promise((done) => {
      process.off('exit', killGroup);
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
