import { REMINDER_AT, REMINDER_STAGES } from '../../protocol';
import type { AgentRole, ComplaintStatus, ErrorCode, ReminderStage } from '../../protocol';

/**
 * The rules of written complaints, pure: when an answer is due, which reminders are due now,
 * whether it is overdue, and who may approve a letter. The Conversation object's alarm and the
 * routes do the I/O around these.
 */

const DAY_MS = 24 * 60 * 60 * 1000;

/** A complaint's clock as its Conversation object keeps it: what was reminded, and whether it is answered. */
export interface ComplaintClock {
  id: string;
  number: string;
  receivedAt: number;
  dueAt: number;
  sent: ReminderStage[];
  answered: boolean;
  /** This deployment's origin at filing, for the links in reminder mails. */
  origin?: string;
}

/** A refusal in the one error shape's terms. */
export interface ComplaintRefusal {
  ok: false;
  code: ErrorCode;
  message: string;
}

/** When the answer is due: the tenant's answer period after it was received. */
export function dueAtOf(receivedAt: number, answerDays: number): number {
  return receivedAt + answerDays * DAY_MS;
}

/** When a stage's reminder falls: its share of the period after receipt. */
export function stageAt(stage: ReminderStage, receivedAt: number, dueAt: number): number {
  return receivedAt + Math.round(REMINDER_AT[stage] * (dueAt - receivedAt));
}

/** Whether the answer is late: due passed and not answered. Derived, so it is never stale. */
export function isOverdue(c: { status: ComplaintStatus; dueAt: number }, now: number): boolean {
  return c.status !== 'answered' && now >= c.dueAt;
}

/**
 * The reminders due at `now` that have not gone out, in order. A late alarm (a machine asleep
 * past two stages) sends each missed stage once: every stage is owed exactly one reminder.
 */
export function remindersDue(clock: ComplaintClock, now: number): ReminderStage[] {
  if (clock.answered) return [];
  return REMINDER_STAGES.filter((s) => !clock.sent.includes(s) && now >= stageAt(s, clock.receivedAt, clock.dueAt));
}

/** When the clock next needs the alarm, or null when nothing is left to remind. */
export function nextReminderAt(clock: ComplaintClock): number | null {
  if (clock.answered) return null;
  const left = REMINDER_STAGES.filter((s) => !clock.sent.includes(s)).map((s) => stageAt(s, clock.receivedAt, clock.dueAt));
  return left.length ? Math.min(...left) : null;
}

/** Who approves: their id and role, and whether they supervise the complaint's team. */
export interface Approver {
  id: string;
  role: AgentRole;
  supervisesTeam: boolean;
}

/**
 * Whether `approver` may approve a letter drafted by `authorId`: a supervisor of the complaint's
 * team or an admin, and never the author (four eyes, even for a supervisor who wrote it).
 */
export function mayApprove(approver: Approver, authorId: string, status: ComplaintStatus): ComplaintRefusal | null {
  if (status === 'answered') return { ok: false, code: 'complaint.answered', message: 'This complaint is answered; its letter cannot change' };
  if (approver.id === authorId) return { ok: false, code: 'auth.forbidden', message: 'The author of an answer cannot approve it; ask another supervisor' };
  if (approver.role === 'admin') return null;
  if (approver.role === 'supervisor' && approver.supervisesTeam) return null;
  return { ok: false, code: 'auth.forbidden', message: "Only a supervisor of the complaint's team or an admin approves its answer" };
}

/** Whether a draft may still be written: not once the letter went out. */
export function mayDraft(status: ComplaintStatus): ComplaintRefusal | null {
  return status === 'answered' ? { ok: false, code: 'complaint.answered', message: 'This complaint is answered; its letter cannot change' } : null;
}
