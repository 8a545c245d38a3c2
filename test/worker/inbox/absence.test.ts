// What an agent's absence does, as pure functions: the release rule (through the conversation
// rules, like every change) and the supervisor's count of who really waits.
import { describe, expect, it } from 'vitest';
import type { QueueItem, SlaStatus } from '../../../protocol';
import { decide } from '../../../worker/conversation/rules';
import { SYSTEM } from '../../../worker/conversation/commands';
import type { Actor } from '../../../worker/conversation/commands';
import { newState } from '../../../worker/conversation/state';
import type { DoState } from '../../../worker/conversation/state';
import { waitingStats } from '../../../worker/inbox/absence';

const NOW = Date.UTC(2026, 10, 29, 12, 0, 0);
const anna: Actor = { role: 'agent', id: 'anna', name: 'Anna', agentRole: 'supervisor' };

function state(over: Partial<DoState> = {}): DoState {
  const init = { id: 'c1', tenantId: 't1', tenantKey: 'operator', contactName: null, number: 1, contactId: 'contact-1', createdAt: NOW - 60_000 };
  return { ...newState(init), channels: ['web'], openedAt: NOW - 60_000, assigneeId: 'anna', assigneeName: 'Anna', waitingSince: NOW - 30_000, version: 3, ...over };
}

const release = { type: 'release', agentId: 'anna', reason: 'agent_offline' } as const;

describe('releasing an absent agent’s chat', () => {
  it('unassigns it, keeps the waiting time, and audits why', () => {
    const d = decide(state(), release, SYSTEM, NOW);
    if (!d.ok) throw new Error(d.message);
    expect(d.state).toMatchObject({ assigneeId: null, assigneeName: null, waitingSince: NOW - 30_000, status: 'open' });
    expect(d.events).toEqual([{ kind: 'assignee.changed', actor: { role: 'system', id: null, name: null }, data: { from: 'anna', to: null, reason: 'agent_offline' } }]);
    expect(d.effects).toMatchObject({ persist: true, publish: true });
  });

  it('ends a hold nobody is there to keep', () => {
    const d = decide(state({ status: 'on_hold', holdNote: 'checking', holdUntil: NOW + 60_000 }), release, SYSTEM, NOW);
    if (!d.ok) throw new Error(d.message);
    expect(d.state).toMatchObject({ status: 'open', holdNote: null, holdUntil: null, assigneeId: null });
    expect(d.events.map((e) => e.kind)).toEqual(['status.changed', 'assignee.changed']);
  });

  it('changes nothing when the chat moved on meanwhile or is finished, and only the system releases', () => {
    for (const s of [state({ assigneeId: 'boris', assigneeName: 'Boris' }), state({ status: 'resolved' }), state({ assigneeId: null })]) {
      const d = decide(s, release, SYSTEM, NOW);
      expect(d.ok && d.effects.persist).toBe(false);
    }
    const d = decide(state(), release, anna, NOW);
    expect(d.ok ? null : d.code).toBe('auth.forbidden');
  });
});

describe('who really waits', () => {
  // A row's SLA as its conversation reports it: a first-response clock due `dueInS` from now.
  const sla = (dueInS: number): SlaStatus => ({ response: { kind: 'first_response', warnAt: NOW + (dueInS - 60) * 1000, dueAt: NOW + dueInS * 1000, leftS: dueInS, targetS: 300 }, resolution: null, state: 'ok', warnAtPercent: 80 });
  const row = (id: string, waitedS: number, assignee: string | null, dueInS = 300): QueueItem => ({
    id, number: 1, brand: 'operator', team: 'general', topic: null, vip: false, status: 'open', priority: 'normal', assignee: assignee ? { id: assignee, name: assignee } : null, channels: ['web'],
    contactName: null, lastMessageText: null, lastMessageAt: null, waitingSince: NOW - waitedS * 1000, escalation: null, hold: null, createdAt: 0, updatedAt: 0, sla: sla(dueInS),
  });
  const online = (id: string) => id === 'anna';

  it('counts unassigned customers and those whose agent is not there; the longest wait among them; breaches of anyone', () => {
    const stats = waitingStats(
      // Breached by the clock (due a moment ago), or by what the conversation's alarm raised; the wait alone decides nothing.
      [row('with-anna-breached', 400, 'anna', -100), row('with-boris', 900, 'boris'), row('nobody', 30, null), { ...row('nobody-breached', 300, null, 10), sla: { ...sla(10), state: 'breached' } }],
      online,
      NOW,
    );
    expect(stats).toEqual({ waiting: 3, waitingOnAbsent: 1, longestWaitSince: NOW - 900 * 1000, breached: 2 });
  });

  it('nobody waiting: zero and no longest wait', () => {
    expect(waitingStats([row('with-anna', 10, 'anna')], online, NOW)).toEqual({ waiting: 0, waitingOnAbsent: 0, longestWaitSince: null, breached: 0 });
  });
});
