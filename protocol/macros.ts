import * as v from 'valibot';
import { MAX_TEXT } from './errors';
import { Priority } from './model';
import type { ConversationState, Message } from './model';
import type { CannedReply } from './inbox';
import { TopicKey } from './teams';

/**
 * Macros: canned replies with variables and optional actions (one concept: a canned reply with no
 * actions is a plain one). The text is rendered by `renderMacro` alone — the inbox's preview and the
 * server's authoritative run use this one function, so the agent sees what the customer gets.
 */

/** The variables a macro's text may use, as `{{name}}`. */
export const MACRO_VARIABLES = ['contact.name', 'agent.name', 'conversation.number', 'hold.until'] as const;
export type MacroVariable = (typeof MACRO_VARIABLES)[number];

/** The longest hold a macro may set: the rules' seven days (rules.MAX_HOLD_MS), in minutes. */
export const MAX_HOLD_MINUTES = 7 * 24 * 60;

/** What running a macro does besides sending its text. The reply goes first, resolve last. */
export const MacroActions = v.pipe(
  v.strictObject({
    topic: v.optional(TopicKey),
    priority: v.optional(Priority),
    holdMinutes: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(MAX_HOLD_MINUTES, `holdMinutes is at most ${MAX_HOLD_MINUTES} (7 days)`))),
    /** What the customer's hold banner says; the macro's title when left out. */
    holdNote: v.optional(v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(500))),
    resolve: v.optional(v.boolean()),
  }),
  // A resolved conversation is not on hold: a macro that did both would promise a time nobody keeps.
  v.check((a) => !(a.holdMinutes !== undefined && a.resolve === true), 'a macro either holds or resolves, not both'),
  v.check((a) => a.holdNote === undefined || a.holdMinutes !== undefined, 'holdNote goes with holdMinutes'),
);
export type MacroActions = v.InferOutput<typeof MacroActions>;

/** A canned reply's shortcut, typed after `/`: letters of any script, digits, - and _. */
export const MacroShortcut = v.pipe(v.string(), v.regex(/^[\p{L}\p{N}][\p{L}\p{N}_-]{0,39}$/u, 'a shortcut is one word: letters, digits, - and _, at most 40'));

/** PUT /v1/admin/macros/:shortcut: create or replace the canned reply under that shortcut. */
export const MacroInput = v.strictObject({
  title: v.pipe(v.string(), v.trim(), v.minLength(1, 'a macro needs a title'), v.maxLength(100)),
  text: v.pipe(v.string(), v.minLength(1, 'a macro needs a text'), v.maxLength(MAX_TEXT, `text is longer than ${MAX_TEXT} characters`)),
  actions: v.optional(MacroActions, {}),
});
export type MacroInput = v.InferOutput<typeof MacroInput>;

/** GET /v1/admin/macros: every canned reply of the tenant, actions included, by shortcut. */
export interface MacrosResponse {
  macros: CannedReply[];
}

/** PUT /v1/admin/macros/:shortcut: the macro as stored. */
export interface MacroResponse {
  macro: CannedReply;
}

/** POST /v1/agent/conversations/:id/macros/:macroId: run it; `text` is the agent's edit (variables allowed). */
export const MacroRunRequest = v.strictObject({
  clientId: v.pipe(v.string(), v.minLength(1), v.maxLength(100)),
  text: v.optional(v.pipe(v.string(), v.minLength(1, 'text must not be empty'), v.maxLength(MAX_TEXT, `text is longer than ${MAX_TEXT} characters`))),
});
export type MacroRunRequest = v.InferOutput<typeof MacroRunRequest>;

/** The answer of a run: the reply, the state after the actions, and whether it was a retry. */
export interface MacroRunResponse {
  message: Message;
  state: ConversationState;
  /** A run with this clientId had already happened: nothing was sent or applied again. */
  duplicate: boolean;
}

/**
 * The values of a macro's variables; null when one cannot be known (`hold.until` when the macro
 * sets no hold). A missing contact name is '' (see renderMacro).
 */
export type MacroValues = Record<MacroVariable, string | null>;

/** What rendering found: the text, and the placeholders left in it as written. */
export interface RenderedMacro {
  text: string;
  /** Names that are no variable (a typo like `{{contact.nmae}}`). */
  unknown: string[];
  /** Variables with no value now. */
  unavailable: MacroVariable[];
}

const isVariable = (name: string): name is MacroVariable => (MACRO_VARIABLES as readonly string[]).includes(name);

/**
 * Fill in `{{variables}}`. Unknown and unavailable ones stay in the text as written, so the preview
 * shows them to the agent, and are listed, so a run refuses them instead of sending braces.
 * A variable whose value is empty (a contact without a name) takes the space or ", " before it
 * with it: "Thanks, {{contact.name}}!" → "Thanks!", "Hi {{contact.name}}, …" → "Hi, …".
 */
export function renderMacro(text: string, values: MacroValues): RenderedMacro {
  const unknown = new Set<string>();
  const unavailable = new Set<MacroVariable>();
  const out = text.replace(/(,?[ \t]+)?\{\{([^{}]*)\}\}(,[ \t]*)?/g, (whole, lead: string | undefined, inner: string, trail: string | undefined) => {
    const name = inner.trim();
    if (!isVariable(name)) {
      unknown.add(name);
      return whole;
    }
    const value = values[name];
    if (value === null) {
      unavailable.add(name);
      return whole;
    }
    if (value !== '') return (lead ?? '') + value + (trail ?? '');
    // Empty: drop it with its lead; a comma after it stays only to join what came before and after.
    return lead ? (trail ?? '') : '';
  });
  return { text: out, unknown: [...unknown], unavailable: [...unavailable] };
}

/**
 * A hold's promised time as the macro writes it: HH:MM (24-hour) in the brand's locale, in UTC —
 * tenants have no time zone setting yet, so UTC is the one clock both sides can read the same way.
 */
export function holdClock(ms: number, locale: string, timeZone = 'UTC'): string {
  try {
    return new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone }).format(ms);
  } catch {
    // An unknown locale or zone must not stop a reply: plain digits say the same.
    const d = new Date(ms);
    return `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
  }
}

/** When a hold the macro sets would end if it ran at `now`; null when it sets none. */
export function macroHoldUntil(actions: MacroActions, now: number): number | null {
  return actions.holdMinutes === undefined ? null : now + actions.holdMinutes * 60_000;
}

/** Whether a canned reply does more than send text. */
export function hasActions(actions: MacroActions | undefined): boolean {
  return !!actions && Object.values(actions).some((x) => x !== undefined && x !== false);
}

/** The variables' values from what is known when the macro runs (or is previewed). */
export function macroValues(known: { contactName: string | null; agentName: string; number: number; holdUntil: number | null; locale: string }): MacroValues {
  return {
    'contact.name': known.contactName?.trim() ?? '',
    'agent.name': known.agentName,
    'conversation.number': String(known.number),
    'hold.until': known.holdUntil === null ? null : holdClock(known.holdUntil, known.locale),
  };
}
