// Applies the fix of cloudflare/workers-sdk#15092 (merged as #15106) to the installed
// @cloudflare/vitest-pool-workers 0.23.0, the last release that runs on Node 20 and still has the bug.
//
// The bug: the pool wraps every Durable Object class so unknown RPC properties give a helpful error,
// and its constructor wrapped the class's prototype in a new Proxy on EVERY construction, around the
// previous Proxy. After N objects, each property read on any object walks N proxies. Our permission
// matrix makes ~1,000 conversations in one file, so its workerd ended up at 100 % of a core in
// nested Proxy traps (seen with perf) and the file took 8 minutes, then hung on one probe.
// The fix installs the Proxy once, on the first construction, as upstream does.
//
// Run by `npm ci`/`npm install` (postinstall). Idempotent; a release without the bug is left alone.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const file = fileURLToPath(new URL('../node_modules/@cloudflare/vitest-pool-workers/dist/worker/lib/cloudflare/test-internal.mjs', import.meta.url));
const BUGGY = '\t\tClass.prototype = new Proxy(Class.prototype, {';
const FIXED = '\t\tif (!Class.__proxied && (Class.__proxied = true)) Class.prototype = new Proxy(Class.prototype, {';

if (!existsSync(file)) process.exit(0);
const src = readFileSync(file, 'utf8');
if (src.includes(FIXED)) process.exit(0);
if (!src.includes(BUGGY)) {
  console.log('patch-test-pool: the pool no longer has the re-wrapping constructor; nothing to patch');
  process.exit(0);
}
writeFileSync(file, src.replace(BUGGY, FIXED));
console.log('patch-test-pool: vitest-pool-workers now wraps each Durable Object prototype once (workers-sdk#15092)');
