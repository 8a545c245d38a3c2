// The topic part of the update rule, pure: setting a topic is audited as `topic.set`, and a tenant
// that requires a topic at resolve gets a refusal an agent understands, only when one is missing.
import { describe, expect, it } from 'vitest';
import { decide } from '../../../worker/conversation/rules';
import type { Actor, Command, Decision } from '../../../worker/conversation/commands';
import { newState } from '../../../worker/conversation/state';
import type { DoState } from '../../../worker/conversation/state';

const NOW = Date.UTC(2026, 10, 29, 12, 0, 0);
const anna: Actor = { role: 'agent', id: 'anna', name: 'Anna', agentRole: 'agent' };
const olga: Actor = { role: 'customer', id: 'contact-1', name: 'Olga' };

function state(over: Partial<DoState> = {}): DoState {
  const init = { id: 'c1', tenantId: 't1', tenantKey: 'operator', contactName: null, number: 1, contactId: 'contact-1', createdAt: NOW - 60_000 };
  return { ...newState(init), channels: ['web'], version: 3, openedAt: NOW - 60_000, assigneeId: 'anna', assigneeName: 'Anna', ...over };
}

function ok(d: Decision) {
  if (!d.ok) throw new Error(`refused: ${d.code} ${d.message}`);
  return d;
}
const refusal = (d: Decision) => (d.ok ? null : { code: d.code, message: d.message });
const update = (patch: Extract<Command, { type: 'update' }>['patch'], requireTopic?: boolean): Command => ({ type: 'update', patch, ...(requireTopic === undefined ? {} : { requireTopic }) });

describe('an agent sets the topic', () => {
  it('is audited as topic.set with where it came from and went to', () => {
    const d = ok(decide(state({ topic: 'billing' }), update({ topic: 'roaming' }), anna, NOW));
    expect(d.state.topic).toBe('roaming');
    expect(d.events).toEqual([{ kind: 'topic.set', actor: { role: 'agent', id: 'anna', name: 'Anna' }, data: { from: 'billing', to: 'roaming' } }]);
    expect(d.effects.persist).toBe(true);
  });

  it('from none, and back to none', () => {
    expect(ok(decide(state(), update({ topic: 'roaming' }), anna, NOW)).events[0]?.data).toEqual({ from: null, to: 'roaming' });
    expect(ok(decide(state({ topic: 'roaming' }), update({ topic: null }), anna, NOW)).events[0]?.data).toEqual({ from: 'roaming', to: null });
  });

  it('the same topic again changes nothing', () => {
    const d = ok(decide(state({ topic: 'roaming' }), update({ topic: 'roaming' }), anna, NOW));
    expect(d.events).toEqual([]);
    expect(d.effects.persist).toBe(false);
  });

  it('a customer may not, and a closed conversation keeps its topic', () => {
    expect(refusal(decide(state(), update({ topic: 'roaming' }), olga, NOW))?.code).toBe('auth.forbidden');
    expect(refusal(decide(state({ status: 'closed' }), update({ topic: 'roaming' }), anna, NOW))?.code).toBe('conversation.closed');
  });

  it('is set before the resolve of the same change, so the audit reads in that order', () => {
    const d = ok(decide(state(), update({ topic: 'roaming', status: 'resolved' }, true), anna, NOW));
    expect(d.events.map((e) => e.kind)).toEqual(['topic.set', 'status.changed']);
    expect(d.state.status).toBe('resolved');
  });
});

describe('a topic required at resolve', () => {
  it('refuses to resolve without one, in words an agent understands, and changes nothing', () => {
    const s = state();
    const r = refusal(decide(s, update({ status: 'resolved' }, true), anna, NOW));
    expect(r?.code).toBe('conversation.topic_required');
    expect(r?.message).toMatch(/Set a topic before resolving/);
    expect(s.status).toBe('open');
  });

  it('refuses to clear the topic of a resolved conversation', () => {
    expect(refusal(decide(state({ status: 'resolved', topic: 'roaming' }), update({ topic: null }, true), anna, NOW))?.code).toBe('conversation.topic_required');
  });

  it('resolves when the topic is set, or set in the same change', () => {
    expect(ok(decide(state({ topic: 'billing' }), update({ status: 'resolved' }, true), anna, NOW)).state.status).toBe('resolved');
    expect(ok(decide(state(), update({ status: 'resolved', topic: 'billing' }, true), anna, NOW)).state.topic).toBe('billing');
  });

  it('the pre-chat topic the customer picked counts', () => {
    expect(ok(decide(state({ topic: 'modem' }), update({ status: 'resolved' }, true), anna, NOW)).state.status).toBe('resolved');
  });

  it('does not refuse what does not resolve: holds, priority, reopening, a topic on an open one cleared', () => {
    expect(ok(decide(state(), update({ priority: 'high' }, true), anna, NOW)).state.priority).toBe('high');
    expect(ok(decide(state(), update({ hold: { note: 'checking', until: NOW + 60_000 } }, true), anna, NOW)).state.status).toBe('on_hold');
    expect(ok(decide(state({ status: 'resolved' }), update({ status: 'open' }, true), anna, NOW)).state.status).toBe('open');
    expect(ok(decide(state({ topic: 'roaming' }), update({ topic: null }, true), anna, NOW)).state.topic).toBeNull();
  });

  it('does not refuse when the tenant does not require one (or the caller did not say)', () => {
    expect(ok(decide(state(), update({ status: 'resolved' }, false), anna, NOW)).state.status).toBe('resolved');
    expect(ok(decide(state(), update({ status: 'resolved' }), anna, NOW)).state.status).toBe('resolved');
  });
});
