// Finding a browser on a newcomer's machine: where we look, in what order, and what we say when
// there is none. The file system is faked, so every case runs on any machine.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findChromium, installCommand, notFoundMessage } from '../../scripts/find-chromium.mjs';

/** A fake file system where only `present` are executable files. */
const only = (...present: string[]) => (path: string) => present.includes(path);

const CHROME_APP = '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome';
const CHROMIUM_APP = '/Applications/Chromium.app/Contents/MacOS/Chromium';
const CLI = fileURLToPath(new URL('../../scripts/find-chromium.mjs', import.meta.url));
const linux = { platform: 'linux', env: { PATH: '/usr/local/bin:/usr/bin:/snap/bin' } };

describe('findChromium', () => {
  it('takes CHROMIUM_PATH first, and only it when set', () => {
    expect(findChromium({ ...linux, env: { ...linux.env, CHROMIUM_PATH: '/opt/chrome/chrome' }, isExecutable: only('/opt/chrome/chrome', '/usr/bin/chromium') })).toBe('/opt/chrome/chrome');
    // A wrong CHROMIUM_PATH is an error to report, not a hint to ignore for some other browser.
    expect(findChromium({ ...linux, env: { ...linux.env, CHROMIUM_PATH: '/opt/typo' }, isExecutable: only('/usr/bin/chromium') })).toBeNull();
  });

  it("prefers Debian's /usr/bin/chromium", () => {
    expect(findChromium({ ...linux, isExecutable: only('/usr/bin/chromium', '/usr/local/bin/google-chrome') })).toBe('/usr/bin/chromium');
  });

  it.each([
    ['/snap/bin/chromium', 'chromium'],
    ['/usr/local/bin/chromium-browser', 'chromium-browser'],
    ['/usr/bin/google-chrome', 'google-chrome'],
  ])('finds %s as %s on the PATH', (path) => {
    expect(findChromium({ ...linux, isExecutable: only(path) })).toBe(path);
  });

  it('finds Chrome or Chromium in /Applications on macOS, and only there', () => {
    const mac = { platform: 'darwin', env: { PATH: '/usr/bin:/bin' } };
    expect(findChromium({ ...mac, isExecutable: only(CHROME_APP) })).toBe(CHROME_APP);
    expect(findChromium({ ...mac, isExecutable: only(CHROMIUM_APP) })).toBe(CHROMIUM_APP);
    expect(findChromium({ ...linux, isExecutable: only(CHROME_APP) })).toBeNull();
  });

  it('returns null when there is none', () => {
    expect(findChromium({ ...linux, isExecutable: only() })).toBeNull();
  });
});

describe('what a newcomer is told', () => {
  it('one install command per platform', () => {
    expect(installCommand({ platform: 'darwin' })).toBe('brew install --cask chromium');
    expect(installCommand({ platform: 'linux', env: { PATH: '/usr/bin' }, isExecutable: only('/usr/bin/apt-get') })).toBe('sudo apt-get install -y chromium');
    expect(installCommand({ platform: 'linux', env: { PATH: '/usr/bin' }, isExecutable: only('/usr/bin/dnf') })).toBe('sudo dnf install -y chromium');
  });

  it('the message names the command and CHROMIUM_PATH', () => {
    const msg = notFoundMessage({ platform: 'darwin', env: {} });
    expect(msg).toContain('\n  brew install --cask chromium\n');
    expect(msg).toContain('CHROMIUM_PATH');
  });

  it('the CLI stops within a second with exit 1 and the command when nothing is there', () => {
    const started = Date.now();
    const run = spawnSync(process.execPath, [CLI], { env: { ...process.env, CHROMIUM_PATH: '/nonexistent/chromium' }, encoding: 'utf8' });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('CHROMIUM_PATH=/nonexistent/chromium is not an executable file');
    expect(run.stderr).toMatch(/\n {2}(sudo apt-get install -y chromium|sudo dnf install -y chromium|sudo pacman -S --noconfirm chromium|brew install --cask chromium)\n/);
  });

  it('the CLI prints the path it found and exits 0', () => {
    const run = spawnSync(process.execPath, [CLI], { env: { ...process.env, CHROMIUM_PATH: process.execPath }, encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(run.stdout.trim()).toBe(process.execPath);
  });
});
