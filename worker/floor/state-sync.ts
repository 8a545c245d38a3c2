import type { Env } from '../env';
import { appendStateLog } from '../db/agent-days';
import type { StateLogRow } from '../db/agent-days';
import { daysOfEntries, updateAgentDays } from '../reports/update';

/**
 * The Floor object's state log copied to D1 (agent_state_log), where reports compute shifts,
 * utilization and occupancy. The object's own log stays the truth; D1 gets every entry after the
 * mark, keyed by the entry's id, so a resend is harmless. A failed push is tried again by the
 * Floor's alarm; the mark moves only once D1 has the rows.
 */

const SCHEMA = `
CREATE TABLE IF NOT EXISTS state_sync (
  k INTEGER PRIMARY KEY CHECK (k = 1),
  tenant_id TEXT,
  synced_id INTEGER NOT NULL DEFAULT 0
);
INSERT OR IGNORE INTO state_sync (k, synced_id) VALUES (1, 0);
`;

/** How many entries one push takes. */
const PUSH_ROWS = 500;
/** After a failed push, the alarm tries again this much later. */
export const STATE_SYNC_RETRY_MS = 30_000;

export class StateLogSync {
  constructor(
    private readonly sql: SqlStorage,
    private readonly env: Env,
  ) {
    sql.exec(SCHEMA);
  }

  /** The Worker names the tenant on every presence socket (the object cannot read its own name). */
  setTenant(tenantId: string | null): void {
    if (tenantId) this.sql.exec('UPDATE state_sync SET tenant_id = ? WHERE k = 1 AND tenant_id IS NOT ?', tenantId, tenantId);
  }

  /** Whether entries wait for D1. */
  pending(): boolean {
    const { synced_id } = this.sql.exec<{ synced_id: number }>('SELECT synced_id FROM state_sync WHERE k = 1').one();
    return this.sql.exec('SELECT 1 FROM agent_states WHERE id > ? LIMIT 1', synced_id).toArray().length > 0;
  }

  /**
   * Push what D1 lacks and recompute the agent-days it touches; false when D1 failed (try again
   * later). One push at a time: a change during a push is taken by one more round after it, so a
   * burst of sign-ins costs a few pushes, not one per entry each carrying all the others.
   */
  push(now: number): Promise<boolean> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      let ok = true;
      let at = now;
      do {
        this.again = false;
        ok = await this.pushOnce(at);
        at = Date.now();
      } while (ok && this.again);
      return ok;
    })().finally(() => (this.running = null));
    return this.running;
  }

  private running: Promise<boolean> | null = null;
  private again = false;

  private async pushOnce(now: number): Promise<boolean> {
    const mark = this.sql.exec<{ tenant_id: string | null; synced_id: number }>('SELECT tenant_id, synced_id FROM state_sync WHERE k = 1').one();
    if (!mark.tenant_id) return true;
    const rows = this.sql
      .exec<{ id: number; agent_id: string; state: StateLogRow['state']; at: number }>('SELECT id, agent_id, state, at FROM agent_states WHERE id > ? ORDER BY id LIMIT ?', mark.synced_id, PUSH_ROWS)
      .toArray()
      .map((r) => ({ seq: r.id, agentId: r.agent_id, state: r.state, at: r.at }));
    if (rows.length === 0) return true;
    try {
      await appendStateLog(this.env.DB, mark.tenant_id, rows);
      await updateAgentDays(this.env.DB, daysOfEntries(mark.tenant_id, rows, now), now);
    } catch (err) {
      console.warn('floor: state log sync failed:', (err as Error).message);
      return false;
    }
    this.sql.exec('UPDATE state_sync SET synced_id = MAX(synced_id, ?) WHERE k = 1', rows[rows.length - 1]!.seq);
    return rows.length < PUSH_ROWS ? true : this.pushOnce(now);
  }
}
