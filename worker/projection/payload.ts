import type { Message, Note } from '../../protocol';
import type { ConversationEvent, ConversationSnapshot } from '../db/projection';

/**
 * One queue message of the D1 projection: a slice of one conversation's outbox, self-contained so
 * the consumer needs nothing but D1. Every part is idempotent (ticket by version, the rest by
 * (conversation_id, seq)), so a redelivered or reordered message changes nothing.
 */
export interface ProjectionPayload {
  v: 1;
  conversationId: string;
  tenantId: string;
  /** When the object handed it to the queue (ms), for the projection lag. */
  enqueuedAt: number;
  ticket: ConversationSnapshot;
  messages: Message[];
  events: ConversationEvent[];
  notes: Note[];
  /** The object's outbox rows this slice carries: confirmed back to the object once written. */
  outboxIds?: number[];
}

/**
 * A queue message must stay under 128 KB (developers.cloudflare.com/queues/platform/limits); a
 * slice stops growing past this many bytes of JSON, leaving room for the largest single message.
 */
export const PAYLOAD_SOFT_LIMIT_BYTES = 64 * 1024;

/** Whether a queue body is a projection payload this consumer understands. */
export function isProjectionPayload(body: unknown): body is ProjectionPayload {
  const p = body as Partial<ProjectionPayload> | null;
  return (
    typeof p === 'object' && p !== null && p.v === 1 && typeof p.conversationId === 'string' && typeof p.tenantId === 'string' &&
    typeof p.enqueuedAt === 'number' && typeof p.ticket === 'object' && p.ticket !== null && p.ticket.id === p.conversationId &&
    Array.isArray(p.messages) && Array.isArray(p.events) && Array.isArray(p.notes)
  );
}
