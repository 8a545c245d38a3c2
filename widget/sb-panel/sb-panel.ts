import { LitElement, html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import { MAX_TEXT } from '../../protocol';
import type { BrandResponse, CsatScore, OfflineMessageResponse, PrechatTopic } from '../../protocol';
import { trapTab } from '../../client/focus-trap';
import type { ChatConnection } from '../core/connection';
import { offerTopics } from '../core/prechat';
import type { I18n } from '../i18n';
import { queueStatus } from '../i18n/queue-status';
import { styles } from './sb-panel.styles';
import { TOPICS_HINT_ID, renderTopicPicker } from './topic-picker';
import { renderThread } from './thread-rows';
import { threadStyles } from './thread-rows.styles';
import { ratingSaved, renderCsatForm } from './csat-form';
import { awayFields, checkAway, renderAwayForm } from './away-form';
import type { SavedRating, SentRating } from './csat-form';
import { defineSbComplaintForm } from '../sb-complaint-form/sb-complaint-form';
import { FilePick } from '../../client/file-pick';
import { renderFilePick } from './file-pick';
import { defineSbFile } from './sb-file';
import type { FileActions } from './files';

defineSbComplaintForm();
defineSbFile();

/** What the panel needs from the launcher that hosts it. */
export interface PanelHost {
  base: string;
  mode: 'launcher' | 'page';
  brandInfo: BrandResponse | null;
  options: { brand: string; identityToken?: string } | null;
  closePanel(): void;
}

/**
 * The chat panel: header with the conversation's status, the message log, typing, hold, CSAT, the
 * brand's pre-chat topics before the first message, the composer, and the leave-a-message form
 * when nobody is online. User text is only ever bound as text, never as HTML.
 *
 * @csspart panel - the card
 * @csspart header - the branded top bar
 * @csspart message - every message row; also message-mine / message-theirs
 * @csspart bubble - a message's bubble
 * @csspart line - a system line between messages (joined, on hold, resolved, your rating)
 * @csspart composer - the reply form
 * @cssproperty --sb-surface - panel background
 * @cssproperty --sb-text - text colour
 * @cssproperty --sb-radius - panel corner radius
 * @cssproperty --sb-log-background - background behind messages
 * @cssproperty --sb-agent-bubble - agents' bubble background
 * @cssproperty --sb-agent-bubble-text - agents' bubble text colour
 */
export class SbPanel extends LitElement {
  static override styles = [styles, threadStyles];
  static override properties = {
    connection: { attribute: false },
    i18n: { attribute: false },
    host: { attribute: false },
    online: { attribute: false },
    topics: { attribute: false },
    page: { type: Boolean, reflect: true },
    position: { type: String, reflect: true },
    draft: { state: true },
    comment: { state: true },
    sentRating: { state: true },
    offlineSent: { state: true },
    formError: { state: true },
    complaining: { state: true },
  };

  declare connection: ChatConnection;
  declare i18n: I18n;
  declare host: PanelHost;
  /** Agents online for the brand; null until known. */
  declare online: number | null;
  /** The brand's pre-chat topics; empty: no choice is offered. */
  declare topics: readonly PrechatTopic[];
  declare draft: string;
  /** The CSAT comment as typed. */
  declare comment: string;
  /** What the customer last sent with csat.rate in this rating, until the conversation reopens. */
  declare sentRating: SentRating | null;
  declare offlineSent: OfflineMessageResponse & { email: string } | null;
  declare formError: Record<string, string>;
  /** The complaint form is open in place of the thread. */
  declare complaining: boolean;

  private readonly onChange = () => this.requestUpdate();
  /** Files picked for the next message (button, camera, drop, paste). */
  private readonly pick = new FilePick(() => this.requestUpdate());
  private readonly fileActions: FileActions = {
    source: (id) => this.connection.fileLink(id),
    cancel: (c) => this.connection.cancel(c),
    discard: (c) => this.connection.cancel(c),
    answer: (requestId, files) => this.connection.send(FilePick.caption(files, MAX_TEXT), files, requestId),
  };
  /** The rating the server showed last render: when it is cleared, the conversation was reopened. */
  private lastRating: SavedRating = null;

  constructor() {
    super();
    this.online = null;
    this.topics = [];
    this.draft = '';
    this.comment = '';
    this.sentRating = null;
    this.offlineSent = null;
    this.formError = {};
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.connection?.addEventListener('change', this.onChange);
    document.addEventListener('visibilitychange', this.onChange);
    void this.updateComplete.then(() => this.focusFirst());
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.connection?.removeEventListener('change', this.onChange);
    document.removeEventListener('visibilitychange', this.onChange);
  }

  protected override willUpdate(): void {
    // Reopened (the server cleared the rating), or another conversation: the old comment and
    // pick go, so a new resolution starts with an empty form and no thanks.
    const s = this.connection.conversation;
    const done = s?.status === 'resolved' || s?.status === 'closed';
    const rating = s?.csat ?? null;
    if (!done || (this.lastRating && !rating)) {
      this.comment = '';
      this.sentRating = null;
    }
    this.lastRating = rating;
  }

  protected override updated(): void {
    // What is on screen is read: tell the agent, and clear the unread badge.
    const last = [...this.connection.messages].reverse().find((m) => m.author.role !== 'customer');
    if (last && document.visibilityState === 'visible') this.connection.markRead(last.seq);
    const log = this.renderRoot.querySelector('.log');
    if (log) log.scrollTop = log.scrollHeight;
  }

  private focusFirst(): void {
    const target = this.renderRoot.querySelector<HTMLElement>('textarea, input:not([type=file])');
    target?.focus();
  }

  /** Keep Tab inside the open panel; Escape closes it. */
  private onKeydown(e: KeyboardEvent): void {
    if (e.key === 'Escape') {
      e.stopPropagation();
      this.host.closePanel();
      return;
    }
    trapTab(e, this.renderRoot, this.renderRoot as ShadowRoot);
  }

  private statusLine(): string {
    const { i18n, connection: c } = this;
    if (c.link === 'connecting') return i18n.t('connecting');
    const s = c.conversation;
    if (!s) return i18n.t('connecting');
    if (s.status === 'resolved') return i18n.t('resolved');
    if (s.status === 'closed') return i18n.t('closed');
    const name = s.assignee?.name || i18n.t('someone');
    if (s.status === 'on_hold') return i18n.t('onHold', { name });
    if (s.assignee) return i18n.t('withAgent', { name });
    if (s.queue) return queueStatus(i18n, s.queue);
    return i18n.t('waiting');
  }

  private send(e?: Event): void {
    e?.preventDefault();
    const text = this.draft.trim();
    const files = this.pick.files;
    if ((!text && !files.length) || text.length > MAX_TEXT) return;
    // A caption is the message's text; files sent alone are captioned with their names.
    this.connection.send(text || FilePick.caption(files, MAX_TEXT), this.pick.take());
    this.draft = '';
  }

  /** Send the pick, then hand the keyboard to the composer: the buttons it was on are gone. */
  private pickTopic(key: string): void {
    this.connection.chooseTopic(key);
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('.composer textarea')?.focus());
  }

  private onComposerKey(e: KeyboardEvent): void {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) this.send(e);
  }

  private onInput(e: InputEvent): void {
    this.draft = (e.target as HTMLTextAreaElement).value;
    if (this.draft) this.connection.sendTyping(true);
  }

  /** A score rates at once; a comment already sent stays with it, one only typed does not go. */
  private rate(score: CsatScore): void {
    const comment = this.sentRating?.comment ?? this.connection.conversation?.csat?.comment ?? null;
    this.sentRating = { score, comment };
    this.connection.rate(score, comment ?? undefined);
  }

  /** Send the comment with the chosen score; the thanks wait for the server to show it saved. */
  private submitComment(e: SubmitEvent): void {
    e.preventDefault();
    const score = this.ratingScore();
    const comment = this.comment.trim();
    if (!score || !comment) return;
    this.sentRating = { score, comment };
    this.connection.rate(score, comment);
  }

  private ratingScore(): CsatScore | null {
    return this.sentRating?.score ?? this.connection.conversation?.csat?.score ?? null;
  }

  private async leaveMessage(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const data = new FormData(form);
    const value = (k: string) => String(data.get(k) ?? '').trim();
    const identityToken = this.host.options?.identityToken;
    const fields = awayFields(this.host.brandInfo?.email === true, !!identityToken);
    this.formError = checkAway(this.i18n, fields, value);
    if (Object.keys(this.formError).length) {
      form.querySelector<HTMLElement>(`[name=${Object.keys(this.formError)[0]}]`)?.focus();
      return;
    }
    const body: Record<string, string> = { brand: this.host.options?.brand ?? '', text: value('text') };
    for (const k of fields) if (k !== 'text') body[k] = value(k);
    if (identityToken) body.identityToken = identityToken;
    const visitor = this.connection.visitorToken();
    if (visitor) body.visitorToken = visitor;
    const res = await fetch(`${this.host.base}/v1/widget/offline-message`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).catch(() => null);
    if (!res?.ok) {
      this.formError = { form: this.i18n.t('errorGeneric') };
      return;
    }
    const out = (await res.json()) as OfflineMessageResponse;
    this.connection.adoptVisitorToken(out.visitorToken);
    this.offlineSent = { ...out, email: body.email ?? '' };
  }

  private renderHold(): TemplateResult | typeof nothing {
    const hold = this.connection.conversation?.hold;
    if (!hold) return nothing;
    // Past the promised time "Back by 08:40" would be stale: say the agent is still on it instead.
    const when = hold.overdue ? this.i18n.t('holdOverdue') : this.i18n.t('backBy', { time: this.i18n.clock(hold.until) });
    return html`<p class="banner" role="status"><strong>${hold.note}</strong>${when}</p>`;
  }

  private renderCsat(): TemplateResult | typeof nothing {
    const s = this.connection.conversation;
    if (!s || (s.status !== 'resolved' && s.status !== 'closed') || s.mergedInto) return nothing;
    return renderCsatForm(this.i18n, {
      saved: s.csat,
      score: this.ratingScore(),
      comment: this.comment,
      thanks: ratingSaved(s.csat, this.sentRating, this.comment),
      rate: (score) => this.rate(score),
      type: (text) => (this.comment = text),
      submit: (e) => this.submitComment(e),
    });
  }

  private renderOffline(): TemplateResult {
    const mail = this.host.brandInfo?.email === true;
    const signedIn = !!this.host.options?.identityToken;
    return renderAwayForm(this.i18n, { mail, signedIn, sent: this.offlineSent, errors: this.formError, submit: (e) => void this.leaveMessage(e) });
  }

  override render() {
    const { i18n, connection: c } = this;
    const rows = c.view();
    const offline = this.online === 0 && rows.length === 0 && !c.conversation?.assignee;
    const over = this.draft.length - MAX_TEXT;
    const offer = offerTopics(this.topics, c.conversation !== null, rows.length, c.topicClosed);
    const choosing = offer && !this.topics.some((t) => t.key === c.topic);
    const brandName = this.host.brandInfo?.name ?? this.host.options?.brand ?? '';
    return html`<section class="panel" part="panel" role="dialog" aria-modal=${this.host.mode === 'page' ? 'false' : 'true'} aria-labelledby="title" @keydown=${this.onKeydown} @paste=${(e: ClipboardEvent) => this.pick.onPaste(e)} @dragover=${(e: DragEvent) => this.pick.onDragOver(e)} @drop=${(e: DragEvent) => this.pick.onDrop(e)}>
      <div class="header" part="header">
        ${this.host.brandInfo?.branding.logo ? html`<img src=${new URL(this.host.brandInfo.branding.logo, this.host.base).href} alt="" />` : nothing}
        <div class="titles">
          <h2 id="title">${i18n.t('chatWith', { brand: brandName })}</h2>
          <p class="status" part="status">${this.statusLine()}</p>
        </div>
        ${this.host.mode === 'page' ? nothing : html`<button type="button" aria-label=${i18n.t('closeChat')} @click=${() => this.host.closePanel()}>×</button>`}
      </div>
      ${c.link === 'reconnecting' ? html`<p class="link" role="status">${i18n.t('reconnecting')}</p>` : nothing}
      ${this.renderHold()}
      ${this.complaining
        ? html`<sb-complaint-form .connection=${c} .i18n=${i18n} base=${this.host.base} brand=${this.host.options?.brand ?? ''} @sb-complaint-close=${() => (this.complaining = false)}></sb-complaint-form>`
        : offline || this.offlineSent
        ? this.renderOffline()
        : html`<div class="log" role="log" aria-label=${i18n.t('messages')} tabindex="0"><ol>${renderThread(i18n, rows, c.lines, this.host.brandInfo?.branding.greeting, this.fileActions, this.host.base)}</ol></div>
            <p class="typing" aria-live="polite">${c.typing ? i18n.t('typing', { name: c.typing.name || i18n.t('someone') }) : ''}</p>
            ${this.renderCsat()}
            ${offer ? renderTopicPicker(i18n, this.topics, c.topic, (k) => this.pickTopic(k)) : nothing}
            <form class="composer" part="composer" @submit=${this.send}>
              ${renderFilePick(i18n, this.pick)}
              <textarea
                rows="1"
                aria-label=${i18n.t('composerLabel')}
                aria-describedby=${choosing ? TOPICS_HINT_ID : nothing}
                placeholder=${i18n.t('placeholder')}
                .value=${this.draft}
                @input=${this.onInput}
                @keydown=${this.onComposerKey}
              ></textarea>
              <button class="primary" type="submit" ?disabled=${(!this.draft.trim() && !this.pick.files.length) || over > 0}>${i18n.t('send')}</button>
            </form>
            ${over > 0 ? html`<p class="warning" role="alert">${i18n.n('tooLong', over)}</p>` : nothing}`}
      ${this.complaining ? nothing : html`<button class="link-button complaint-open" type="button" @click=${() => (this.complaining = true)}>${i18n.t('complaintOpen')}</button>`}
    </section>`;
  }
}

/** Register <sb-panel> once. */
export function defineSbPanel(): void {
  if (!customElements.get('sb-panel')) customElements.define('sb-panel', SbPanel);
}

declare global {
  interface HTMLElementTagNameMap {
    'sb-panel': SbPanel;
  }
}
