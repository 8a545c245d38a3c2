import { LitElement, html, nothing } from 'lit';
import type { AgentProfile, PresenceStatus } from '../../protocol';
import { emit } from '../../client/emit';
import type { LinkState } from '../../client/reconnecting-socket';
import { keys } from '../shared/badges';
import { styles } from './sb-top-bar.styles';

/** The views of the inbox a supervisor switches between. */
export type InboxView = 'inbox' | 'complaints' | 'supervisor' | 'reports';

/**
 * The inbox's top bar: the view switch for supervisors, the link state, the agent's presence,
 * who is signed in, the shortcut list and sign-out. Its dark look is its own; fonts and focus rings
 * take the shared theme (shared/base.styles.ts; see <sb-inbox>).
 *
 * @event sb-view - the agent chose a view; detail `{ view: InboxView }`
 * @event sb-presence - the agent chose online or away; detail `{ status: PresenceStatus }`
 * @event sb-show-shortcuts - the agent asked for the shortcut list
 * @event sb-sign-out - the agent asked to sign out
 * @csspart bar - the bar itself
 * @csspart presence - the online / away switch
 */
export class SbTopBar extends LitElement {
  static override styles = styles;
  static override properties = {
    me: { attribute: false },
    view: { attribute: false },
    link: { attribute: false },
    status: { attribute: false },
  };

  /** Who is signed in; nothing renders without it. */
  declare me: AgentProfile;
  /** The view shown now, marked in the view switch. */
  declare view: InboxView;
  /** How the inbox socket is doing; anything but online is shown. */
  declare link: LinkState;
  /** The agent's presence as the server last said it; offline while the link is down. */
  declare status: PresenceStatus | 'offline';

  constructor() {
    super();
    this.view = 'inbox';
    this.link = 'closed';
    this.status = 'offline';
  }

  override render() {
    const me = this.me;
    if (!me) return nothing;
    const supervisor = me.role === 'supervisor' || me.role === 'admin';
    const view = (v: InboxView) => html`<button class="btn" type="button" aria-current=${this.view === v ? 'page' : 'false'} @click=${() => emit(this, 'sb-view', { view: v })}>
      ${v === 'inbox' ? 'Inbox' : v === 'complaints' ? 'Complaints' : v === 'reports' ? 'Reports' : 'Supervisor'}
    </button>`;
    const presence = (s: PresenceStatus, label: string) => html`<button
      type="button"
      aria-pressed=${this.status === s ? 'true' : 'false'}
      ?disabled=${this.link !== 'online'}
      @click=${() => emit(this, 'sb-presence', { status: s })}
    >
      <span class="dot ${s}" aria-hidden="true"></span>${label}
    </button>`;
    return html`<header class="top" part="bar">
      <p class="logo">Switchboard</p>
      <nav class="views" aria-label="Views">${view('inbox')}${view('complaints')}${supervisor ? view('supervisor') : nothing}${supervisor ? view('reports') : nothing}</nav>
      <span class="spacer"></span>
      ${this.link !== 'online' ? html`<span class="link" role="status">${this.link === 'connecting' ? 'Connecting…' : 'Reconnecting… (offline)'}</span>` : nothing}
      <span class="presence" part="presence" role="group" aria-label="My status">${presence('online', 'Online')}${presence('away', 'Away')}</span>
      <span class="me"><strong>${me.name}</strong><span class="role">${me.role} · ${me.tenantKey}</span></span>
      <button class="btn" type="button" aria-label="Keyboard shortcuts" @click=${() => emit(this, 'sb-show-shortcuts')}>${keys('?')}</button>
      <button class="btn" type="button" @click=${() => emit(this, 'sb-sign-out')}>Sign out</button>
    </header>`;
  }
}

/** Register <sb-top-bar> once. */
export function defineSbTopBar(): void {
  if (!customElements.get('sb-top-bar')) customElements.define('sb-top-bar', SbTopBar);
}

declare global {
  interface HTMLElementTagNameMap {
    'sb-top-bar': SbTopBar;
  }
}
