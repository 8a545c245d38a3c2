// Types for scripts/find-chromium.mjs, so TypeScript callers (the e2e harness) need no casts.
interface Where {
  env?: Record<string, string | undefined>;
  platform?: string;
  isExecutable?: (path: string) => boolean;
}

/** True when `path` is a regular file this user may execute. */
export function isExecutableFile(path: string): boolean;
/** Every place looked at, in order: CHROMIUM_PATH alone when set, else the fixed paths, the PATH, the macOS apps. */
export function candidates(where?: Omit<Where, 'isExecutable'>): string[];
/** The first executable Chromium or Chrome among the candidates, or null when there is none. */
export function findChromium(where?: Where): string | null;
/** The one command that installs a Chromium here. */
export function installCommand(where?: Where): string;
/** Why no browser was found and what to run, as printed by the CLI. */
export function notFoundMessage(where?: Where): string;
