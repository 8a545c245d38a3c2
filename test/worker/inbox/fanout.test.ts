// Live queue rows go only to the sockets whose watched window they touch, coalesced to one frame per
// tick, with counts as their own small frame only when they changed; the counts are kept by
// difference and must always equal a recount. "Nothing else arrived" is proven with the sentinel
// (InboxClient.sync), never with a sleep.
import { runInDurableObject } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { QueueFilter, matchesFilter } from '../../../protocol';
import type { QueueItem, Status } from '../../../protocol';
import { QueueStore } from '../../../worker/inbox/queue-store';
import { InboxClient, OPERATOR, inboxStub, login, seed } from '../../helpers';

const ANNA = OPERATOR.agents[2]!;
/** Rows held by someone who is not here: never offered by assignment, never told a queue position. */
const GHOST = { id: 'agent-ghost', name: 'Ghost' };

/** A synthetic queue row; waiting times far in the past sort before every real conversation. */
function row(n: number, over: Partial<QueueItem> = {}): QueueItem {
  return {
    id: `fan-${String(n).padStart(3, '0')}`,
    number: 10_000 + n,
    brand: 'operator',
    team: 'general',
    topic: null,
    vip: false,
    status: 'open',
    priority: 'normal',
    assignee: GHOST,
    channels: ['web'],
    contactName: null,
    lastMessageText: `row ${n}`,
    lastMessageAt: 1_000 + n,
    waitingSince: 1_000 + n,
    escalation: null,
    hold: null,
    createdAt: 1,
    updatedAt: 1_000 + n,
    ...over,
  };
}

/** Tell the Inbox of several changes at once, inside one turn: they all land before the next tick. */
async function changed(...items: QueueItem[]): Promise<void> {
  await runInDurableObject(inboxStub(OPERATOR.id), async (inbox) => {
    for (const item of items) await inbox.conversationChanged(item, OPERATOR.id, 'general');
  });
}

type Delta = Extract<InboxClient['frames'][number], { type: 'queue.delta' }>;

/** Everything a socket got up to the sentinel, taken. */
async function drained(c: InboxClient): Promise<InboxClient['frames']> {
  await c.sync();
  return c.frames.splice(0);
}

let anna: InboxClient;
let sup: InboxClient;
const rows = Array.from({ length: 55 }, (_, i) => row(i));

beforeAll(async () => {
  await seed();
  const [annaCookie, supCookie] = await Promise.all([login(ANNA.email), login('supervisor@northwind.test')]);
  anna = (await InboxClient.open(annaCookie)).inbox;
  sup = (await InboxClient.open(supCookie)).inbox;
  await anna.watch('mine');
  await sup.watch('open', 50);
  await changed(...rows);
  // The supervisor's window fills with the 50 longest-waiting rows; the other 5 stay outside it.
  const seen = new Set<string>();
  while (seen.size < 50) for (const i of (await sup.next('queue.delta')).upserts) seen.add(i.id);
  expect([...seen].sort()).toEqual(rows.slice(0, 50).map((r) => r.id));
  await drained(sup);
  await drained(anna);
});

describe('deltas reach subscribers only', () => {
  it('a change inside a window reaches its watcher; an agent watching "mine" gets nothing at all', async () => {
    await changed(row(3, { lastMessageText: 'still there?' }));
    const delta = await sup.next('queue.delta');
    expect(delta).toMatchObject({ filter: 'open', upserts: [{ id: row(3).id, lastMessageText: 'still there?' }], removed: [] });
    expect(await drained(anna)).toEqual([]);
    expect(await drained(sup)).toEqual([]);
  });

  it('a change outside every window reaches nobody', async () => {
    await changed(row(52, { lastMessageText: 'far down the list' }));
    // Sentinel first on the supervisor: the tick that would have carried it is long gone by then.
    await changed(row(4, { lastMessageText: 'marker' }));
    await sup.next('queue.delta', (f) => f.upserts.some((i) => i.id === row(4).id));
    expect(await drained(sup)).toEqual([]);
    expect(await drained(anna)).toEqual([]);
  });

  it('a row entering the window of 50 comes as an upsert and pushes the last one out; leaving brings it back', async () => {
    const early = row(99, { waitingSince: 500, updatedAt: 500 });
    await changed(early);
    const entered = await sup.next('queue.delta');
    expect(entered.upserts.map((i) => i.id)).toEqual([early.id]);
    expect(entered.removed).toEqual([row(49).id]);
    // Anna's list is unchanged; only the open count moved, as one small counts frame.
    expect((await drained(anna)).map((f) => f.type)).toEqual(['queue.counts']);
    expect((await drained(sup)).map((f) => f.type)).toEqual(['queue.counts']);

    await changed({ ...early, status: 'resolved', updatedAt: 2_000 });
    const left = await sup.next('queue.delta');
    expect(left.removed).toEqual([early.id]);
    expect(left.upserts.map((i) => i.id)).toEqual([row(49).id]);
    await drained(sup);
    await drained(anna);
  });

  it('a conversation assigned to an agent enters their "mine" with their own count', async () => {
    await changed(row(50, { assignee: { id: ANNA.id, name: 'Anna' } }));
    const delta = await anna.next('queue.delta');
    expect(delta).toMatchObject({ filter: 'mine', upserts: [{ id: row(50).id }], removed: [] });
    const counts = (await drained(anna)).filter((f) => f.type === 'queue.counts');
    expect(counts).toEqual([expect.objectContaining({ counts: expect.objectContaining({ mine: 1 }) })]);
    // Outside the supervisor's window, and no count of theirs changed: nothing for them.
    expect(await drained(sup)).toEqual([]);
  });
});

describe('coalescing', () => {
  it('many changes within one tick make one delta frame per socket, and no counts frame when counts stay', async () => {
    const batch = rows.slice(10, 30).map((r, i) => ({ ...r, lastMessageText: `burst ${i}` }));
    await changed(...batch);
    const delta: Delta = await sup.next('queue.delta');
    expect(delta.upserts.map((i) => i.id).sort()).toEqual(batch.map((r) => r.id).sort());
    expect(await drained(sup)).toEqual([]);
    expect(await drained(anna)).toEqual([]);
  });

  it('a burst that moves the counts sends each watcher one counts frame with the end state', async () => {
    // Resolved just now: the Inbox keeps them a day (older ones are pruned at once).
    const resolved = rows.slice(0, 5).map((r) => ({ ...r, status: 'resolved' as const, updatedAt: Date.now() }));
    const before = (await runInDurableObject(inboxStub(OPERATOR.id), async (inbox) => inbox.page('open', ANNA.id, null, 1))).counts;
    await changed(...resolved);
    const delta: Delta = await sup.next('queue.delta');
    expect(delta.removed.sort()).toEqual(resolved.map((r) => r.id).sort());
    const frames = await drained(sup);
    expect(frames).toEqual([{ type: 'queue.counts', team: 'general', counts: { ...before, open: before.open - 5, resolved: before.resolved + 5, mine: 0 } }]);
    expect((await drained(anna)).map((f) => f.type)).toEqual(['queue.counts']);
  });
});

describe('counts kept by difference', () => {
  it('match a full recount after a random sequence of changes, and survive a restart of the object', async () => {
    await runInDurableObject(inboxStub('counts-only-tenant'), async (_inbox, state) => {
      const store = new QueueStore(state.storage.sql);
      // A fixed seed: a failure replays the same sequence.
      let s = 42;
      const rand = (n: number): number => ((s = (s * 1_103_515_245 + 12_345) % 2 ** 31), s % n);
      const statuses: Status[] = ['open', 'pending', 'on_hold', 'resolved', 'closed'];
      const agents = [null, 'a1', 'a2', 'a3'];
      for (let step = 0; step < 600; step++) {
        const n = rand(40);
        if (rand(10) === 0) {
          store.pruneResolved(rand(3) === 0 ? Number.MAX_SAFE_INTEGER : 0);
          continue;
        }
        const who = agents[rand(agents.length)];
        const status = statuses[rand(statuses.length)]!;
        store.upsert(
          row(n, {
            status,
            assignee: who ? { id: who, name: who } : null,
            escalation: rand(3) === 0 ? { reason: 'x', by: GHOST, at: 1 } : null,
            hold: status === 'on_hold' ? { note: 'n', until: 5, overdue: false } : null,
            waitingSince: rand(2) ? 1_000 + rand(100) : null,
            updatedAt: 1_000 + step,
          }),
        );
      }
      const all = state.storage.sql.exec<{ json: string }>('SELECT json FROM queue').toArray().map((r) => JSON.parse(r.json) as QueueItem);
      const byPredicate = Object.fromEntries(QueueFilter.options.filter((f) => f !== 'mine').map((f) => [f, all.filter((i) => matchesFilter(i, f, '')).length]));
      const { counts, loads } = store.recount();
      expect(store.counts()).toEqual(counts);
      expect(store.counts()).toEqual(byPredicate);
      for (const a of ['a1', 'a2', 'a3']) {
        expect(store.mineOf(a)).toBe(loads.get(a) ?? 0);
        expect(store.mineOf(a)).toBe(all.filter((i) => matchesFilter(i, 'mine', a)).length);
      }
      expect(all.length).toBeGreaterThan(0);
      // A fresh object (after eviction) starts from a recount and agrees.
      expect(new QueueStore(state.storage.sql).counts()).toEqual(store.counts());
    });
  });
});
