// The conversation rules are pure: these tests need no object, socket or database, only a state,
// a command, an actor and a clock.
import { describe, expect, it } from 'vitest';
import { CSAT_CHANGES, HOLD_REMIND_EVERY_MS, MAX_HOLD_MS, decide, holdWakeAt } from '../../../worker/conversation/rules';
import { SYSTEM } from '../../../worker/conversation/commands';
import type { Actor, Command, Decision } from '../../../worker/conversation/commands';
import { newState } from '../../../worker/conversation/state';
import type { DoState } from '../../../worker/conversation/state';

const NOW = Date.UTC(2026, 10, 29, 12, 0, 0);
const anna: Actor = { role: 'agent', id: 'anna', name: 'Anna', agentRole: 'agent' };
const boris: Actor = { role: 'agent', id: 'boris', name: 'Boris', agentRole: 'agent' };
const sam: Actor = { role: 'agent', id: 'sam', name: 'Sam', agentRole: 'supervisor' };
const olga: Actor = { role: 'customer', id: 'contact-1', name: 'Olga' };

function state(over: Partial<DoState> = {}): DoState {
  const init = { id: 'c1', tenantId: 't1', tenantKey: 'operator', contactName: null, number: 1, contactId: 'contact-1', createdAt: NOW - 60_000 };
  return { ...newState(init), channels: ['web'], version: 3, ...over };
}

function ok(d: Decision) {
  if (!d.ok) throw new Error(`refused: ${d.code} ${d.message}`);
  return d;
}

const refused = (d: Decision) => (d.ok ? null : d.code);
const assign = (to: string | null): Command => ({ type: 'update', patch: { assigneeId: to }, assignee: to ? { id: to, name: to } : undefined });

describe('who may move a conversation', () => {
  it('an agent takes an unassigned conversation and hands on their own, and nothing else', () => {
    expect(ok(decide(state(), assign('anna'), anna, NOW)).state.assigneeId).toBe('anna');
    expect(ok(decide(state({ assigneeId: 'anna' }), assign('boris'), anna, NOW)).state.assigneeId).toBe('boris');
    expect(ok(decide(state({ assigneeId: 'anna' }), assign(null), anna, NOW)).state.assigneeId).toBeNull();
    // A colleague's conversation: neither taken, nor given away, nor unassigned.
    expect(refused(decide(state({ assigneeId: 'boris' }), assign('anna'), anna, NOW))).toBe('auth.forbidden');
    expect(refused(decide(state({ assigneeId: 'boris' }), assign(null), anna, NOW))).toBe('auth.forbidden');
    expect(refused(decide(state(), assign('boris'), anna, NOW))).toBe('auth.forbidden');
    expect(refused(decide(state({ assigneeId: 'boris' }), { type: 'take' }, anna, NOW))).toBe('auth.forbidden');
  });

  it('supervisors and the system assign anything; customers nothing', () => {
    expect(ok(decide(state({ assigneeId: 'boris' }), assign('anna'), sam, NOW)).state.assigneeId).toBe('anna');
    expect(ok(decide(state({ assigneeId: 'boris' }), assign('anna'), SYSTEM, NOW)).state.assigneeId).toBe('anna');
    expect(refused(decide(state(), assign('anna'), olga, NOW))).toBe('auth.forbidden');
    expect(refused(decide(state(), { type: 'update', patch: { status: 'resolved' } }, olga, NOW))).toBe('auth.forbidden');
  });

  it('an agent who is not active is refused only after the permission check', () => {
    expect(refused(decide(state(), { type: 'update', patch: { assigneeId: 'ghost' }, assignee: 'unknown' }, sam, NOW))).toBe('agent.not_found');
    expect(refused(decide(state({ assigneeId: 'boris' }), { type: 'update', patch: { assigneeId: 'ghost' }, assignee: 'unknown' }, anna, NOW))).toBe('auth.forbidden');
  });

  it('a supervisor taking an escalated conversation takes its escalation over', () => {
    const escalated = state({ assigneeId: 'anna', escalation: { reason: 'angry', by: { id: 'anna', name: 'Anna' }, at: NOW - 1 } });
    const d = ok(decide(escalated, { type: 'take' }, sam, NOW));
    expect(d.state).toMatchObject({ assigneeId: 'sam', escalation: null });
    expect(d.events.map((e) => e.kind)).toEqual(['escalation.taken', 'assignee.changed']);
    // An agent taking their own escalated conversation does not clear it.
    expect(ok(decide(escalated, { type: 'take' }, anna, NOW)).effects.persist).toBe(false);
  });
});

describe('holds', () => {
  it('a hold needs a time in the future and within a week, and goes with on_hold only', () => {
    const hold = (until: number, status?: 'open') => ({ type: 'update' as const, patch: { hold: { note: 'checking', until }, ...(status ? { status } : {}) } });
    expect(refused(decide(state(), hold(NOW), anna, NOW))).toBe('request.invalid');
    expect(refused(decide(state(), hold(NOW + MAX_HOLD_MS + 1), anna, NOW))).toBe('request.invalid');
    expect(refused(decide(state(), hold(NOW + 60_000, 'open'), anna, NOW))).toBe('request.invalid');
    const d = ok(decide(state(), hold(NOW + 60_000), anna, NOW));
    expect(d.state).toMatchObject({ status: 'on_hold', holdNote: 'checking', holdUntil: NOW + 60_000 });
    expect(d.effects).toEqual({ persist: true, publish: true, wakeAt: NOW + 60_000 });
  });

  it('goes overdue once at its time, and the agent replying ends it', () => {
    const held = state({ status: 'on_hold', holdNote: 'checking', holdUntil: NOW + 1000, assigneeId: 'anna' });
    expect(ok(decide(held, { type: 'hold.check' }, SYSTEM, NOW)).effects.persist).toBe(false);
    const due = ok(decide(held, { type: 'hold.check' }, SYSTEM, NOW + 1000));
    expect(due.state.holdOverdue).toBe(true);
    expect(due.events).toMatchObject([{ kind: 'hold.overdue', actor: { role: 'system' } }]);
    expect(ok(decide(due.state, { type: 'hold.check' }, SYSTEM, NOW + 5000)).effects.persist).toBe(false);
    const replied = ok(decide(due.state, { type: 'message', channel: 'web', createdAt: NOW + 6000, live: true }, anna, NOW + 6000));
    expect(replied.state).toMatchObject({ status: 'open', holdNote: null, holdUntil: null, holdOverdue: false });
  });

  it('reminds again every HOLD_REMIND_EVERY_MS while it stays overdue, once per late alarm, audited, unseen by the customer', () => {
    const until = NOW + 1000;
    const every = HOLD_REMIND_EVERY_MS;
    const check = (s: DoState, at: number) => ok(decide(s, { type: 'hold.check' }, SYSTEM, at));
    const held = state({ status: 'on_hold', holdNote: 'checking', holdUntil: until, assigneeId: 'anna' });
    expect(holdWakeAt(held)).toBe(until);
    const due = check(held, until);
    expect(due.state.holdReminders).toBe(1);
    expect(due.effects).toEqual({ persist: true, publish: true, wakeAt: until + every });

    // Just before the next reminder is due: nothing changes, and the alarm keeps its time.
    expect(check(due.state, until + every - 1).effects.persist).toBe(false);
    const second = check(due.state, until + every);
    expect(second.events).toMatchObject([{ kind: 'hold.reminded', actor: { role: 'system' }, data: { until, assigneeId: 'anna', reminder: 2, overdueMs: every } }]);
    // The customer's view is the same (still overdue): stored and told to the Inbox, not published.
    expect(second.effects).toEqual({ persist: true, publish: false, wakeAt: until + 2 * every });

    // An alarm 12 minutes late sends one reminder, counted from the time overdue, not three.
    const late = check(second.state, until + 4 * every + 30_000);
    expect(late.events.map((e) => [e.kind, e.data.reminder])).toEqual([['hold.reminded', 5]]);
    expect(late.effects.wakeAt).toBe(until + 5 * every);

    // A new promise starts over: no reminder until its own time.
    const renewed = ok(decide(late.state, { type: 'update', patch: { hold: { note: 'still checking', until: NOW + 3 * 3600_000 } } }, anna, until + 4 * every + 31_000));
    expect(renewed.state).toMatchObject({ holdOverdue: false, holdReminders: 0 });
    expect(renewed.effects.wakeAt).toBe(NOW + 3 * 3600_000);
    // The hold ending leaves nothing for the alarm to look at.
    const ended = ok(decide(late.state, { type: 'update', patch: { hold: null } }, anna, until + 4 * every + 31_000));
    expect(holdWakeAt(ended.state)).toBeNull();
  });

  it('a hold stored overdue before reminders were counted had its first reminder', () => {
    const until = NOW - 60_000;
    const stored = state({ status: 'on_hold', holdNote: 'checking', holdUntil: until, holdOverdue: true });
    expect(holdWakeAt(stored)).toBe(until + HOLD_REMIND_EVERY_MS);
    expect(ok(decide(stored, { type: 'hold.check' }, SYSTEM, NOW)).effects.persist).toBe(false);
  });
});

describe('messages', () => {
  it('a customer waits from their first unanswered message; an agent answering owns the conversation', () => {
    const asked = ok(decide(state(), { type: 'message', channel: 'modem', createdAt: NOW, live: true }, olga, NOW));
    expect(asked.state).toMatchObject({ waitingSince: NOW, channels: ['web', 'modem'], contactName: 'Olga' });
    expect(asked.effects.publish).toBe(true); // a new channel shows
    const again = ok(decide(asked.state, { type: 'message', channel: 'modem', createdAt: NOW + 5, live: true }, olga, NOW + 5));
    expect(again.state.waitingSince).toBe(NOW);
    const answered = ok(decide(again.state, { type: 'message', channel: 'api', createdAt: NOW + 9, live: true }, anna, NOW + 9));
    expect(answered.state).toMatchObject({ waitingSince: null, assigneeId: 'anna' });
    expect(answered.events).toMatchObject([{ kind: 'assignee.changed', data: { reason: 'replied' } }]);
  });

  it('a customer writing into a resolved conversation reopens it; into a closed one is refused', () => {
    expect(ok(decide(state({ status: 'resolved' }), { type: 'message', channel: 'web', createdAt: NOW, live: true }, olga, NOW)).state.status).toBe('open');
    expect(refused(decide(state({ status: 'closed' }), { type: 'message', channel: 'web', createdAt: NOW, live: true }, olga, NOW))).toBe('conversation.closed');
  });

  it('copied history changes nothing about who waits or owns it', () => {
    const d = ok(decide(state(), { type: 'message', channel: 'web', createdAt: NOW - 9999, live: false }, anna, NOW));
    expect(d.state).toMatchObject({ assigneeId: null, waitingSince: null });
  });
});

describe('ratings', () => {
  it('a reopened conversation starts without the old score, by an agent or by the customer writing again', () => {
    const rated = state({ status: 'resolved', csatScore: 'bad', csatComment: 'slow', csatAt: NOW - 1000 });
    for (const d of [decide(rated, { type: 'update', patch: { status: 'open' } }, anna, NOW), decide(rated, { type: 'message', channel: 'web', createdAt: NOW, live: true }, olga, NOW)]) {
      const s = ok(d);
      expect({ status: s.state.status, score: s.state.csatScore, comment: s.state.csatComment, at: s.state.csatAt }).toEqual({ status: 'open', score: null, comment: null, at: null });
      expect(s.events.map((e) => e.kind)).toContain('csat.cleared');
    }
    // Resolved to closed is no reopening: the score stays.
    expect(ok(decide(rated, { type: 'update', patch: { status: 'closed' } }, anna, NOW)).state.csatScore).toBe('bad');
  });

  it('only the customer rates, once resolved; a repeat is free, changes are limited', () => {
    expect(refused(decide(state({ status: 'resolved' }), { type: 'rate', score: 'good', comment: null }, anna, NOW))).toBe('auth.forbidden');
    expect(refused(decide(state(), { type: 'rate', score: 'good', comment: null }, olga, NOW))).toBe('csat.not_resolved');
    let s = state({ status: 'resolved' });
    for (let i = 0; i < CSAT_CHANGES.capacity; i++) s = ok(decide(s, { type: 'rate', score: i % 2 ? 'bad' : 'good', comment: null }, olga, NOW)).state;
    expect(ok(decide(s, { type: 'rate', score: s.csatScore!, comment: null }, olga, NOW)).effects.persist).toBe(false);
    const limited = decide(s, { type: 'rate', score: s.csatScore === 'good' ? 'bad' : 'good', comment: null }, olga, NOW);
    expect(limited).toMatchObject({ ok: false, code: 'rate.limited' });
    expect(!limited.ok && limited.retryAfterMs).toBeGreaterThan(0);
    // A minute later one more change is allowed.
    expect(decide(s, { type: 'rate', score: 'bad', comment: 'changed my mind' }, olga, NOW + 60_000).ok).toBe(true);
  });
});

describe('escalation and audit', () => {
  it('escalating is for agents on a live conversation; revealing is audited', () => {
    expect(refused(decide(state(), { type: 'escalate', reason: 'x' }, olga, NOW))).toBe('auth.forbidden');
    expect(refused(decide(state({ status: 'resolved' }), { type: 'escalate', reason: 'x' }, anna, NOW))).toBe('conversation.closed');
    expect(ok(decide(state(), { type: 'escalate', reason: 'legal threat' }, anna, NOW)).state.escalation).toEqual({ reason: 'legal threat', by: { id: 'anna', name: 'Anna' }, at: NOW });
    const revealed = ok(decide(state(), { type: 'reveal', seq: 4 }, anna, NOW));
    expect(revealed.events).toEqual([{ kind: 'pii.revealed', actor: { role: 'agent', id: 'anna', name: 'Anna' }, data: { seq: 4 } }]);
    expect(revealed.effects.publish).toBe(false);
    expect(refused(decide(state(), { type: 'reveal', seq: 4 }, olga, NOW))).toBe('auth.forbidden');
  });

  it('never changes the state it was given', () => {
    const s = state();
    const before = JSON.stringify(s);
    decide(s, { type: 'message', channel: 'app', createdAt: NOW, live: true }, olga, NOW);
    decide(s, assign('anna'), anna, NOW);
    expect(JSON.stringify(s)).toBe(before);
  });
});
