import { LitElement, html, nothing } from 'lit';
import type { ComplaintFiledResponse, ComplaintPrefillResponse } from '../../protocol';
import type { ChatConnection } from '../core/connection';
import type { I18n } from '../i18n';

/**
 * "File a complaint": subject, what happened, what they want, and the e-mail the written answer
 * goes to (prefilled for a signed-in subscriber whose e-mail is known). It renders into the panel's
 * own shadow root, so the panel's form styles apply and it adds no stylesheet of its own. Part of
 * the lazily loaded panel: the launcher never carries it.
 *
 * @event sb-complaint-close - the customer goes back to the chat
 */
export class SbComplaintForm extends LitElement {
  static override properties = {
    connection: { attribute: false },
    i18n: { attribute: false },
    base: { type: String },
    brand: { type: String },
    email: { state: true },
    errors: { state: true },
    filed: { state: true },
    busy: { state: true },
  };

  declare connection: ChatConnection;
  declare i18n: I18n;
  /** The Switchboard origin the widget talks to. */
  declare base: string;
  declare brand: string;
  declare email: string;
  declare errors: Record<string, string>;
  declare filed: ComplaintFiledResponse | null;
  declare busy: boolean;

  constructor() {
    super();
    this.email = '';
    this.errors = {};
    this.filed = null;
    this.busy = false;
  }

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    const identityToken = this.connection.identityToken();
    if (!identityToken) return;
    void this.post<ComplaintPrefillResponse>('/v1/widget/complaints/prefill', { brand: this.brand, identityToken }).then((r) => {
      if (r?.email && !this.email) this.email = r.email;
    });
  }

  private async post<T>(path: string, body: Record<string, string>): Promise<T | null> {
    const res = await fetch(`${this.base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).catch(() => null);
    return res?.ok ? ((await res.json()) as T) : null;
  }

  private async submit(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const data = new FormData(form);
    const value = (k: string) => String(data.get(k) ?? '').trim();
    const errors: Record<string, string> = {};
    for (const k of ['subject', 'happened', 'wanted', 'email']) if (!value(k)) errors[k] = this.i18n.t('required');
    if (value('email') && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value('email'))) errors.email = this.i18n.t('badEmail');
    this.errors = errors;
    const first = Object.keys(errors)[0];
    if (first) {
      form.querySelector<HTMLElement>(`[name=${first}]`)?.focus();
      return;
    }
    const body: Record<string, string> = { brand: this.brand, subject: value('subject'), happened: value('happened'), wanted: value('wanted'), email: value('email') };
    const visitor = this.connection.visitorToken();
    if (visitor) body.visitorToken = visitor;
    const identityToken = this.connection.identityToken();
    if (identityToken) body.identityToken = identityToken;
    this.busy = true;
    const out = await this.post<ComplaintFiledResponse>('/v1/widget/complaints', body);
    this.busy = false;
    if (!out) {
      this.errors = { form: this.i18n.t('errorGeneric') };
      return;
    }
    // The same conversation the chat shows: the visitor token keeps this device in it.
    if (out.visitorToken !== visitor) this.connection.adoptVisitorToken(out.visitorToken);
    this.filed = out;
  }

  private close(): void {
    this.dispatchEvent(new CustomEvent('sb-complaint-close', { bubbles: true, composed: true }));
  }

  override render() {
    const { i18n } = this;
    const back = html`<button class="link-button" type="button" @click=${this.close}>${i18n.t('complaintCancel')}</button>`;
    if (this.filed) {
      return html`<div class="offline complaint" role="status"><p>${i18n.t('complaintDone', { number: this.filed.number, date: i18n.fullDate(this.filed.dueAt) })}</p>${back}</div>`;
    }
    const err = (k: string) => (this.errors[k] ? html`<span class="error" id="cerr-${k}">${this.errors[k]}</span>` : nothing);
    const aria = (k: string) => (this.errors[k] ? 'true' : 'false');
    return html`<form class="offline complaint" novalidate @submit=${this.submit}>
      <h3>${i18n.t('complaintTitle')}</h3>
      <p>${i18n.t('complaintIntro')}</p>
      <label class="field"><span>${i18n.t('complaintSubject')}</span><input name="subject" maxlength="200" aria-invalid=${aria('subject')} aria-describedby="cerr-subject" />${err('subject')}</label>
      <label class="field"><span>${i18n.t('complaintHappened')}</span><textarea name="happened" rows="4" maxlength="8000" aria-invalid=${aria('happened')} aria-describedby="cerr-happened"></textarea>${err('happened')}</label>
      <label class="field"><span>${i18n.t('complaintWanted')}</span><textarea name="wanted" rows="2" maxlength="4000" aria-invalid=${aria('wanted')} aria-describedby="cerr-wanted"></textarea>${err('wanted')}</label>
      <label class="field"><span>${i18n.t('complaintEmail')}</span><input name="email" type="email" autocomplete="email" .value=${this.email} aria-invalid=${aria('email')} aria-describedby="cerr-email" />${err('email')}</label>
      ${err('form')}
      <button class="primary" type="submit" ?disabled=${this.busy}>${i18n.t('complaintSubmit')}</button>
      ${back}
    </form>`;
  }
}

/** Register <sb-complaint-form> once. */
export function defineSbComplaintForm(): void {
  if (!customElements.get('sb-complaint-form')) customElements.define('sb-complaint-form', SbComplaintForm);
}

declare global {
  interface HTMLElementTagNameMap {
    'sb-complaint-form': SbComplaintForm;
  }
}
