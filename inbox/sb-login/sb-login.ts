import { LitElement, html, nothing } from 'lit';
import type { AgentProfile, LoginResponse } from '../../protocol';
import { api, shownError } from '../core/api';
import type { ShownError } from '../core/api';
import { errorLine } from '../shared/badges';
import { emit } from '../../client/emit';
import { styles } from './sb-login.styles';

/**
 * Agent sign-in: email and password, errors as the server words them.
 * Text, buttons and focus rings take the shared theme (shared/base.styles.ts; see <sb-inbox>).
 *
 * @event sb-login - signed in; detail `{ agent: AgentProfile }`
 * @csspart form - the sign-in card
 * @csspart notice - why the agent is here again, above the fields
 * @csspart submit - the sign-in button
 * @cssproperty --sb-bg - page background around the card
 * @cssproperty --sb-surface - card background
 * @cssproperty --sb-border - card outline
 * @cssproperty --sb-border-strong - field outlines
 */
export class SbLogin extends LitElement {
  static override styles = styles;
  static override properties = {
    notice: { type: String },
    error: { state: true },
    busy: { state: true },
  };

  /** Why the agent is here again (e.g. "Your session has ended"), shown above the form. */
  declare notice: string;
  declare error: ShownError | null;
  declare busy: boolean;

  constructor() {
    super();
    this.notice = '';
    this.error = null;
    this.busy = false;
  }

  override firstUpdated(): void {
    this.renderRoot.querySelector<HTMLInputElement>('input[name=email]')?.focus();
  }

  private async submit(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const data = new FormData(e.target as HTMLFormElement);
    this.busy = true;
    this.error = null;
    try {
      const res = await api<LoginResponse>('/v1/agent/login', { method: 'POST', json: { email: String(data.get('email') ?? ''), password: String(data.get('password') ?? '') } });
      emit<{ agent: AgentProfile }>(this, 'sb-login', { agent: res.agent });
    } catch (err) {
      this.error = shownError(err);
      void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLInputElement>('input[name=password]')?.select());
    } finally {
      this.busy = false;
    }
  }

  override render() {
    return html`<form part="form" @submit=${this.submit} aria-labelledby="title">
      <h1 id="title">Switchboard inbox</h1>
      ${this.notice ? html`<p role="status" class="muted" part="notice">${this.notice}</p>` : nothing}
      <label>Email<input name="email" type="email" autocomplete="username" required /></label>
      <label>Password<input name="password" type="password" autocomplete="current-password" required /></label>
      ${errorLine(this.error)}
      <button class="btn primary" part="submit" type="submit" ?disabled=${this.busy}>${this.busy ? 'Signing in…' : 'Sign in'}</button>
    </form>`;
  }
}

/** Register <sb-login> once. */
export function defineSbLogin(): void {
  if (!customElements.get('sb-login')) customElements.define('sb-login', SbLogin);
}

declare global {
  interface HTMLElementTagNameMap {
    'sb-login': SbLogin;
  }
}
