/**
 * What the composer's keys mean around the canned-reply picker, as pure functions so the decision
 * is tested without a browser (<sb-composer> only runs the answer).
 */

/** What a plain Enter (no Shift) does in the composer. */
export type EnterAction = 'insert' | 'send' | 'nothing';

/**
 * The `/query` typed so far while the picker is open, else null. The picker is open when the whole
 * text is `/` and one word (so "see 1/2" or "/shrug it happens" are plain messages) and Escape has
 * not closed it.
 */
export function cannedQuery(text: string, closed: boolean): string | null {
  const m = /^\/(\S*)$/.exec(text);
  return m && !closed ? m[1]! : null;
}

/**
 * Enter with the picker open inserts the highlighted reply; with nothing to insert (no match, list
 * still loading or failed to load) it does nothing, because an agent who typed "/bil" was looking
 * for a reply, never meaning to send the customer "/bil". To send such text as typed, Escape closes
 * the picker first; after that Enter sends.
 */
export function enterAction(text: string, closed: boolean, matches: number): EnterAction {
  if (cannedQuery(text, closed) === null) return 'send';
  return matches > 0 ? 'insert' : 'nothing';
}
