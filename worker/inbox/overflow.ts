import type { TeamConfig } from '../../protocol';
import type { Env } from '../env';
import { findTeam } from '../db/teams';
import { teamStub } from '../stubs';
import type { QueueStore } from './queue-store';

/** How long the team's settings (overflow) are trusted before D1 is asked again. */
const CONFIG_TTL_MS = 30_000;
/** While customers wait past the overflow time, the other team is asked again this often. */
const OVERFLOW_RETRY_MS = 5_000;

/**
 * A team's overflow: customers who waited past the team's overflow time are offered, in serving
 * order, to the overflow team, which takes one only when one of its agents is free (see
 * Inbox.takeOverflow). The team's settings come from D1 and are kept for a while.
 */
export class Overflow {
  private config: { team: TeamConfig | null; at: number } | null = null;

  constructor(
    private readonly env: Env,
    private readonly queue: QueueStore,
  ) {}

  /**
   * Offer who is due until the other team has nobody free; `moved` hears of each conversation it
   * took (already gone from this queue). Returns when to look again, or null when nobody waits for it.
   */
  async run(home: { tenantId: string; teamId: string }, now: number, moved: (id: string) => void): Promise<number | null> {
    const team = await this.settings(home);
    if (!team?.overflowTo || !team.overflowAfterS) return null;
    const afterMs = team.overflowAfterS * 1000;
    const other = teamStub(this.env, home.tenantId, team.overflowTo);
    let next: number | null = null;
    for (const item of this.queue.waiting(50)) {
      if (item.waitingSince === null) continue;
      const due = item.waitingSince + afterMs;
      if (due > now) {
        next = Math.min(next ?? Infinity, due);
        continue;
      }
      const taken = await other.takeOverflow(item, home.tenantId, team.overflowTo).catch(() => false);
      if (!taken) {
        // Nobody free there: try again shortly (and sooner whenever this team flushes).
        next = Math.min(next ?? Infinity, now + OVERFLOW_RETRY_MS);
        break;
      }
      this.queue.remove(item.id);
      moved(item.id);
    }
    return next;
  }

  private async settings(home: { tenantId: string; teamId: string }): Promise<TeamConfig | null> {
    const now = Date.now();
    if (this.config && now - this.config.at < CONFIG_TTL_MS) return this.config.team;
    const team = await findTeam(this.env.DB, home.tenantId, home.teamId).catch(() => this.config?.team ?? null);
    this.config = { team, at: now };
    return team;
  }
}
