// The bench's own `wrangler dev`, serving a private copy of dist/public. `npm test` and `npm run
// build` empty and rewrite dist/public, and a `wrangler dev` serving that folder then answers 500 for
// every static file (and /widget.js says "not built") until it is restarted; with `--assets` on a
// folder that vanishes it exits. A copy taken at the start keeps a run valid while others build.
import { existsSync } from 'node:fs';
import { cp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { root, startServer } from '../../scripts/server.mjs';

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

/** scripts/server.mjs's startServer, with the static assets served from `assetsDir`. */
export function startBenchServer({ port, persistTo, assetsDir, inspectorPort }) {
  // A load test offers thousands of new sessions from one address: the abuse limits would be the
  // thing measured. Local only; never set RATE_LIMITS in production.
  return startServer({ port, persistTo, assetsDir, inspectorPort, vars: { RATE_LIMITS: 'off' } });
}
