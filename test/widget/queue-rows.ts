// Queue rows and counts for the inbox's queue tests.
import type { QueueCounts, QueueItem } from '../../protocol';

/** A waiting, unassigned, open row of `team`; `waitingSince` orders it within its serving tier. */
export function row(id: string, team: string, over: Partial<QueueItem> = {}): QueueItem {
  return {
    id, number: 1, brand: 'operator', team, topic: null, vip: false, status: 'open', priority: 'normal', assignee: null, channels: ['web'],
    contactName: null, lastMessageText: null, lastMessageAt: null, waitingSince: 1000, escalation: null, hold: null, createdAt: 1, updatedAt: 1, ...over,
  };
}

/** Counts with `open` and `unassigned` set, the rest zero. */
export const counts = (open: number, unassigned = 0): QueueCounts => ({ unassigned, mine: 0, on_hold: 0, escalated: 0, open, resolved: 0 });

/** The ids of rows, in order. */
export const ids = (items: readonly QueueItem[]) => items.map((i) => i.id);
