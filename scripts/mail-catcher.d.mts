// Types for scripts/mail-catcher.mjs, so TypeScript callers (test setups, tests) need no casts.
import type { CaughtMail } from '../protocol/mail';

export interface MailCatcher {
  /** `127.0.0.1:<port>` of the SMTP server. */
  smtp: string;
  /** The page's base URL; `/mail.json` lists the caught mail. */
  url: string;
  /** The live list of caught mail. */
  mails: CaughtMail[];
  /** Close both servers. */
  stop(): Promise<void>;
}

/** Start the catcher on 127.0.0.1 (port 0: any free one; `anyIfBusy`: a free one when taken). */
export function startMailCatcher(opts?: { smtpPort?: number; httpPort?: number; anyIfBusy?: boolean; log?: (line: string) => void }): Promise<MailCatcher>;
