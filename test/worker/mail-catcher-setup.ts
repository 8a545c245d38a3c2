import { startMailCatcher } from '../../scripts/mail-catcher.mjs';

/** A real SMTP catcher for the workers pool, on the ports vitest.config.ts chose and bound into the Worker. */
export default async function setup() {
  const catcher = await startMailCatcher({ smtpPort: Number(process.env.SB_TEST_SMTP_PORT), httpPort: Number(process.env.SB_TEST_MAIL_HTTP_PORT) });
  return () => catcher.stop();
}
