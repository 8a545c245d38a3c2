import * as v from 'valibot';
import { TopicKey } from './teams';

/**
 * A tenant's topics: what a conversation is about (Roaming, Billing, Number porting, …), one list
 * per tenant. The agent sets the topic; the brand's pre-chat choices are a subset of this list.
 */

/** One topic: its key (what is stored on the ticket and routed on) and the label agents read. */
export const Topic = v.strictObject({
  key: TopicKey,
  label: v.pipe(v.string(), v.trim(), v.minLength(1, 'a topic needs a label'), v.maxLength(80)),
});
export type Topic = v.InferOutput<typeof Topic>;

/** GET/PUT /v1/admin/topics: the whole list in order, and whether resolving needs a topic. */
export const TopicsConfig = v.strictObject({
  topics: v.pipe(v.array(Topic), v.maxLength(200)),
  requireAtResolve: v.boolean(),
});
export type TopicsConfig = v.InferOutput<typeof TopicsConfig>;

/** GET /v1/agent/topics: what the agent may pick, and whether they must before resolving. */
export interface TopicsResponse {
  topics: Topic[];
  requireAtResolve: boolean;
}
