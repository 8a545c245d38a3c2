import { LitElement, html, nothing } from 'lit';
import { REQUEST_KIND_LABELS, SENSITIVE_REQUEST_KINDS } from '../../protocol';
import type { DocumentRequestKind } from '../../protocol';
import type { ConversationSession } from '../core/conversation-session';
import { filesOf } from '../core/agent-files';
import { shownError } from '../core/api';
import { styles } from './sb-doc-request.styles';

const KINDS = Object.keys(REQUEST_KIND_LABELS) as DocumentRequestKind[];

/**
 * "Request document": asks the customer for a passport, a contract page, a photo of the device or
 * modem label, or anything named in free text. The customer gets a card with an upload button; the
 * thread shows the request and, once answered, that it was. Passports and contract pages are always
 * sensitive (blurred for agents until an audited reveal); the agent may mark any request so.
 *
 * @csspart button - the toggle
 */
export class SbDocRequest extends LitElement {
  static override styles = styles;
  static override properties = { session: { attribute: false }, disabled: { type: Boolean }, open: { state: true }, kind: { state: true }, error: { state: true }, busy: { state: true } };

  /** The conversation to ask in. */
  declare session: ConversationSession;
  declare disabled: boolean;
  declare open: boolean;
  declare kind: DocumentRequestKind;
  declare error: string | null;
  declare busy: boolean;

  constructor() {
    super();
    this.disabled = false;
    this.open = false;
    this.kind = 'passport';
    this.error = null;
    this.busy = false;
  }

  private async submit(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const data = new FormData(e.target as HTMLFormElement);
    const note = String(data.get('note') ?? '').trim();
    this.busy = true;
    try {
      await filesOf(this.session).request({ kind: this.kind, ...(note ? { note } : {}), ...(data.get('sensitive') ? { sensitive: true } : {}) });
      this.open = false;
      this.error = null;
    } catch (err) {
      this.error = shownError(err).message;
    } finally {
      this.busy = false;
    }
  }

  override render() {
    const always = SENSITIVE_REQUEST_KINDS.includes(this.kind);
    return html`<button class="btn" part="button" type="button" aria-expanded=${this.open ? 'true' : 'false'} ?disabled=${this.disabled} @click=${() => (this.open = !this.open)}>Request document</button>
      ${this.open
        ? html`<form aria-label="Request a document" @submit=${this.submit} @keydown=${(e: KeyboardEvent) => e.key === 'Escape' && (this.open = false)}>
            <label>What do you need?
              <select name="kind" .value=${this.kind} @change=${(e: Event) => (this.kind = (e.target as HTMLSelectElement).value as DocumentRequestKind)}>
                ${KINDS.map((k) => html`<option value=${k} ?selected=${k === this.kind}>${REQUEST_KIND_LABELS[k]}</option>`)}
              </select></label>
            <label>Note for the customer${this.kind === 'other' ? ' (required)' : ' (optional)'}<input name="note" maxlength="300" ?required=${this.kind === 'other'} /></label>
            <label class="check"><input type="checkbox" name="sensitive" .checked=${always} ?disabled=${always} />Sensitive: blur for agents until revealed</label>
            ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
            <div class="row">
              <button class="btn" type="button" @click=${() => (this.open = false)}>Cancel</button>
              <button class="btn primary" type="submit" ?disabled=${this.busy}>Ask the customer</button>
            </div>
          </form>`
        : nothing}`;
  }
}

/** Register <sb-doc-request> once. */
export function defineSbDocRequest(): void {
  if (!customElements.get('sb-doc-request')) customElements.define('sb-doc-request', SbDocRequest);
}

declare global {
  interface HTMLElementTagNameMap {
    'sb-doc-request': SbDocRequest;
  }
}
