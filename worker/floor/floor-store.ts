/**
 * The Floor object's tables: the agent state log that utilization and occupancy are computed from,
 * and which conversations each agent has open (so a disable or a logout can reach their sockets).
 */

const SCHEMA = `
CREATE TABLE IF NOT EXISTS agent_states (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  agent_id TEXT NOT NULL,
  state TEXT NOT NULL,
  at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS agent_states_by_agent ON agent_states (agent_id, at);
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

export class FloorStore {
  constructor(private readonly sql: SqlStorage) {
    sql.exec(SCHEMA);
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
