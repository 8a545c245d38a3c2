import type { QueueItem } from '../../protocol';
import type { Env } from '../env';
import { floorStub, teamStub } from '../stubs';

/**
 * How long changes gather before the Inbox hears of them: agents see a queue row move within
 * about 1.5 s (this plus the Inbox's 500 ms tick); the conversation itself is live on its socket.
 * A chatting conversation changes its row at nearly every message, so this is how often it calls
 * its Inbox: at 500 ms, 500 busy conversations made more Inbox calls than there were messages.
 */
const INBOX_DELAY_MS = 1000;

/**
 * Tells the Inbox object of the conversation's team what changed, coalesced: a burst of messages
 * costs one call, and agents still see it within a fraction of a second. When the conversation
 * moved to another team, the team it left hears it too, so its row leaves that queue.
 */
export class InboxNotifier {
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Stubs by team: naming an object hashes its name, and a busy conversation calls every second. */
  private readonly stubs = new Map<string, ReturnType<typeof teamStub>>();

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
      const calls = [this.team(tenantId, item.team).conversationChanged(item, tenantId, item.team)];
      if (before !== undefined && before !== item.team) calls.push(this.team(tenantId, before).conversationChanged(item, tenantId, before));
      if (before !== item.team) left.set(item.team);
      this.ctx.waitUntil(Promise.all(calls).catch((err: Error) => console.warn('inbox notify failed:', err.message)));
    }, INBOX_DELAY_MS);
  }

  private team(tenantId: string, team: string): ReturnType<typeof teamStub> {
    let stub = this.stubs.get(team);
    if (!stub) this.stubs.set(team, (stub = teamStub(this.env, tenantId, team)));
    return stub;
  }

  /** An agent opened or closed this conversation's socket: the Floor can then reach it to close it. */
  viewing(tenantId: string, agentId: string, conversationId: string, on: boolean): void {
    this.ctx.waitUntil(floorStub(this.env, tenantId).viewing(agentId, conversationId, on).catch(() => {}));
  }
}
