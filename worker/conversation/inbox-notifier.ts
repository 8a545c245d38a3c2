import type { QueueItem } from '../../protocol';
import type { Env } from '../env';
import { inboxStub } from '../stubs';

/** How long changes gather before the Inbox hears of them: agents see them well within a second. */
const INBOX_DELAY_MS = 250;

/**
 * Tells the tenant's Inbox object what changed in one conversation, coalesced: a burst of messages
 * costs one call, and agents still see it within a fraction of a second.
 */
export class InboxNotifier {
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly ctx: DurableObjectState,
    private readonly env: Env,
  ) {}

  /** The queue row changed; `row` is read when the call goes out, so it is the latest. */
  changed(tenantId: string, row: () => QueueItem | null): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const item = row();
      if (!item) return;
      this.ctx.waitUntil(inboxStub(this.env, tenantId).conversationChanged(item, tenantId).catch((err: Error) => console.warn('inbox notify failed:', err.message)));
    }, INBOX_DELAY_MS);
  }

  /** An agent opened or closed this conversation's socket: the Inbox can then reach it to close it. */
  viewing(tenantId: string, agentId: string, conversationId: string, on: boolean): void {
    this.ctx.waitUntil(inboxStub(this.env, tenantId).viewing(agentId, conversationId, on).catch(() => {}));
  }
}
