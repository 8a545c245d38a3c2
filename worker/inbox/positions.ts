import type { Env } from '../env';
import { conversationStub } from '../stubs';
import { estimateWaitS } from './eta';
import type { InboxStore } from './inbox-store';
import type { QueueStore } from './queue-store';

/** How many waiting customers are told their queue position. */
const POSITIONS_TOLD = 100;

/**
 * The customers' places in one team's line: each waiting conversation is told its position and the
 * estimated wait when either changed, and told it has none once it leaves the line. What each was
 * last told lives in memory: lost on eviction, then simply told again.
 */
export class QueuePositions {
  private readonly told = new Map<string, string>();

  constructor(
    private readonly env: Env,
    private readonly queue: QueueStore,
    private readonly store: InboxStore,
  ) {}

  /** The conversation moved to another team, which tells it its place from now on. */
  forget(id: string): void {
    this.told.delete(id);
  }

  /** Tell whoever's place or estimate changed since the last tick. */
  async tell(): Promise<void> {
    const recent = this.store.recentAssignments();
    const now = Date.now();
    const places = new Map(this.queue.waiting(POSITIONS_TOLD).map((item, i) => [item.id, { position: i + 1, etaS: estimateWaitS(recent, i + 1, now) }]));
    const calls: Promise<void>[] = [];
    for (const [id, place] of places) {
      const key = `${place.position}|${place.etaS}`;
      if (this.told.get(id) === key) continue;
      this.told.set(id, key);
      calls.push(conversationStub(this.env, id).setQueuePosition(place.position, place.etaS).catch(() => {}));
    }
    for (const id of [...this.told.keys()]) {
      if (places.has(id)) continue;
      this.told.delete(id);
      calls.push(conversationStub(this.env, id).setQueuePosition(null, null).catch(() => {}));
    }
    await Promise.all(calls);
  }
}
