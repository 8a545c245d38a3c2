// Reports in Chromium (issue 14): the supervisor opens Reports in the real inbox; today's tiles
// follow a new conversation live (the inbox socket's frames, no reload); the two weeks of demo
// history that `npm start` seeds show in the figures, the shifts, the long pauses (drilled down to
// the message pair, masked) and the CSAT comments (masked); every table exports as CSV; a figure
// links to its definition; a pause opens its conversation in the inbox.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { Agent, Socket, baseUrl, eventually, hasChromium, inboxSignedIn } from './harness';

const SAM = 'supervisor@northwind.test';
const fixture = inboxSignedIn(SAM);
let page: Page;
let sam: Agent;

const reports = () => page.locator('sb-reports');
const tile = (kpi: string) => reports().locator(`.tile[data-kpi=${kpi}] strong`);
const isoDaysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

/** A customer of the operator brand writes a first message over the real socket. */
async function customerWrites(text: string): Promise<string> {
  const res = await fetch(`${baseUrl()}/v1/widget/session`, { method: 'POST', headers: { 'content-type': 'application/json', origin: baseUrl() }, body: JSON.stringify({ brand: 'operator', channel: 'web' }) });
  const s = (await res.json()) as { conversationId: string; socketToken: string; socketUrl: string };
  const ws = await Socket.open(s.socketUrl, { origin: baseUrl() });
  ws.send({ type: 'hello', token: s.socketToken, lastSeq: 0 });
  await ws.next((f) => f.type === 'welcome');
  ws.send({ type: 'message.send', clientId: crypto.randomUUID(), text });
  await ws.next((f) => f.type === 'message.ack');
  ws.close();
  return s.conversationId;
}

beforeAll(async () => {
  page = fixture.page();
  sam = await Agent.login(SAM);
  await page.locator('sb-top-bar button', { hasText: 'Reports' }).click();
  await eventually(async () => (await tile('received').textContent())?.match(/^\d+$/));
});

describe.skipIf(!hasChromium)('the Reports view (issue 14)', () => {
  it("today's tiles follow a new conversation live, through the inbox socket", async () => {
    const before = Number(await tile('received').textContent());
    const backlog = Number(await tile('backlog').textContent());
    await customerWrites('My roaming stopped working');
    await expect.poll(async () => Number(await tile('received').textContent()), { timeout: 20_000 }).toBe(before + 1);
    await expect.poll(async () => Number(await tile('backlog').textContent()), { timeout: 20_000 }).toBe(backlog + 1);
    // Sam is signed in: today's utilization is a share, not a dash.
    await expect.poll(() => tile('utilization').textContent(), { timeout: 20_000 }).toMatch(/%$/);
  });

  it('the seeded fortnight shows by agent, by topic and by day, with a chart and a CSV export', async () => {
    await reports().locator('input[name=from]').fill(isoDaysAgo(14));
    await reports().locator('input[name=from]').dispatchEvent('change');
    const rows = reports().locator('table.figures tbody tr');
    await expect.poll(() => rows.locator('th').allTextContents()).toEqual(expect.arrayContaining(['Anna', 'Boris', 'No agent']));
    // 14 days × 12 seeded conversations, and whatever today brought.
    await expect.poll(async () => Number(await reports().locator('table.figures td[data-total=received]').textContent())).toBeGreaterThanOrEqual(168);
    await expect.poll(() => reports().locator('sb-report-chart').locator('rect').count()).toBeGreaterThanOrEqual(28);
    await reports().locator('select[name=by]').selectOption('topic');
    await expect.poll(() => rows.locator('th').allTextContents()).toEqual(expect.arrayContaining(['Roaming', 'Billing']));
    const href = await reports().locator('a', { hasText: 'Export CSV' }).getAttribute('href');
    const csv = await fetch(`${baseUrl()}${href}`, { headers: { cookie: sam.cookie } });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect((await csv.text()).split('\r\n')[0]).toMatch(/^"topic","Received","Handled"/);
  });

  it('a figure links to its definition', async () => {
    await reports().locator('thead a.kpi', { hasText: 'First response time' }).click();
    await expect.poll(() => reports().locator('.defs dt.marked').textContent()).toBe('First response time');
    expect(await reports().locator('.defs dt.marked + dd').textContent()).toContain('first agent reply');
  });

  it('shifts show utilization and occupancy per agent and day', async () => {
    await reports().locator('[role=tab]', { hasText: 'Shifts' }).click();
    const anna = reports().locator('table.shifts tbody tr', { hasText: 'Anna' });
    await expect.poll(() => anna.count()).toBeGreaterThanOrEqual(14);
    expect(await anna.first().locator('td[data-kpi=utilization]').textContent()).toMatch(/^\d+ %$/);
    expect(await anna.first().locator('td[data-kpi=occupancy]').textContent()).toMatch(/^\d+(\.\d)? %$/);
  });

  it('CSAT comments are listed masked', async () => {
    await reports().locator('[role=tab]', { hasText: 'CSAT' }).click();
    const bad = reports().locator('table.csat tbody tr', { hasText: 'Waited too long' }).first();
    await expect.poll(() => bad.textContent()).toContain('my number is');
    expect(await bad.textContent()).not.toContain('2912 3456');
  });

  it('long pauses by agent and topic drill down to the message pair, masked, and open the conversation', async () => {
    await reports().locator('[role=tab]', { hasText: 'Long pauses' }).click();
    const group = reports().locator('table.pauses tbody tr', { hasText: 'Anna' }).first();
    await expect.poll(() => group.count()).toBe(1);
    await group.locator('button', { hasText: 'Show pauses' }).click();
    const pair = reports().locator('ol.pairs li').first();
    await expect.poll(() => pair.locator('.pair.customer').textContent()).toMatch(/Customer/);
    expect(await pair.locator('.pair.agent').textContent()).toContain('Done, it should work now');
    const masked = reports().locator('ol.pairs li', { hasText: 'call me on' }).first();
    if (await masked.count()) expect(await masked.textContent()).not.toContain('2912 3456');
    const number = (await pair.locator('button.link').textContent())!.trim();
    await pair.locator('button.link').click();
    await expect.poll(() => page.locator('sb-conversation header').textContent()).toContain(number);
  });
});
