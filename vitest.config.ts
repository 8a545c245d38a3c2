import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-pool-workers';
import { defineConfig } from 'vitest/config';
import { createServer } from 'node:net';

/** Two free loopback ports for the workers' SMTP catcher, handed to its global setup through the environment. */
async function mailCatcherPorts(): Promise<{ smtp: number; http: number }> {
  const free = () =>
    new Promise<number>((resolve, reject) => {
      const s = createServer();
      s.listen(0, '127.0.0.1', () => {
        const port = (s.address() as { port: number }).port;
        s.close(() => resolve(port));
      });
      s.on('error', reject);
    });
  process.env.SB_TEST_SMTP_PORT ??= String(await free());
  process.env.SB_TEST_MAIL_HTTP_PORT ??= String(await free());
  return { smtp: Number(process.env.SB_TEST_SMTP_PORT), http: Number(process.env.SB_TEST_MAIL_HTTP_PORT) };
}

// Three kinds of test, one command:
// - workers: inside workerd with real D1 and Durable Objects (storage isolated per file);
// - unit: plain Node, for the widget's logic that needs no browser and for the scripts;
// - e2e: real Chromium against a real `wrangler dev` started once by test/e2e/global-setup.ts.
export default defineConfig(async () => {
  const migrations = await readD1Migrations('migrations');
  // The workers' mail goes to a real local SMTP catcher (test/worker/mail-catcher-setup.ts starts it
  // on these ports): the relay override must be a binding, known before the pool starts.
  const mail = await mailCatcherPorts();
  return {
    test: {
      projects: [
        {
          plugins: [
            cloudflareTest({
              wrangler: { configPath: './wrangler.toml' },
              // DEV_CLOCK: the development-only SLA clock route (worker/routes/dev-clock.ts), which the permission matrix probes.
              miniflare: { bindings: { TEST_MIGRATIONS: migrations, SOCKET_SECRET: 'test-socket-secret', HELLO_TIMEOUT_MS: '5000', DEV_CLOCK: 'on', MAIL_RELAY_OVERRIDE: `127.0.0.1:${mail.smtp}`, TEST_MAIL_URL: `http://127.0.0.1:${mail.http}` } },
            }),
          ],
          test: { name: 'workers', include: ['test/worker/**/*.test.ts', 'test/security/**/*.test.ts'], exclude: ['test/security/e2e/**'], setupFiles: ['./test/setup.ts'], globalSetup: ['./test/worker/mail-catcher-setup.ts'], testTimeout: 20_000 },
        },
        {
          test: { name: 'unit', include: ['test/widget/**/*.test.ts', 'test/scripts/**/*.test.ts'], environment: 'node' },
        },
        {
          test: {
            name: 'e2e',
            include: ['test/e2e/**/*.test.ts', 'test/security/e2e/**/*.test.ts'],
            environment: 'node',
            globalSetup: ['./test/e2e/global-setup.ts'],
            testTimeout: 60_000,
            hookTimeout: 120_000,
            // A browser on a busy 2-core machine: give polled UI assertions time, not just 1 s.
            expect: { poll: { timeout: 10_000, interval: 50 } },
            // One browser and one server: files run one at a time so timings stay honest on 2 cores.
            fileParallelism: false,
          },
        },
      ],
    },
  };
});
