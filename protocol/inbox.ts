import * as v from 'valibot';
import type { AgentRef, Channel, CsatScore, Hold, Priority, Status } from './model';
import type { ErrorCode } from './errors';
import type { AgentPresence } from './frames';
import type { TeamFloor } from './teams';
import type { MacroActions } from './macros';
import type { SlaStatus } from './sla';

/** The queue filters of the inbox, each with a live count. */
export const QueueFilter = v.picklist(['unassigned', 'mine', 'on_hold', 'escalated', 'open', 'resolved']);
export type QueueFilter = v.InferOutput<typeof QueueFilter>;

/** An escalation to supervisors. */
export interface Escalation {
  reason: string;
  by: AgentRef;
  at: number;
}

/** One row of the live queue. Texts are already masked (phone and document numbers). */
export interface QueueItem {
  id: string;
  number: number;
  /** The brand (tenant key) the conversation came through. */
  brand: string;
  /** The team whose queue it is in (see protocol/teams). */
  team: string;
  /** The pre-chat topic the customer picked, if any. */
  topic: string | null;
  /** A VIP customer (a verified identity attribute): served before others, like urgent. */
  vip: boolean;
  status: Status;
  priority: Priority;
  assignee: AgentRef | null;
  channels: Channel[];
  contactName: string | null;
  lastMessageText: string | null;
  lastMessageAt: number | null;
  /** Since when the customer has been waiting for an answer; null when the agent spoke last. */
  waitingSince: number | null;
  escalation: Escalation | null;
  hold: Hold | null;
  /** The customer's rating of the resolved conversation, comment masked (absent in rows an Inbox stored before ratings showed). */
  csat?: Rating | null;
  /** The SLA clocks and their due times (absent in rows an Inbox stored before SLA policies). */
  sla?: SlaStatus | null;
  createdAt: number;
  updatedAt: number;
}

/** A customer's rating as agents see it. */
export interface Rating {
  score: CsatScore;
  comment: string | null;
}

export type QueueCounts = Record<QueueFilter, number>;

/** GET /v1/agent/queue?filter=…&cursor=…&limit=… — sorted by waiting time, longest first. */
export interface QueueResponse {
  items: QueueItem[];
  counts: QueueCounts;
  nextCursor: string | null;
}

/** An agent as the supervisor view shows them. */
export interface AgentLoad extends AgentPresence {
  load: number;
  maxChats: number;
}

/** GET /v1/agent/supervisor */
export interface SupervisorResponse {
  agents: AgentLoad[];
  /** Customers waiting for an answer with nobody there: unassigned, or their agent offline or away. */
  waiting: number;
  /** Of `waiting`, those assigned to an agent who is offline or away. */
  waitingOnAbsent: number;
  /** When the longest of `waiting` started waiting; null when nobody waits. */
  longestWaitSince: number | null;
  /** Waiting customers whose SLA is breached (see slaLevelAt), whoever holds them. */
  breached: number;
  overdueHolds: QueueItem[];
  escalations: QueueItem[];
  /** The same, per team the viewer supervises. */
  teams: TeamFloor[];
}

/** A canned reply, inserted in the composer with `/shortcut`; with actions it is a macro (protocol/macros.ts). */
export interface CannedReply {
  id: string;
  shortcut: string;
  title: string;
  text: string;
  actions: MacroActions;
}

/** An internal note: agents only, never sent to the customer. */
export interface Note {
  id: string;
  conversationId: string;
  seq: number;
  clientId: string;
  author: AgentRef;
  text: string;
  createdAt: number;
}

/** The contact card: who this is, how we know them, and everything they asked before. */
export interface ContactCard {
  id: string;
  name: string | null;
  email: string | null;
  /** Kinds and (masked) values; visitor tokens show only as "device", phone numbers (kept hashed) not at all. */
  identities: { kind: 'external' | 'visitor' | 'email' | 'phone'; value: string }[];
  attributes: Record<string, string | number | boolean>;
  /** Newest first, each with the customer's rating (comment masked) when they gave one. */
  conversations: { id: string; number: number; status: Status; createdAt: number; lastMessageText: string | null; csat: Rating | null }[];
}

/** POST /v1/agent/conversations/:id/escalate */
export const EscalateRequest = v.strictObject({ reason: v.pipe(v.string(), v.trim(), v.minLength(1, 'say why'), v.maxLength(500)) });

/** POST /v1/agent/conversations/:id/reveal — show one masked message in clear; audited. */
export const RevealRequest = v.strictObject({ seq: v.pipe(v.number(), v.integer(), v.minValue(1)) });

/** PATCH /v1/admin/agents/:id */
export const AgentAdminUpdate = v.strictObject({ disabled: v.optional(v.boolean()), maxChats: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(100))) });

/** The most rows one inbox socket may watch live (the loaded pages of one filter). */
export const MAX_WATCH = 1000;

/**
 * Team socket (`/v1/agent/inbox/socket?team=…`), server → client: one team's queue. The inbox
 * opens one per team on its wall and merges them: rows are in exactly one team, and counts add up. `queue.delta` carries, once per tick, only the
 * rows that entered, changed within or left the socket's watched window (`queue.watch`); with
 * `reset` it is the whole window, the answer to a watch. `queue.counts` comes once per tick when
 * this agent's counts changed (`mine` is theirs).
 */
export type InboxLiveFrame =
  | { type: 'queue.delta'; team: string; filter: QueueFilter; reset?: true; upserts: QueueItem[]; removed: string[] }
  | { type: 'queue.counts'; team: string; counts: QueueCounts }
  | { type: 'assigned'; conversationId: string; number: number }
  | { type: 'reminder'; kind: 'hold.overdue'; conversationId: string; number: number; note: string }
  | { type: 'escalated'; conversationId: string; number: number; reason: string; by: AgentRef }
  | { type: 'session.ended'; code: ErrorCode; message: string };
