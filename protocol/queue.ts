// What the queue means, once: which statuses are open, which rows each filter shows, and the order.
// The inbox applies live rows with these; the Inbox object stores the same sort key and its SQL
// filters are checked against these predicates by test/worker/inbox/queue-agreement.test.ts.
import type { Status } from './model';
import type { QueueFilter, QueueItem } from './inbox';

/** Statuses in which a conversation is still the contact's current one (and in the live queue). */
export const OPEN_STATUSES = ['open', 'pending', 'on_hold'] as const satisfies readonly Status[];

/** Statuses of finished conversations: the "Resolved" filter. */
export const DONE_STATUSES = ['resolved', 'closed'] as const satisfies readonly Status[];

/** Whether a status counts as open. */
export function isOpenStatus(status: Status): boolean {
  return (OPEN_STATUSES as readonly Status[]).includes(status);
}

/** Whether a status counts as finished. */
export function isDoneStatus(status: Status): boolean {
  return (DONE_STATUSES as readonly Status[]).includes(status);
}

/** The fields of a queue row the filters and the order look at. */
export type QueueFacts = Pick<QueueItem, 'id' | 'status' | 'assignee' | 'escalation' | 'waitingSince' | 'updatedAt' | 'priority' | 'vip'>;

/**
 * Whether a row belongs under a filter, for the agent `meId`. A held conversation is not
 * "unassigned": it waits on the agent who held it, not on the next free one.
 */
export const QUEUE_FILTERS: Record<QueueFilter, (item: QueueFacts, meId: string) => boolean> = {
  unassigned: (i) => isOpenStatus(i.status) && i.status !== 'on_hold' && i.assignee === null,
  mine: (i, meId) => isOpenStatus(i.status) && i.assignee?.id === meId,
  on_hold: (i) => i.status === 'on_hold',
  escalated: (i) => isOpenStatus(i.status) && i.escalation !== null,
  open: (i) => isOpenStatus(i.status),
  resolved: (i) => isDoneStatus(i.status),
};

/** Whether a row belongs under `filter` for the agent `meId`. */
export function matchesFilter(item: QueueFacts, filter: QueueFilter, meId: string): boolean {
  return QUEUE_FILTERS[filter](item, meId);
}

/**
 * Which band of the queue a waiting customer is served in: urgent and VIP first, then high, normal,
 * low. Within a band the longest wait goes first.
 */
export function servingTier(item: Pick<QueueItem, 'priority' | 'vip'>): number {
  if (item.vip || item.priority === 'urgent') return 0;
  return item.priority === 'high' ? 1 : item.priority === 'normal' ? 2 : 3;
}

/** Sort keys below this are customers waiting for an answer (see queueSortKey). */
export const WAITING_KEY_LIMIT = 4e13;

/**
 * Queue order in one integer: customers waiting for an answer first, by serving tier and then
 * longest wait; then conversations where the agent spoke last, stalest first; then finished ones,
 * newest first. Stored by the Inbox object as `sort_key`, so the server pages in exactly this
 * order and assignment offers in it. Every key stays far below 2^53.
 */
export function queueSortKey(item: QueueFacts): number {
  if (isDoneStatus(item.status)) return 6e13 - item.updatedAt;
  if (item.waitingSince !== null) return servingTier(item) * 1e13 + item.waitingSince;
  return WAITING_KEY_LIMIT + item.updatedAt;
}

/** Compare two rows in queue order; ties broken by id, as the server's keyset pagination does. */
export function compareQueue(a: QueueFacts, b: QueueFacts): number {
  return queueSortKey(a) - queueSortKey(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
