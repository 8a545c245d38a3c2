import { LitElement, html, nothing } from 'lit';
import type { ContactCard } from '../../protocol';
import type { ConversationSession } from '../core/conversation-session';
import { date } from '../core/format';
import { ratingBadge, statusBadge } from '../shared/badges';
import { emit } from '../../client/emit';
import type { OpenConversationDetail } from '../sb-queue/sb-queue';
import { styles } from './sb-contact-card.styles';
import { FollowChanges } from '../shared/follow-changes';

const KIND_LABEL: Record<ContactCard['identities'][number]['kind'], string> = { external: 'Account', visitor: 'Device', email: 'Email', phone: 'Phone' };

/**
 * The contact card of the open conversation: name, email, identities, the attributes the partner
 * sent (unverified), and all of the contact's conversations, each opening as a tab.
 * Text, buttons and focus rings take the shared theme (shared/base.styles.ts; see <sb-inbox>).
 *
 * @event sb-open-conversation - an earlier conversation was chosen; detail `OpenConversationDetail`
 * @csspart section - each section of the card; the first is also contact
 * @csspart conversation - each of the contact's conversations
 * @csspart empty - the line shown while there is no contact
 * @cssproperty --sb-surface - card background
 * @cssproperty --sb-border - line beside the card
 * @cssproperty --sb-border-soft - lines between sections, attribute rows and conversations
 * @cssproperty --sb-muted - headings, attribute names and a conversation's last message
 * @cssproperty --sb-hover - a conversation under the pointer
 * @cssproperty --sb-accent - outline of the conversation open now
 */
export class SbContactCard extends LitElement {
  static override styles = styles;
  static override properties = {
    session: { attribute: false },
  };

  /** The conversation whose contact to show; null shows nothing. */
  declare session: ConversationSession | null;

  private readonly follow = new FollowChanges(this, () => this.session);

  constructor() {
    super();
    this.session = null;
  }

  override render() {
    const s = this.session;
    if (!s) return html`<p class="empty muted" part="empty">Open a conversation to see who it is.</p>`;
    const d = s.detail;
    if (!d) return html`<p class="empty muted" part="empty" role="status">${s.detailError ? s.detailError.message : 'Loading contact…'}</p>`;
    const c = d.contact;
    const attrs = Object.entries(c.attributes);
    // The open conversation is always listed, with its live status and rating, even before the
    // ticket index has its copy.
    const st = s.state;
    const here = c.conversations.find((x) => x.id === s.id) ?? (st && { id: s.id, number: st.number, status: st.status, createdAt: d.conversation.createdAt, lastMessageText: s.messages.at(-1)?.text ?? null, csat: null });
    const convs = c.conversations.filter((x) => x.id !== s.id);
    if (here) convs.push(st ? { ...here, status: st.status, csat: st.csat } : here);
    convs.sort((a, b) => b.createdAt - a.createdAt);
    return html`<section part="section contact" aria-label="Contact">
        <h2>${c.name || 'Unnamed visitor'}</h2>
        ${c.email ? html`<p>${c.email}</p>` : html`<p class="muted">No email</p>`}
      </section>
      <section part="section">
        <h3>Identities</h3>
        ${c.identities.length
          ? html`<ul class="ids">
              ${c.identities.map((i) => {
                const label = KIND_LABEL[i.kind] ?? i.kind;
                // Visitor tokens are never shown, only that a device is known.
                return html`<li><span class="badge ch">${label}</span><span class=${i.kind === 'visitor' ? 'muted' : ''}>${i.kind === 'visitor' ? 'browser or app, anonymous' : i.value}</span></li>`;
              })}
            </ul>`
          : html`<p class="muted">None</p>`}
      </section>
      <section part="section">
        <h3>Attributes <span class="sr-only">(sent by the partner's page, unverified)</span></h3>
        ${attrs.length
          ? html`<table>
              <tbody>
                ${attrs.map(([k, v]) => html`<tr><th scope="row">${k}</th><td>${String(v)}</td></tr>`)}
              </tbody>
            </table>`
          : html`<p class="muted">None</p>`}
      </section>
      <section part="section">
        <h3>Conversations (${convs.length})</h3>
        <ul class="convs">
          ${convs.map((x) => {
            const csat = x.csat ?? null;
            return html`<li>
              <button
                class="conv"
                part="conversation"
                type="button"
                aria-current=${x.id === s.id ? 'true' : 'false'}
                @click=${() => emit<OpenConversationDetail>(this, 'sb-open-conversation', { id: x.id, number: x.number, contactName: c.name })}
              >
                <span class="num">#${x.number}</span>${statusBadge(x.status)}${ratingBadge(csat)}<span class="muted">${date(x.createdAt)}</span>
                <span class="last">${x.lastMessageText ?? '—'}</span>
                ${csat?.comment ? html`<span class="rating-comment" data-csat-comment>“${csat.comment}”</span>` : nothing}
              </button>
            </li>`;
          })}
        </ul>
      </section>`;
  }
}

/** Register <sb-contact-card> once. */
export function defineSbContactCard(): void {
  if (!customElements.get('sb-contact-card')) customElements.define('sb-contact-card', SbContactCard);
}

declare global {
  interface HTMLElementTagNameMap {
    'sb-contact-card': SbContactCard;
  }
}
