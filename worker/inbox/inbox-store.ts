/**
 * A team Inbox object's own tables besides the queue: which tenant and team it serves, who went
 * offline and when their chats go back, and when its recent assignments happened (the pace the
 * customers' estimated wait is computed from).
 */

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT NOT NULL);
-- Agents whose last socket to this team closed: at 'due' (the tenant's grace later) their open
-- chats of this team go back to its queue, unless they came back before.
CREATE TABLE IF NOT EXISTS absent (agent_id TEXT PRIMARY KEY, due INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS assignments (at INTEGER NOT NULL);
`;

/** How many recent assignments the pace is taken over. */
const PACE_WINDOW = 20;

/** Typed access to the Inbox object's SQLite, except the queue (see queue-store.ts). */
export class InboxStore {
  constructor(private readonly sql: SqlStorage) {
    sql.exec(SCHEMA);
  }

  /** The tenant and team this object serves, once it has been told. */
  home(): { tenantId: string; teamId: string } | null {
    const rows = new Map(this.sql.exec<{ k: string; v: string }>("SELECT k, v FROM meta WHERE k IN ('tenant', 'team')").toArray().map((r) => [r.k, r.v]));
    const tenantId = rows.get('tenant');
    const teamId = rows.get('team');
    return tenantId && teamId ? { tenantId, teamId } : null;
  }

  setHome(tenantId: string, teamId: string): void {
    this.sql.exec("INSERT OR REPLACE INTO meta (k, v) VALUES ('tenant', ?), ('team', ?)", tenantId, teamId);
  }

  /** The agent's last socket closed: their chats go back to the queue at `due` unless they return. */
  markAbsent(agentId: string, due: number): void {
    this.sql.exec('INSERT OR IGNORE INTO absent (agent_id, due) VALUES (?, ?)', agentId, due);
  }

  /** The agent is back (or their chats went back): nothing to do for them any more. */
  clearAbsent(agentId: string): void {
    this.sql.exec('DELETE FROM absent WHERE agent_id = ?', agentId);
  }

  /** Agents whose grace ended by `now`. */
  absentDue(now: number): string[] {
    return this.sql.exec<{ a: string }>('SELECT agent_id AS a FROM absent WHERE due <= ?', now).toArray().map((r) => r.a);
  }

  /** The earliest grace still running, if any. */
  nextAbsentDue(): number | null {
    return this.sql.exec<{ d: number | null }>('SELECT MIN(due) AS d FROM absent').one().d;
  }

  /** A waiting customer got an agent at `at`; only the latest few are kept. */
  recordAssignment(at: number): void {
    this.sql.exec('INSERT INTO assignments (at) VALUES (?)', at);
    this.sql.exec('DELETE FROM assignments WHERE rowid NOT IN (SELECT rowid FROM assignments ORDER BY at DESC LIMIT ?)', PACE_WINDOW);
  }

  /** The recent assignment times, oldest first. */
  recentAssignments(): number[] {
    return this.sql.exec<{ at: number }>('SELECT at FROM assignments ORDER BY at').toArray().map((r) => r.at);
  }
}
