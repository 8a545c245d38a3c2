// `npm start`: build, migrate, seed, serve on 127.0.0.1, and print where everything is.
import { prepare, startServer } from './server.mjs';

const port = Number(process.env.PORT ?? 8787);
const seed = await prepare({ log: (m) => console.log(`[switchboard] ${m}`) });
const { url, stop, child } = await startServer({ port, inherit: true });

const lines = [
  '',
  `Switchboard is running at ${url}`,
  `  agent inbox       ${url}/inbox`,
  `  demo partner site ${url}/demo/operator/   (Northwind Telecom, English)`,
  `  demo partner site ${url}/demo/mvno/       (Volna Mobile, Russian)`,
  `  hosted chat page  ${url}/chat?brand=operator&channel=app`,
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
