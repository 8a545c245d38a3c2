import { LitElement, html, nothing } from 'lit';
import type { Priority, TopicsResponse } from '../../protocol';
import type { ConversationSession } from '../core/conversation-session';
import type { ComposeMode, Drafts } from '../core/drafts';
import type { ConversationAction } from '../core/keymap';
import { clock } from '../core/format';
import { channelBadges, errorLine, keys, slaCountdown, statusBadge } from '../shared/badges';
import { emit } from '../../client/emit';
import { styles } from './sb-conversation.styles';
import { FollowChanges } from '../shared/follow-changes';
import { loadTopics } from '../core/topics';
import { defineSbDocRequest } from '../sb-doc-request/sb-doc-request';

defineSbDocRequest();

const PRIORITIES: Priority[] = ['low', 'normal', 'high', 'urgent'];

/**
 * One open conversation: header (number, brand, status, priority, assignee, channels), actions
 * (take, assign, hold, escalate, resolve/reopen, priority, topic), the customer's rating and comment
 * once they rated (masked like every agent view), the thread, who else is here and who
 * is typing, and the composer. The shell calls the action methods for the keyboard shortcuts.
 * The topic picker lists the tenant's topics; a resolve refused for want of one (the tenant
 * requires it) shows the refusal like any other and puts the focus on the picker.
 * Text, buttons and focus rings take the shared theme (shared/base.styles.ts; see <sb-inbox>).
 *
 * @event sb-open-conversation - the agent followed a merged conversation; detail `{ id }`
 * @csspart header - number, contact and the conversation's facts
 * @csspart sla - the SLA level and the countdown to the clock due first
 * @csspart actions - the row of action buttons
 * @csspart banner - each banner (hold, escalation, the customer's rating, merged); also banner-hold / banner-escalation / banner-csat
 * @csspart presence - who else is here and who is typing
 * @cssproperty --sb-surface - background
 * @cssproperty --sb-bg - background of the presence line
 * @cssproperty --sb-border - lines under the actions and the banners
 * @cssproperty --sb-border-strong - outline of the priority and topic menus
 * @cssproperty --sb-muted - the number and the presence line
 */
export class SbConversation extends LitElement {
  static override styles = styles;
  static override properties = {
    session: { attribute: false },
    drafts: { attribute: false },
    brand: { type: String },
    now: { attribute: false },
    topics: { state: true },
  };

  /** The open conversation to show. */
  declare session: ConversationSession;
  /** Where the composer keeps drafts. */
  declare drafts: Drafts;
  /** The brand the conversation came through, as the queue row said. */
  declare brand: string;
  /** The clock the SLA countdown ticks by (ms); the shell advances it every second. */
  declare now: number;
  /** The tenant's topics; null until loaded (or when they could not be). */
  declare topics: TopicsResponse | null;

  private readonly follow = new FollowChanges(this, () => this.session);
  private readonly onVisible = () => this.markRead();

  constructor() {
    super();
    this.brand = '';
    this.now = Date.now();
    this.topics = null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('visibilitychange', this.onVisible);
    // Without the list the picker shows only the current topic; the server checks keys anyway.
    loadTopics().then(
      (t) => (this.topics = t),
      () => undefined,
    );
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('visibilitychange', this.onVisible);
  }

  protected override updated(): void {
    this.markRead();
  }

  /** What is on screen is read: tell the customer, once per new message. */
  private markRead(): void {
    if (this.session?.active && document.visibilityState === 'visible') this.session.markRead();
  }

  private get mine(): boolean {
    return this.session.state?.assignee?.id === this.session.me.id;
  }

  /** Focus the composer, in reply or note mode. */
  focusComposer(mode?: ComposeMode): void {
    this.renderRoot.querySelector('sb-composer')?.focusComposer(mode);
  }

  /** Take the conversation (t). */
  take(): void {
    if (!this.mine) void this.session.take();
  }

  /** Open the assign / transfer dialog (a). */
  openAssign(): void {
    void this.renderRoot.querySelector('sb-assign-dialog')?.show();
  }

  /** Open the hold dialog (h), or nothing if it is on hold already. */
  openHold(): void {
    if (this.session.state?.status === 'on_hold') return;
    void this.renderRoot.querySelector('sb-hold-dialog')?.show();
  }

  /** Open the escalate dialog (x). */
  openEscalate(): void {
    void this.renderRoot.querySelector('sb-escalate-dialog')?.show();
  }

  /** Resolve the conversation (e); refused for want of a topic, the topic picker gets the focus. */
  resolve(): void {
    const st = this.session.state?.status;
    if (st && st !== 'resolved' && st !== 'closed') void this.session.update({ status: 'resolved' }).then((err) => err?.code === 'conversation.topic_required' && this.focusTopic());
  }

  /** Put the focus on the topic picker. */
  focusTopic(): void {
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLSelectElement>('select[name=topic]')?.focus());
  }

  private renderTopic() {
    const s = this.session;
    const current = s.state?.topic ?? null;
    const topics = this.topics?.topics ?? [];
    // A key no longer in the list (removed since it was set) still shows, as itself.
    const stray = current !== null && !topics.some((t) => t.key === current);
    const required = this.topics?.requireAtResolve === true && current === null;
    // Never disabled while a change is out: a disabled control drops the focus, and the agent's
    // next keys (type-ahead in the list) would land on the single-key shortcuts instead.
    return html`<label
      >Topic
      <select name="topic" ?disabled=${!s.state} aria-describedby=${required ? 'topic-required' : nothing} @change=${(e: Event) => void s.update({ topic: (e.target as HTMLSelectElement).value || null })}>
        <option value="" ?selected=${current === null}>— none —</option>
        ${topics.map((t) => html`<option value=${t.key} ?selected=${current === t.key}>${t.label}</option>`)}
        ${stray ? html`<option value=${current} selected>${current}</option>` : nothing}
      </select>
      ${required ? html`<span class="muted" id="topic-required">needed to resolve</span>` : nothing}</label
    >`;
  }

  /** Run a single-key shortcut on this conversation; the shell's key handler calls it. */
  run(action: ConversationAction): void {
    switch (action) {
      case 'reply':
      case 'note':
        return this.focusComposer(action);
      case 'take':
        return this.take();
      case 'assign':
        return this.openAssign();
      case 'hold':
        return this.openHold();
      case 'escalate':
        return this.openEscalate();
      case 'resolve':
        return this.resolve();
    }
  }

  private renderBanners() {
    const st = this.session.state;
    if (!st) return nothing;
    return html`${st.hold
      ? html`<p class="banner hold ${st.hold.overdue ? 'is-overdue' : ''}" part="banner banner-hold" role="status" data-hold>
          <strong>${st.hold.overdue ? '! Hold overdue' : 'On hold'}</strong>
          <span>“${st.hold.note}” — back by ${clock(st.hold.until)}</span>
        </p>`
      : nothing}
    ${st.escalation
      ? html`<p class="banner escalation" part="banner banner-escalation" data-escalation><strong>↑ Escalated</strong> by ${st.escalation.by.name} at ${clock(st.escalation.at)}: “${st.escalation.reason}”</p>`
      : nothing}
    ${st.csat
      ? html`<p class="banner csat" part="banner banner-csat" data-csat=${st.csat.score}>
          <strong>${st.csat.score === 'good' ? '👍 Rated good' : '👎 Rated bad'}</strong>
          ${st.csat.comment ? html`<span class="comment">“${st.csat.comment}”</span>` : nothing}
        </p>`
      : nothing}
    ${st.mergedInto
      ? html`<p class="banner" part="banner">
          This conversation was merged into the contact's other one.
          <button class="btn" type="button" @click=${() => emit(this, 'sb-open-conversation', { id: st.mergedInto })}>Open it</button>
        </p>`
      : nothing}`;
  }

  private renderPresence() {
    const s = this.session;
    const others = s.viewers.filter((v) => v.id !== s.me.id);
    const typing = s.typing.map((a) => (a.role === 'customer' ? s.contactName || 'Customer' : a.name || 'An agent'));
    return html`<p class="presence" part="presence">
      <span>${others.length ? html`Also here: ${others.map((v) => v.name).join(', ')}` : ''}</span>
      <span class="typing" aria-live="polite">${typing.length ? `${typing.join(', ')} ${typing.length > 1 ? 'are' : 'is'} typing…` : ''}</span>
    </p>`;
  }

  override render() {
    const s = this.session;
    if (!s) return nothing;
    const st = s.state;
    const status = st?.status;
    const done = status === 'resolved' || status === 'closed';
    const busy = s.busy !== null;
    return html`<header part="header">
        <h2><span class="num">#${s.number ?? '…'}</span> ${s.contactName || 'Visitor'}</h2>
        ${st
          ? html`<div class="facts">
              <span class="brand">${this.brand || s.me.tenantKey}</span>
              ${statusBadge(st.status)} ${channelBadges(st.channels)} <span class="sla" part="sla">${slaCountdown(st.sla, this.now)}</span>
              <span>· ${st.assignee ? html`Assigned to <strong>${st.assignee.id === s.me.id ? 'you' : st.assignee.name}</strong>` : html`<strong>Unassigned</strong>`}</span>
            </div>`
          : nothing}
        ${s.link !== 'online' ? html`<span class="link" role="status">${s.link === 'closed' ? 'Disconnected' : s.link === 'connecting' ? 'Connecting…' : 'Reconnecting…'}</span>` : nothing}
      </header>
      <div class="actions" part="actions" role="group" aria-label="Conversation actions">
        ${this.mine
          ? html`<span class="yours">✓ Yours</span>`
          : html`<button class="btn primary" type="button" ?disabled=${!st || busy || done} @click=${() => this.take()}>Take ${keys('t')}</button>`}
        <button class="btn" type="button" ?disabled=${!st || busy} @click=${() => this.openAssign()}>Assign ${keys('a')}</button>
        ${status === 'on_hold'
          ? html`<button class="btn" type="button" ?disabled=${busy} @click=${() => void s.update({ hold: null })}>End hold</button>`
          : html`<button class="btn" type="button" ?disabled=${!st || busy || done} @click=${() => this.openHold()}>Hold ${keys('h')}</button>`}
        <button class="btn" type="button" ?disabled=${!st || busy || done} @click=${() => this.openEscalate()}>Escalate ${keys('x')}</button>
        ${done
          ? html`<button class="btn" type="button" ?disabled=${busy || status === 'closed'} @click=${() => void s.update({ status: 'open' })}>Reopen</button>`
          : html`<button class="btn" type="button" ?disabled=${!st || busy} @click=${() => this.resolve()}>Resolve ${keys('e')}</button>`}
        <label
          >Priority
          <select
            ?disabled=${!st}
            aria-busy=${busy ? 'true' : 'false'}
            .value=${st?.priority ?? 'normal'}
            @change=${(e: Event) => void s.update({ priority: (e.target as HTMLSelectElement).value as Priority })}
          >
            ${PRIORITIES.map((p) => html`<option value=${p} ?selected=${st?.priority === p}>${p}</option>`)}
          </select></label
        >
        ${this.renderTopic()}
        <sb-doc-request .session=${s} ?disabled=${!st || done}></sb-doc-request>
      </div>
      ${errorLine(s.shownError, () => s.dismissError())} ${errorLine(s.detailError)} ${this.renderBanners()}
      <sb-thread .session=${s} .topics=${this.topics?.topics ?? []}></sb-thread>
      ${this.renderPresence()}
      <sb-composer .session=${s} .drafts=${this.drafts} @sb-topic-required=${() => this.focusTopic()}></sb-composer>
      <sb-hold-dialog .session=${s}></sb-hold-dialog>
      <sb-escalate-dialog .session=${s}></sb-escalate-dialog>
      <sb-assign-dialog .session=${s}></sb-assign-dialog>`;
  }
}

/** Register <sb-conversation> once. */
export function defineSbConversation(): void {
  if (!customElements.get('sb-conversation')) customElements.define('sb-conversation', SbConversation);
}

declare global {
  interface HTMLElementTagNameMap {
    'sb-conversation': SbConversation;
  }
}
