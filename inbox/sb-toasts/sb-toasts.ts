import { LitElement, html, nothing } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { emit } from '../../client/emit';
import type { OpenConversationDetail } from '../sb-queue/sb-queue';
import { styles } from './sb-toasts.styles';

/** One notification. */
export interface Toast {
  id: string;
  text: string;
  kind: 'info' | 'warn' | 'escalation';
  /** The conversation it is about, for its Open button. */
  conversationId?: string;
  number?: number;
}

/**
 * Reminders and notifications, in an ARIA live region that exists before anything is announced,
 * each dismissible and, when about a conversation, with a button to open it.
 * Text, buttons and focus rings take the shared theme (shared/base.styles.ts; see <sb-inbox>).
 *
 * @event sb-dismiss-toast - the agent dismissed a toast; detail `{ id }`
 * @event sb-open-conversation - the agent opened the toast's conversation; detail `OpenConversationDetail`
 * @csspart list - the stack of toasts
 * @csspart toast - each toast; also toast-info / toast-warn / toast-escalation
 * @cssproperty --sb-surface - toast background
 * @cssproperty --sb-border-strong - toast outline
 * @cssproperty --sb-accent - edge of an informational toast
 */
export class SbToasts extends LitElement {
  static override styles = styles;
  static override properties = {
    toasts: { attribute: false },
  };

  /** The toasts to show, oldest first. */
  declare toasts: Toast[];

  constructor() {
    super();
    this.toasts = [];
  }

  override render() {
    return html`<div role="status" aria-live="polite" aria-label="Notifications"><ol part="list">
      ${repeat(
        this.toasts,
        (t) => t.id,
        (t) => html`<li class=${t.kind} part="toast toast-${t.kind}" data-toast=${t.id}>
          <p class="text">${t.text}</p>
          <span class="buttons">
            ${t.conversationId
              ? html`<button
                  class="btn"
                  type="button"
                  @click=${() => (emit<OpenConversationDetail>(this, 'sb-open-conversation', { id: t.conversationId!, number: t.number }), emit(this, 'sb-dismiss-toast', { id: t.id }))}
                >
                  Open
                </button>`
              : nothing}
            <button class="btn" type="button" aria-label="Dismiss: ${t.text}" @click=${() => emit(this, 'sb-dismiss-toast', { id: t.id })}>✕</button>
          </span>
        </li>`,
      )}
    </ol></div>`;
  }
}

/** Register <sb-toasts> once. */
export function defineSbToasts(): void {
  if (!customElements.get('sb-toasts')) customElements.define('sb-toasts', SbToasts);
}

declare global {
  interface HTMLElementTagNameMap {
    'sb-toasts': SbToasts;
  }
}
