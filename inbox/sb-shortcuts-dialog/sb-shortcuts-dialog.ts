import { html } from 'lit';
import { KEYMAP } from '../core/keymap';
import { keys } from '../shared/badges';
import { ModalElement } from '../shared/modal';
import { styles } from './sb-shortcuts-dialog.styles';

/**
 * The `?` overlay: every keyboard shortcut, in a modal dialog that Escape closes.
 * The dialog's frame, fields and buttons take the shared theme (shared/dialog.styles.ts and
 * base.styles.ts; see <sb-inbox>).
 *
 * @csspart dialog - the modal dialog
 * @csspart group - each group of shortcuts
 * @cssproperty --sb-muted - group headings
 */
export class SbShortcutsDialog extends ModalElement {
  static override styles = styles;

  override render() {
    return html`<dialog part="dialog" aria-labelledby="keys-title" @keydown=${this.trap}>
      <div class="body">
        <div class="head">
          <h2 id="keys-title">Keyboard shortcuts</h2>
          <button class="btn" type="button" autofocus @click=${() => this.close()}>Close ${keys('Esc')}</button>
        </div>
        <p class="hint">Single keys work when you are not typing in a field; press ${keys('Esc')} in the composer first.</p>
        <div class="groups">
          ${KEYMAP.map(
            (g) => html`<section part="group">
              <h3>${g.group}</h3>
              <dl>
                ${g.items.map((s) => html`<dt>${keys(...s.keys)}</dt><dd>${s.does}</dd>`)}
              </dl>
            </section>`,
          )}
        </div>
      </div>
    </dialog>`;
  }
}

/** Register <sb-shortcuts-dialog> once. */
export function defineSbShortcutsDialog(): void {
  if (!customElements.get('sb-shortcuts-dialog')) customElements.define('sb-shortcuts-dialog', SbShortcutsDialog);
}

declare global {
  interface HTMLElementTagNameMap {
    'sb-shortcuts-dialog': SbShortcutsDialog;
  }
}
