// The inbox applies live queue rows with protocol/queue.ts; the Inbox object pages them with SQL.
// Both must show the same rows in the same order, or an agent's list changes when they reload it.
import { env, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { QueueFilter, compareQueue, matchesFilter, queueSortKey } from '../../../protocol';
import type { QueueItem, Status } from '../../../protocol';
import { QueueStore } from '../../../worker/inbox/queue-store';

const ME = 'agent-me';
const OTHER = 'agent-other';
const STATUSES: Status[] = ['open', 'pending', 'on_hold', 'resolved', 'closed'];
const FILTERS = QueueFilter.options;

/** Every combination of status, assignee and escalation, with waiting times that collide on purpose. */
function varied(): QueueItem[] {
  const items: QueueItem[] = [];
  let n = 0;
  for (const status of STATUSES) {
    for (const assignee of [null, ME, OTHER]) {
      for (const escalated of [false, true]) {
        for (const waiting of [null, 1_000, 5_000]) {
          n++;
          // updatedAt repeats every few rows so that equal sort keys need the id to break the tie.
          const updatedAt = 2_000_000 + (n % 4) * 1_000;
          items.push({
            // Ids out of creation order, so that "sorted by id" and "inserted first" differ.
            id: `c-${String((n * 37) % 101).padStart(3, '0')}`,
            number: n,
            brand: 'operator',
            team: 'general',
            topic: null,
            vip: false,
            status,
            priority: 'normal',
            assignee: assignee ? { id: assignee, name: assignee } : null,
            channels: ['web'],
            contactName: null,
            lastMessageText: null,
            lastMessageAt: null,
            waitingSince: waiting,
            escalation: escalated ? { reason: 'refund', by: { id: OTHER, name: OTHER }, at: 1 } : null,
            hold: status === 'on_hold' ? { note: 'checking', until: 9_000_000, overdue: false } : null,
            createdAt: 1,
            updatedAt,
          });
        }
      }
    }
  }
  return items;
}

/** Every row of a filter as the server pages it, a few rows at a time to cross page boundaries. */
function pageAll(store: QueueStore, filter: QueueFilter, agentId: string): QueueItem[] {
  const out: QueueItem[] = [];
  let after: { key: number; id: string } | null = null;
  for (let guard = 0; guard < 200; guard++) {
    const page = store.page(filter, agentId, after, 7);
    out.push(...page.items);
    if (!page.next) return out;
    after = page.next;
  }
  throw new Error('pagination never ended');
}

describe('queue meaning: client predicates and server SQL agree', () => {
  it('every filter shows the same rows in the same order on both sides', async () => {
    const items = varied();
    // The fixture must make the comparison mean something: ties on the sort key, and every filter non-empty.
    expect(new Set(items.map(queueSortKey)).size).toBeLessThan(items.length);
    const stub = env.INBOX.get(env.INBOX.idFromName('queue-agreement'));
    await runInDurableObject(stub, (_instance, state) => {
      const store = new QueueStore(state.storage.sql);
      for (const item of items) store.upsert(item);
      for (const filter of FILTERS) {
        for (const agentId of [ME, OTHER]) {
          const client = items.filter((i) => matchesFilter(i, filter, agentId)).sort(compareQueue);
          expect(client.length, `${filter} for ${agentId}`).toBeGreaterThan(0);
          expect(pageAll(store, filter, agentId).map((i) => i.id), `${filter} for ${agentId}`).toEqual(client.map((i) => i.id));
        }
      }
      const counts = store.counts();
      for (const filter of FILTERS.filter((f) => f !== 'mine')) {
        expect(counts[filter as Exclude<QueueFilter, 'mine'>], filter).toBe(items.filter((i) => matchesFilter(i, filter, ME)).length);
      }
      const loads = store.loads();
      expect(loads.get(ME)).toBe(items.filter((i) => matchesFilter(i, 'mine', ME)).length);
      expect(loads.get(OTHER)).toBe(items.filter((i) => matchesFilter(i, 'mine', OTHER)).length);
    });
  });

  it('a row that changes status moves between filters the same way on both sides', async () => {
    const [item] = varied().filter((i) => i.status === 'open' && i.assignee === null && !i.escalation);
    const stub = env.INBOX.get(env.INBOX.idFromName('queue-agreement-move'));
    await runInDurableObject(stub, (_instance, state) => {
      const store = new QueueStore(state.storage.sql);
      for (const status of STATUSES) {
        const moved = { ...item!, status };
        store.upsert(moved);
        for (const filter of FILTERS) {
          const server = pageAll(store, filter, ME).some((i) => i.id === moved.id);
          expect(server, `${status} under ${filter}`).toBe(matchesFilter(moved, filter, ME));
        }
      }
    });
  });
});

describe('queue rows changed in place are written back in one go', () => {
  it('a new row or a change of standing is stored at once; a new last message waits for the next read, which sees it', async () => {
    const [item] = varied().filter((i) => i.status === 'open' && i.assignee === null && !i.escalation && i.waitingSince !== null);
    const stub = env.INBOX.get(env.INBOX.idFromName('queue-write-back'));
    await runInDurableObject(stub, (_instance, state) => {
      const sql = state.storage.sql;
      const stored = (id: string) => sql.exec<{ json: string }>('SELECT json FROM queue WHERE id = ?', id).toArray().map((r) => JSON.parse(r.json) as QueueItem)[0] ?? null;
      const store = new QueueStore(sql);
      store.upsert(item!);
      expect(stored(item!.id)).toEqual(item);
      // Only the content changed: kept back, but the store answers with it.
      const later = { ...item!, lastMessageText: 'new words', waitingSince: item!.waitingSince! + 1 };
      expect(store.upsert(later)).toEqual(item);
      expect(stored(item!.id)).toEqual(item);
      expect(store.get(item!.id)).toEqual(later);
      // Any read of the table writes it back first, so SQL and the answer agree.
      expect(store.page('open', ME, null, 50).items.find((i) => i.id === item!.id)).toEqual(later);
      expect(stored(item!.id)).toEqual(later);
      // A change of standing (assigned) is written at once.
      const taken = { ...later, assignee: { id: ME, name: ME } };
      store.upsert(taken);
      expect(stored(item!.id)).toEqual(taken);
      // A fresh instance (after an eviction) reads what was written.
      const again = new QueueStore(sql);
      expect(again.get(item!.id)).toEqual(taken);
      expect(again.counts().open).toBe(1);
    });
  });
});
