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
 * Text, buttons and focus rings take the shared theme (shared/base.styles.ts; see <sb-inbox>).
 *
 * @event sb-activate-tab - a tab was chosen; detail `{ id }`
 * @event sb-close-tab - a tab's close button was pressed; detail `{ id }`
 * @csspart strip - the list of tabs
 * @csspart tab - each tab; also tab-active for the one in front
 * @cssproperty --sb-bg - background behind the tabs
 * @cssproperty --sb-border - tab outlines and the line under the strip
 * @cssproperty --sb-surface - the tab in front
 * @cssproperty --sb-accent - top edge of the tab in front
 * @cssproperty --sb-muted - close buttons
 * @cssproperty --sb-text - a close button under the pointer
 */
export class SbTabStrip extends LitElement {
  static override styles = styles;
  static override properties = {
    tabs: { attribute: false },
    activeId: { attribute: false },
  };

  /** The open conversations, in tab order. */
  declare tabs: TabLabel[];
  /** The conversation in front, if any. */
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
            return html`<li class=${active ? 'active' : ''} part=${active ? 'tab tab-active' : 'tab'}>
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
