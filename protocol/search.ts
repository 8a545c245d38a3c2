import * as v from 'valibot';
import { Channel, Status } from './model';
import { TeamId } from './teams';

/**
 * GET /v1/agent/search: messages, notes, contacts and ticket numbers of the caller's tenant and
 * teams, ranked by relevance. Every text in an answer is masked (the index holds masked text only).
 */
export const SearchQuery = v.object({
  q: v.pipe(v.string(), v.trim(), v.minLength(1, 'q must not be empty'), v.maxLength(200)),
  status: v.optional(v.pipe(v.string(), v.transform((s) => s.split(',')), v.array(Status))),
  channel: v.optional(Channel),
  team: v.optional(TeamId),
  /** An agent id, 'me' or 'none'. */
  assignee: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(200))),
  topic: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(100))),
  /** Epoch ms, inclusive: only texts written from / until then. */
  from: v.optional(v.pipe(v.string(), v.toNumber(), v.integer(), v.minValue(0))),
  to: v.optional(v.pipe(v.string(), v.toNumber(), v.integer(), v.minValue(0))),
  cursor: v.optional(v.pipe(v.string(), v.maxLength(100))),
  limit: v.optional(v.pipe(v.string(), v.toNumber(), v.integer(), v.minValue(1), v.maxValue(50)), '20'),
});
export type SearchQuery = v.InferOutput<typeof SearchQuery>;

/** What a hit was found in. */
export type SearchHitKind = 'message' | 'note' | 'contact' | 'ticket';

/** One hit. `seq` names the message or note (null for a contact or ticket); `highlights` are [start, end) in `snippet`. */
export interface SearchHit {
  conversationId: string;
  number: number;
  kind: SearchHitKind;
  seq: number | null;
  snippet: string;
  highlights: [number, number][];
  createdAt: number;
}

export interface SearchResponse {
  hits: SearchHit[];
  nextCursor: string | null;
}
