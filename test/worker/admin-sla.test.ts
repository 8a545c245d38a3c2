// The SLA admin: read and replace the tenant's policies, calendar and warning share; bad input is
// refused in the one error shape and changes nothing; a change reaches a conversation with its
// next session, and an open ticket at once; the development clock route does not exist unless DEV_CLOCK is on.
import { env } from 'cloudflare:test';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEFAULT_SLA_TARGETS } from '../../protocol';
import type { ConversationDetailResponse, SlaConfig } from '../../protocol';
import { app } from '../../worker/index';
import { BASE, OPERATOR, api, drainToD1, expectError, login, seed, session } from '../helpers';
import { SAME_ORIGIN, leaveMessage } from '../security/fixtures';

let admin: string;
let anna: string;
let before: SlaConfig;

beforeAll(async () => {
  await seed();
  [admin, anna] = await Promise.all([login('admin@northwind.test'), login('anna@northwind.test')]);
  before = await read();
});
afterAll(async () => {
  expect((await put(before)).status).toBe(200);
});

const put = (config: unknown, cookie = admin) => api('/v1/admin/sla', { method: 'PUT', json: config, cookie, headers: SAME_ORIGIN });
async function read(): Promise<SlaConfig> {
  const res = await api('/v1/admin/sla', { cookie: admin });
  expect(res.status).toBe(200);
  return (await res.json()) as SlaConfig;
}

const GOOD: SlaConfig = {
  calendar: { timezone: 'Europe/Riga', hours: [{ day: 1, from: '09:00', to: '13:00' }, { day: 1, from: '14:00', to: '18:00' }], holidays: ['2027-01-01'] },
  warnAtPercent: 75,
  policies: [
    { team: 'general', priority: 'normal', firstResponseS: 600, nextResponseS: 900, resolutionS: 7200 },
    { team: 'billing', priority: 'urgent', firstResponseS: 60, nextResponseS: 120, resolutionS: 3600 },
  ],
};

describe('GET/PUT /v1/admin/sla', () => {
  it('starts from the demo seed: a policy for every team and priority, Riga office hours', () => {
    expect(before.calendar).toMatchObject({ timezone: 'Europe/Riga', hours: expect.arrayContaining([{ day: 1, from: '08:00', to: '20:00' }]) });
    expect(before.policies).toHaveLength(4 * 4);
    expect(before.policies).toContainEqual({ team: 'roaming', priority: 'urgent', firstResponseS: 60, nextResponseS: 75, resolutionS: 3600 });
  });

  it('replaces and reads back the whole setting', async () => {
    expect((await put(GOOD)).status).toBe(200);
    const got = await read();
    expect(got).toMatchObject({ calendar: GOOD.calendar, warnAtPercent: 75 });
    expect(got.policies).toEqual(expect.arrayContaining(GOOD.policies));
    expect(got.policies).toHaveLength(2);
    // Round the clock, no policies: the defaults.
    expect((await put({ calendar: null, warnAtPercent: 80, policies: [] })).status).toBe(200);
    expect(await read()).toEqual({ calendar: null, warnAtPercent: 80, policies: [] });
  });

  it('refuses bad input with a clear error and keeps what was stored', async () => {
    expect((await put(GOOD)).status).toBe(200);
    const bad: [string, unknown][] = [
      ['an unknown time zone', { ...GOOD, calendar: { ...GOOD.calendar!, timezone: 'Mars/Olympus' } }],
      ['overlapping hours', { ...GOOD, calendar: { ...GOOD.calendar!, hours: [{ day: 1, from: '09:00', to: '13:00' }, { day: 1, from: '12:00', to: '15:00' }] } }],
      ['hours the wrong way round', { ...GOOD, calendar: { ...GOOD.calendar!, hours: [{ day: 1, from: '18:00', to: '09:00' }] } }],
      ['no hours at all', { ...GOOD, calendar: { ...GOOD.calendar!, hours: [] } }],
      ['a holiday that is no date', { ...GOOD, calendar: { ...GOOD.calendar!, holidays: ['Christmas'] } }],
      ['a target under a minute', { ...GOOD, policies: [{ ...GOOD.policies[0]!, firstResponseS: 5 }] }],
      ['a team twice for one priority', { ...GOOD, policies: [GOOD.policies[0], GOOD.policies[0]] }],
      ['a team that does not exist', { ...GOOD, policies: [{ ...GOOD.policies[0]!, team: 'nowhere' }] }],
      ['a first response longer than the resolution', { ...GOOD, policies: [{ ...GOOD.policies[0]!, firstResponseS: 9000 }] }],
      ['a warning share of 100 %', { ...GOOD, warnAtPercent: 100 }],
      ['an unknown field', { ...GOOD, extra: true }],
    ];
    for (const [what, body] of bad) {
      const res = await put(body);
      expect(res.status, what).toBe(400);
      await expectError(res, 400, 'request.invalid');
    }
    const got = await read();
    expect(got.calendar).toEqual(GOOD.calendar);
    expect(got.policies).toHaveLength(2);
  });

  it('is for admins only', async () => {
    await expectError(await api('/v1/admin/sla', { cookie: anna }), 403, 'auth.forbidden');
    await expectError(await put(GOOD, anna), 403, 'auth.forbidden');
    await expectError(await api('/v1/admin/sla'), 401, 'auth.required');
  });

  it('reaches a conversation with its session: its targets, then the defaults for a team without a policy', async () => {
    expect((await put({ calendar: null, warnAtPercent: 80, policies: [{ team: 'general', priority: 'normal', firstResponseS: 600, nextResponseS: 900, resolutionS: 7200 }] })).status).toBe(200);
    const conv = await leaveMessage(OPERATOR, 'Hello, my bill is wrong');
    const state = async () => ((await (await api(`/v1/agent/conversations/${conv.id}`, { cookie: anna })).json()) as ConversationDetailResponse).state;
    const sla = (await state()).sla!;
    expect(sla.response).toMatchObject({ kind: 'first_response', targetS: 600 });
    expect(sla.response!.dueAt! - sla.response!.warnAt!).toBe(120_000);
    expect((await api(`/v1/agent/conversations/${conv.id}`, { method: 'PATCH', json: { priority: 'high' }, cookie: anna, headers: SAME_ORIGIN })).status).toBe(200);
    expect((await state()).sla!.response).toMatchObject({ targetS: DEFAULT_SLA_TARGETS.high.firstResponseS });
    // A policy saved now reaches the open ticket (as D1 knows it) without a new session.
    await drainToD1(conv.id);
    expect((await put({ calendar: null, warnAtPercent: 80, policies: [{ team: 'general', priority: 'high', firstResponseS: 120, nextResponseS: 900, resolutionS: 7200 }] })).status).toBe(200);
    await vi.waitFor(async () => expect((await state()).sla!.response).toMatchObject({ targetS: 120 }), { timeout: 5000, interval: 50 });
  });
});

describe('the development clock route', () => {
  it('does not exist unless the server runs with DEV_CLOCK=on', async () => {
    const s = await session(OPERATOR.key, 'web');
    const req = () => new Request(`${BASE}/v1/admin/dev/sla-clock`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: admin, ...SAME_ORIGIN }, body: JSON.stringify({ conversationId: s.conversationId, advanceMs: 1000 }) });
    const off = await app.request(req(), undefined, { ...env, DEV_CLOCK: undefined });
    await expectError(off, 404, 'request.not_found');
    // On (as in this pool), an admin of the tenant moves it; a body with neither way is refused.
    expect((await app.request(req(), undefined, env)).status).toBe(200);
    const neither = await api('/v1/admin/dev/sla-clock', { method: 'POST', json: { conversationId: s.conversationId }, cookie: admin, headers: SAME_ORIGIN });
    await expectError(neither, 400, 'request.invalid');
  });
});
