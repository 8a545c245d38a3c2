import { LitElement, html, nothing } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { emit } from '../../client/emit';
import { styles } from './sb-tab-strip.styles';

/** One tab as the strip shows it. */
export interface TabLabel {
  id: string;
  number: number | null;
  name: string;
  unread: number;
}

/**
 * The strip of open conversations above the thread: which one is in front, unread counts, close.
 *
 * @event sb-activate-tab - a tab was chosen; detail `{ id }`
 * @event sb-close-tab - a tab's close button was pressed; detail `{ id }`
 * @csspart strip - the list of tabs
 */
export class SbTabStrip extends LitElement {
  static override styles = styles;
  static override properties = {
    tabs: { attribute: false },
    activeId: { attribute: false },
  };

  declare tabs: TabLabel[];
  declare activeId: string | null;

  constructor() {
    super();
    this.tabs = [];
    this.activeId = null;
  }

  override render() {
    if (this.tabs.length === 0) return nothing;
    return html`<nav aria-label="Open conversations">
      <ul class="tabs" part="strip">
        ${repeat(
          this.tabs,
          (t) => t.id,
          (t) => {
            const active = t.id === this.activeId;
            return html`<li class=${active ? 'active' : ''}>
              <button class="label" type="button" aria-current=${active ? 'true' : 'false'} data-tab=${t.id} @click=${() => emit(this, 'sb-activate-tab', { id: t.id })}>
                <strong>#${t.number ?? '…'}</strong><span>${t.name}</span>
                ${t.unread > 0 ? html`<span class="unread" aria-label="${t.unread} unread">${t.unread}</span>` : nothing}
              </button>
              <button class="close" type="button" aria-label="Close #${t.number ?? ''}" @click=${() => emit(this, 'sb-close-tab', { id: t.id })}>×</button>
            </li>`;
          },
        )}
      </ul>
    </nav>`;
  }
}

/** Register <sb-tab-strip> once. */
export function defineSbTabStrip(): void {
  if (!customElements.get('sb-tab-strip')) customElements.define('sb-tab-strip', SbTabStrip);
}

declare global {
  interface HTMLElementTagNameMap {
    'sb-tab-strip': SbTabStrip;
  }
}
