import type { Status } from '../../protocol';
import type { ConversationPatch, Refusal } from './commands';
import type { DoState } from './state';

/**
 * The topic part of the conversation's update rule, pure like the rest of rules.ts (kept apart so
 * that file stays small). The caller checked the key is one of the tenant's topics; whether the
 * tenant requires a topic at resolve comes with the command, so no rule reads D1.
 */

/** The part of the rules' outcome a topic change writes to. */
export interface TopicOutcome {
  readonly s: DoState;
  changed: boolean;
  event(kind: string, data: Record<string, unknown>): void;
}

/** The refusal an agent reads when the tenant wants a topic before resolving. */
export const TOPIC_REQUIRED_MESSAGE = 'Set a topic before resolving: every resolved conversation needs one here';

/**
 * Apply `patch.topic` (audited as `topic.set { from, to }`), or refuse: a conversation the patch
 * would leave resolved without a topic, when the tenant requires one — whether it is being resolved
 * now or its topic cleared afterwards. A conversation already resolved before the setting was
 * switched on stays as it is until someone changes it.
 */
export function applyTopic(out: TopicOutcome, patch: ConversationPatch, requireTopic: boolean): Refusal | null {
  const s = out.s;
  const topic = patch.topic === undefined ? s.topic : patch.topic;
  const resolving = statusAfter(s, patch) === 'resolved' && (s.status !== 'resolved' || patch.topic === null);
  if (requireTopic && resolving && topic === null) return { ok: false, code: 'conversation.topic_required', message: TOPIC_REQUIRED_MESSAGE };
  if (patch.topic !== undefined && patch.topic !== s.topic) {
    out.event('topic.set', { from: s.topic, to: patch.topic });
    s.topic = patch.topic;
    out.changed = true;
  }
  return null;
}

/** The status an update leaves, as rules.update decides it: a hold puts on hold, lifting one reopens. */
function statusAfter(s: DoState, patch: ConversationPatch): Status {
  if (patch.hold) return 'on_hold';
  if (patch.status) return patch.status;
  return patch.hold === null && s.status === 'on_hold' ? 'open' : s.status;
}
