import { slaLevelAt } from '../../protocol';
import type { QueueItem } from '../../protocol';
import type { Env } from '../env';
import { DEFAULT_OFFLINE_GRACE_S } from '../db/tenants';
import { conversationStub } from '../stubs';
import type { QueueStore } from './queue-store';
import type { InboxStore } from './inbox-store';
import type { InboxAttachment } from './presence';

/**
 * What an agent's absence does to their customers. Offline beyond the tenant's grace, their open
 * chats go back to the queue (through the conversation's rules, audited, waiting time kept); and
 * the supervisor counts a customer whose agent is not there as waiting, like an unassigned one.
 */

/** When an agent whose last socket just closed loses their chats, unless they come back first. */
export function releaseDueAt(att: InboxAttachment, closedAt: number): number {
  return closedAt + (att.offlineGraceMs ?? DEFAULT_OFFLINE_GRACE_S * 1000);
}

/**
 * Give back the open chats of every agent whose grace has ended, and forget them as absent.
 * `present` says who has a socket again (they keep their chats). Returns the rows that changed.
 */
export async function releaseAbsent(env: Env, tenantId: string | null, queue: QueueStore, store: InboxStore, present: (agentId: string) => boolean, now: number): Promise<QueueItem[]> {
  const changed: QueueItem[] = [];
  for (const agentId of store.absentDue(now)) {
    if (!present(agentId) && tenantId) {
      for (const item of queue.assignedTo(agentId)) {
        const r = await conversationStub(env, item.id).release(tenantId, agentId, 'agent_offline').catch(() => null);
        // Not released (moved meanwhile, or the object unreachable): its own report will tell us.
        if (!r?.ok || r.value.assignee !== null) continue;
        const back: QueueItem = { ...item, assignee: null, status: r.value.status, hold: r.value.hold };
        queue.upsert(back);
        changed.push(back);
      }
    }
    store.clearAbsent(agentId);
  }
  return changed;
}

/** The floor as the supervisor counts it: customers who really wait, the longest wait, the breaches. */
export interface WaitingStats {
  /** Waiting for an answer with nobody there: unassigned, or their agent offline or away. */
  waiting: number;
  /** Of those, the ones assigned to an agent who is not there. */
  waitingOnAbsent: number;
  /** When the longest of those started waiting. */
  longestWaitSince: number | null;
  /** Every waiting customer whose SLA is breached (their conversation's clocks), whoever holds them. */
  breached: number;
}

/** Count who waits on whom at `now`; `online` says which agents are online (not away, not gone). */
export function waitingStats(waitingCustomers: QueueItem[], online: (agentId: string) => boolean, now: number): WaitingStats {
  let waiting = 0;
  let waitingOnAbsent = 0;
  let longestWaitSince: number | null = null;
  let breached = 0;
  for (const i of waitingCustomers) {
    if (slaLevelAt(i.sla, now) === 'breached') breached++;
    if (i.assignee && online(i.assignee.id)) continue;
    waiting++;
    if (i.assignee) waitingOnAbsent++;
    if (i.waitingSince !== null && (longestWaitSince === null || i.waitingSince < longestWaitSince)) longestWaitSince = i.waitingSince;
  }
  return { waiting, waitingOnAbsent, longestWaitSince, breached };
}
