#!/usr/bin/env node
// Finds the Chromium or Chrome the browser tests and benchmarks drive. Test tools never download a
// browser of their own, so a newcomer without one must learn it at once, with the command that
// installs it, rather than after a long build or from tests that quietly skip.
//
//   node scripts/find-chromium.mjs     prints the browser's path; exits 1 with the install command
import { accessSync, constants, realpathSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Fixed places to look, in order, before the PATH. */
const FIXED = ['/usr/bin/chromium'];
/** Names a Chromium or Chrome goes by on the PATH. */
const ON_PATH = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];
/** The macOS application bundles' executables. */
const MAC_APPS = ['/Applications/Google Chrome.app/Contents/MacOS/Google Chrome', '/Applications/Chromium.app/Contents/MacOS/Chromium'];

/** True when `path` is a regular file this user may execute. */
export function isExecutableFile(path) {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Every place looked at, in order: CHROMIUM_PATH alone when set, else the fixed paths, the PATH, the macOS apps. */
export function candidates({ env = process.env, platform = process.platform } = {}) {
  if (env.CHROMIUM_PATH) return [env.CHROMIUM_PATH];
  const dirs = (env.PATH ?? '').split(delimiter).filter(Boolean);
  const onPath = ON_PATH.flatMap((name) => dirs.map((dir) => join(dir, name)));
  return [...FIXED, ...onPath, ...(platform === 'darwin' ? MAC_APPS : [])];
}

/** The first executable Chromium or Chrome among the candidates, or null when there is none. */
export function findChromium({ env = process.env, platform = process.platform, isExecutable = isExecutableFile } = {}) {
  return candidates({ env, platform }).find((p) => isExecutable(p)) ?? null;
}

/** The one command that installs a Chromium here. */
export function installCommand({ platform = process.platform, env = process.env, isExecutable = isExecutableFile } = {}) {
  if (platform === 'darwin') return 'brew install --cask chromium';
  const has = (tool) => (env.PATH ?? '').split(delimiter).some((dir) => dir && isExecutable(join(dir, tool)));
  if (platform === 'linux' && has('dnf')) return 'sudo dnf install -y chromium';
  if (platform === 'linux' && has('pacman')) return 'sudo pacman -S --noconfirm chromium';
  if (platform === 'linux') return 'sudo apt-get install -y chromium';
  return 'install Chrome or Chromium, then set CHROMIUM_PATH to its executable';
}

/** Why no browser was found and what to run, as printed by the CLI. */
export function notFoundMessage({ env = process.env, platform = process.platform, isExecutable = isExecutableFile } = {}) {
  const looked = env.CHROMIUM_PATH ? `CHROMIUM_PATH=${env.CHROMIUM_PATH} is not an executable file.` : 'No Chromium or Chrome found (looked in /usr/bin/chromium, chromium, chromium-browser and google-chrome on the PATH, and /Applications on macOS).';
  return [
    `${looked} The browser tests need one; they never download a browser themselves.`,
    'Install it with:',
    '',
    `  ${installCommand({ platform, env, isExecutable })}`,
    '',
    'or point CHROMIUM_PATH at a Chrome or Chromium executable.',
  ].join('\n');
}

// Run as a script (also through a symlink), not when imported.
if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const found = findChromium();
  if (found) {
    console.log(found);
  } else {
    console.error(notFoundMessage());
    process.exit(1);
  }
}
