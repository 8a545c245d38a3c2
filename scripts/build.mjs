// Builds everything the Worker serves as static assets into dist/public, and the demo seed into
// dist/seed.mjs. Fails when the widget is over its size budget.
import { build, transform } from 'esbuild';
import { cp, mkdir, rm, readFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { checkWidgetBudgets } from './widget-budget.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist/public');

/**
 * Minify the CSS templates of *.styles.ts files with esbuild's own CSS minifier (a real parser:
 * the regex this replaces ate the space of descendant selectors). Templates with interpolations or
 * escapes are left as written, since their text is not plain CSS.
 */
const minifyCss = {
  name: 'minify-css',
  setup(b) {
    b.onLoad({ filter: /\.styles\.ts$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      let contents = '';
      let at = 0;
      for (const m of source.matchAll(/(css)?`([^`]*)`/g)) {
        const [, tag = '', text] = m;
        contents += source.slice(at, m.index);
        at = m.index + m[0].length;
        if (text.includes('${') || text.includes('\\')) contents += m[0];
        else contents += tag + '`' + (await transform(text, { loader: 'css', minify: true })).code.trim() + '`';
      }
      return { contents: contents + source.slice(at), loader: 'ts' };
    });
  },
};
const common = { bundle: true, minify: true, target: 'es2020', legalComments: 'none', logLevel: 'warning', charset: 'utf8' };

/** Build the static assets, the widget and the seed module. */
export async function buildAll() {
  await rm(out, { recursive: true, force: true });
  await mkdir(out, { recursive: true });
  await cp(join(root, 'public'), out, { recursive: true });

  await build({ ...common, entryPoints: [join(root, 'widget/panel/index.ts')], format: 'esm', outfile: join(out, 'sb/panel.js'), plugins: [minifyCss] });
  const panelHash = createHash('sha256').update(await readFile(join(out, 'sb/panel.js'))).digest('hex').slice(0, 10);
  const version = JSON.stringify((JSON.parse(await readFile(join(root, 'package.json'), 'utf8')).version ?? '0') + '+' + panelHash);
  await build({
    ...common,
    entryPoints: [join(root, 'widget/loader/loader.ts')],
    format: 'iife',
    outfile: join(out, 'sb/loader.js'),
    plugins: [minifyCss],
    // The panel URL carries its content hash, so it can be cached for a year.
    define: { __SB_PANEL_URL__: JSON.stringify(`/sb/panel.js?v=${panelHash}`), __SB_VERSION__: version },
  });
  await build({ ...common, entryPoints: [join(root, 'widget/chat-page/chat-page.ts')], format: 'iife', outfile: join(out, 'sb/chat-page.js') });
  await build({ ...common, entryPoints: [join(root, 'inbox/index.ts')], format: 'esm', outfile: join(out, 'sb/inbox.js'), plugins: [minifyCss] });

  await build({
    entryPoints: [join(root, 'scripts/demo-seed.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: join(root, 'dist/seed.mjs'),
    logLevel: 'warning',
  });
  return checkWidgetBudgets(out);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const sizes = await buildAll();
  for (const s of sizes) console.log(`${s.name.padEnd(8)} ${String(s.raw).padStart(7)} B raw ${String(s.gzip).padStart(6)} B gzip ${String(s.brotli).padStart(6)} B brotli (budget ${s.budget} B)`);
  console.log('built dist/');
}
