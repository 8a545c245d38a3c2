import type { QueueItem } from '../../protocol';
import type { Env } from '../env';
import { floorStub, teamStub } from '../stubs';

/**
 * How long changes gather before the Inbox hears of them: agents see a queue row move within
 * about a second (this plus the Inbox's 500 ms tick); the conversation itself is live on its socket.
 */
const INBOX_DELAY_MS = 500;

/**
 * Tells the Inbox object of the conversation's team what changed, coalesced: a burst of messages
 * costs one call, and agents still see it within a fraction of a second. When the conversation
 * moved to another team, the team it left hears it too, so its row leaves that queue.
 */
export class InboxNotifier {
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly ctx: DurableObjectState,
    private readonly env: Env,
  ) {}

  /**
   * The queue row changed; `row` is read when the call goes out, so it is the latest. `left` says
   * which team last heard of it (and records the one told now), so a team it left is told too.
   */
  changed(tenantId: string, row: () => QueueItem | null, left: { get: () => string | undefined; set: (team: string) => void }): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const item = row();
      if (!item) return;
      const before = left.get();
      const calls = [teamStub(this.env, tenantId, item.team).conversationChanged(item, tenantId, item.team)];
      if (before !== undefined && before !== item.team) calls.push(teamStub(this.env, tenantId, before).conversationChanged(item, tenantId, before));
      if (before !== item.team) left.set(item.team);
      this.ctx.waitUntil(Promise.all(calls).catch((err: Error) => console.warn('inbox notify failed:', err.message)));
    }, INBOX_DELAY_MS);
  }

  /** An agent opened or closed this conversation's socket: the Floor can then reach it to close it. */
  viewing(tenantId: string, agentId: string, conversationId: string, on: boolean): void {
    this.ctx.waitUntil(floorStub(this.env, tenantId).viewing(agentId, conversationId, on).catch(() => {}));
  }
}
