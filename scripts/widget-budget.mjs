// The widget's size budgets. The build fails when one is exceeded: our edge over every other
// widget is that the bubble costs a few kilobytes.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';

/** Brotli budgets in bytes: what shows the bubble, and what the panel adds on first interaction. */
export const BUDGETS = { loader: 8 * 1024, panel: 40 * 1024 };

/** Raw, gzip and brotli sizes of a text. */
export function sizes(buf) {
  return {
    raw: buf.length,
    gzip: gzipSync(buf, { level: 9 }).length,
    brotli: brotliCompressSync(buf, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

/** Measure the built widget and throw if it is over budget. The loader is measured with a brand inlined. */
export async function checkWidgetBudgets(publicDir) {
  const brandPrefix = 'var __SB_BRAND__={"key":"operator","name":"Northwind Telecom","locale":"en","branding":{"primary":"#0b5fff","onPrimary":"#ffffff","greeting":"Hi! How can Northwind help today?","position":"right","logo":"/demo/operator/logo.svg"}};\n';
  const loader = Buffer.concat([Buffer.from(brandPrefix), await readFile(join(publicDir, 'sb/loader.js'))]);
  const panel = await readFile(join(publicDir, 'sb/panel.js'));
  const result = [
    { name: 'loader', ...sizes(loader), budget: BUDGETS.loader },
    { name: 'panel', ...sizes(panel), budget: BUDGETS.panel },
  ];
  const over = result.filter((r) => r.brotli > r.budget);
  if (over.length) {
    throw new Error(`widget over budget: ${over.map((r) => `${r.name} ${r.brotli} B brotli > ${r.budget} B`).join(', ')}`);
  }
  return result;
}
