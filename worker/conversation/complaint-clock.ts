import type { Channel } from '../../protocol';
import type { Env } from '../env';
import { findComplaint, recordReminder, reminderRecipients } from '../db/complaints';
import { nextReminderAt, remindersDue } from '../complaints/rules';
import type { ComplaintClock } from '../complaints/rules';
import { mailReminded } from '../complaints/mail';
import type { ConversationCore, Result } from './core';
import { fail, ok } from './core';
import type { Actor } from './commands';
import { SYSTEM } from './commands';
import { authorOf } from './rules';

/**
 * The written complaints filed in this conversation, on its object: the complaint's own message in
 * the thread, the audited lines (filed, each reminder, answered), and the clock. The clock is this
 * object's alarm: `complaintClock` runs from `alarm()` and sends each reminder — 50 %, 80 %,
 * overdue — exactly once: D1's key takes one row per stage, and the object marks the stage sent
 * in the same write as its audit event, after D1 has it; a crash in between repeats only D1's
 * no-op insert, never the event.
 */

const CLOCKS_KEY = 'complaint-clocks';
/** When D1 cannot be reached at a reminder, the alarm tries again this much later. */
const RETRY_MS = 60_000;

/** What the Worker asks the object to do about a complaint. */
export type ComplaintOp =
  /** Filed: its words go into the thread as the customer's message, then the filed line. */
  | { type: 'file'; complaint: { id: string; number: string; receivedAt: number; dueAt: number; origin: string }; channel: Channel; text: string }
  /** The approved letter went out: the customer's line with its link; the clock stops. */
  | { type: 'answered'; complaintId: string; number: string; url: string }
  /** An agent saw a field in clear: audited. */
  | { type: 'revealed'; complaintId: string; field: string }
  /** Development only (DEV_CLOCK=on): the complaint's period moves `ms` into the past, as if that time had passed. */
  | { type: 'dev.advance'; complaintId: string; ms: number };

/** Where the conversation stands after a filing: its team and agent, for the register's row. */
export interface ComplaintPlace {
  team: string;
  assignee: { id: string; name: string } | null;
  /** The last seq of the thread (after a filing: the complaint's own message). */
  seq: number;
}

async function loadClocks(core: ConversationCore): Promise<ComplaintClock[]> {
  return (await core.ctx.storage.get<ComplaintClock[]>(CLOCKS_KEY)) ?? [];
}

/** Carry out a complaint operation in this conversation. */
export async function runComplaintOp(core: ConversationCore, actor: Actor, op: ComplaintOp): Promise<Result<ComplaintPlace>> {
  const now = Date.now();
  const clocks = await loadClocks(core);
  switch (op.type) {
    case 'file': {
      if (actor.role !== 'customer') return fail('auth.forbidden', 'Only the customer files a complaint');
      const c = op.complaint;
      if (!clocks.some((k) => k.id === c.id)) {
        const sent = await core.append(actor, op.channel, `complaint:${c.id}`, op.text);
        if (!sent.ok) return sent;
        // The append awaited: read the list again so a clock stored meanwhile is kept.
        clocks.splice(0, clocks.length, ...(await loadClocks(core)));
        clocks.push({ id: c.id, number: c.number, receivedAt: c.receivedAt, dueAt: c.dueAt, sent: [], answered: false, origin: c.origin });
        core.record([{ kind: 'complaint.filed', actor: authorOf(actor), data: { complaintId: c.id, number: c.number, dueAt: c.dueAt } }], now);
        await core.ctx.storage.put(CLOCKS_KEY, clocks);
        await core.drain.soon(0);
        await core.schedule(nextReminderAt(clocks[clocks.length - 1]!) ?? now);
      }
      break;
    }
    case 'answered': {
      if (actor.role !== 'agent') return fail('auth.forbidden', 'Only agents answer complaints');
      const clock = clocks.find((k) => k.id === op.complaintId);
      if (clock && !clock.answered) {
        clock.answered = true;
        core.record([{ kind: 'complaint.answered', actor: authorOf(actor), data: { complaintId: op.complaintId, number: op.number, url: op.url } }], now);
        await core.ctx.storage.put(CLOCKS_KEY, clocks);
        await core.drain.soon(0);
      }
      break;
    }
    case 'dev.advance': {
      const clock = clocks.find((k) => k.id === op.complaintId);
      if (core.env.DEV_CLOCK !== 'on' || !clock) return fail('request.not_found', 'No such complaint clock');
      clock.receivedAt -= op.ms;
      clock.dueAt -= op.ms;
      await core.ctx.storage.put(CLOCKS_KEY, clocks);
      await core.schedule(now);
      break;
    }
    case 'revealed':
      if (actor.role !== 'agent') return fail('auth.forbidden', 'Only agents reveal masked text');
      core.record([{ kind: 'complaint.revealed', actor: authorOf(actor), data: { complaintId: op.complaintId, field: op.field } }], now);
      await core.drain.soon(0);
      break;
  }
  const s = core.s;
  return ok({ team: s.team, assignee: s.assigneeId ? { id: s.assigneeId, name: s.assigneeName ?? '' } : null, seq: core.seq });
}

/**
 * At the alarm: send every reminder that is due and not sent, each once, audited as a line for
 * agents. Returns when to wake next (Infinity: no complaint needs the clock).
 */
export async function complaintClock(core: ConversationCore, env: Env, now: number): Promise<number> {
  const clocks = await loadClocks(core);
  if (!clocks.length) return Infinity;
  const tenantId = core.s.tenantId;
  try {
    for (const clock of clocks) {
      for (const stage of remindersDue(clock, now)) {
        const c = await findComplaint(env.DB, tenantId, clock.id);
        const recipients = c ? await reminderRecipients(env.DB, tenantId, c.team, c.assignee) : [];
        const names = recipients.map((r) => ({ id: r.id, name: r.name }));
        const first = c ? await recordReminder(env.DB, tenantId, clock.id, stage, now, names) : false;
        // D1 let other calls in (a filing may have added a clock): mark the stage on the stored list as it is now.
        const fresh = await loadClocks(core);
        const mine = fresh.find((k) => k.id === clock.id);
        if (!mine || mine.sent.includes(stage)) continue;
        mine.sent.push(stage);
        clock.sent.push(stage);
        core.record([{ kind: 'complaint.reminded', actor: authorOf(SYSTEM), data: { complaintId: clock.id, number: clock.number, stage, dueAt: clock.dueAt, recipients: names } }], now);
        await core.ctx.storage.put(CLOCKS_KEY, fresh);
        // Mailed only for a reminder D1 had not seen, so a retried alarm mails nobody twice.
        if (first) await mailReminded(env, tenantId, { complaintId: clock.id, number: clock.number, stage, dueAt: clock.dueAt, registerUrl: `${clock.origin ?? ''}/inbox#complaints`, recipients });
      }
    }
  } catch (err) {
    console.warn('complaint reminder failed; retrying:', (err as Error).message);
    return now + RETRY_MS;
  }
  const next = (await loadClocks(core)).map(nextReminderAt).filter((t): t is number => t !== null);
  return next.length ? Math.min(...next) : Infinity;
}
