import { LitElement, html, nothing } from 'lit';
import type { PropertyValues } from 'lit';
import { MAX_TEXT } from '../../protocol';
import type { CannedReply } from '../../protocol';
import { shownError } from '../core/api';
import { filterCanned, loadCanned } from '../core/canned';
import { cannedQuery, enterAction } from '../core/canned-keys';
import type { ConversationSession } from '../core/conversation-session';
import type { ComposeMode, Drafts } from '../core/drafts';
import { keys } from '../shared/badges';
import { styles } from './sb-composer.styles';

/**
 * Reply or internal-note composer. Enter sends, Shift+Enter breaks the line, Alt+N switches
 * between reply and note, `/` at the start opens the canned replies: there Enter inserts the chosen
 * reply and never sends a `/word` that matches none (Escape closes the list; Enter then sends the
 * text as typed). The draft and the mode are
 * saved on every keystroke and restored after a reload.
 * Text, buttons and focus rings take the shared theme (shared/base.styles.ts; see <sb-inbox>).
 *
 * @csspart form - the composer; also form-note while writing an internal note
 * @csspart mode - the reply / note switch
 * @csspart input - the text field
 * @csspart send - the send button
 * @csspart canned - the canned-replies list
 * @cssproperty --sb-surface - composer, field and canned-list background
 * @cssproperty --sb-border - line above the composer
 * @cssproperty --sb-border-strong - outline of the switch, the field and the canned list
 * @cssproperty --sb-text - background of the chosen mode
 * @cssproperty --sb-accent - the highlighted canned reply
 * @cssproperty --sb-muted - a canned reply's text
 */
export class SbComposer extends LitElement {
  static override styles = styles;
  static override properties = {
    session: { attribute: false },
    drafts: { attribute: false },
    text: { state: true },
    mode: { state: true },
    canned: { state: true },
    cannedError: { state: true },
    cannedIndex: { state: true },
    cannedClosed: { state: true },
  };

  /** The conversation this composer writes into. */
  declare session: ConversationSession;
  /** Where drafts are kept. */
  declare drafts: Drafts;
  declare text: string;
  declare mode: ComposeMode;
  declare canned: CannedReply[] | null;
  declare cannedError: string | null;
  declare cannedIndex: number;
  declare cannedClosed: boolean;

  constructor() {
    super();
    this.text = '';
    this.mode = 'reply';
    this.canned = null;
    this.cannedError = null;
    this.cannedIndex = 0;
    this.cannedClosed = false;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if ((changed.has('session') || changed.has('drafts')) && this.session && this.drafts) {
      const d = this.drafts.get(this.session.id);
      this.text = d.text;
      this.mode = d.mode;
      this.cannedClosed = false;
    }
  }

  /** Put the cursor in the composer, optionally switching to reply or note first. */
  focusComposer(mode?: ComposeMode): void {
    if (mode) this.setMode(mode);
    void this.updateComplete.then(() => {
      const t = this.renderRoot.querySelector('textarea');
      t?.focus();
      t?.setSelectionRange(t.value.length, t.value.length);
    });
  }

  private setMode(mode: ComposeMode): void {
    if (this.mode === mode) return;
    // Typing shown to the customer belongs to replies only.
    if (mode === 'note') this.session.sendTyping(false);
    this.mode = mode;
    this.save();
  }

  private save(): void {
    this.drafts.set(this.session.id, { text: this.text, mode: this.mode });
  }

  /** The `/query` typed so far, when the canned list should be open. */
  private cannedQuery(): string | null {
    return cannedQuery(this.text, this.cannedClosed);
  }

  private cannedMatches(): CannedReply[] {
    const q = this.cannedQuery();
    return q === null || !this.canned ? [] : filterCanned(this.canned, q);
  }

  private onInput(e: InputEvent): void {
    this.text = (e.target as HTMLTextAreaElement).value;
    this.cannedClosed = false;
    this.cannedIndex = 0;
    this.save();
    if (this.mode === 'reply') this.session.sendTyping(this.text.length > 0);
    if (this.cannedQuery() !== null && !this.canned) {
      loadCanned().then(
        (r) => ((this.canned = r), (this.cannedError = null)),
        (err: unknown) => (this.cannedError = shownError(err).message),
      );
    }
  }

  private insert(r: CannedReply): void {
    this.text = r.text;
    this.cannedClosed = true;
    this.save();
    if (this.mode === 'reply') this.session.sendTyping(true);
    this.focusComposer();
  }

  private onKeydown(e: KeyboardEvent): void {
    if (e.isComposing) return;
    if (e.altKey && e.code === 'KeyN') {
      e.preventDefault();
      this.setMode(this.mode === 'reply' ? 'note' : 'reply');
      return;
    }
    const list = this.cannedMatches();
    if (list.length) {
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        this.cannedIndex = (this.cannedIndex + (e.key === 'ArrowDown' ? 1 : -1) + list.length) % list.length;
        return;
      }
      if (e.key === 'Tab') {
        e.preventDefault();
        this.insert(list[Math.min(this.cannedIndex, list.length - 1)]!);
        return;
      }
    }
    if (e.key === 'Escape') {
      if (this.cannedQuery() !== null) this.cannedClosed = true;
      // Leaving the field hands the keyboard back to the single-key shortcuts.
      else (e.target as HTMLTextAreaElement).blur();
      return;
    }
    if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault();
      const action = enterAction(this.text, this.cannedClosed, list.length);
      if (action === 'insert') this.insert(list[Math.min(this.cannedIndex, list.length - 1)]!);
      else if (action === 'send') this.send();
      // 'nothing': the list already says why (no match, loading or unavailable) and how to send anyway.
    }
  }

  private send(e?: Event): void {
    e?.preventDefault();
    const text = this.text.trim();
    if (!text || text.length > MAX_TEXT) return;
    this.session.send(this.mode, text);
    this.text = '';
    this.drafts.clear(this.session.id, this.mode);
  }

  private renderCanned() {
    const q = this.cannedQuery();
    if (q === null) return nothing;
    const list = this.cannedMatches();
    const status = this.cannedError ? `Canned replies unavailable: ${this.cannedError}` : !this.canned ? 'Loading canned replies…' : list.length === 0 ? `No canned reply matches “/${q}”` : '';
    // While Enter does nothing, say how to send the text as typed.
    const hint = status ? html` · ${keys('Esc')} then ${keys('Enter')} sends it as typed` : nothing;
    return html`<ul class="canned" part="canned" id="canned" role="listbox" aria-label="Canned replies">
      ${status
        ? html`<li class="status muted" role="option" aria-disabled="true" aria-selected="false">${status}${hint}</li>`
        : list.map(
            (r, i) =>
              html`<li id="canned-${i}" role="option" aria-selected=${i === this.cannedIndex ? 'true' : 'false'} @mousedown=${(e: Event) => e.preventDefault()} @click=${() => this.insert(r)}>
                <code>/${r.shortcut}</code><span>${r.title}</span><span class="text">${r.text}</span>
              </li>`,
          )}
    </ul>`;
  }

  override render() {
    if (!this.session) return nothing;
    const note = this.mode === 'note';
    const over = this.text.length - MAX_TEXT;
    const open = this.cannedQuery() !== null;
    const closed = this.session.state?.status === 'closed';
    return html`${this.renderCanned()}
      <form class=${note ? 'note' : 'reply'} part=${note ? 'form form-note' : 'form'} @submit=${this.send}>
        <div class="bar">
          <span class="mode" part="mode" role="group" aria-label="Write a">
            <button type="button" aria-pressed=${note ? 'false' : 'true'} @click=${() => (this.setMode('reply'), this.focusComposer())}>Reply</button>
            <button type="button" aria-pressed=${note ? 'true' : 'false'} @click=${() => (this.setMode('note'), this.focusComposer())}>Note</button>
          </span>
          ${note ? html`<span class="notice">Internal note — customer can't see this</span>` : html`<span class="muted">To the customer</span>`}
          <span class="hint muted">${keys('Alt', 'N')} reply/note · ${keys('/')} canned · ${keys('Shift', 'Enter')} new line</span>
        </div>
        <div class="row">
          <textarea
            part="input"
            rows="2"
            name="composer"
            aria-label=${note ? 'Internal note' : 'Reply to the customer'}
            placeholder=${closed ? 'This conversation is closed' : note ? 'Note for agents only…' : 'Reply… (type / for canned replies)'}
            ?disabled=${closed}
            aria-autocomplete="list"
            aria-controls=${open ? 'canned' : nothing}
            aria-activedescendant=${open && this.cannedMatches().length ? `canned-${this.cannedIndex}` : nothing}
            .value=${this.text}
            @input=${this.onInput}
            @keydown=${this.onKeydown}
          ></textarea>
          <button class="btn primary" part="send" type="submit" ?disabled=${!this.text.trim() || over > 0 || closed}>${note ? 'Add note' : 'Send'}</button>
        </div>
        ${over > 0 ? html`<p class="warning" role="alert">${over} characters too long</p>` : nothing}
      </form>`;
  }
}

/** Register <sb-composer> once. */
export function defineSbComposer(): void {
  if (!customElements.get('sb-composer')) customElements.define('sb-composer', SbComposer);
}

declare global {
  interface HTMLElementTagNameMap {
    'sb-composer': SbComposer;
  }
}
