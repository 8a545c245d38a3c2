// The mail admin: an admin reads and replaces the brand's e-mail settings; the relay password goes
// in and never comes out (a PUT without it keeps it); bad input is refused in the one error shape
// and changes nothing; two brands cannot share an inbound address; a brand that gets e-mail makes
// its away form promise an answer by mail.
import { env } from 'cloudflare:test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrandResponse, MailSettingsResponse, MailSettingsView } from '../../../protocol';
import { findMailSettings } from '../../../worker/db/mail';
import { MVNO, OPERATOR, api, expectError, login, seed } from '../../helpers';
import { SAME_ORIGIN } from '../../security/fixtures';

let admin: string;
let mvnoAdmin: string;
let supervisor: string;
let before: MailSettingsView;

beforeAll(async () => {
  await seed();
  [admin, mvnoAdmin, supervisor] = await Promise.all([login('admin@northwind.test'), login('admin@volna.test'), login('supervisor@northwind.test')]);
  before = (await read()).mail!;
});
afterAll(async () => {
  expect((await put({ ...before, relay: { ...before.relay, passwordSet: undefined, password: null } })).status).toBe(200);
  await env.DB.prepare('DELETE FROM mail_settings WHERE tenant_id = ?').bind(MVNO.id).run();
});

const put = (body: unknown, cookie = admin) => api('/v1/admin/mail', { method: 'PUT', json: body, cookie, headers: SAME_ORIGIN });
async function read(cookie = admin): Promise<MailSettingsResponse> {
  const res = await api('/v1/admin/mail', { cookie });
  expect(res.status).toBe(200);
  return (await res.json()) as MailSettingsResponse;
}

const GOOD = { inboundAddress: 'Help@Northwind.test', fromName: 'Northwind Care', fromAddress: 'care@northwind.test', relay: { host: 'smtp.northwind.test', port: 465, secure: true, user: 'care', password: 's3cret-relay' } };

describe('GET/PUT /v1/admin/mail', () => {
  it('starts from the demo seed, and never shows the password', async () => {
    expect(before).toMatchObject({ inboundAddress: 'support@northwind.test', fromAddress: 'support@northwind.test' });
    expect(JSON.stringify(await read())).not.toMatch(/password"/);
  });

  it('replaces the settings; the password is stored, reported only as set, and kept by a PUT without it', async () => {
    const res = await put(GOOD);
    expect(res.status).toBe(200);
    const shown = (await res.json()) as MailSettingsView;
    expect(shown).toEqual({ inboundAddress: 'help@northwind.test', fromName: 'Northwind Care', fromAddress: 'care@northwind.test', relay: { host: 'smtp.northwind.test', port: 465, secure: true, user: 'care', passwordSet: true } });
    expect((await read()).mail).toEqual(shown);
    expect((await findMailSettings(env.DB, OPERATOR.id))?.relay.password).toBe('s3cret-relay');

    const { password: _, ...noPassword } = GOOD.relay;
    expect((await put({ ...GOOD, fromName: 'Northwind Customer Care', relay: noPassword })).status).toBe(200);
    const stored = await findMailSettings(env.DB, OPERATOR.id);
    expect(stored).toMatchObject({ fromName: 'Northwind Customer Care', relay: { password: 's3cret-relay' } });

    expect((await put({ ...GOOD, relay: { ...noPassword, password: null } })).status).toBe(200);
    expect((await read()).mail?.relay.passwordSet).toBe(false);
  });

  it('refuses bad input in the one error shape and keeps what was stored', async () => {
    const stored = await findMailSettings(env.DB, OPERATOR.id);
    const bad = [
      { ...GOOD, fromName: 'Care\r\nBcc: everyone@example.test' },
      { ...GOOD, inboundAddress: 'support+x@northwind.test' },
      { ...GOOD, fromAddress: 'not an address' },
      { ...GOOD, relay: { ...GOOD.relay, port: 70000 } },
      { ...GOOD, relay: { ...GOOD.relay, host: 'smtp.example.test\r\nX: y' } },
      { ...GOOD, extra: true },
    ];
    for (const body of bad) await expectError(await put(body), 400, 'request.invalid');
    expect(await findMailSettings(env.DB, OPERATOR.id)).toEqual(stored);
  });

  it('keeps brands apart: no shared inbound address, and each admin sees only their own brand', async () => {
    const current = (await read()).mail!;
    await expectError(await put({ ...GOOD, inboundAddress: current.inboundAddress }, mvnoAdmin), 400, 'request.invalid');
    expect((await read(mvnoAdmin)).mail).toBeNull();
    expect(await findMailSettings(env.DB, OPERATOR.id)).toMatchObject({ inboundAddress: current.inboundAddress });
    await expectError(await put(GOOD, supervisor), 403, 'auth.forbidden');
  });

  it('gives a brand without e-mail the promise of an answer by mail in its away form', async () => {
    const brand = async () => (await (await api(`/v1/widget/brands/${MVNO.key}`, { headers: { Origin: 'http://127.0.0.1:8787' } })).json()) as BrandResponse;
    expect((await brand()).email).toBe(false);
    expect((await put({ ...GOOD, inboundAddress: 'help@volna.test', fromAddress: 'help@volna.test' }, mvnoAdmin)).status).toBe(200);
    expect((await brand()).email).toBe(true);
  });
});
