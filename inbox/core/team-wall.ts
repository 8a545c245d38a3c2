import type { TeamView, TeamsResponse } from '../../protocol';
import { backoffDelay } from '../../client/backoff';
import { api } from './api';

/**
 * The teams whose queues the agent sees (their "wall": teams they work in or supervise; every team
 * for admins), from GET /v1/agent/teams. A failed load is tried again with backoff until it works
 * or stop(). Dispatches `change` whenever `teams` changed.
 */
export class TeamWall extends EventTarget {
  teams: TeamView[] = [];
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;
  private inFlight: Promise<void> | null = null;

  /**
   * Ask the server again (at start; after the presence socket reconnects, and when a team socket
   * keeps failing: teams may have changed). A call while one is on its way shares its answer.
   */
  load(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.inFlight ??= this.fetch().finally(() => (this.inFlight = null));
    return this.inFlight;
  }

  private async fetch(): Promise<void> {
    clearTimeout(this.retryTimer);
    try {
      const res = await api<TeamsResponse>('/v1/agent/teams');
      if (this.stopped) return;
      this.attempt = 0;
      this.set(res.teams);
    } catch {
      if (this.stopped) return;
      // Until the wall is known the queue shows what the REST queue merges, without live rows.
      this.retryTimer = setTimeout(() => void this.load(), backoffDelay(this.attempt++));
    }
  }

  /** A team socket was refused: the agent is no longer on that team. */
  drop(id: string): void {
    if (!this.teams.some((t) => t.id === id)) return;
    this.set(this.teams.filter((t) => t.id !== id));
  }

  /** No more loads or retries (sign-out). */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
  }

  private set(teams: TeamView[]): void {
    this.teams = teams;
    this.dispatchEvent(new Event('change'));
  }
}
