import { env, runInDurableObject } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../scripts/demo-seed';
import { hashPassword } from '../../worker/auth/password';
import { LOGIN_ACCOUNT, limiterName } from '../../worker/limits/limits';
import { limiterStub } from '../../worker/stubs';
import type { Lockout } from '../../worker/limits/lockout';
import { MVNO, OPERATOR, api, expectError, seed } from '../helpers';

/** A login from a given client IP (Cloudflare's CF-Connecting-IP). */
function loginFrom(ip: string, json: Record<string, unknown>): Promise<Response> {
  return api('/v1/agent/login', { method: 'POST', json, headers: { 'cf-connecting-ip': ip } });
}

async function expectRateLimited(res: Response, maxSeconds: number): Promise<number> {
  const retry = Number(res.headers.get('retry-after'));
  const body = (await res.clone().json()) as { error: { code: string; message: string; retryAfter?: number } };
  expect(res.status).toBe(429);
  expect(body.error.code).toBe('rate.limited');
  expect(retry).toBeGreaterThanOrEqual(1);
  expect(retry).toBeLessThanOrEqual(maxSeconds);
  expect(body.error.retryAfter).toBe(retry);
  expect(body.error.message).toContain(`${retry} s`);
  return retry;
}

beforeAll(async () => {
  await seed();
  const [t1, t2] = await Promise.all([
    env.DB.prepare('SELECT id FROM tenants WHERE key = ?').bind(OPERATOR.key).first<{ id: string }>(),
    env.DB.prepare('SELECT id FROM tenants WHERE key = ?').bind(MVNO.key).first<{ id: string }>(),
  ]);
  const now = Date.now();
  const add = async (id: string, tenantId: string, email: string, password: string) =>
    env.DB.prepare("INSERT INTO agents (id, tenant_id, email, name, role, password_hash, created_at) VALUES (?, ?, ?, 'Twin', 'agent', ?, ?)")
      .bind(id, tenantId, email, await hashPassword(password), now)
      .run();
  // The same address in two brands: with different passwords, and with the same one.
  await add(crypto.randomUUID(), t1!.id, 'twin@shared.test', 'operator-pass');
  await add(crypto.randomUUID(), t2!.id, 'twin@shared.test', 'mvno-pass');
  await add(crypto.randomUUID(), t1!.id, 'same@shared.test', 'same-pass');
  await add(crypto.randomUUID(), t2!.id, 'same@shared.test', 'same-pass');
});

describe('login oracle', () => {
  it('answers an unknown address, a wrong password and a two-brand address the same way', async () => {
    const answers = [];
    for (const [i, json] of [
      { email: 'nobody@nowhere.test', password: 'whatever' },
      { email: OPERATOR.agents[2]!.email, password: 'wrong' },
      { email: 'twin@shared.test', password: 'wrong' },
      { email: 'same@shared.test', password: 'wrong' },
    ].entries()) {
      const res = await loginFrom(`198.51.100.${i + 1}`, json);
      answers.push({ status: res.status, body: await res.json() });
    }
    expect(answers[0]).toEqual({ status: 401, body: { error: { code: 'auth.invalid_credentials', message: 'Wrong email or password' } } });
    for (const a of answers) expect(a).toEqual(answers[0]);
  });

  it('signs a two-brand address in where only one brand has that password', async () => {
    const res = await loginFrom('198.51.100.10', { email: 'twin@shared.test', password: 'mvno-pass' });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { agent: { tenantKey?: string; tenant?: { key: string } } }).agent).toBeTruthy();
  });

  it('asks for the brand only once the password matched in more than one', async () => {
    await expectError(await loginFrom('198.51.100.11', { email: 'same@shared.test', password: 'same-pass' }), 400, 'auth.tenant_required');
    expect((await loginFrom('198.51.100.11', { email: 'same@shared.test', password: 'same-pass', tenant: MVNO.key })).status).toBe(200);
  });
});

describe('login lockout', () => {
  it('locks an account after 5 wrong passwords, refuses the right one while locked, and keeps the lock in storage', async () => {
    const email = OPERATOR.agents[3]!.email;
    for (let i = 0; i < 5; i++) await expectError(await loginFrom('203.0.113.1', { email, password: `wrong-${i}` }), 401, 'auth.invalid_credentials');
    const retry = await expectRateLimited(await loginFrom('203.0.113.1', { email, password: DEMO_PASSWORD }), 30);
    expect(retry).toBeGreaterThan(20);
    // Another network does not help: the account itself is locked.
    await expectRateLimited(await loginFrom('203.0.113.2', { email, password: DEMO_PASSWORD }), 30);
    // The lock is in the object's storage, not in memory, so a restart does not lift it.
    const stored = await runInDurableObject(limiterStub(env, limiterName.loginAccount(email)), (_, state) => state.storage.get<Lockout>('lockout'));
    expect(stored?.failures).toBe(5);
    expect(stored!.lockedUntil).toBeGreaterThan(Date.now());

    // The lock runs out: the next wrong password locks for twice as long.
    await runInDurableObject(limiterStub(env, limiterName.loginAccount(email)), (_, state) => state.storage.put('lockout', { ...stored!, lockedUntil: Date.now() - 1 }));
    await expectError(await loginFrom('203.0.113.1', { email, password: 'wrong-again' }), 401, 'auth.invalid_credentials');
    expect(await expectRateLimited(await loginFrom('203.0.113.1', { email, password: DEMO_PASSWORD }), 60)).toBeGreaterThan(30);

    // After that lock, the right password works and resets the count.
    const again = await runInDurableObject(limiterStub(env, limiterName.loginAccount(email)), (_, state) => state.storage.get<Lockout>('lockout'));
    await runInDurableObject(limiterStub(env, limiterName.loginAccount(email)), (_, state) => state.storage.put('lockout', { ...again!, lockedUntil: Date.now() - 1 }));
    expect((await loginFrom('203.0.113.1', { email, password: DEMO_PASSWORD })).status).toBe(200);
    for (let i = 0; i < LOGIN_ACCOUNT.threshold - 1; i++) await expectError(await loginFrom('203.0.113.1', { email, password: 'wrong' }), 401, 'auth.invalid_credentials');
    expect((await loginFrom('203.0.113.1', { email, password: DEMO_PASSWORD })).status).toBe(200);
  });

  it('counts a parallel burst exactly: no more than 5 guesses are checked', async () => {
    const email = MVNO.agents[2]!.email;
    const answers = await Promise.all(Array.from({ length: 15 }, (_, i) => loginFrom(`203.0.113.${50 + i}`, { email, password: `burst-${i}` })));
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(10);
  });

  it('locks an IP that sprays many accounts, without locking those accounts elsewhere', async () => {
    const ip = '192.0.2.77';
    for (let i = 0; i < 20; i++) await expectError(await loginFrom(ip, { email: `spray${i}@nowhere.test`, password: 'x' }), 401, 'auth.invalid_credentials');
    await expectRateLimited(await loginFrom(ip, { email: MVNO.agents[3]!.email, password: DEMO_PASSWORD }), 30);
    expect((await loginFrom('192.0.2.78', { email: MVNO.agents[3]!.email, password: DEMO_PASSWORD })).status).toBe(200);
  });
});
