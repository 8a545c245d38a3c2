// The local SMTP catcher survives a client that resets its connection mid-session (it once took the
// whole test runner down with an unhandled ECONNRESET), and still catches the next mail.
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startMailCatcher } from '../../scripts/mail-catcher.mjs';

/** Talk SMTP over a raw socket: send each line after the server's answer to the one before. */
function smtpSession(hostPort: string, lines: string[], opts: { resetAfter?: number } = {}): Promise<string> {
  const [host, port] = hostPort.split(':');
  return new Promise((resolve, reject) => {
    const sock = connect(Number(port), host!);
    let heard = '';
    let sent = 0;
    sock.on('data', (d) => {
      heard += d.toString();
      if (opts.resetAfter !== undefined && sent === opts.resetAfter) {
        sock.resetAndDestroy();
        resolve(heard);
        return;
      }
      if (sent < lines.length) sock.write(`${lines[sent++]}\r\n`);
      else sock.end();
    });
    sock.on('end', () => resolve(heard));
    sock.on('error', reject);
  });
}

describe('the mail catcher', () => {
  it('takes a client connection reset in its stride and catches the next mail', async () => {
    const errors: string[] = [];
    const catcher = await startMailCatcher({ log: (m) => errors.push(m) });
    try {
      await smtpSession(catcher.smtp, ['EHLO reset.test', 'MAIL FROM:<a@reset.test>'], { resetAfter: 2 });
      const mail = ['EHLO ok.test', 'MAIL FROM:<a@ok.test>', 'RCPT TO:<b@ok.test>', 'DATA', 'Subject: after the reset\r\n\r\nhello\r\n.', 'QUIT'];
      expect(await smtpSession(catcher.smtp, mail)).toContain('221');
      const caught = (await (await fetch(`${catcher.url}/mail.json`)).json()) as { subject: string }[];
      expect(caught.map((m) => m.subject)).toEqual(['after the reset']);
    } finally {
      await catcher.stop();
    }
  });
});
