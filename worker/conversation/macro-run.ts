import { MAX_TEXT, macroHoldUntil, macroValues, renderMacro } from '../../protocol';
import type { MacroActions, Message } from '../../protocol';
import { fail, ok } from './core';
import type { ConversationCore, Result } from './core';
import { decide } from './rules';
import type { Actor, ConversationPatch } from './commands';

/**
 * Running a macro inside the Conversation object: its text rendered with what only the object
 * knows for sure (the contact's name, the number, the hold's time at this instant), stored as the
 * agent's reply, then its actions applied through the same rules as any update. The Worker has
 * loaded the macro of the caller's tenant and checked its topic.
 */

/** What the Worker hands over for one run. */
export interface MacroRun {
  clientId: string;
  /** The text to render: the agent's edit of the macro, or the macro's own; variables allowed. */
  text: string;
  actions: MacroActions;
  /** What the customer's hold banner says when the macro holds. */
  holdNote: string;
  /** The brand's locale, for `{{hold.until}}`. */
  locale: string;
  /** The tenant requires a topic at resolve. */
  requireTopic: boolean;
}

/**
 * Store the reply and apply the actions in one write; a retry with the same clientId finds the reply stored
 * and applies nothing again (a second hold would move the promised time, a second resolve might
 * close what the customer has reopened since). Everything is decided before anything is stored,
 * so a refused action (a topic required, a closed conversation) leaves no reply sent either.
 */
export async function runMacro(core: ConversationCore, actor: Actor, run: MacroRun): Promise<Result<{ message: Message; duplicate: boolean }>> {
  const s = core.s;
  const earlier = core.store.findByClientId(s.id, actor.role, run.clientId);
  if (earlier) return ok({ message: earlier, duplicate: true });
  const now = Date.now();
  // {{hold.until}} is the hold this macro sets. A current hold will not do: the agent's reply ends
  // it (rules.message), so the text would promise a time for a hold that this very reply lifts.
  const holdUntil = macroHoldUntil(run.actions, now);
  const rendered = renderMacro(run.text, macroValues({ contactName: s.contactName, agentName: actor.name ?? '', number: s.number, holdUntil, locale: run.locale }));
  if (rendered.unknown.length) {
    return fail('macro.variable_unknown', `Not a variable: ${rendered.unknown.map((n) => `{{${n}}}`).join(', ')}. The variables are {{contact.name}}, {{agent.name}}, {{conversation.number}} and {{hold.until}}`);
  }
  if (rendered.unavailable.length) return fail('macro.variable_unavailable', '{{hold.until}} is the time of the hold a macro sets, and this macro sets none (holdMinutes)');
  const text = rendered.text.trim();
  if (!text) return fail('message.empty', 'The macro renders to an empty text');
  if (text.length > MAX_TEXT) return fail('message.too_long', `The rendered text is longer than ${MAX_TEXT} characters`);
  const patch = patchOf(run, holdUntil);
  // The reply goes first: an agent's reply ends a hold (rules.message), so a hold set before it would not last.
  const replied = decide(s, { type: 'message', channel: 'api', createdAt: now, live: true }, actor, now);
  if (!replied.ok) return replied;
  const update = patch && { type: 'update' as const, patch, requireTopic: run.requireTopic };
  if (update) {
    const then = decide(replied.state, update, actor, now);
    if (!then.ok) return then;
  }
  // The actions are committed with the reply, in its write: a crash between them cannot leave the
  // reply sent and the actions lost (a retry would find the reply and apply nothing).
  let refused: Result<never> | null = null;
  const andThen = () => {
    const r = core.commit(update!, actor);
    if (r.ok) return r.value;
    refused = r;
    return null;
  };
  const sent = await core.append(actor, 'api', run.clientId, text, update ? { andThen } : {});
  if (!sent.ok || sent.value.duplicate) return sent;
  return refused ?? ok({ message: sent.value.message, duplicate: false });
}

/** The actions as one update: topic, priority and hold, and resolve — which the rules apply after the topic. */
function patchOf(run: MacroRun, holdUntil: number | null): ConversationPatch | null {
  const a = run.actions;
  const patch: ConversationPatch = {};
  if (a.topic !== undefined) patch.topic = a.topic;
  if (a.priority !== undefined) patch.priority = a.priority;
  if (holdUntil !== null) patch.hold = { note: run.holdNote.slice(0, 500), until: holdUntil };
  if (a.resolve) patch.status = 'resolved';
  return Object.keys(patch).length ? patch : null;
}
