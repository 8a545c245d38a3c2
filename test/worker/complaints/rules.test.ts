// The complaint rules, pure: due dates, which reminders are owed when, overdue, and who approves.
import { describe, expect, it } from 'vitest';
import { dueAtOf, isOverdue, mayApprove, mayDraft, nextReminderAt, remindersDue, stageAt } from '../../../worker/complaints/rules';
import type { ComplaintClock } from '../../../worker/complaints/rules';

const DAY = 24 * 3600_000;
const T0 = Date.UTC(2026, 2, 1);
const clock = (sent: ComplaintClock['sent'] = [], answered = false): ComplaintClock => ({ id: 'c1', number: 'C-2026-000001', receivedAt: T0, dueAt: dueAtOf(T0, 30), sent, answered });

describe('complaint rules', () => {
  it('puts the due date the answer period after receipt, and the stages at 50 %, 80 % and 100 %', () => {
    expect(dueAtOf(T0, 30)).toBe(T0 + 30 * DAY);
    expect(stageAt('half', T0, T0 + 30 * DAY)).toBe(T0 + 15 * DAY);
    expect(stageAt('late', T0, T0 + 30 * DAY)).toBe(T0 + 24 * DAY);
    expect(stageAt('overdue', T0, T0 + 30 * DAY)).toBe(T0 + 30 * DAY);
  });

  it('owes each stage once: none before half, the missed ones after a late alarm, nothing once sent or answered', () => {
    expect(remindersDue(clock(), T0 + 15 * DAY - 1)).toEqual([]);
    expect(remindersDue(clock(), T0 + 15 * DAY)).toEqual(['half']);
    expect(remindersDue(clock(['half']), T0 + 15 * DAY)).toEqual([]);
    expect(remindersDue(clock(), T0 + 31 * DAY)).toEqual(['half', 'late', 'overdue']);
    expect(remindersDue(clock(['half', 'late', 'overdue']), T0 + 60 * DAY)).toEqual([]);
    expect(remindersDue(clock([], true), T0 + 60 * DAY)).toEqual([]);
    expect(nextReminderAt(clock(['half']))).toBe(T0 + 24 * DAY);
    expect(nextReminderAt(clock(['half', 'late', 'overdue']))).toBeNull();
    expect(nextReminderAt(clock([], true))).toBeNull();
  });

  it('derives overdue: due passed and not answered', () => {
    expect(isOverdue({ status: 'in_review', dueAt: T0 }, T0 - 1)).toBe(false);
    expect(isOverdue({ status: 'in_review', dueAt: T0 }, T0)).toBe(true);
    expect(isOverdue({ status: 'answered', dueAt: T0 }, T0 + DAY)).toBe(false);
  });

  it("lets a supervisor of the team or an admin approve, never the author, never an agent, never twice", () => {
    expect(mayApprove({ id: 'sam', role: 'supervisor', supervisesTeam: true }, 'anna', 'in_review')).toBeNull();
    expect(mayApprove({ id: 'nora', role: 'admin', supervisesTeam: false }, 'anna', 'in_review')).toBeNull();
    expect(mayApprove({ id: 'sam', role: 'supervisor', supervisesTeam: true }, 'sam', 'in_review')).toMatchObject({ code: 'auth.forbidden' });
    expect(mayApprove({ id: 'nora', role: 'admin', supervisesTeam: true }, 'nora', 'in_review')).toMatchObject({ code: 'auth.forbidden' });
    expect(mayApprove({ id: 'sam', role: 'supervisor', supervisesTeam: false }, 'anna', 'in_review')).toMatchObject({ code: 'auth.forbidden' });
    expect(mayApprove({ id: 'boris', role: 'agent', supervisesTeam: false }, 'anna', 'in_review')).toMatchObject({ code: 'auth.forbidden' });
    expect(mayApprove({ id: 'sam', role: 'supervisor', supervisesTeam: true }, 'anna', 'answered')).toMatchObject({ code: 'complaint.answered' });
    expect(mayDraft('answered')).toMatchObject({ code: 'complaint.answered' });
    expect(mayDraft('received')).toBeNull();
  });
});
