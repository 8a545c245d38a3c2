// `wrangler dev` watches the Worker's sources and reloads on any change, dropping every socket
// (clients see close 1006). Someone editing the tree during a run would silently spoil the numbers,
// so each scenario records whether anything the server watches changed while it ran.
import { readdir, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';

// The bundle's dependencies live in node_modules; an `npm install` or `npm ci` rewrites this file.
// A server started on a private copy of the assets (bench/lib/server.mjs) does not watch dist/public.
export const WATCHED = ['worker', 'protocol', 'dist/public', 'wrangler.toml', '.dev.vars', 'node_modules/.package-lock.json'];

async function walk(path, out) {
  let s;
  try {
    s = await stat(path);
  } catch {
    return;
  }
  if (!s.isDirectory()) {
    out.set(path, s.mtimeMs);
    return;
  }
  for (const name of await readdir(path)) await walk(join(path, name), out);
}

/** Modification times of every file the dev server reloads on (`paths` under `root`), keyed by path. */
export async function sourceStamp(root, paths = WATCHED) {
  const out = new Map();
  for (const p of paths) await walk(join(root, p), out);
  return { root, paths, files: out };
}

/** Files added, removed or modified since `stamp`, as paths relative to the root. */
export async function changedSince(stamp) {
  const now = await sourceStamp(stamp.root, stamp.paths);
  const changed = [];
  for (const [p, m] of now.files) if (stamp.files.get(p) !== m) changed.push(relative(stamp.root, p));
  for (const p of stamp.files.keys()) if (!now.files.has(p)) changed.push(relative(stamp.root, p));
  return changed;
}
