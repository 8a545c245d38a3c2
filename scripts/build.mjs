// Builds everything the Worker serves as static assets into dist/public, and the demo seed into
// dist/seed.mjs. Front ends (widget, inbox) add their own esbuild entries here.
import { build } from 'esbuild';
import { cp, mkdir, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Build the static assets and the seed module. */
export async function buildAll() {
  const out = join(root, 'dist/public');
  await rm(out, { recursive: true, force: true });
  await mkdir(out, { recursive: true });
  await cp(join(root, 'public'), out, { recursive: true });
  await build({
    entryPoints: [join(root, 'scripts/demo-seed.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: join(root, 'dist/seed.mjs'),
    logLevel: 'warning',
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await buildAll();
  console.log('built dist/');
}
