// Response bodies of the agent and admin API, so the server and the inbox read one contract.
import type { AgentProfile } from './api';
import type { AgentLoad, CannedReply } from './inbox';
import type { ConversationState, Role } from './model';

/** POST /v1/agent/login: the agent the session cookie now belongs to. */
export interface LoginResponse {
  agent: AgentProfile;
}

/** GET /v1/agent/me */
export interface MeResponse {
  agent: AgentProfile;
}

/** POST /v1/agent/logout */
export interface LogoutResponse {
  ok: true;
}

/** GET /v1/agent/agents: the team with live presence and load, offline agents included. */
export interface AgentsResponse {
  agents: AgentLoad[];
}

/** GET /v1/agent/canned */
export interface CannedResponse {
  replies: CannedReply[];
}

/** POST /v1/agent/conversations/:id/reveal: the clear text of one masked message (audited). */
export interface RevealResponse {
  text: string;
}

/** PATCH /v1/agent/conversations/:id, POST …/take and POST …/escalate: the conversation after the change. */
export interface ConversationStateResponse {
  state: ConversationState;
}

/** One entry of a conversation's audit trail. */
export interface AuditEvent {
  seq: number;
  /** e.g. status.changed, assigned, hold.set, message.revealed */
  kind: string;
  actorRole: Role | string;
  actorId: string | null;
  data: Record<string, unknown>;
  createdAt: number;
}

/** GET /v1/agent/conversations/:id/events: the audit trail, oldest first. */
export interface ConversationEventsResponse {
  events: AuditEvent[];
}

/** An agent as the admin sees them: the profile and whether they may sign in. */
export interface AdminAgent extends AgentProfile {
  disabled: boolean;
}

/** GET /v1/admin/agents */
export interface AdminAgentsResponse {
  agents: AdminAgent[];
}

/** PATCH /v1/admin/agents/:id: the agent after the change, and how many of their sockets were closed. */
export interface AdminAgentUpdateResponse {
  agent: AdminAgent;
  socketsClosed: number;
}
