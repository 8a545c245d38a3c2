import type { D1Migration } from '@cloudflare/vitest-pool-workers';
import type { Env as WorkerEnv } from '../worker/env';

declare global {
  namespace Cloudflare {
    interface Env extends WorkerEnv {
      TEST_MIGRATIONS: D1Migration[];
      /** The workers pool's SMTP catcher (test/worker/mail-catcher-setup.ts): its mail as JSON at /mail.json. */
      TEST_MAIL_URL: string;
    }
  }
}
