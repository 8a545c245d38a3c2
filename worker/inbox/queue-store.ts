import { DONE_STATUSES, OPEN_STATUSES, WAITING_KEY_LIMIT, queueSortKey } from '../../protocol';
import type { QueueFilter, QueueItem } from '../../protocol';
import { QueueTally } from './tally';
import type { SharedCounts } from './tally';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS queue (
  id TEXT PRIMARY KEY,
  json TEXT NOT NULL,
  status TEXT NOT NULL,
  assignee_id TEXT,
  escalated INTEGER NOT NULL,
  sort_key INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS queue_by_status ON queue (status, sort_key, id);
CREATE INDEX IF NOT EXISTS queue_by_assignee ON queue (assignee_id, status, sort_key, id);
CREATE INDEX IF NOT EXISTS queue_by_sort ON queue (sort_key, id);
`;

/** A fixed SQL list of status literals, e.g. ('open', 'pending'); the statuses are protocol constants, never input. */
const statusList = (statuses: readonly string[]): string => `(${statuses.map((st) => `'${st}'`).join(', ')})`;
const OPEN = statusList(OPEN_STATUSES);
const DONE = statusList(DONE_STATUSES);
const OPEN_NOT_HELD = statusList(OPEN_STATUSES.filter((st) => st !== 'on_hold'));

/** Each filter's WHERE clause: fixed text, the agent id bound as ?1 where it matters. */
const WHERE: Record<QueueFilter, string> = {
  unassigned: `status IN ${OPEN_NOT_HELD} AND assignee_id IS NULL AND ?1 IS NOT NULL`,
  mine: `assignee_id = ?1 AND status IN ${OPEN}`,
  on_hold: "status = 'on_hold' AND ?1 IS NOT NULL",
  escalated: `escalated = 1 AND status IN ${OPEN} AND ?1 IS NOT NULL`,
  open: `status IN ${OPEN} AND ?1 IS NOT NULL`,
  resolved: `status IN ${DONE} AND ?1 IS NOT NULL`,
};

/**
 * Rows the cache holds at most (~1 KB each): the conversations that report often, not the whole
 * queue. Locally every object shares one isolate, and a 10,000-row cache beside 10,000 live
 * conversations pushed it into SQLITE_NOMEM; a start-over of the cache only costs reads.
 */
const ROW_CACHE_LIMIT = 2_000;

/** One row's place in a filter's order: enough to tell whether another row sorts before it. */
export type QueuePosition = {
  id: string;
  key: number;
};

/** The Inbox's copy of every live conversation of its tenant, in its own SQLite, with live counts. */
export class QueueStore {
  private readonly tally = new QueueTally();
  /**
   * Rows as last written, by id: every report of a conversation reads its row before writing it,
   * and reading it back from SQLite and parsing it cost as much as the write. Written through, so
   * it is never newer than storage; it empties with the instance.
   */
  private readonly rows = new Map<string, QueueItem>();
  /**
   * Rows changed only in place (same status, assignee, escalation: a new last message, a new
   * waiting time) and not yet written: every report is its own event, and every event that writes
   * is a storage commit, so these wait for the next read of the table or the Inbox's tick (≤ 500 ms)
   * and go in one. A row that enters, leaves or changes its standing is written at once.
   */
  private readonly unwritten = new Map<string, QueueItem>();

  constructor(private readonly sql: SqlStorage) {
    sql.exec(SCHEMA);
    // Once per start of the object: from here on every write moves the counts by its difference.
    const { counts, loads } = this.recount();
    this.tally.seed(counts, loads);
  }

  get(id: string): QueueItem | null {
    const cached = this.unwritten.get(id) ?? this.rows.get(id);
    if (cached) return cached;
    const row = this.sql.exec<{ json: string }>('SELECT json FROM queue WHERE id = ?', id).toArray()[0];
    if (!row) return null;
    const item = JSON.parse(row.json) as QueueItem;
    this.remember(item);
    return item;
  }

  /** Keep a row in the cache; a team with more live rows than it holds starts it over (rare, and only costs reads). */
  private remember(item: QueueItem): void {
    if (this.rows.size >= ROW_CACHE_LIMIT && !this.rows.has(item.id)) this.rows.clear();
    this.rows.set(item.id, item);
  }

  /** Store a row and move the counts from its old filters to its new ones; returns the old row. */
  upsert(item: QueueItem): QueueItem | null {
    const before = this.get(item.id);
    this.tally.move(before, item);
    this.remember(item);
    if (before && sameStanding(before, item)) this.unwritten.set(item.id, item);
    else {
      this.unwritten.delete(item.id);
      this.write(item);
    }
    return before;
  }

  /** Write the rows kept back (see `unwritten`). Every read of the table starts with it. */
  writeBack(): void {
    for (const item of this.unwritten.values()) this.write(item);
    this.unwritten.clear();
  }

  private write(item: QueueItem): void {
    this.sql.exec(
      `INSERT INTO queue (id, json, status, assignee_id, escalated, sort_key, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET json = excluded.json, status = excluded.status, assignee_id = excluded.assignee_id,
         escalated = excluded.escalated, sort_key = excluded.sort_key, updated_at = excluded.updated_at`,
      item.id, JSON.stringify(item), item.status, item.assignee?.id ?? null, item.escalation ? 1 : 0, queueSortKey(item), item.updatedAt,
    );
  }

  /** The conversation left this team's queue (moved to another team): forget it and its counts. */
  remove(id: string): QueueItem | null {
    const before = this.get(id);
    if (!before) return null;
    this.tally.move(before, null);
    this.sql.exec('DELETE FROM queue WHERE id = ?', id);
    this.rows.delete(id);
    this.unwritten.delete(id);
    return before;
  }

  /** The first `limit` rows of a filter, in queue order: what an agent watching it has loaded. */
  window(filter: QueueFilter, agentId: string, limit: number): QueuePosition[] {
    this.writeBack();
    return this.sql.exec<QueuePosition>(`SELECT id, sort_key AS key FROM queue WHERE ${WHERE[filter]} ORDER BY sort_key, id LIMIT ?2`, agentId, limit).toArray();
  }

  /** One page of a filter, keyset-paginated on (sort_key, id). */
  page(filter: QueueFilter, agentId: string, after: { key: number; id: string } | null, limit: number): { items: QueueItem[]; next: { key: number; id: string } | null } {
    this.writeBack();
    const rows = this.sql
      .exec<{ json: string; sort_key: number; id: string }>(
        `SELECT json, sort_key, id FROM queue WHERE ${WHERE[filter]} AND (?2 IS NULL OR sort_key > ?2 OR (sort_key = ?2 AND id > ?3)) ORDER BY sort_key, id LIMIT ?4`,
        agentId, after?.key ?? null, after?.id ?? '', limit + 1,
      )
      .toArray();
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { items: page.map((r) => JSON.parse(r.json) as QueueItem), next: rows.length > limit && last ? { key: last.sort_key, id: last.id } : null };
  }

  /** Live counts of every filter except `mine`, which is per agent (see mineOf). */
  counts(): SharedCounts {
    return this.tally.counts();
  }

  /** One agent's `mine` count. */
  mineOf(agentId: string): number {
    return this.tally.mineOf(agentId);
  }

  /** Open conversations held by each agent: their load against capacity. */
  loads(): Map<string, number> {
    return this.tally.loads();
  }

  /** Counts by scanning the table: the start of the running counts, and their check in tests. */
  recount(): { counts: SharedCounts; loads: Map<string, number> } {
    this.writeBack();
    const counts = this.sql
      .exec<SharedCounts>(
        `SELECT
           COALESCE(SUM(status IN ${OPEN_NOT_HELD} AND assignee_id IS NULL), 0) AS unassigned,
           COALESCE(SUM(status = 'on_hold'), 0) AS on_hold,
           COALESCE(SUM(escalated = 1 AND status IN ${OPEN}), 0) AS escalated,
           COALESCE(SUM(status IN ${OPEN}), 0) AS open,
           COALESCE(SUM(status IN ${DONE}), 0) AS resolved
         FROM queue`,
      )
      .one();
    const loads = new Map<string, number>();
    for (const r of this.sql.exec<{ a: string; n: number }>(`SELECT assignee_id AS a, COUNT(*) AS n FROM queue WHERE assignee_id IS NOT NULL AND status IN ${OPEN} GROUP BY assignee_id`)) {
      loads.set(r.a, r.n);
    }
    return { counts, loads };
  }

  /** Unassigned open conversations, longest waiting first: the order they are offered in. */
  waiting(limit: number): QueueItem[] {
    this.writeBack();
    return this.sql
      .exec<{ json: string }>("SELECT json FROM queue WHERE status = 'open' AND assignee_id IS NULL ORDER BY sort_key, id LIMIT ?", limit)
      .toArray()
      .map((r) => JSON.parse(r.json) as QueueItem);
  }

  /** An agent's open conversations: what goes back to the queue when they stay away. */
  assignedTo(agentId: string): QueueItem[] {
    this.writeBack();
    return this.sql
      .exec<{ json: string }>(`SELECT json FROM queue WHERE assignee_id = ? AND status IN ${OPEN} ORDER BY sort_key, id`, agentId)
      .toArray()
      .map((r) => JSON.parse(r.json) as QueueItem);
  }

  /**
   * Customers waiting for an answer, assigned or not, in serving order: open and not held, with a
   * waiting time (sort keys below WAITING_KEY_LIMIT are exactly those; see queueSortKey).
   */
  customersWaiting(limit: number): QueueItem[] {
    this.writeBack();
    return this.sql
      .exec<{ json: string }>(`SELECT json FROM queue WHERE status IN ${OPEN_NOT_HELD} AND sort_key < ${WAITING_KEY_LIMIT} ORDER BY sort_key, id LIMIT ?`, limit)
      .toArray()
      .map((r) => JSON.parse(r.json) as QueueItem)
      .filter((i) => i.waitingSince !== null);
  }

  /** Holds whose promised time passed. */
  overdueHolds(limit = 100): QueueItem[] {
    this.writeBack();
    return this.sql
      .exec<{ json: string }>("SELECT json FROM queue WHERE status = 'on_hold' ORDER BY sort_key, id LIMIT ?", 1000)
      .toArray()
      .map((r) => JSON.parse(r.json) as QueueItem)
      .filter((i) => i.hold?.overdue)
      .slice(0, limit);
  }

  escalations(limit = 100): QueueItem[] {
    this.writeBack();
    return this.sql
      .exec<{ json: string }>(`SELECT json FROM queue WHERE escalated = 1 AND status IN ${OPEN} ORDER BY sort_key, id LIMIT ?`, limit)
      .toArray()
      .map((r) => JSON.parse(r.json) as QueueItem);
  }

  /** Forget resolved conversations after a while (D1 keeps them for good); returns the ids gone. */
  pruneResolved(before: number): string[] {
    this.writeBack();
    const gone = this.sql.exec<{ json: string }>(`DELETE FROM queue WHERE status IN ${DONE} AND updated_at < ? RETURNING json`, before).toArray();
    return gone.map((r) => {
      const row = JSON.parse(r.json) as QueueItem;
      this.tally.move(row, null);
      this.rows.delete(row.id);
      return row.id;
    });
  }
}

/** Whether a row keeps its place in every filter and count: then only its content changed. */
function sameStanding(a: QueueItem, b: QueueItem): boolean {
  return a.status === b.status && (a.assignee?.id ?? null) === (b.assignee?.id ?? null) && !!a.escalation === !!b.escalation && a.team === b.team;
}
