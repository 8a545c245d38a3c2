// The complaint clock runs on its conversation's alarm: reminders to the assignee and the team's
// supervisors at 50 % and 80 % of the answer period and when it is overdue, each exactly once,
// audited, a line for agents only, and recorded in the register.
import { env, runDurableObjectAlarm } from 'cloudflare:test';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { SystemLine } from '../../../protocol';
import { stageAt } from '../../../worker/complaints/rules';
import { listComplaints } from '../../../worker/db/complaints';
import { Client, OPERATOR, api, conversationStub, drainToD1, login, seed } from '../../helpers';
import { detail, fileFromWidget } from '../complaints/complaint-helpers';

let admin: string;
let sam: string;
beforeAll(async () => {
  await seed();
  admin = await login('admin@northwind.test');
  sam = await login('supervisor@northwind.test');
});

afterEach(() => {
  vi.useRealTimers();
});

describe('complaint reminders under a controlled clock', () => {
  it('reminds at 50 %, 80 % and overdue, each exactly once, to the assignee and the supervisors, agents only', async () => {
    const { s, filed, id } = await fileFromWidget(OPERATOR.key, { team: 'billing' });
    // Anna takes it: she and the team's supervisors (Sam, Nora) are reminded.
    const anna = await login('anna@northwind.test');
    expect((await api(`/v1/agent/complaints/${id}`, { method: 'PATCH', cookie: anna, json: { status: 'in_review', assigneeId: '0190a000-0000-7000-8000-0000000000a3' } })).status).toBe(200);
    const customer = (await Client.join(s.conversationId, s.socketToken)).client;
    const stub = conversationStub(s.conversationId);
    const receivedAt = filed.dueAt - 30 * 24 * 3600_000;

    vi.useFakeTimers({ toFake: ['Date'] });
    const alarmAt = async (ms: number) => {
      vi.setSystemTime(ms);
      await runDurableObjectAlarm(stub);
    };
    // Sessions end under a clock moved weeks on: the register's rows are read from D1 meanwhile.
    // Agents' sockets close as their sessions end under the moved clock: the agents' lines are read from the object.
    const reminderLines = async () => {
      const snap = await stub.snapshot(OPERATOR.id);
      return snap.ok ? snap.value.lines.filter((l) => l.kind === 'complaint_reminder').map((l) => (l as { stage: string }).stage) : [];
    };
    const stages = async () => (await env.DB.prepare('SELECT stage FROM complaint_reminders WHERE complaint_id = ? ORDER BY at').bind(id).all<{ stage: string }>()).results.map((r) => r.stage);

    await alarmAt(stageAt('half', receivedAt, filed.dueAt) - 1000);
    expect(await stages()).toEqual([]);
    await alarmAt(stageAt('half', receivedAt, filed.dueAt));
    expect(await reminderLines()).toEqual(['half']);
    expect(await stages()).toEqual(['half']);
    // The same instant again, and a bit later: nothing more.
    await alarmAt(stageAt('half', receivedAt, filed.dueAt));
    await alarmAt(stageAt('late', receivedAt, filed.dueAt) - 1);
    expect(await stages()).toEqual(['half']);
    await alarmAt(stageAt('late', receivedAt, filed.dueAt));
    expect(await reminderLines()).toEqual(['half', 'late']);
    await alarmAt(filed.dueAt);
    expect(await reminderLines()).toEqual(['half', 'late', 'overdue']);
    await alarmAt(filed.dueAt + 7 * 24 * 3600_000);
    // Overdue is derived from the clock: the register's filter finds it now.
    const late = await listComplaints(env.DB, OPERATOR.id, { status: 'overdue', wall: { teams: ['billing'], agentId: 'nobody' }, now: Date.now(), limit: 500 });
    expect(late.map((c) => c.id)).toContain(id);

    vi.useRealTimers();
    const d = await detail(sam, id);
    expect(d.reminders.map((r) => r.stage)).toEqual(['half', 'late', 'overdue']);
    expect(d.reminders[0]!.recipients.map((r) => r.name).sort()).toEqual(['Anna', 'Nora Admin', 'Sam Supervisor']);
    await drainToD1(s.conversationId);
    const { events } = (await (await api(`/v1/agent/conversations/${s.conversationId}/events`, { cookie: admin })).json()) as { events: { kind: string; actorRole: string; data: Record<string, unknown> }[] };
    expect(events.filter((e) => e.kind === 'complaint.reminded').map((e) => [e.actorRole, e.data.stage])).toEqual([
      ['system', 'half'],
      ['system', 'late'],
      ['system', 'overdue'],
    ]);
    // The customer never sees a reminder line.
    expect(customer.frames.some((f) => f.type === 'system.line' && (f as { line: SystemLine }).line.kind === 'complaint_reminder')).toBe(false);
    customer.close();
  });

  it('an alarm that comes late sends each missed stage once, and a D1 row of a stage is never written twice', async () => {
    const { s, filed, id } = await fileFromWidget(OPERATOR.key, { team: 'billing' });
    const stub = conversationStub(s.conversationId);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(filed.dueAt + 1000);
    await runDurableObjectAlarm(stub);
    await runDurableObjectAlarm(stub);
    vi.useRealTimers();
    const rows = await env.DB.prepare('SELECT stage FROM complaint_reminders WHERE complaint_id = ? ORDER BY at, stage').bind(id).all<{ stage: string }>();
    expect(rows.results.map((r) => r.stage).sort()).toEqual(['half', 'late', 'overdue']);
  });

  it('stops once the complaint is answered', async () => {
    const { s, filed, id } = await fileFromWidget(OPERATOR.key, { team: 'billing' });
    const stub = conversationStub(s.conversationId);
    const nora = { role: 'agent' as const, id: '0190a000-0000-7000-8000-0000000000a1', name: 'Nora Admin', agentRole: 'admin' as const };
    expect(await stub.complaint(OPERATOR.id, nora, { type: 'answered', complaintId: id, number: filed.number, url: '/v1/letters/x' })).toMatchObject({ ok: true });
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(filed.dueAt + 1000);
    await runDurableObjectAlarm(stub);
    vi.useRealTimers();
    expect((await env.DB.prepare('SELECT count(*) AS n FROM complaint_reminders WHERE complaint_id = ?').bind(id).first<{ n: number }>())!.n).toBe(0);
    // Only agents answer; a customer's or another tenant's call changes nothing.
    expect(await stub.complaint(OPERATOR.id, { role: 'customer', id: 'c', name: null }, { type: 'answered', complaintId: id, number: filed.number, url: '/x' })).toMatchObject({ ok: false, code: 'auth.forbidden' });
    expect(await stub.complaint('another-tenant', nora, { type: 'revealed', complaintId: id, field: 'subject' })).toMatchObject({ ok: false, code: 'conversation.not_found' });
  });
});
