/**
 * The Inbox object's own tables besides the queue: the agent state log that utilization and
 * occupancy are computed from, which conversations each agent has open (so a disable or a logout
 * can reach their sockets), who went offline and when their chats go back, and the tenant the object serves.
 */

const SCHEMA = `
CREATE TABLE IF NOT EXISTS agent_states (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  agent_id TEXT NOT NULL,
  state TEXT NOT NULL,
  at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS agent_states_by_agent ON agent_states (agent_id, at);
CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT NOT NULL);
-- Agents whose last inbox socket closed: at 'due' (the tenant's grace later) their open chats go
-- back to the queue, unless they came back before.
CREATE TABLE IF NOT EXISTS absent (agent_id TEXT PRIMARY KEY, due INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS viewing (
  agent_id TEXT NOT NULL,
  conversation_id TEXT NOT NULL,
  PRIMARY KEY (agent_id, conversation_id)
);
`;

/** An agent's state as the log keeps it. */
export type AgentState = 'online' | 'away' | 'offline';

/** One entry of the agent state log. */
export interface AgentStateEntry {
  state: AgentState;
  at: number;
}

/** Typed access to the Inbox object's SQLite, except the queue (see queue-store.ts). */
export class InboxStore {
  constructor(private readonly sql: SqlStorage) {
    sql.exec(SCHEMA);
  }

  /** The tenant this object serves, once it has been told. */
  tenantId(): string | null {
    return this.sql.exec<{ v: string }>("SELECT v FROM meta WHERE k = 'tenant'").toArray()[0]?.v ?? null;
  }

  setTenantId(tenantId: string): void {
    this.sql.exec("INSERT OR REPLACE INTO meta (k, v) VALUES ('tenant', ?)", tenantId);
  }

  /** Append to the agent state log. */
  logState(agentId: string, state: AgentState, at: number): void {
    this.sql.exec('INSERT INTO agent_states (agent_id, state, at) VALUES (?, ?, ?)', agentId, state, at);
  }

  /** One agent's state log, oldest first. */
  stateLog(agentId: string): AgentStateEntry[] {
    return this.sql.exec<{ state: AgentState; at: number }>('SELECT state, at FROM agent_states WHERE agent_id = ? ORDER BY id', agentId).toArray();
  }

  /** The agent's latest logged state, if any. */
  lastState(agentId: string): AgentState | null {
    return this.sql.exec<{ state: AgentState }>('SELECT state FROM agent_states WHERE agent_id = ? ORDER BY id DESC LIMIT 1', agentId).toArray()[0]?.state ?? null;
  }

  /** The agent's last socket closed: their chats go back to the queue at `due` unless they return. */
  markAbsent(agentId: string, due: number): void {
    this.sql.exec('INSERT OR REPLACE INTO absent (agent_id, due) VALUES (?, ?)', agentId, due);
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

  setViewing(agentId: string, conversationId: string, on: boolean): void {
    if (on) this.sql.exec('INSERT OR IGNORE INTO viewing (agent_id, conversation_id) VALUES (?, ?)', agentId, conversationId);
    else this.sql.exec('DELETE FROM viewing WHERE agent_id = ? AND conversation_id = ?', agentId, conversationId);
  }

  /** The conversations an agent has a socket open to. */
  viewedBy(agentId: string): string[] {
    return this.sql.exec<{ c: string }>('SELECT conversation_id AS c FROM viewing WHERE agent_id = ?', agentId).toArray().map((r) => r.c);
  }

  forgetViewing(agentId: string): void {
    this.sql.exec('DELETE FROM viewing WHERE agent_id = ?', agentId);
  }
}
