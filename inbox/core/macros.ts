import { macroHoldUntil, macroValues, renderMacro } from '../../protocol';
import type { CannedReply, MacroActions, RenderedMacro, Topic } from '../../protocol';

/**
 * The composer's side of macros, pure so it is tested without a browser: the chips that say what a
 * macro does, its preview (the same renderMacro the server runs), and what a send of an armed
 * macro posts. <sb-composer> only runs the answers.
 */

/** A macro picked in the composer: sending runs it (actions included) until it is disarmed. */
export interface ArmedMacro {
  id: string;
  shortcut: string;
  /** The preview as inserted: sent unchanged, the server renders the macro itself. */
  preview: string;
  /** One per armed macro, so a run retried after a failed call is recognised and done once. */
  clientId: string;
}

/** What the inbox knows for a preview. */
export interface PreviewContext {
  contactName: string | null;
  agentName: string;
  number: number | null;
  locale: string;
}

/** The macro's text rendered for the agent to read and edit; unknown or unavailable variables stay as written. */
export function previewMacro(reply: CannedReply, ctx: PreviewContext, now: number): RenderedMacro {
  // As on the server: the hold the macro sets, never the current one its reply would end.
  const holdUntil = macroHoldUntil(reply.actions, now);
  return renderMacro(reply.text, macroValues({ contactName: ctx.contactName, agentName: ctx.agentName, number: ctx.number ?? 0, holdUntil, locale: ctx.locale }));
}

/**
 * The text a run posts: none when the agent left the preview as it was, so the server renders the
 * macro with its own clock (the hold's time exact to the minute it is set); their edit otherwise.
 */
export function runText(armed: ArmedMacro, text: string): string | undefined {
  return text === armed.preview ? undefined : text;
}

/** Whether the armed macro still goes with this text: clearing the field disarms it. */
export function stillArmed(armed: ArmedMacro | null, text: string): armed is ArmedMacro {
  return armed !== null && text.trim() !== '';
}

/** Short labels of what a macro does, for the picker's chips. */
export function actionChips(actions: MacroActions, topics: readonly Topic[] = []): string[] {
  const chips: string[] = [];
  if (actions.topic) chips.push(`Topic: ${topics.find((t) => t.key === actions.topic)?.label ?? actions.topic}`);
  if (actions.priority) chips.push(`Priority: ${actions.priority}`);
  if (actions.holdMinutes) chips.push(`Hold ${formatMinutes(actions.holdMinutes)}`);
  if (actions.resolve) chips.push('Resolves');
  return chips;
}

function formatMinutes(m: number): string {
  if (m % 1440 === 0) return `${m / 1440} d`;
  if (m % 60 === 0) return `${m / 60} h`;
  return `${m} min`;
}
