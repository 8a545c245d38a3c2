import { env } from 'cloudflare:test';
import { SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { MVNO, OPERATOR, api, expectError, identityToken, seed } from '../helpers';

function sessionWith(brand: string, token: string): Promise<Response> {
  return api('/v1/widget/session', { method: 'POST', json: { brand, channel: 'app', identityToken: token } });
}

/** A token with chosen iat and exp (seconds from now). */
function tokenAt(secret: string, sub: string, iatFromNow: number, expFromNow: number): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(sub).setIssuedAt(now + iatFromNow).setExpirationTime(now + expFromNow).sign(new TextEncoder().encode(secret));
}

beforeAll(() => seed());

describe('identity tokens go stale', () => {
  it('refuses a token that expires in 100 years', async () => {
    const token = await identityToken(OPERATOR.identitySecret, 'sub-forever', { expiresIn: 100 * 365 * 24 * 3600 });
    await expectError(await sessionWith(OPERATOR.key, token), 401, 'auth.token_invalid');
  });

  it('refuses a token issued longer ago than the maximum age, even if exp is near', async () => {
    const token = await tokenAt(OPERATOR.identitySecret, 'sub-old', -2 * 24 * 3600, 600);
    await expectError(await sessionWith(OPERATOR.key, token), 401, 'auth.token_expired');
  });

  it('accepts a token within the default day, with or without iat', async () => {
    expect((await sessionWith(OPERATOR.key, await identityToken(OPERATOR.identitySecret, 'sub-fresh', { expiresIn: 23 * 3600 }))).status).toBe(200);
    const noIat = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('sub-no-iat').setExpirationTime(Math.floor(Date.now() / 1000) + 600).sign(new TextEncoder().encode(OPERATOR.identitySecret));
    expect((await sessionWith(OPERATOR.key, noIat)).status).toBe(200);
  });

  it('follows the maximum age the tenant set', async () => {
    await env.DB.prepare('UPDATE tenants SET identity_token_max_age_s = 300 WHERE key = ?').bind(MVNO.key).run();
    await expectError(await sessionWith(MVNO.key, await identityToken(MVNO.identitySecret, 'sub-a', { expiresIn: 600 })), 401, 'auth.token_invalid');
    await expectError(await sessionWith(MVNO.key, await tokenAt(MVNO.identitySecret, 'sub-b', -600, 120)), 401, 'auth.token_expired');
    expect((await sessionWith(MVNO.key, await identityToken(MVNO.identitySecret, 'sub-c', { expiresIn: 240 }))).status).toBe(200);
    // Other tenants keep the default.
    expect((await sessionWith(OPERATOR.key, await identityToken(OPERATOR.identitySecret, 'sub-d', { expiresIn: 600 }))).status).toBe(200);
  });

  it('refuses a maximum age outside 1 minute to 30 days at the database', async () => {
    await expect(env.DB.prepare('UPDATE tenants SET identity_token_max_age_s = 10 WHERE key = ?').bind(MVNO.key).run()).rejects.toThrow();
  });
});
