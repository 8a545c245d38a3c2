import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import type { TestProject } from 'vitest/node';
// @ts-expect-error — plain ESM launcher shared with `npm start` and the benchmarks
import { prepare, startServer } from '../../scripts/server.mjs';
import { startMailCatcher } from '../../scripts/mail-catcher.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    /** The local SMTP catcher's page; its mail as JSON at `${mailUrl}/mail.json`. */
    mailUrl: string;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

/** One real server for all browser tests, on a free port with its own throw-away state. */
export default async function setup(project: TestProject) {
  const dir = await mkdtemp(join(tmpdir(), 'sb-e2e-'));
  // `npm test` has just built dist/; rebuilding here would restart every other running dev server.
  await prepare({ persistTo: dir, build: 'if-missing' });
  const port = await freePort();
  const catcher = await startMailCatcher();
  // devClock: the SLA test moves its conversation's SLA clock (test/e2e/sla.test.ts).
  const server = await startServer({ port, persistTo: dir, devClock: true, vars: { MAIL_RELAY_OVERRIDE: catcher.smtp } });
  project.provide('baseUrl', server.url);
  project.provide('mailUrl', catcher.url);
  return async () => {
    await server.stop();
    await catcher.stop();
    await rm(dir, { recursive: true, force: true });
  };
}
