import { html } from 'lit';
import type { ShownError } from '../core/api';
import type { ConversationSession } from '../core/conversation-session';
import { errorLine } from '../shared/badges';
import { ModalElement } from '../shared/modal';
import { styles } from './sb-escalate-dialog.styles';

/**
 * Escalate a conversation to the supervisors, saying why.
 * The dialog's frame, fields and buttons take the shared theme (shared/dialog.styles.ts and
 * base.styles.ts; see <sb-inbox>).
 *
 * @csspart dialog - the modal dialog
 * @csspart reason - the reason field
 */
export class SbEscalateDialog extends ModalElement {
  static override styles = styles;
  static override properties = {
    session: { attribute: false },
    error: { state: true },
    busy: { state: true },
  };

  /** The conversation to escalate. */
  declare session: ConversationSession;
  declare error: ShownError | null;
  declare busy: boolean;

  constructor() {
    super();
    this.error = null;
    this.busy = false;
  }

  protected override reset(): void {
    this.error = null;
    this.busy = false;
    this.renderRoot.querySelector('form')?.reset();
  }

  private async submit(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const reason = String(new FormData(e.target as HTMLFormElement).get('reason') ?? '').trim();
    if (!reason) {
      this.error = { code: 'request.invalid', message: 'Say why: the supervisor reads this first.' };
      return;
    }
    this.busy = true;
    this.error = await this.session.escalate(reason, false);
    this.busy = false;
    if (!this.error) this.close();
  }

  override render() {
    return html`<dialog part="dialog" aria-labelledby="esc-title" @keydown=${this.trap}>
      <form @submit=${this.submit} novalidate>
        <h2 id="esc-title">Escalate #${this.session?.number ?? ''} to a supervisor</h2>
        <label class="field"
          ><span>Reason</span>
          <textarea part="reason" name="reason" rows="3" maxlength="500" autofocus placeholder="Customer asks for a refund above my limit."></textarea>
        </label>
        <p class="hint">Supervisors are notified at once. The conversation stays with you unless they take it over.</p>
        ${errorLine(this.error)}
        <div class="actions">
          <button class="btn" type="button" @click=${() => this.close()}>Cancel</button>
          <button class="btn primary" type="submit" ?disabled=${this.busy}>${this.busy ? 'Escalating…' : 'Escalate'}</button>
        </div>
      </form>
    </dialog>`;
  }
}

/** Register <sb-escalate-dialog> once. */
export function defineSbEscalateDialog(): void {
  if (!customElements.get('sb-escalate-dialog')) customElements.define('sb-escalate-dialog', SbEscalateDialog);
}

declare global {
  interface HTMLElementTagNameMap {
    'sb-escalate-dialog': SbEscalateDialog;
  }
}
