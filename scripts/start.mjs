// `npm start`: build, migrate, seed, serve on 127.0.0.1, and print where everything is.
import { prepare, startServer } from './server.mjs';
import { startMailCatcher } from './mail-catcher.mjs';
import { fileDemoComplaint } from './demo-complaint.mjs';

const port = Number(process.env.PORT ?? 8787);
const seed = await prepare({ log: (m) => console.log(`[switchboard] ${m}`) });
// Every mail the product sends lands in the local catcher instead of a tenant's real relay.
const catcher = await startMailCatcher({ smtpPort: Number(process.env.MAIL_SMTP_PORT ?? 2525), httpPort: Number(process.env.MAIL_UI_PORT ?? 8025), anyIfBusy: true, log: (m) => console.log(`[mail] ${m}`) });
const server = await startServer({ port, inherit: true, vars: { MAIL_RELAY_OVERRIDE: catcher.smtp } });
const { url, child } = server;
const stop = () => Promise.all([server.stop(), catcher.stop()]);
// The demo's written complaint, filed through the widget API once the server answers (first start only).
await fileDemoComplaint(url, { log: (m) => console.log(`[switchboard] ${m}`) }).catch((err) => console.log(`[switchboard] demo complaint not filed: ${err.message}`));

const lines = [
  '',
  `Switchboard is running at ${url}`,
  `  agent inbox       ${url}/inbox`,
  `  demo partner site ${url}/demo/operator/   (Northwind Telecom, English)`,
  `  demo partner site ${url}/demo/mvno/       (Volna Mobile, Russian)`,
  `  hosted chat page  ${url}/chat?brand=operator&channel=app`,
  `  caught mail       ${catcher.url}   (development only: every mail sent, SMTP on ${catcher.smtp})`,
  `  test inbound mail POST ${url}/cdn-cgi/handler/email?from=you@example.test&to=support@northwind.test  (raw message as body)`,
  `  API health        ${url}/health`,
  `  widget session    POST ${url}/v1/widget/session`,
  `  agent login       POST ${url}/v1/agent/login`,
  '',
  `Demo logins (password for all: ${seed.DEMO_PASSWORD})`,
];
for (const t of seed.DEMO_TENANTS) {
  lines.push(`  ${t.name} — brand key "${t.key}", identity-token secret "${t.identitySecret}"`);
  for (const a of t.agents) lines.push(`    ${a.role.padEnd(10)} ${a.email}`);
}
lines.push('', 'State lives in .state/ and survives a restart. Ctrl+C stops.', '');
console.log(lines.join('\n'));

for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => stop().then(() => process.exit(0)));
child.on('exit', (code) => process.exit(code ?? 0));
