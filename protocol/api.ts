import * as v from 'valibot';
import { AgentRole, LiveChannel, Priority, Status } from './model';
import { MAX_TEXT } from './errors';
import { HoldRequest } from './frames';
import type { ContactCard, Note } from './inbox';
import { TeamId, TopicKey } from './teams';
import type { PrechatTopic } from './teams';
import type { SystemLine } from './system-lines';
import type { AgentRef, Channel as ChannelT, ConversationState, Message, Priority as PriorityT, Status as StatusT } from './model';

const Id = v.pipe(v.string(), v.minLength(1), v.maxLength(200));

/** POST /v1/widget/session: start or resume the device's (or the identified contact's) conversation. */
export const SessionRequest = v.strictObject({
  brand: v.pipe(v.string(), v.minLength(1), v.maxLength(100)),
  channel: LiveChannel,
  visitorToken: v.optional(v.pipe(v.string(), v.minLength(16), v.maxLength(200))),
  identityToken: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(4096))),
  /** The user's attributes as the host page knows them (unverified; shown to agents as such). */
  attributes: v.optional(
    v.pipe(
      v.record(v.pipe(v.string(), v.maxLength(100)), v.union([v.pipe(v.string(), v.maxLength(1000)), v.number(), v.boolean()])),
      v.check((r) => Object.keys(r).length <= 50, 'at most 50 attributes'),
    ),
  ),
});
export type SessionRequest = v.InferOutput<typeof SessionRequest>;

export interface SessionResponse {
  /** Keep it on the device; present it next time to come back to the same conversation. */
  visitorToken: string;
  contactId: string;
  conversationId: string;
  /** Short-lived; send it in the `hello` frame, never in a URL. */
  socketToken: string;
  socketUrl: string;
  expiresAt: number;
}

/** POST /v1/agent/login. `tenant` (a brand key) is needed only when the email exists in several tenants. */
export const LoginRequest = v.strictObject({
  email: v.pipe(v.string(), v.trim(), v.toLowerCase(), v.email('email is not an email address'), v.maxLength(200)),
  password: v.pipe(v.string(), v.minLength(1), v.maxLength(200)),
  tenant: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(100))),
});
export type LoginRequest = v.InferOutput<typeof LoginRequest>;

/** The signed-in agent. */
export interface AgentProfile {
  id: string;
  tenantId: string;
  tenantKey: string;
  email: string;
  name: string;
  role: v.InferOutput<typeof AgentRole>;
  maxChats: number;
}

/** GET /v1/agent/conversations query. */
export const ConversationListQuery = v.object({
  status: v.optional(v.pipe(v.string(), v.transform((s) => s.split(',')), v.array(Status))),
  assignee: v.optional(Id), // an agent id, 'me' or 'none'
  cursor: v.optional(v.pipe(v.string(), v.maxLength(500))),
  limit: v.optional(v.pipe(v.string(), v.toNumber(), v.integer(), v.minValue(1), v.maxValue(200)), '50'),
});

/** A row of the ticket index. */
export interface ConversationSummary {
  id: string;
  number: number;
  status: StatusT;
  priority: PriorityT;
  assignee: AgentRef | null;
  channels: ChannelT[];
  contact: { id: string; name: string | null; email: string | null };
  subject: string | null;
  lastMessageText: string | null;
  lastMessageAt: number | null;
  createdAt: number;
  updatedAt: number;
  csatScore: 'good' | 'bad' | null;
}

export interface ConversationListResponse {
  conversations: ConversationSummary[];
  nextCursor: string | null;
}

/** GET /v1/agent/conversations/:id */
export interface ConversationDetailResponse {
  conversation: ConversationSummary;
  state: ConversationState;
  /** Customer texts with phone and document numbers masked. */
  messages: Message[];
  notes: Note[];
  /** The thread's system lines (assigned, held, resolved, rated…), oldest first; texts masked. */
  lines: SystemLine[];
  contact: ContactCard;
}

/** PATCH /v1/agent/conversations/:id */
export const ConversationUpdateRequest = v.strictObject({
  status: v.optional(Status),
  priority: v.optional(Priority),
  assigneeId: v.optional(v.nullable(Id)),
  /** Set a hold (status becomes on_hold) or, with null, lift it. */
  hold: v.optional(v.nullable(HoldRequest)),
  /** Transfer to another team's queue (the current agent lets go unless assigneeId names one). */
  team: v.optional(TeamId),
  /** What the conversation is about: one of the tenant's topics (GET /v1/agent/topics); null clears it. */
  topic: v.optional(v.nullable(TopicKey)),
});
export type ConversationUpdateRequest = v.InferOutput<typeof ConversationUpdateRequest>;

/** POST /v1/agent/conversations/:id/messages: reply without a socket. */
export const AgentMessageRequest = v.strictObject({
  clientId: v.pipe(v.string(), v.minLength(1), v.maxLength(100)),
  text: v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_TEXT, `text is longer than ${MAX_TEXT} characters`)),
});

export interface AgentMessageResponse {
  seq: number;
  message: Message;
}

/** POST /v1/agent/conversations/:id/socket-token */
export interface SocketTokenResponse {
  socketToken: string;
  socketUrl: string;
  expiresAt: number;
}

/** GET /v1/widget/brands/:key — what the widget shows of a brand. Long-cached. */
export interface BrandResponse {
  key: string;
  name: string;
  locale: string;
  branding: {
    primary?: string;
    onPrimary?: string;
    greeting?: string;
    position?: 'left' | 'right';
    logo?: string;
    texts?: Record<string, Record<string, string>>;
  };
  /** Topics the customer may pick before the first message; none: no pre-chat choice. */
  topics: PrechatTopic[];
  /** The brand has e-mail configured: the away form may promise an answer by e-mail. */
  email: boolean;
}

/** GET /v1/widget/brands/:key/presence — whether anyone can answer now. Never cached. */
export interface PresenceResponse {
  agentsOnline: number;
}

/** POST /v1/widget/offline-message: leave a message when nobody is online. */
export const OfflineMessageRequest = v.strictObject({
  brand: v.pipe(v.string(), v.minLength(1), v.maxLength(100)),
  /** Asked of anonymous visitors only; a signed-in subscriber's name comes from their identity token. */
  name: v.optional(v.pipe(v.string(), v.trim(), v.minLength(1, 'name is required'), v.maxLength(200))),
  /** Asked only when the brand has e-mail (BrandResponse.email) and the visitor is anonymous. */
  email: v.optional(v.pipe(v.string(), v.trim(), v.toLowerCase(), v.email('email is not an email address'), v.maxLength(200))),
  text: v.pipe(v.string(), v.trim(), v.minLength(1, 'text is required'), v.maxLength(MAX_TEXT, `text is longer than ${MAX_TEXT} characters`)),
  visitorToken: v.optional(v.pipe(v.string(), v.minLength(16), v.maxLength(200))),
  identityToken: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(4096))),
});
export type OfflineMessageRequest = v.InferOutput<typeof OfflineMessageRequest>;

export interface OfflineMessageResponse {
  conversationId: string;
  number: number;
  visitorToken: string;
  /** How the answer will come: by e-mail (the brand has e-mail and we have an address) or here in the chat. */
  answerBy: 'email' | 'chat';
}
