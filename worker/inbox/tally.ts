import { matchesFilter } from '../../protocol';
import type { QueueCounts, QueueFacts } from '../../protocol';

/** The counts every agent shares; `mine` is per agent (see QueueTally.mineOf). */
export type SharedCounts = Omit<QueueCounts, 'mine'>;

const SHARED = ['unassigned', 'on_hold', 'escalated', 'open', 'resolved'] as const satisfies readonly (keyof SharedCounts)[];

/**
 * Live counts of every filter, kept by difference: each upsert or delete moves one row between
 * filters, judged by protocol's matchesFilter (the predicates the inbox itself applies), so a tick
 * or a page never scans the table to count.
 */
export class QueueTally {
  private readonly shared: SharedCounts = { unassigned: 0, on_hold: 0, escalated: 0, open: 0, resolved: 0 };
  /** Open conversations per assignee: their `mine`, and their load against capacity. */
  private readonly held = new Map<string, number>();

  /** Start from counts taken by a scan (once, when the object starts). */
  seed(counts: SharedCounts, loads: Map<string, number>): void {
    Object.assign(this.shared, counts);
    this.held.clear();
    for (const [id, n] of loads) this.held.set(id, n);
  }

  /** Account for one row going from `before` to `after` (null: not in the table). */
  move(before: QueueFacts | null, after: QueueFacts | null): void {
    for (const f of SHARED) this.shared[f] += in_(after, f) - in_(before, f);
    const was = holder(before);
    const now = holder(after);
    if (was === now) return;
    if (was !== null) this.bump(was, -1);
    if (now !== null) this.bump(now, 1);
  }

  /** Counts of every filter but `mine`. */
  counts(): SharedCounts {
    return { ...this.shared };
  }

  /** The `mine` count (open conversations held) of one agent. */
  mineOf(agentId: string): number {
    return this.held.get(agentId) ?? 0;
  }

  /** Every agent's load: a copy, so callers may count on it. */
  loads(): Map<string, number> {
    return new Map(this.held);
  }

  private bump(agentId: string, by: number): void {
    const n = (this.held.get(agentId) ?? 0) + by;
    if (n > 0) this.held.set(agentId, n);
    else this.held.delete(agentId);
  }
}

/** 1 when the row counts under a shared filter (the agent does not matter for those). */
function in_(row: QueueFacts | null, filter: keyof SharedCounts): number {
  return row && matchesFilter(row, filter, '') ? 1 : 0;
}

/** Whose `mine` the row counts under, if anyone's. */
function holder(row: QueueFacts | null): string | null {
  const id = row?.assignee?.id;
  return id !== undefined && row && matchesFilter(row, 'mine', id) ? id : null;
}
