// The SLA clocks as pure rules: which clock runs, when it pauses, the targets it takes, and what
// the alarm's check raises — decided from a state, a command, an actor and a clock.
import { describe, expect, it } from 'vitest';
import { DEFAULT_SLA_TARGETS } from '../../../protocol';
import type { SlaConfig } from '../../../protocol';
import { decide } from '../../../worker/conversation/rules';
import { SYSTEM } from '../../../worker/conversation/commands';
import type { Actor, Command } from '../../../worker/conversation/commands';
import { newState } from '../../../worker/conversation/state';
import type { DoState } from '../../../worker/conversation/state';
import { customerView } from '../../../worker/conversation/views';
import { slaStatusOf, slaTime, slaWakeAt } from '../../../worker/sla/sla-track';

const T0 = Date.UTC(2027, 2, 10, 10, 0, 0);
const customer: Actor = { role: 'customer', id: 'c1', name: null };
const anna: Actor = { role: 'agent', id: 'anna', name: 'Anna', agentRole: 'agent' };
const CONFIG: SlaConfig = { calendar: null, warnAtPercent: 50, policies: [{ team: 'billing', priority: 'normal', firstResponseS: 600, nextResponseS: 300, resolutionS: 3600 }] };

function start(over: Partial<DoState> = {}): DoState {
  return { ...newState({ id: 'c1', tenantId: 't1', tenantKey: 'operator', contactName: null, number: 1, contactId: 'contact-1', createdAt: T0 }), ...over };
}

/** Run commands in order, each at its own instant; the state after all of them. */
function run(s: DoState, ...steps: [Command, Actor, number][]): DoState {
  for (const [command, actor, at] of steps) {
    const d = decide(s, command, actor, at);
    if (!d.ok) throw new Error(d.message);
    s = d.state;
  }
  return s;
}
const says = (at: number): [Command, Actor, number] => [{ type: 'message', channel: 'web', createdAt: at, live: true }, customer, at];
const answers = (at: number): [Command, Actor, number] => [{ type: 'message', channel: 'web', createdAt: at, live: true }, anna, at];

describe('which clock runs', () => {
  it('the first response from the customer’s first message, with the defaults when the team has no policy', () => {
    const s = run(start(), says(T0));
    const sla = slaStatusOf(s)!;
    expect(sla.response).toEqual({ kind: 'first_response', warnAt: T0 + 240_000, dueAt: T0 + 300_000, leftS: 300, targetS: DEFAULT_SLA_TARGETS.normal.firstResponseS });
    expect(sla.resolution).toMatchObject({ kind: 'resolution', dueAt: T0 + DEFAULT_SLA_TARGETS.normal.resolutionS * 1000 });
    expect(slaWakeAt(s)).toBe(T0 + 240_000);
  });

  it('the team’s policy and the tenant’s warning share, and a priority change takes effect at once', () => {
    let s = run(start({ team: 'billing', slaConfig: CONFIG }), says(T0));
    expect(slaStatusOf(s)!.response).toMatchObject({ warnAt: T0 + 300_000, dueAt: T0 + 600_000 });
    s = run(s, [{ type: 'update', patch: { priority: 'urgent' } }, anna, T0 + 10_000]);
    expect(slaStatusOf(s)!.response).toMatchObject({ targetS: DEFAULT_SLA_TARGETS.urgent.firstResponseS, dueAt: T0 + DEFAULT_SLA_TARGETS.urgent.firstResponseS * 1000 });
  });

  it('pauses while the agent spoke last and while on hold; the next response is a new clock', () => {
    let s = run(start({ team: 'billing', slaConfig: CONFIG }), says(T0), answers(T0 + 100_000));
    expect(slaStatusOf(s)).toMatchObject({ response: null, resolution: { dueAt: null, leftS: 3500 } });
    expect(slaWakeAt(s)).toBeNull();
    s = run(s, says(T0 + 1000_000));
    expect(slaStatusOf(s)!.response).toMatchObject({ kind: 'next_response', dueAt: T0 + 1000_000 + 300_000, leftS: 300 });
    s = run(s, [{ type: 'update', patch: { hold: { note: 'checking', until: T0 + 5000_000 } } }, anna, T0 + 1060_000]);
    expect(slaStatusOf(s)).toMatchObject({ response: { dueAt: null, leftS: 240 }, resolution: { dueAt: null, leftS: 3440 } });
    s = run(s, [{ type: 'update', patch: { hold: null } }, anna, T0 + 2000_000]);
    expect(slaStatusOf(s)!.response).toMatchObject({ dueAt: T0 + 2000_000 + 240_000 });
  });

  it('stops at resolve, and the customer’s projection never carries it', () => {
    const s = run(start(), says(T0));
    expect(Object.keys(customerView(s, 1))).not.toContain('sla');
    expect(slaStatusOf(run(s, [{ type: 'update', patch: { status: 'resolved' } }, anna, T0 + 1000]))).toBeNull();
    expect(slaStatusOf(start())).toBeNull(); // a session is no ticket
  });
});

describe('the alarm’s check', () => {
  it('warns once, breaches once, and a late alarm breaches without warning first', () => {
    const s = run(start(), says(T0));
    const check = (st: DoState, at: number) => decide(st, { type: 'sla.check' }, SYSTEM, at);
    const early = check(s, T0 + 239_000);
    expect(early.ok && early.events).toEqual([]);
    const warned = check(s, T0 + 240_000);
    if (!warned.ok) throw new Error(warned.message);
    expect(warned.events.map((e) => [e.kind, e.data.clock])).toEqual([['sla.warning', 'first_response']]);
    expect(slaStatusOf(warned.state)!.state).toBe('warning');
    expect(slaWakeAt(warned.state)).toBe(T0 + 300_000);
    const again = check(warned.state, T0 + 250_000);
    expect(again.ok && again.events).toEqual([]);

    const late = check(s, T0 + 3600_000);
    if (!late.ok) throw new Error(late.message);
    expect(late.events.map((e) => [e.kind, e.data.clock])).toEqual([['sla.breached', 'first_response']]);
    expect(slaStatusOf(late.state)!.state).toBe('breached');
  });

  it('the system may escalate; the escalation is by "Switchboard"', () => {
    const s = run(start(), says(T0));
    const d = decide(s, { type: 'escalate', reason: 'SLA breached: first response' }, SYSTEM, T0 + 1);
    expect(d.ok && d.state.escalation).toEqual({ reason: 'SLA breached: first response', by: { id: 'system', name: 'Switchboard' }, at: T0 + 1 });
    expect(decide(s, { type: 'escalate', reason: 'x' }, customer, T0).ok).toBe(false);
  });
});

describe('the development clock', () => {
  it('maps instants through its jumps: a re-base shifts all, time passing only what comes after', () => {
    const s = start({ devClock: [[0, 1000], [T0, 60_000]] });
    expect(slaTime(s, T0 - 1)).toBe(T0 - 1 + 1000);
    expect(slaTime(s, T0)).toBe(T0 + 61_000);
    expect(slaTime(start(), T0)).toBe(T0);
  });
});
