/** One keyboard shortcut as the help overlay lists it. */
export interface Shortcut {
  keys: string[];
  does: string;
  /** Works while typing in a field too. */
  inFields?: boolean;
}

/** Every shortcut of the inbox, in the order the help overlay shows them. */
export const SHORTCUTS: { group: string; items: Shortcut[] }[] = [
  {
    group: 'Queue and tabs',
    items: [
      { keys: ['j'], does: 'Next conversation in the queue (opens it)' },
      { keys: ['k'], does: 'Previous conversation in the queue (opens it)' },
      { keys: ['1', '…', '6'], does: 'Queue filter: unassigned, mine, on hold, escalated, all open, resolved' },
      { keys: ['['], does: 'Previous tab' },
      { keys: [']'], does: 'Next tab' },
    ],
  },
  {
    group: 'Conversation',
    items: [
      { keys: ['r'], does: 'Write a reply' },
      { keys: ['n'], does: 'Write an internal note' },
      { keys: ['Alt', 'N'], does: 'Switch between reply and note', inFields: true },
      { keys: ['/'], does: 'At the start of the composer: canned replies', inFields: true },
      { keys: ['Enter'], does: 'Send (Shift+Enter: new line)', inFields: true },
      { keys: ['Esc'], does: 'Leave the composer or close a dialog', inFields: true },
    ],
  },
  {
    group: 'Actions',
    items: [
      { keys: ['t'], does: 'Take the conversation' },
      { keys: ['a'], does: 'Assign or transfer' },
      { keys: ['h'], does: 'Put on hold' },
      { keys: ['x'], does: 'Escalate to a supervisor' },
      { keys: ['e'], does: 'Resolve' },
      { keys: ['?'], does: 'This list' },
    ],
  },
];

/** The queue filter each digit key selects, in tab order. */
export const FILTER_KEYS = ['unassigned', 'mine', 'on_hold', 'escalated', 'open', 'resolved'] as const;

/** Whether the key event happened while the agent types in a field (single-key shortcuts then stay out of the way). */
export function isTyping(e: Event): boolean {
  const el = e.composedPath()[0];
  if (!(el instanceof HTMLElement)) return false;
  if (el.isContentEditable) return true;
  if (el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement) return true;
  if (el instanceof HTMLInputElement) return !['button', 'checkbox', 'radio', 'submit', 'reset'].includes(el.type);
  return false;
}

/** Whether the key event happened inside an open dialog, which owns the keyboard then. */
export function inDialog(e: Event): boolean {
  return e.composedPath().some((n) => n instanceof HTMLDialogElement && n.open);
}
