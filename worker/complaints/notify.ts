import type { ComplaintFields, ReminderStage } from '../../protocol';
import type { Env } from '../env';
import type { Tenant } from '../db/tenants';

/**
 * Who hears of a complaint beyond the chat and the register: the mail channel. The complaint code
 * calls these at the three moments the customer or the agents are owed a mail; the mail channel
 * sends them through its one sender. Failures are logged, never undo what was stored.
 */
export interface ComplaintNotifier {
  /** Filed: the customer gets the register number and the due date. */
  filed(env: Env, tenant: Tenant, c: { id: string; number: string; dueAt: number; conversationId: string }, fields: ComplaintFields): Promise<void>;
  /** A reminder went out (first time only): mail the agents reminded. */
  reminded(env: Env, tenantId: string, r: { complaintId: string; number: string; stage: ReminderStage; dueAt: number; recipients: { id: string; name: string; email: string }[] }): Promise<void>;
  /** The approved letter went out: the customer gets it, with its link. */
  answered(env: Env, tenant: Tenant, a: { number: string; email: string; conversationId: string; html: string; url: string }): Promise<void>;
}

let current: ComplaintNotifier | null = null;

/** Install the notifier (the mail channel does, at module load). */
export function setComplaintNotifier(n: ComplaintNotifier | null): void {
  current = n;
}

/** Tell the notifier, if any; its failure is logged and swallowed. */
export async function notify<K extends keyof ComplaintNotifier>(kind: K, ...args: Parameters<ComplaintNotifier[K]>): Promise<void> {
  const n = current;
  if (!n) return;
  try {
    await (n[kind] as (...a: Parameters<ComplaintNotifier[K]>) => Promise<void>)(...args);
  } catch (err) {
    console.warn(`complaint ${kind} mail failed:`, (err as Error).message);
  }
}
