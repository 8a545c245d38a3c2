// Filing a written complaint from the widget: a register number per tenant in sequence, the due
// date from the tenant's answer period, the customer told in the chat, the register masked.
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ComplaintListResponse, SystemLine } from '../../../protocol';
import { Client, MVNO, OPERATOR, api, drainToD1, expectError, login, seed } from '../../helpers';
import { WORDS, detail, fileFromWidget } from './complaint-helpers';

const DAY = 24 * 3600_000;
let admin: string;
beforeAll(async () => {
  await seed();
  admin = await login('admin@northwind.test');
});

describe('filing from the widget', () => {
  it('numbers complaints in sequence per tenant, sets the due date from the answer period, and tells the customer in the chat', async () => {
    const year = new Date().getUTCFullYear();
    const a = await fileFromWidget(OPERATOR.key);
    const b = await fileFromWidget(OPERATOR.key);
    const seqOf = (n: string) => Number(n.split('-')[2]);
    expect(a.filed.number).toMatch(new RegExp(`^C-${year}-\\d{6}$`));
    expect(seqOf(b.filed.number)).toBe(seqOf(a.filed.number) + 1);
    // Another tenant counts on its own.
    const other = await fileFromWidget(MVNO.key);
    expect(other.filed.number).toBe(`C-${year}-000001`);
    // The default period is 30 days.
    expect(Math.round((a.filed.dueAt - Date.now()) / DAY)).toBe(30);

    // The customer's thread has the complaint as their message and the line with number and date.
    const { welcome } = await Client.join(a.s.conversationId, a.s.socketToken);
    const w = welcome as unknown as { messages: { text: string }[]; lines: SystemLine[] };
    expect(w.messages.at(-1)!.text).toContain(WORDS.happened);
    expect(w.lines.find((l) => l.kind === 'complaint_filed')).toMatchObject({ kind: 'complaint_filed', number: a.filed.number, dueAt: a.filed.dueAt });
  });

  it("takes the tenant's answer period", async () => {
    const put = (answerDays: number) =>
      api('/v1/admin/complaints/settings', { method: 'PUT', cookie: admin, json: { answerDays, complaintsAddress: 'complaints@northwind.test', letterhead: 'Northwind Telecom\n1 Main St', senderName: 'Customer Care', closing: 'Kind regards' } });
    expect((await put(14)).status).toBe(200);
    const { filed } = await fileFromWidget(OPERATOR.key);
    expect(Math.round((filed.dueAt - Date.now()) / DAY)).toBe(14);
    expect((await put(30)).status).toBe(200);
    await expectError(await put(0), 400, 'request.invalid');
    // Only admins set it.
    await expectError(await api('/v1/admin/complaints/settings', { cookie: await login('anna@northwind.test') }), 403, 'auth.forbidden');
  });

  it('refuses a bad form in the one error shape and stores nothing', async () => {
    const before = await env.DB.prepare('SELECT count(*) AS n FROM complaints').first<{ n: number }>();
    const file = (json: unknown) => api('/v1/widget/complaints', { method: 'POST', json });
    await expectError(await file({ brand: OPERATOR.key, ...WORDS, email: 'not-an-address' }), 400, 'request.invalid');
    await expectError(await file({ brand: OPERATOR.key, ...WORDS, subject: '   ', email: 'a@example.test' }), 400, 'request.invalid');
    await expectError(await file({ brand: OPERATOR.key, ...WORDS, email: 'a@example.test', extra: 1 }), 400, 'request.invalid');
    await expectError(await file({ brand: 'nope', ...WORDS, email: 'a@example.test' }), 404, 'brand.not_found');
    expect(await env.DB.prepare('SELECT count(*) AS n FROM complaints').first<{ n: number }>()).toEqual(before);
  });

  it('shows agents the register with texts masked until the audited reveal, the CSV too', async () => {
    const { id, filed } = await fileFromWidget(OPERATOR.key);
    const d = await detail(admin, id);
    expect(d).toMatchObject({ number: filed.number, status: 'received', overdue: false });
    expect(d.happened).not.toContain('2912 3456');
    expect(d.happened).toContain('••');
    const list = (await (await api('/v1/agent/complaints?status=received', { cookie: admin })).json()) as ComplaintListResponse;
    expect(list.complaints.some((c) => c.id === id)).toBe(true);
    const csv = await (await api('/v1/agent/complaints/export.csv', { cookie: admin })).text();
    expect(csv).toContain(filed.number);
    expect(csv).not.toContain('2912 3456');

    const shown = await api(`/v1/agent/complaints/${id}/reveal`, { method: 'POST', cookie: admin, json: { field: 'happened' } });
    expect(((await shown.json()) as { text: string }).text).toBe(WORDS.happened);
    // The reveal is audited in the complaint's conversation.
    await drainToD1(filed.conversationId);
    const { events } = (await (await api(`/v1/agent/conversations/${filed.conversationId}/events`, { cookie: admin })).json()) as { events: { kind: string; data: Record<string, unknown> }[] };
    expect(events.filter((e) => e.kind.startsWith('complaint.'))).toMatchObject([
      { kind: 'complaint.filed', data: { number: filed.number } },
      { kind: 'complaint.revealed', data: { complaintId: id, field: 'happened' } },
    ]);
  });
});
