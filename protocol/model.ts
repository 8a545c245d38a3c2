import type { SlaStatus } from './sla';
import type { Attachment } from './documents';
import * as v from 'valibot';

/** Where a customer writes from. The same contact on any of them lands in one conversation. */
export const Channel = v.picklist(['web', 'app', 'modem', 'api', 'email']);
export type Channel = v.InferOutput<typeof Channel>;
/** The channels a widget session may open on; `email` is only ever set by the inbound mail handler. */
export const LiveChannel = v.picklist(['web', 'app', 'modem', 'api']);

/** Who a participant of a conversation is. */
export const Role = v.picklist(['customer', 'agent', 'system']);
export type Role = v.InferOutput<typeof Role>;

/** Ticket status. open/pending/on_hold count as the contact's one open conversation. */
export const Status = v.picklist(['open', 'pending', 'on_hold', 'resolved', 'closed']);
export type Status = v.InferOutput<typeof Status>;

export const Priority = v.picklist(['low', 'normal', 'high', 'urgent']);
export type Priority = v.InferOutput<typeof Priority>;

export const AgentRole = v.picklist(['agent', 'supervisor', 'admin']);
export type AgentRole = v.InferOutput<typeof AgentRole>;

export const CsatScore = v.picklist(['good', 'bad']);
export type CsatScore = v.InferOutput<typeof CsatScore>;

/** The author of a message as every participant sees it. */
export interface Author {
  role: Role;
  id: string | null;
  name: string | null;
}

/** One message of a conversation's ordered log. `seq` is gapless and strictly increasing. */
export interface Message {
  id: string;
  conversationId: string;
  seq: number;
  clientId: string;
  author: Author;
  channel: Channel;
  text: string;
  /** Milliseconds since the epoch, server clock. */
  createdAt: number;
  /** For agents: the text has phone or document numbers masked; reveal is an audited action. */
  masked?: boolean;
  /** Files the message carries, the text being their caption (protocol/documents.ts). */
  attachments?: Attachment[];
}

/** An agent as others see them. */
export interface AgentRef {
  id: string;
  name: string;
}

/** A hold: the agent's note to the customer and when they promised to be back. */
export interface Hold {
  note: string;
  until: number;
  /** The promised time passed without a reply from the agent. */
  overdue: boolean;
  /**
   * Agents only: how often the agent has been reminded of the overdue hold (1 at the promised
   * time, one more every few minutes it stays overdue). The Inbox sends a reminder when it grows.
   */
  reminders?: number;
}

/** The live state of a conversation, as carried by `welcome` and `conversation.updated`. */
export interface ConversationState {
  id: string;
  number: number;
  status: Status;
  priority: Priority;
  assignee: AgentRef | null;
  channels: Channel[];
  hold: Hold | null;
  /** Position in the team's queue while waiting for an agent, and the estimated wait (s) when known. */
  queue: { position: number; etaS: number | null } | null;
  csat: { score: CsatScore; comment: string | null } | null;
  /** Escalated to supervisors, and why; null when not. */
  escalation: { reason: string; by: AgentRef; at: number } | null;
  /** Set when this conversation was merged into the contact's other open conversation. */
  mergedInto: string | null;
  lastSeq: number;
  /** The team whose queue it is in, the pre-chat topic, and whether the customer is a VIP. */
  team: string;
  topic: string | null;
  vip: boolean;
  /** Agents only: the SLA clocks with their due times (absent where an older object sent the state). */
  sla?: SlaStatus | null;
}
