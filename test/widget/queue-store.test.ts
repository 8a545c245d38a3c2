// The inbox's queue over several teams: REST pages (with `team=` when one team is picked) and each
// team socket's window merged into one list, counts added over the teams shown, "load more" by
// cursor and, past the last page, by a wider window. fetch is stubbed; no browser.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { QueueStore, PAGE_SIZE } from '../../inbox/core/queue-store';
import { memoryStorage } from '../../client/storage';
import type { InboxLiveFrame, QueueResponse, TeamView } from '../../protocol';
import { counts, ids, row } from './queue-rows';

const team = (id: string, name: string): TeamView => ({ id, name, member: true, supervises: false, capacity: 5 });
const WALL = [team('billing', 'Billing'), team('roaming', 'Roaming')];

/** Every URL the store fetched, and the answers the test gives. */
let fetched: URL[] = [];
function serve(answer: (url: URL) => QueueResponse): void {
  fetched = [];
  vi.stubGlobal('fetch', async (path: string) => {
    const url = new URL(path, 'http://inbox.test');
    fetched.push(url);
    return new Response(JSON.stringify(answer(url)), { status: 200, headers: { 'content-type': 'application/json' } });
  });
}
afterEach(() => vi.unstubAllGlobals());

const reset = (t: string, items = [row(`${t}-1`, t)], filter: 'open' | 'mine' = 'open'): InboxLiveFrame => ({ type: 'queue.delta', team: t, filter, reset: true, upserts: items, removed: [] });
const delta = (t: string, upserts: ReturnType<typeof row>[], removed: string[] = []): InboxLiveFrame => ({ type: 'queue.delta', team: t, filter: 'open', upserts, removed });
/** `n` rows of a team, waiting since `from`, `from + 1`, … */
const rows = (t: string, n: number, from = 0) => Array.from({ length: n }, (_, i) => row(`${t}-${String(from + i).padStart(3, '0')}`, t, { waitingSince: from + i }));

async function storeOn(page: QueueResponse, storage = memoryStorage()): Promise<QueueStore> {
  serve(() => page);
  const store = new QueueStore('me', storage);
  store.setWall(WALL);
  await store.select('open');
  return store;
}

describe('QueueStore over teams', () => {
  it("merges every team's window into one list in queue order; a team's removed touches only that team", async () => {
    const store = await storeOn({ items: [row('billing-1', 'billing')], counts: counts(1), nextCursor: null });
    expect(ids(store.items)).toEqual(['billing-1']);
    store.apply(reset('billing', [row('billing-1', 'billing', { waitingSince: 50 }), row('billing-2', 'billing', { waitingSince: 70, vip: true })]));
    store.apply(reset('roaming', [row('roaming-1', 'roaming', { waitingSince: 60 })]));
    expect(ids(store.items)).toEqual(['billing-2', 'billing-1', 'roaming-1']);
    store.apply(delta('roaming', [row('roaming-2', 'roaming', { waitingSince: 10 })], ['roaming-1']));
    expect(ids(store.items)).toEqual(['billing-2', 'roaming-2', 'billing-1']);
    // A conversation moving from billing to roaming: told by the new team first, then gone from the old.
    store.apply(delta('roaming', [row('billing-1', 'roaming', { waitingSince: 50, updatedAt: 2 })]));
    store.apply(delta('billing', [], ['billing-1']));
    expect(store.get('billing-1')?.team).toBe('roaming');
    // A row that no longer matches the filter leaves it; a stale filter's and an unknown team's deltas change nothing.
    store.apply(delta('roaming', [row('roaming-2', 'roaming', { status: 'resolved' })]));
    store.apply(reset('billing', [], 'mine'));
    store.apply(reset('elsewhere', [row('x', 'elsewhere')]));
    expect(ids(store.items)).toEqual(['billing-2', 'billing-1']);
  });

  it('shows the REST counts until every team shown told its own, then their sum', async () => {
    const store = await storeOn({ items: [], counts: counts(9, 4), nextCursor: null });
    expect(store.counts).toEqual(counts(9, 4));
    store.apply({ type: 'queue.counts', team: 'billing', counts: counts(2, 1) });
    expect(store.counts).toEqual(counts(9, 4));
    store.apply({ type: 'queue.counts', team: 'roaming', counts: counts(5, 2) });
    expect(store.counts).toEqual(counts(7, 3));
    store.apply({ type: 'queue.counts', team: 'roaming', counts: counts(6, 2) });
    expect(store.counts.open).toBe(8);
  });

  it('one team picked: the page asks for it, its rows and counts alone show, and the choice outlives a reload', async () => {
    const storage = memoryStorage();
    const store = await storeOn({ items: [], counts: counts(0), nextCursor: null }, storage);
    store.apply(reset('billing'));
    store.apply(reset('roaming'));
    store.apply({ type: 'queue.counts', team: 'billing', counts: counts(1) });
    store.apply({ type: 'queue.counts', team: 'roaming', counts: counts(3) });
    expect(store.showsManyTeams).toBe(true);
    serve((url) => ({ items: url.searchParams.get('team') === 'roaming' ? [row('roaming-1', 'roaming')] : [], counts: counts(3), nextCursor: null }));
    await store.selectTeam('roaming');
    expect(fetched.map((u) => u.searchParams.get('team'))).toEqual(['roaming']);
    expect(ids(store.items)).toEqual(['roaming-1']);
    expect(store.counts.open).toBe(3);
    expect(store.showsManyTeams).toBe(false);
    // Live rows of other teams keep coming, but do not show.
    store.apply(delta('billing', [row('billing-2', 'billing', { waitingSince: 1 })]));
    expect(ids(store.items)).toEqual(['roaming-1']);

    const reloaded = new QueueStore('me', storage);
    expect(reloaded.team).toBe('roaming');
    // The team left the wall (a 4403 on its socket): every team shows again, and is remembered so.
    serve(() => ({ items: [], counts: counts(0), nextCursor: null }));
    reloaded.setWall([team('billing', 'Billing')]);
    expect(reloaded.team).toBeNull();
    await vi.waitFor(() => expect(fetched.length).toBe(1));
    expect(fetched[0]!.searchParams.has('team')).toBe(false);
    expect(new QueueStore('me', storage).team).toBeNull();
  });

  it("load more fetches the next page by cursor, then every team watches the longer window", async () => {
    const watched: number[] = [];
    const store = await storeOn({ items: rows('billing', PAGE_SIZE), counts: counts(PAGE_SIZE + 10), nextCursor: 'after-50' });
    store.addEventListener('watch', () => watched.push(store.watched.limit));
    expect(store.more).toBe(true);
    serve((url) => {
      expect(url.searchParams.get('cursor')).toBe('after-50');
      return { items: rows('roaming', 10, PAGE_SIZE), counts: counts(PAGE_SIZE + 10), nextCursor: null };
    });
    await store.loadMore();
    expect(store.items).toHaveLength(PAGE_SIZE + 10);
    expect(watched).toEqual([PAGE_SIZE + 10]);
    expect(store.more).toBe(false);
    // The windows answer: both teams fit, nothing more to fetch.
    store.apply(reset('billing', rows('billing', PAGE_SIZE)));
    store.apply(reset('roaming', rows('roaming', 10, PAGE_SIZE)));
    expect(store.items).toHaveLength(PAGE_SIZE + 10);
  });

  it('ends paging once every team shown sent a window that is not full', async () => {
    const store = await storeOn({ items: rows('billing', PAGE_SIZE), counts: counts(PAGE_SIZE + 1), nextCursor: 'after-50' });
    store.apply(reset('billing', rows('billing', 20)));
    expect(store.nextCursor).toBe('after-50');
    store.apply(reset('roaming', rows('roaming', 5)));
    expect(store.nextCursor).toBeNull();
  });

  it('rows that came live past the last page: load more widens every window without a page', async () => {
    const watched: number[] = [];
    const store = await storeOn({ items: [], counts: counts(0), nextCursor: null });
    store.addEventListener('watch', () => watched.push(store.watched.limit));
    // Each team fills its own window of 50; together they hold 100, of which the first 50 show.
    store.apply(reset('billing', rows('billing', PAGE_SIZE, 0)));
    store.apply(reset('roaming', rows('roaming', PAGE_SIZE, 25)));
    expect(store.items).toHaveLength(PAGE_SIZE);
    expect(store.items.at(-1)!.id).toBe('billing-037');
    expect(store.more).toBe(true);
    const calls = fetched.length;
    await store.loadMore();
    expect(fetched.length).toBe(calls);
    expect(watched).toEqual([PAGE_SIZE * 2]);
    expect(store.items).toHaveLength(PAGE_SIZE * 2);
    // Nothing more held and the counts agree: no more "load more".
    store.apply({ type: 'queue.counts', team: 'billing', counts: counts(PAGE_SIZE) });
    store.apply({ type: 'queue.counts', team: 'roaming', counts: counts(PAGE_SIZE) });
    expect(store.more).toBe(false);
  });
});
