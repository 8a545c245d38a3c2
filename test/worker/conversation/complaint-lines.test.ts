// A complaint's audit events as thread lines: filed and answered reach the customer, a reminder
// reaches agents only.
import { describe, expect, it } from 'vitest';
import { lineForAgents, lineForCustomers, lineOf } from '../../../worker/conversation/system-lines';

const ev = (kind: string, data: Record<string, unknown>, actorRole = 'system', actorName: string | null = null) => ({ seq: 7, kind, actorRole, actorName, data, at: 1000 });

describe('complaint lines', () => {
  it('tell the customer the number, the due date and the letter, and keep reminders to agents', () => {
    const filed = lineOf(ev('complaint.filed', { number: 'C-2026-000001', dueAt: 5000, complaintId: 'x' }, 'customer', 'Ivan'))!;
    expect(lineForCustomers(filed)).toMatchObject({ kind: 'complaint_filed', number: 'C-2026-000001', dueAt: 5000 });
    const reminded = lineOf(ev('complaint.reminded', { number: 'C-2026-000001', stage: 'late', dueAt: 5000, recipients: [] }))!;
    expect(lineForAgents(reminded)).toMatchObject({ kind: 'complaint_reminder', stage: 'late', by: null });
    expect(lineForCustomers(reminded)).toBeNull();
    const answered = lineOf(ev('complaint.answered', { number: 'C-2026-000001', url: '/v1/letters/l?t=t&sig=s' }, 'agent', 'Sam Supervisor'))!;
    expect(lineForCustomers(answered)).toMatchObject({ kind: 'complaint_answered', url: '/v1/letters/l?t=t&sig=s', by: 'Sam Supervisor' });
    // A reveal of a complaint's text is audited, but makes no line.
    expect(lineOf(ev('complaint.revealed', { complaintId: 'x', field: 'happened' }, 'agent', 'Anna'))).toBeNull();
  });
});
