// The pure parts of team routing: which team a rule list picks, the serving order inside a team,
// who gets the next customer, and the estimated wait a customer is told.
import { describe, expect, it } from 'vitest';
import { DEFAULT_TEAM, compareQueue } from '../../../protocol';
import type { QueueItem, RoutingRule } from '../../../protocol';
import { isVip, routeTeam } from '../../../worker/routing/route';
import { pickAgent } from '../../../worker/inbox/assign';
import { estimateWaitS } from '../../../worker/inbox/eta';

const facts = { brand: 'operator', channel: 'web' as const, topic: null as string | null, verified: {} as Record<string, unknown> };

describe('routeTeam', () => {
  const rules: RoutingRule[] = [
    { channel: 'modem', team: 'modem' },
    { attribute: { key: 'segment', value: 'vip' }, team: 'vip-line' },
    { topic: 'billing', team: 'billing' },
    { brand: 'mvno', team: 'partner' },
  ];
  it('takes the first rule whose every condition holds', () => {
    expect(routeTeam(rules, { ...facts, channel: 'modem', topic: 'billing' })).toBe('modem');
    expect(routeTeam(rules, { ...facts, topic: 'billing', verified: { segment: 'vip' } })).toBe('vip-line');
    expect(routeTeam(rules, { ...facts, topic: 'billing' })).toBe('billing');
    expect(routeTeam(rules, { ...facts, brand: 'mvno' })).toBe('partner');
  });
  it('falls back to the default team', () => {
    expect(routeTeam(rules, facts)).toBe(DEFAULT_TEAM);
    expect(routeTeam([], { ...facts, topic: 'billing' })).toBe(DEFAULT_TEAM);
  });
  it('a VIP is only what the signed attributes say', () => {
    expect(isVip({ segment: 'vip' })).toBe(true);
    expect(isVip({ segment: 'VIP' })).toBe(false);
    expect(isVip({})).toBe(false);
  });
});

function row(id: string, over: Partial<QueueItem>): QueueItem {
  return { id, number: 1, brand: 'operator', team: 'billing', topic: null, vip: false, status: 'open', priority: 'normal', assignee: null, channels: ['web'], contactName: null, lastMessageText: null, lastMessageAt: null, waitingSince: 1_000, escalation: null, hold: null, createdAt: 1, updatedAt: 1, ...over };
}

describe('serving order', () => {
  it('urgent and VIP first, then high, normal, low; the longest wait first within each', () => {
    const rows = [
      row('low-old', { priority: 'low', waitingSince: 100 }),
      row('normal-new', { waitingSince: 5_000 }),
      row('normal-old', { waitingSince: 200 }),
      row('vip-new', { vip: true, waitingSince: 9_000 }),
      row('urgent-newer', { priority: 'urgent', waitingSince: 9_500 }),
      row('high', { priority: 'high', waitingSince: 8_000 }),
      row('answered', { waitingSince: null, updatedAt: 50 }),
    ];
    expect(rows.sort(compareQueue).map((r) => r.id)).toEqual(['vip-new', 'urgent-newer', 'high', 'normal-old', 'normal-new', 'low-old', 'answered']);
  });
});

describe('pickAgent', () => {
  it('the least loaded with room; on a tie the one waiting longest', () => {
    const agents = [
      { id: 'full', load: 2, maxChats: 2, since: 0 },
      { id: 'busy', load: 1, maxChats: 4, since: 0 },
      { id: 'idle-late', load: 0, maxChats: 4, since: 500 },
      { id: 'idle-early', load: 0, maxChats: 4, since: 100 },
    ];
    expect(pickAgent(agents)?.id).toBe('idle-early');
    expect(pickAgent([agents[0]!])).toBeNull();
    expect(pickAgent([{ id: 'no-seats', load: 0, maxChats: 0, since: 0 }])).toBeNull();
  });
});

describe('estimateWaitS', () => {
  const now = 10 * 60_000;
  it('needs some recent history', () => {
    expect(estimateWaitS([], 1, now)).toBeNull();
    expect(estimateWaitS([now - 1000, now - 500], 1, now)).toBeNull();
    expect(estimateWaitS([now - 3_600_000, now - 3_500_000, now - 3_400_000], 1, now)).toBeNull();
  });
  it('is position times the recent pace, in steps', () => {
    // Four customers taken over the last 4 minutes: one a minute.
    const recent = [now - 240_000, now - 180_000, now - 120_000, now - 60_000];
    expect(estimateWaitS(recent, 1, now)).toBe(60);
    expect(estimateWaitS(recent, 3, now)).toBe(180);
    expect(estimateWaitS(recent, 20, now)).toBe(1200);
    // Three a minute: the next one is told "less than a minute".
    expect(estimateWaitS([now - 60_000, now - 40_000, now - 20_000], 1, now)).toBe(30);
  });
});
