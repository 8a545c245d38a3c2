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

describe('the signed phone claim', () => {
  /** The phone identities of a session's contact, as D1 holds them. */
  async function phonesOf(res: Response): Promise<string[]> {
    expect(res.status, await res.clone().text()).toBe(200);
    const { contactId } = (await res.json()) as { contactId: string };
    const rows = await env.DB.prepare("SELECT value FROM contact_identities WHERE contact_id = ? AND kind = 'phone'").bind(contactId).all<{ value: string }>();
    return rows.results.map((r) => r.value);
  }

  /** HMAC-SHA-256 of the E.164 number keyed with the tenant id, hex: how migration 0007 says a number is kept. */
  async function expectedHash(tenantId: string, e164: string): Promise<string> {
    const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(tenantId), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    return [...new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(e164)))].map((b) => b.toString(16).padStart(2, '0')).join('');
  }

  it('is normalised to E.164 and stored only as the tenant-keyed hash', async () => {
    const stored = await phonesOf(await sessionWith(OPERATOR.key, await identityToken(OPERATOR.identitySecret, 'sub-phone-1', { phone: '00 (371) 2912-34.56' })));
    expect(stored).toEqual([await expectedHash(OPERATOR.id, '+37129123456')]);
    expect(stored[0]).not.toMatch(/37129123456|2912/);
    // The same number written otherwise is the same identity, not a second one.
    expect(await phonesOf(await sessionWith(OPERATOR.key, await identityToken(OPERATOR.identitySecret, 'sub-phone-1', { phone: '+37129123456' })))).toEqual(stored);
    const clear = await env.DB.prepare("SELECT COUNT(*) AS n FROM contact_identities WHERE value LIKE '%2912%' OR value LIKE '%37129123456%'").first<{ n: number }>();
    expect(clear!.n).toBe(0);
  });

  it('ignores a value that is no plausible number, keeping the session', async () => {
    for (const [i, phone] of ['12345', '29123456', '+371 2912', '+1234567890123456', 'call me', 37129123456, { n: '+37129123456' }].entries()) {
      expect(await phonesOf(await sessionWith(OPERATOR.key, await identityToken(OPERATOR.identitySecret, `sub-bad-phone-${i}`, { phone }))), String(phone)).toEqual([]);
    }
  });

  it('is never taken from the attributes an unsigned page sends', async () => {
    const res = await api('/v1/widget/session', { method: 'POST', json: { brand: OPERATOR.key, channel: 'web', attributes: { phone: '+37129123456' } } });
    expect(await phonesOf(res)).toEqual([]);
    const signedPage = await api('/v1/widget/session', { method: 'POST', json: { brand: OPERATOR.key, channel: 'web', identityToken: await identityToken(OPERATOR.identitySecret, 'sub-phone-attr'), attributes: { phone: '+37129123456' } } });
    expect(await phonesOf(signedPage)).toEqual([]);
  });
});
