import { env, runInDurableObject } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SessionResponse } from '../../protocol';
import { SESSION_BRAND, limiterName } from '../../worker/limits/limits';
import { limiterStub } from '../../worker/stubs';
import { MVNO, OPERATOR, api, expectError, identityToken, seed } from '../helpers';

/** A widget session from a given client IP. */
function sessionFrom(ip: string, json: Record<string, unknown>): Promise<Response> {
  return api('/v1/widget/session', { method: 'POST', json: { channel: 'web', ...json }, headers: { 'cf-connecting-ip': ip } });
}

async function tenantId(key: string): Promise<string> {
  return (await env.DB.prepare('SELECT id FROM tenants WHERE key = ?').bind(key).first<{ id: string }>())!.id;
}

async function contactCount(): Promise<number> {
  return (await env.DB.prepare('SELECT count(*) AS n FROM contacts').first<{ n: number }>())!.n;
}

beforeAll(() => seed());

describe('session creation limits', () => {
  it('stops a flood of new sessions from one IP with 429 and Retry-After, but not a returning visitor', async () => {
    const first = (await (await sessionFrom('198.51.100.200', { brand: OPERATOR.key })).json()) as SessionResponse;
    const started = Date.now();
    let made = 1;
    let refused: Response | null = null;
    for (let i = 0; i < 80 && !refused; i++) {
      const res = await sessionFrom('198.51.100.200', { brand: OPERATOR.key });
      if (res.status === 200) made++;
      else refused = res;
    }
    expect(refused, 'the flood was never stopped').not.toBeNull();
    // A burst of 30 plus one every 2 s while the loop ran, and not one more.
    expect(made).toBeLessThanOrEqual(30 + Math.ceil((Date.now() - started) / 2000) + 1);
    expect(Number(refused!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const contactsAfter = await contactCount();
    await expectError(refused!, 429, 'rate.limited');

    // Refused sessions store nothing.
    await expectError(await sessionFrom('198.51.100.200', { brand: OPERATOR.key }), 429, 'rate.limited');
    expect(await contactCount()).toBe(contactsAfter);

    // The visitor who already has a token, and a known subscriber, come back through the same IP.
    const back = await sessionFrom('198.51.100.200', { brand: OPERATOR.key, visitorToken: first.visitorToken });
    expect(back.status).toBe(200);
    expect(((await back.json()) as SessionResponse).conversationId).toBe(first.conversationId);
    const token = await identityToken(OPERATOR.identitySecret, 'sub-known');
    expect((await sessionFrom('198.51.100.201', { brand: OPERATOR.key, identityToken: token })).status).toBe(200);
    expect((await sessionFrom('198.51.100.200', { brand: OPERATOR.key, identityToken: token })).status).toBe(200);

    // Another network is not affected.
    expect((await sessionFrom('198.51.100.202', { brand: OPERATOR.key })).status).toBe(200);
  });

  it('caps new sessions per brand, whatever the IP', async () => {
    const id = await tenantId(MVNO.key);
    const known = (await (await sessionFrom('198.51.100.210', { brand: MVNO.key })).json()) as SessionResponse;
    // Drain the brand's budget as a distributed flood would, then flood from many IPs at once.
    await runInDurableObject(limiterStub(env, limiterName.sessionBrand(id)), (_, state) =>
      // keepUntil too, or the object's clean-up alarm would forget the drained bucket.
      state.storage.put({ bucket: { tokens: 0, at: Date.now() }, keepUntil: Date.now() + 60_000 }),
    );
    const started = Date.now();
    const flood = await Promise.all(Array.from({ length: 20 }, (_, i) => sessionFrom(`198.51.100.${100 + i}`, { brand: MVNO.key })));
    const made = flood.filter((r) => r.status === 200).length;
    // It refills 10 a second: only what trickled back in while the flood ran got through.
    expect(made).toBeLessThanOrEqual(Math.ceil(((Date.now() - started) / 1000) * SESSION_BRAND.refillPerSec) + 1);
    await expectError(flood.find((r) => r.status !== 200)!, 429, 'rate.limited');
    expect((await sessionFrom('198.51.100.212', { brand: MVNO.key, visitorToken: known.visitorToken })).status).toBe(200);
    // Other brands are not affected.
    expect((await sessionFrom('198.51.100.213', { brand: OPERATOR.key })).status).toBe(200);
  });
});

describe('contact attributes cap', () => {
  async function attributesOf(contactId: string): Promise<Record<string, unknown>> {
    const row = await env.DB.prepare('SELECT attributes FROM contacts WHERE id = ?').bind(contactId).first<{ attributes: string }>();
    return JSON.parse(row!.attributes) as Record<string, unknown>;
  }
  const keys = (from: number, n: number, value: (i: number) => string | number = (i) => i) =>
    Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${from + i}`, value(from + i)]));

  it('keeps at most 50 keys however many calls add them, and stores nothing over the cap', async () => {
    const s = (await (await sessionFrom('198.51.100.220', { brand: OPERATOR.key, attributes: keys(0, 10) })).json()) as SessionResponse;
    for (let n = 10; n < 50; n += 10) {
      expect((await sessionFrom('198.51.100.220', { brand: OPERATOR.key, visitorToken: s.visitorToken, attributes: keys(n, 10) })).status).toBe(200);
    }
    expect(Object.keys(await attributesOf(s.contactId))).toHaveLength(50);
    await expectError(await sessionFrom('198.51.100.220', { brand: OPERATOR.key, visitorToken: s.visitorToken, attributes: keys(50, 1) }), 400, 'contact.attributes_too_large');
    const after = await attributesOf(s.contactId);
    expect(Object.keys(after)).toHaveLength(50);
    expect(after.k50).toBeUndefined();
    // Changing existing keys still works at the cap.
    expect((await sessionFrom('198.51.100.220', { brand: OPERATOR.key, visitorToken: s.visitorToken, attributes: { k0: 'changed' } })).status).toBe(200);
    expect((await attributesOf(s.contactId)).k0).toBe('changed');
  });

  it('keeps at most 8 KB, in one call or added up, and a too-big first call creates no contact', async () => {
    const before = await contactCount();
    const big = keys(0, 10, () => 'x'.repeat(1000));
    await expectError(await sessionFrom('198.51.100.221', { brand: OPERATOR.key, attributes: big }), 400, 'contact.attributes_too_large');
    expect(await contactCount()).toBe(before);

    const s = (await (await sessionFrom('198.51.100.221', { brand: OPERATOR.key, attributes: keys(0, 5, () => 'y'.repeat(900)) })).json()) as SessionResponse;
    await expectError(
      await sessionFrom('198.51.100.221', { brand: OPERATOR.key, visitorToken: s.visitorToken, attributes: keys(5, 5, () => 'z'.repeat(900)) }),
      400,
      'contact.attributes_too_large',
    );
    expect(Object.keys(await attributesOf(s.contactId))).toHaveLength(5);
  });
});
