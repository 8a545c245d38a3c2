// The installed test pool's Durable Object wrapper, taken from node_modules and run here: after
// scripts/patch-test-pool.mjs (postinstall) it wraps a class's prototype in its Proxy once, not once
// per construction (workers-sdk#15092: after N objects every property read walked N proxies).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const POOL = new URL('../../node_modules/@cloudflare/vitest-pool-workers/dist/worker/lib/cloudflare/test-internal.mjs', import.meta.url);

/** The pool's createProxyPrototypeClass, evaluated on its own. */
function installedWrapper(): (base: new () => object, unknown: (key: string) => unknown) => new () => object {
  const src = readFileSync(POOL, 'utf8');
  const start = src.indexOf('function createProxyPrototypeClass(');
  const end = src.indexOf('\n}\n', start);
  expect(start).toBeGreaterThan(-1);
  return new Function('IGNORED_KEYS', `${src.slice(start, end + 2)}; return createProxyPrototypeClass;`)(['self']);
}

describe('the test pool, patched', () => {
  it('gives every object of a wrapped class the same prototype, however many are made', () => {
    class Base {
      hello(): string {
        return 'hi';
      }
    }
    const Wrapped = installedWrapper()(Base, (key) => `unknown ${key}`);
    const objects = [new Wrapped(), new Wrapped(), new Wrapped()] as Base[];
    const protos = objects.map((o) => Object.getPrototypeOf(o) as object);
    expect(protos[1]).toBe(protos[0]);
    expect(protos[2]).toBe(protos[0]);
    // What the Proxy is for still works: known methods, and unknown keys deferred.
    expect(objects[2]!.hello()).toBe('hi');
    expect((objects[2] as unknown as Record<string, unknown>).nothing).toBe('unknown nothing');
  });
});
