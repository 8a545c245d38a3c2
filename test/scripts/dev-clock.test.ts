// The development-only SLA clock cannot be switched on where the product is deployed: only the
// browser tests' server asks for it, and the deployed configuration never names it.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

describe('DEV_CLOCK', () => {
  it('is in no deployed configuration and not in `npm start`', () => {
    expect(read('wrangler.toml')).not.toMatch(/DEV_CLOCK/);
    expect(read('scripts/start.mjs')).not.toMatch(/devClock|DEV_CLOCK/);
  });

  it('is set by the server script only when asked, and asked for by the browser tests alone', () => {
    expect(read('scripts/server.mjs')).toMatch(/if \(devClock\) args\.push\('--var', 'DEV_CLOCK:on'\)/);
    expect(read('scripts/server.mjs')).toMatch(/devClock = false/);
    expect(read('test/e2e/global-setup.ts')).toMatch(/devClock: true/);
  });

  it('guards its route and its object method, so the variable alone decides', () => {
    expect(read('worker/routes/dev-clock.ts')).toMatch(/if \(c\.env\.DEV_CLOCK !== 'on'\) throw new ApiError\('request\.not_found'/);
    expect(read('worker/conversation/sla-clock.ts')).toMatch(/if \(env\.DEV_CLOCK !== 'on'\) return fail\('request\.not_found'/);
  });
});
