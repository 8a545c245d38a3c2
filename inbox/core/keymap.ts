import type { QueueFilter } from '../../protocol';
import { FILTERS } from './queue-store';

/** What a single-key shortcut does to the open conversation; <sb-conversation> runs these. */
export type ConversationAction = 'reply' | 'note' | 'take' | 'assign' | 'hold' | 'escalate' | 'resolve';

/** A shortcut that switches the queue filter. */
export type FilterAction = `filter:${QueueFilter}`;

/** What a single-key shortcut does; the shell runs these, and hands the conversation's own to it. */
export type InboxAction = 'help' | 'next' | 'previous' | 'previous-tab' | 'next-tab' | ConversationAction | FilterAction;

/** Whether the action switches the queue filter. */
export function isFilterAction(action: InboxAction): action is FilterAction {
  return action.startsWith('filter:');
}

/** One keyboard shortcut: what the `?` overlay lists and, with an action, what the shell's key handler runs. */
export interface Shortcut {
  keys: string[];
  does: string;
  /** Run by the shell's key handler; absent for keys a field handles itself (the composer's). */
  action?: InboxAction;
  /** Only with a conversation open. */
  needsConversation?: boolean;
  /** Works while typing in a field too (handled by that field). */
  inFields?: boolean;
}

/**
 * The one table of the inbox's shortcuts, in the order the overlay shows them. The key handler and
 * the overlay both read it, so a key cannot work without being listed, nor be listed without working.
 */
export const KEYMAP: { group: string; items: Shortcut[] }[] = [
  {
    group: 'Queue and tabs',
    items: [
      { keys: ['j'], does: 'Next conversation in the queue (opens it)', action: 'next' },
      { keys: ['k'], does: 'Previous conversation in the queue (opens it)', action: 'previous' },
      ...FILTERS.map((f, i): Shortcut => ({ keys: [String(i + 1)], does: `Queue filter: ${f.label.toLowerCase()}`, action: `filter:${f.id}` })),
      { keys: ['['], does: 'Previous tab', action: 'previous-tab' },
      { keys: [']'], does: 'Next tab', action: 'next-tab' },
      { keys: ['Ctrl', 'K'], does: 'Search messages, notes, people and #tickets (⌘K on a Mac); Enter opens a result as a tab', inFields: true },
    ],
  },
  {
    group: 'Conversation',
    items: [
      { keys: ['r'], does: 'Write a reply', action: 'reply', needsConversation: true },
      { keys: ['n'], does: 'Write an internal note', action: 'note', needsConversation: true },
      { keys: ['Alt', 'N'], does: 'Switch between reply and note', inFields: true },
      { keys: ['/'], does: 'At the start of the composer: canned replies', inFields: true },
      { keys: ['Enter'], does: 'Send, or insert the chosen canned reply; never sends a /word no reply matches (Shift+Enter: new line)', inFields: true },
      { keys: ['Esc'], does: 'Close the canned replies (Enter then sends the text as typed), leave the composer, or close a dialog', inFields: true },
    ],
  },
  {
    group: 'Actions',
    items: [
      { keys: ['t'], does: 'Take the conversation', action: 'take', needsConversation: true },
      { keys: ['a'], does: 'Assign or transfer', action: 'assign', needsConversation: true },
      { keys: ['h'], does: 'Put on hold', action: 'hold', needsConversation: true },
      { keys: ['x'], does: 'Escalate to a supervisor', action: 'escalate', needsConversation: true },
      { keys: ['e'], does: 'Resolve', action: 'resolve', needsConversation: true },
      { keys: ['?'], does: 'This list', action: 'help' },
    ],
  },
];

const BY_KEY = new Map(KEYMAP.flatMap((g) => g.items).filter((s) => s.action && s.keys.length === 1).map((s) => [s.keys[0]!, s]));

/**
 * The shortcut a key press means, or null: single keys only, never with Ctrl/Meta/Alt, never while
 * typing in a field or inside an open dialog (which owns the keyboard then).
 */
export function shortcutFor(e: KeyboardEvent): Shortcut | null {
  if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || isTyping(e) || inDialog(e)) return null;
  return BY_KEY.get(e.key) ?? null;
}

/** Ctrl+K or ⌘K: open search, wherever the focus is. */
export function isSearchChord(e: KeyboardEvent): boolean {
  return (e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === 'k' && !inDialog(e);
}

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
