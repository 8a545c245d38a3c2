import type { AgentRef, AgentRole, Author, Channel, CsatScore, ErrorCode, Priority, Status } from '../../protocol';
import type { DoState } from './state';

/**
 * What the conversation's rules (rules.ts) take and give: who acts, the commands, and the
 * decision with its audit events and effects. Types only, shared by the rules, the object and tests.
 */

/** Who acts. Agents carry their role, because what they may do depends on it. */
export type Actor =
  | { role: 'customer'; id: string; name: string | null }
  | { role: 'agent'; id: string; name: string; agentRole: AgentRole }
  | { role: 'system'; id: null; name: null };

/** The system itself: the Inbox assigning, an alarm firing, a merge. */
export const SYSTEM: Actor = { role: 'system', id: null, name: null };

/** A change to the ticket. Absent fields stay; assigneeId null unassigns. */
export interface ConversationPatch {
  status?: Status;
  priority?: Priority;
  assigneeId?: string | null;
  hold?: { note: string; until: number } | null;
  /** Move it to another team's queue (the caller checked the team exists). */
  team?: string;
  /** What it is about: one of the tenant's topics (the caller checked the key); null clears it. */
  topic?: string | null;
}

/** Everything that changes a conversation's state. */
export type Command =
  /**
   * `assignee` is the agent `patch.assigneeId` names, looked up by the caller; 'unknown' when none
   * is active. `requireTopic`: the tenant's setting, read by the caller (absent: not required).
   */
  | { type: 'update'; patch: ConversationPatch; assignee?: AgentRef | 'unknown'; requireTopic?: boolean }
  /** Take the conversation oneself; a supervisor taking it takes over its escalation too. */
  | { type: 'take' }
  | { type: 'escalate'; reason: string }
  | { type: 'rate'; score: CsatScore; comment: string | null }
  | { type: 'reveal'; seq: number }
  | { type: 'note' }
  /** A message was stored (or is about to be): what it does to the ticket. `live` is false for copies. */
  | { type: 'message'; channel: Channel; createdAt: number; live: boolean }
  /** The customer joined from a channel (hello). */
  | { type: 'channel.join'; channel: Channel }
  /** The alarm: a hold whose promised time passed. */
  | { type: 'hold.check' }
  /** The alarm: an SLA clock past its warning share or its target (worker/sla/sla-track.ts). */
  | { type: 'sla.check' }
  /** The Inbox: `agentId` stayed offline beyond the grace, so their open chat goes back to the queue. */
  | { type: 'release'; agentId: string; reason: 'agent_offline' }
  /** The customer picked a topic before their first message; routing placed it in `team`. */
  | { type: 'prechat'; topic: string; team: string }
  | { type: 'contact.link'; contactId: string }
  | { type: 'merge.into'; targetId: string }
  | { type: 'merge.from'; fromId: string; copied: number };

/** An audit event the command produced. */
export interface RuleEvent {
  kind: string;
  actor: Author;
  data: Record<string, unknown>;
}

/** What the object must do after a command. */
export interface Effects {
  /** The ticket changed: bump its version, store it, project it to D1, tell the Inbox. */
  persist: boolean;
  /** Participants see the change (`conversation.updated`). */
  publish: boolean;
  /** Wake the alarm no later than this (a hold's promised time, an SLA clock's next warning or breach). */
  wakeAt: number | null;
}

/** A refusal, in the one error shape's terms. */
export interface Refusal {
  ok: false;
  code: ErrorCode;
  message: string;
  retryAfterMs?: number;
}

export type Decision = { ok: true; state: DoState; events: RuleEvent[]; effects: Effects } | Refusal;

/** A copied message's author as an actor: copies change nothing an agent's role would matter for. */
export function actorFromAuthor(a: Author): Actor {
  if (a.role === 'agent') return { role: 'agent', id: a.id ?? '', name: a.name ?? '', agentRole: 'agent' };
  if (a.role === 'customer') return { role: 'customer', id: a.id ?? '', name: a.name };
  return SYSTEM;
}
