// The local SMTP catcher, development only: a real SMTP server on 127.0.0.1 that keeps every mail the
// product sends (parsed with postal-mime) and shows them on a page, with a JSON endpoint for tests.
// `npm start` and the e2e global setup start it and point every tenant's relay at it (MAIL_RELAY_OVERRIDE).
import { createServer as createHttpServer } from 'node:http';
import { SMTPServer } from 'smtp-server';
import PostalMime from 'postal-mime';

const escape = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
const header = (mail, name) => mail.headers.find((h) => h.key === name)?.value ?? null;

// With `anyIfBusy`, a port someone else holds (another checkout's `npm start`) gives way to a free one.
function listening(server, port, anyIfBusy) {
  return new Promise((resolve, reject) => {
    server.once('error', (err) => (anyIfBusy && err.code === 'EADDRINUSE' && port !== 0 ? listening(server, 0, false).then(resolve, reject) : reject(err)));
    server.listen(port, '127.0.0.1', () => resolve(server.address().port));
  });
}

/** One caught mail as the JSON endpoint gives it (protocol/mail.ts CaughtMail). */
function toCaught(id, session, mail) {
  return {
    id,
    receivedAt: Date.now(),
    envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
    envelopeTo: session.envelope.rcptTo.map((r) => r.address),
    from: header(mail, 'from') ?? '',
    to: header(mail, 'to') ?? '',
    subject: mail.subject ?? '',
    messageId: mail.messageId ?? null,
    inReplyTo: mail.inReplyTo ?? null,
    references: mail.references ?? null,
    replyTo: header(mail, 'reply-to'),
    text: mail.text ?? '',
    html: mail.html ?? null,
  };
}

function page(mails) {
  const rows = mails
    .slice()
    .reverse()
    .map(
      (m) => `<article><h2>${escape(m.subject)}</h2>
<dl><dt>From</dt><dd>${escape(m.from)}</dd><dt>To</dt><dd>${escape(m.to)}</dd><dt>Date</dt><dd>${escape(new Date(m.receivedAt).toISOString())}</dd>
<dt>Message-ID</dt><dd>${escape(m.messageId)}</dd><dt>In-Reply-To</dt><dd>${escape(m.inReplyTo)}</dd><dt>References</dt><dd>${escape(m.references)}</dd><dt>Reply-To</dt><dd>${escape(m.replyTo)}</dd></dl>
<pre>${escape(m.text)}</pre></article>`,
    )
    .join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Switchboard — caught mail (development only)</title>
<style>body{font:14px system-ui,sans-serif;margin:2rem;max-width:60rem}article{border:1px solid #ccc;border-radius:6px;padding:1rem;margin:1rem 0}dl{display:grid;grid-template-columns:8rem 1fr;gap:.2rem .8rem}dt{color:#555}dd{margin:0;word-break:break-all}pre{white-space:pre-wrap;background:#f6f6f6;padding:.8rem}</style>
</head><body><h1>Caught mail <small>(development only — nothing here left this machine)</small></h1>
<p>${mails.length} mail(s). JSON: <a href="/mail.json">/mail.json</a></p>${rows || '<p>No mail yet.</p>'}</body></html>`;
}

/**
 * Start the catcher: SMTP on 127.0.0.1:`smtpPort` and its page on 127.0.0.1:`httpPort` (0: any free
 * port; `anyIfBusy`: a free one when that port is taken).
 * Returns { smtp: 'host:port', url, mails, stop }; `mails` is the live list, stop() closes both servers.
 */
export async function startMailCatcher({ smtpPort = 0, httpPort = 0, anyIfBusy = false, log = () => {} } = {}) {
  const mails = [];
  const smtp = new SMTPServer({
    // Plain SMTP without auth on loopback only: the Worker's override connects without TLS.
    disabledCommands: ['STARTTLS', 'AUTH'],
    authOptional: true,
    logger: false,
    size: 10 * 1024 * 1024,
    onData(stream, session, done) {
      // postal-mime reads web streams and buffers, not Node streams: collect the message first.
      const chunks = [];
      stream.on('data', (c) => chunks.push(c));
      stream.on('error', done);
      stream.on('end', () =>
        PostalMime.parse(Buffer.concat(chunks))
        .then((mail) => {
          const caught = toCaught(mails.length + 1, session, mail);
          mails.push(caught);
          log(`mail caught: "${caught.subject}" to ${caught.envelopeTo.join(', ')}`);
          done();
        })
        .catch((err) => done(err)),
      );
    },
  });
  // A client that drops its connection mid-session (a Worker's mailer whose object was reset, a
  // reset from the kernel) is that client's problem: without a listener the 'error' would crash
  // whatever process hosts the catcher (the test runner, `npm start`).
  smtp.on('error', (err) => log(`mail catcher: a client connection failed: ${err.code ?? err.message}`));
  const http = createHttpServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/mail.json') {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify(mails));
    } else if (path === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(page(mails));
    } else {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'request.not_found', message: 'No such page' } }));
    }
  });
  const boundSmtp = await listening(smtp.server, smtpPort, anyIfBusy);
  const boundHttp = await listening(http, httpPort, anyIfBusy);
  const stop = () => Promise.all([new Promise((r) => smtp.close(r)), new Promise((r) => http.close(r))]).then(() => {});
  return { smtp: `127.0.0.1:${boundSmtp}`, url: `http://127.0.0.1:${boundHttp}`, mails, stop };
}
