import * as v from 'valibot';
import { MAX_TEXT } from './errors';
import { CsatScore, Priority, Status } from './model';
import type { AgentRef, Author, ConversationState, Message } from './model';
import { MAX_WATCH, QueueFilter } from './inbox';
import { TopicKey } from './teams';
import { AttachmentIds, RequestId } from './documents';
import type { Note } from './inbox';
import type { SystemLine } from './system-lines';
import type { ErrorCode } from './errors';

/** Put on hold: a note the customer sees and when the agent promises to be back (ms since epoch). */
export const HoldRequest = v.strictObject({
  note: v.pipe(v.string(), v.trim(), v.minLength(1, 'a hold needs a note for the customer'), v.maxLength(500)),
  until: v.pipe(v.number(), v.integer(), v.minValue(0)),
});

const Text = v.pipe(v.string(), v.minLength(1, 'text must not be empty'), v.maxLength(MAX_TEXT, `text is longer than ${MAX_TEXT} characters`));
const ClientId = v.pipe(v.string(), v.minLength(1), v.maxLength(100));
const Seq = v.pipe(v.number(), v.integer(), v.minValue(0));

/** Client → server frames. `hello` must come first. */
export const ClientFrame = v.variant('type', [
  v.strictObject({ type: v.literal('hello'), token: v.pipe(v.string(), v.minLength(1), v.maxLength(4096)), lastSeq: Seq }),
  // `attachments`: files uploaded under this clientId (POST …/files), the text being their caption.
  // `requestId`: the agent's document request these files answer (customers; protocol/documents.ts).
  v.strictObject({ type: v.literal('message.send'), clientId: ClientId, text: Text, attachments: v.optional(AttachmentIds), requestId: v.optional(RequestId) }),
  v.strictObject({ type: v.literal('typing.set'), on: v.boolean() }),
  v.strictObject({ type: v.literal('read.set'), seq: Seq }),
  // Customers only, before their first message: the topic they picked (routes to a team).
  v.strictObject({ type: v.literal('prechat'), topic: TopicKey }),
  v.strictObject({ type: v.literal('csat.rate'), score: CsatScore, comment: v.optional(v.pipe(v.string(), v.maxLength(2000))) }),
  // Agents only: change the ticket. Fields left out stay as they are; assigneeId null unassigns.
  v.strictObject({
    type: v.literal('conversation.update'),
    status: v.optional(Status),
    priority: v.optional(Priority),
    assigneeId: v.optional(v.nullable(v.pipe(v.string(), v.minLength(1), v.maxLength(100)))),
    hold: v.optional(v.nullable(HoldRequest)),
  }),
  // Agents only: an internal note, never delivered to the customer.
  v.strictObject({ type: v.literal('note.send'), clientId: ClientId, text: Text }),
]);
export type ClientFrame = v.InferOutput<typeof ClientFrame>;

/** Keep-alive text the server answers without waking a hibernated conversation. */
export const PING = '{"type":"ping"}';
export const PONG = '{"type":"pong"}';

/**
 * The customer's projection of a conversation: what the widget needs and nothing internal —
 * no priority, escalation, assignee id or e-mail, audit or reveal state.
 */
export interface CustomerConversationState {
  id: string;
  number: number;
  status: ConversationState['status'];
  /** Only the name the customer may call the agent by. */
  assignee: { name: string } | null;
  channels: ConversationState['channels'];
  hold: ConversationState['hold'];
  queue: ConversationState['queue'];
  csat: ConversationState['csat'];
  mergedInto: string | null;
  lastSeq: number;
}

/** Frames every participant gets alike. `retryAfter` (seconds) comes with `rate.limited`. */
type SharedServerFrame =
  | { type: 'message.ack'; clientId: string; seq: number }
  | { type: 'message.created'; message: Message }
  | { type: 'typing'; author: Author; on: boolean }
  | { type: 'read'; author: Author; seq: number }
  /** Something happened to the ticket: a line in the thread (each projection its own lines). */
  | { type: 'system.line'; line: SystemLine }
  | { type: 'error'; code: ErrorCode; message: string; ref?: string; retryAfter?: number };

/** Server → customer frames: the customer's own projection only. */
export type CustomerServerFrame =
  | SharedServerFrame
  | { type: 'welcome'; conversation: CustomerConversationState; messages: Message[]; you: Author & { channel: string | null }; lines: SystemLine[] }
  | ({ type: 'conversation.updated' } & CustomerConversationState);

/** Server → agent frames: the agents' projection, notes and who else is looking. */
export type AgentServerFrame =
  | SharedServerFrame
  | { type: 'welcome'; conversation: ConversationState; messages: Message[]; you: Author & { channel: string | null }; notes: Note[]; viewers: AgentRef[]; lines: SystemLine[] }
  | ({ type: 'conversation.updated' } & ConversationState)
  | { type: 'note.created'; note: Note }
  | { type: 'viewers'; agents: AgentRef[] };

/** Server → client frames on a conversation socket. */
export type ServerFrame = CustomerServerFrame | AgentServerFrame;

/** Agent presence as the inbox shows it. */
export const PresenceStatus = v.picklist(['online', 'away']);
export type PresenceStatus = v.InferOutput<typeof PresenceStatus>;

/**
 * Inbox socket, client → server. `queue.watch` says what the agent looks at: a filter and how many
 * of its rows they have loaded; live rows then come only for that window.
 */
export const InboxClientFrame = v.variant('type', [
  v.strictObject({ type: v.literal('presence.set'), status: PresenceStatus }),
  v.strictObject({ type: v.literal('queue.watch'), filter: QueueFilter, limit: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(MAX_WATCH)) }),
]);
export type InboxClientFrame = v.InferOutput<typeof InboxClientFrame>;

/** One agent's live presence. */
export interface AgentPresence {
  id: string;
  name: string;
  role: string;
  status: PresenceStatus | 'offline';
  since: number;
}

/** Inbox socket, server → client. */
export type InboxServerFrame =
  | { type: 'inbox.welcome'; you: { id: string; name: string; role: string }; agents: AgentPresence[] }
  | { type: 'presence'; agents: AgentPresence[] }
  | { type: 'error'; code: ErrorCode; message: string };
