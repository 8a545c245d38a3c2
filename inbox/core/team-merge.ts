import { compareQueue } from '../../protocol';
import type { QueueCounts, QueueFilter, QueueItem } from '../../protocol';

/** What the merged view shows: the first rows of the union in queue order, and how many lie past them. */
export interface MergedView {
  items: QueueItem[];
  /** Rows held beyond the limit (a team's window reaches further than the union may be shown). */
  hidden: number;
}

/** Counts with every filter at zero. */
export const EMPTY_COUNTS: Readonly<QueueCounts> = { unassigned: 0, mine: 0, on_hold: 0, escalated: 0, open: 0, resolved: 0 };

const FILTER_KEYS = Object.keys(EMPTY_COUNTS) as QueueFilter[];

/**
 * The live queue of several teams, merged. Each team's socket tells its own window of one filter;
 * rows are kept per team, so a team's `removed` or `reset` touches only that team's rows, and the
 * view is their union in queue order. A conversation moving between teams can briefly be in both:
 * the copy updated last wins. Counts are per team too and add up. Pure: no DOM, no sockets.
 */
export class TeamMerge {
  private readonly rows = new Map<string, Map<string, QueueItem>>();
  private readonly counts = new Map<string, QueueCounts>();

  /** A team's whole window (a `reset` delta): its rows are exactly these now. */
  reset(team: string, items: readonly QueueItem[]): void {
    this.rows.set(team, new Map(items.map((i) => [i.id, i])));
  }

  /** A team's rows that changed (upserts) and left its window (removed). */
  apply(team: string, upserts: readonly QueueItem[], removed: readonly string[]): void {
    let mine = this.rows.get(team);
    if (!mine) this.rows.set(team, (mine = new Map()));
    for (const id of removed) mine.delete(id);
    for (const item of upserts) mine.set(item.id, item);
  }

  /**
   * Rows read from the REST queue (each names its team). A row a socket already told in a newer
   * version keeps that version: the page may have been read before the change.
   */
  seed(items: readonly QueueItem[]): void {
    for (const item of items) {
      if ((this.newest(item.id)?.updatedAt ?? -Infinity) > item.updatedAt) continue;
      let mine = this.rows.get(item.team);
      if (!mine) this.rows.set(item.team, (mine = new Map()));
      mine.set(item.id, item);
    }
  }

  /** Forget every row (another filter is watched now); counts stay, they cover every filter. */
  clearRows(): void {
    this.rows.clear();
  }

  /** A team left the wall: its rows and counts go. */
  dropTeam(team: string): void {
    this.rows.delete(team);
    this.counts.delete(team);
  }

  /** Teams that have rows or counts here. */
  teams(): string[] {
    return [...new Set([...this.rows.keys(), ...this.counts.keys()])];
  }

  /** How many rows a team holds now. */
  size(team: string): number {
    return this.rows.get(team)?.size ?? 0;
  }

  /**
   * The union of the rows of `teams` (all teams held when null), one per conversation (the one
   * updated last), in queue order, cut at `limit`. Each team's window is its own first `limit`
   * rows, so the first `limit` of the union are the first `limit` of all those teams together;
   * past that, a team's next rows may be missing, so they are not shown.
   */
  view(teams: readonly string[] | null, limit: number): MergedView {
    const byId = new Map<string, QueueItem>();
    for (const team of teams ?? this.rows.keys()) {
      for (const item of this.rows.get(team)?.values() ?? []) {
        const seen = byId.get(item.id);
        if (!seen || item.updatedAt > seen.updatedAt) byId.set(item.id, item);
      }
    }
    const all = [...byId.values()].sort(compareQueue);
    return { items: all.slice(0, Math.max(0, limit)), hidden: Math.max(0, all.length - limit) };
  }

  /** A team's counts, from its socket. */
  setCounts(team: string, counts: QueueCounts): void {
    this.counts.set(team, { ...EMPTY_COUNTS, ...counts });
  }

  /** The counts of `teams` added up; null while any of them has not told its counts yet. */
  sumCounts(teams: readonly string[]): QueueCounts | null {
    const sum: QueueCounts = { ...EMPTY_COUNTS };
    for (const team of teams) {
      const c = this.counts.get(team);
      if (!c) return null;
      for (const k of FILTER_KEYS) sum[k] += c[k];
    }
    return sum;
  }

  private newest(id: string): QueueItem | undefined {
    let best: QueueItem | undefined;
    for (const rows of this.rows.values()) {
      const item = rows.get(id);
      if (item && (!best || item.updatedAt > best.updatedAt)) best = item;
    }
    return best;
  }
}
