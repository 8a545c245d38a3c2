// The inbox's merge of per-team queue windows: rows kept per team, the union shown in queue order
// (urgent and VIP first), one row per conversation (the copy updated last), cut at the watched
// limit, and counts that add up over the teams shown.
import { describe, expect, it } from 'vitest';
import { TeamMerge } from '../../inbox/core/team-merge';
import { counts, ids, row } from './queue-rows';

describe('TeamMerge', () => {
  it('shows the union of every team in queue order: VIP and urgent first, then the longest wait', () => {
    const m = new TeamMerge();
    m.reset('billing', [row('b-late', 'billing', { waitingSince: 300 }), row('b-vip', 'billing', { waitingSince: 900, vip: true })]);
    m.reset('roaming', [row('r-early', 'roaming', { waitingSince: 100 }), row('r-urgent', 'roaming', { waitingSince: 800, priority: 'urgent' })]);
    expect(ids(m.view(null, 50).items)).toEqual(['r-urgent', 'b-vip', 'r-early', 'b-late']);
    // One team picked: only its rows.
    expect(ids(m.view(['billing'], 50).items)).toEqual(['b-vip', 'b-late']);
  });

  it("a team's removed takes the row out of that team only: a row moving between teams stays shown", () => {
    const m = new TeamMerge();
    m.reset('billing', [row('moving', 'billing', { updatedAt: 1 })]);
    m.reset('roaming', []);
    // The new team tells the row before the old team tells it left.
    m.apply('roaming', [row('moving', 'roaming', { updatedAt: 2 })], []);
    expect(m.view(null, 50).items).toEqual([row('moving', 'roaming', { updatedAt: 2 })]);
    m.apply('billing', [], ['moving']);
    expect(m.view(null, 50).items).toEqual([row('moving', 'roaming', { updatedAt: 2 })]);
    // Removed by a team that does not hold it: nothing happens to the others.
    m.apply('general', [], ['moving']);
    expect(ids(m.view(null, 50).items)).toEqual(['moving']);
    m.apply('roaming', [], ['moving']);
    expect(m.view(null, 50).items).toEqual([]);
  });

  it('shows one row per conversation: the copy updated last, whichever team told it first', () => {
    const m = new TeamMerge();
    m.reset('roaming', [row('x', 'roaming', { updatedAt: 5, lastMessageText: 'new' })]);
    m.reset('billing', [row('x', 'billing', { updatedAt: 4, lastMessageText: 'old' })]);
    const { items } = m.view(null, 50);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ team: 'roaming', lastMessageText: 'new' });
  });

  it('cuts the union at the limit and says how many rows lie past it', () => {
    const m = new TeamMerge();
    m.reset('a', [row('a1', 'a', { waitingSince: 1 }), row('a2', 'a', { waitingSince: 3 })]);
    m.reset('b', [row('b1', 'b', { waitingSince: 2 }), row('b2', 'b', { waitingSince: 4 })]);
    expect(m.view(null, 2)).toEqual({ items: [row('a1', 'a', { waitingSince: 1 }), row('b1', 'b', { waitingSince: 2 })], hidden: 2 });
    expect(m.view(null, 10).hidden).toBe(0);
  });

  it('a reset replaces only its own team\'s rows', () => {
    const m = new TeamMerge();
    m.reset('a', [row('a1', 'a'), row('a2', 'a')]);
    m.reset('b', [row('b1', 'b')]);
    m.reset('a', [row('a3', 'a')]);
    expect(ids(m.view(null, 50).items).sort()).toEqual(['a3', 'b1']);
  });

  it('rows from a REST page go to their own team and never replace a newer copy a socket told', () => {
    const m = new TeamMerge();
    m.reset('roaming', [row('x', 'roaming', { updatedAt: 9, lastMessageText: 'live' })]);
    m.seed([row('x', 'billing', { updatedAt: 3, lastMessageText: 'page' }), row('y', 'billing', { updatedAt: 3 })]);
    expect(m.view(null, 50).items.map((i) => [i.id, i.team, i.lastMessageText])).toEqual([
      ['x', 'roaming', 'live'],
      ['y', 'billing', null],
    ]);
    expect(m.size('billing')).toBe(1);
    // A newer copy from the page does replace an older one.
    m.seed([row('x', 'roaming', { updatedAt: 10, lastMessageText: 'newer' })]);
    expect(m.view(['roaming'], 50).items[0]?.lastMessageText).toBe('newer');
  });

  it('adds counts over the teams shown, and has none until every one of them told its own', () => {
    const m = new TeamMerge();
    m.setCounts('a', counts(3, 1));
    expect(m.sumCounts(['a', 'b'])).toBeNull();
    m.setCounts('b', counts(4, 2));
    expect(m.sumCounts(['a', 'b'])).toEqual(counts(7, 3));
    expect(m.sumCounts(['b'])).toEqual(counts(4, 2));
    expect(m.sumCounts([])).toEqual(counts(0, 0));
  });

  it('a team dropped from the wall takes its rows and counts along', () => {
    const m = new TeamMerge();
    m.reset('a', [row('a1', 'a')]);
    m.reset('b', [row('b1', 'b')]);
    m.setCounts('a', counts(1));
    m.dropTeam('a');
    expect(ids(m.view(null, 50).items)).toEqual(['b1']);
    expect(m.sumCounts(['a'])).toBeNull();
    expect(m.teams()).toEqual(['b']);
  });
});
