import { LitElement, html, nothing } from 'lit';
import type { PropertyValues } from 'lit';
import { MAX_TEXT, hasActions } from '../../protocol';
import type { CannedReply, Topic } from '../../protocol';
import { shownError } from '../core/api';
import { filterCanned, loadCanned } from '../core/canned';
import { cannedQuery, enterAction } from '../core/canned-keys';
import { actionChips, previewMacro, runText, stillArmed } from '../core/macros';
import type { ArmedMacro, PreviewContext } from '../core/macros';
import { loadTopics } from '../core/topics';
import { emit } from '../../client/emit';
import type { ConversationSession } from '../core/conversation-session';
import type { ComposeMode, Drafts } from '../core/drafts';
import { keys } from '../shared/badges';
import { styles } from './sb-composer.styles';
import { ACCEPT, FilePick } from '../../client/file-pick';
import { filesOf } from '../core/agent-files';

/**
 * Reply or internal-note composer. Enter sends, Shift+Enter breaks the line, Alt+N switches
 * between reply and note, `/` at the start opens the canned replies: there Enter inserts the chosen
 * reply and never sends a `/word` that matches none (Escape closes the list; Enter then sends the
 * text as typed). The draft and the mode are
 * saved on every keystroke and restored after a reload.
 *
 * A reply with variables or actions is a macro: picking it inserts its preview (variables filled in,
 * unknown ones left visible) and arms it, and Send then runs it on the server, which renders the
 * text itself and applies the actions (chips in the list and above the field say which). Clearing
 * the field, Escape or switching to a note disarms it, leaving the text as a plain reply. The armed
 * macro is not part of the saved draft: after a reload the text is a plain reply again.
 * Text, buttons and focus rings take the shared theme (shared/base.styles.ts; see <sb-inbox>).
 *
 * @event sb-topic-required - a macro that resolves was refused for want of a topic; the conversation focuses its picker
 * @csspart macro - the armed macro's line above the field
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
    armed: { state: true },
    topics: { state: true },
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
  /** The macro a send runs, while armed. */
  declare armed: ArmedMacro | null;
  /** The tenant's topics, for the chips' labels. */
  declare topics: Topic[];
  /** Files picked for the next reply (attach button, drop or paste). */
  private readonly pick = new FilePick(() => this.requestUpdate());

  constructor() {
    super();
    this.text = '';
    this.mode = 'reply';
    this.canned = null;
    this.cannedError = null;
    this.cannedIndex = 0;
    this.cannedClosed = false;
    this.armed = null;
    this.topics = [];
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if ((changed.has('session') || changed.has('drafts')) && this.session && this.drafts) {
      const d = this.drafts.get(this.session.id);
      this.text = d.text;
      this.mode = d.mode;
      this.cannedClosed = false;
      this.armed = null;
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
    // A macro is a reply: as a note its actions would run on a text the customer never sees.
    if (mode === 'note') this.armed = null;
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
    if (!stillArmed(this.armed, this.text)) this.armed = null;
    this.save();
    if (this.mode === 'reply') this.session.sendTyping(this.text.length > 0);
    if (this.cannedQuery() !== null && !this.canned) {
      loadCanned().then(
        (r) => ((this.canned = r), (this.cannedError = null)),
        (err: unknown) => (this.cannedError = shownError(err).message),
      );
      // Only for the chips' labels: without them a chip shows the topic's key.
      loadTopics().then(
        (t) => (this.topics = t.topics),
        () => undefined,
      );
    }
  }

  /** What the inbox knows for a macro's preview; the server renders the sent text with its own. */
  private previewContext(): PreviewContext {
    const s = this.session;
    // HH:MM is written alike in the inbox's locales; the brand's locale decides on the server.
    return { contactName: s.contactName, agentName: s.me.name, number: s.number, locale: document.documentElement.lang || navigator.language || 'en' };
  }

  private insert(r: CannedReply): void {
    // Text with no variables and no actions is just text: it goes like any reply, through the outbox.
    const macro = hasActions(r.actions) || r.text.includes('{{');
    this.text = macro ? previewMacro(r, this.previewContext(), Date.now()).text : r.text;
    this.armed = macro && this.mode === 'reply' ? { id: r.id, shortcut: r.shortcut, preview: this.text, clientId: crypto.randomUUID() } : null;
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
      else if (this.armed) this.armed = null;
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
    const files = this.mode === 'reply' ? this.pick.files : [];
    if ((!text && !files.length) || text.length > MAX_TEXT) return;
    if (this.armed && this.mode === 'reply' && !files.length) return void this.runArmed(this.armed);
    if (files.length) filesOf(this.session).send(text || FilePick.caption(files, MAX_TEXT), this.pick.take());
    else this.session.send(this.mode, text);
    this.text = '';
    this.drafts.clear(this.session.id, this.mode);
  }

  /** Send the armed macro; on a refusal the text and the macro stay (same clientId) for another try. */
  private async runArmed(armed: ArmedMacro): Promise<void> {
    if (this.session.busy === 'macro') return;
    const sent = this.text;
    const err = await this.session.runMacro(armed.id, armed.clientId, runText(armed, sent));
    if (err) {
      if (err.code === 'conversation.topic_required') emit(this, 'sb-topic-required', { macro: armed.shortcut });
      return;
    }
    this.session.sendTyping(false);
    if (this.armed === armed) this.armed = null;
    // Typed on while the run was out: keep what is new.
    if (this.text === sent) {
      this.text = '';
      this.drafts.clear(this.session.id, this.mode);
    }
  }

  private renderArmed() {
    const armed = this.armed;
    if (!armed) return nothing;
    const reply = this.canned?.find((r) => r.id === armed.id);
    const chips = reply ? actionChips(reply.actions, this.topics) : [];
    // What the server would refuse, live as the agent edits: placeholders no value fills.
    const left = previewMacro({ id: armed.id, shortcut: armed.shortcut, title: '', text: this.text, actions: reply?.actions ?? {} }, this.previewContext(), Date.now());
    const bad = [...left.unknown.map((n) => `{{${n}}}`), ...left.unavailable.map((n) => `{{${n}}}`)];
    return html`<p class="macro" part="macro" data-macro=${armed.shortcut}>
      <span>Macro <code>/${armed.shortcut}</code>${chips.length ? ' — on send:' : ''}</span>
      ${chips.map((c) => html`<span class="chip">${c}</span>`)}
      <span class="muted">${keys('Esc')} sends it as a plain reply</span>
      ${bad.length ? html`<span class="warning" role="alert">Unknown or empty: ${bad.join(', ')} — the server will refuse it</span>` : nothing}
    </p>`;
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
                <code>/${r.shortcut}</code><span>${r.title} ${actionChips(r.actions, this.topics).map((c) => html`<span class="chip">${c}</span>`)}</span><span class="text">${r.text}</span>
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
        ${this.renderArmed()}
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
            @paste=${(e: ClipboardEvent) => !note && this.pick.onPaste(e)}
            @dragover=${(e: DragEvent) => this.pick.onDragOver(e)}
            @drop=${(e: DragEvent) => !note && this.pick.onDrop(e)}
          ></textarea>
          ${note ? nothing : html`<button class="btn attach" type="button" aria-label="Attach a file" title="Attach a file (PDF or picture)" @click=${(e: Event) => ((e.currentTarget as HTMLElement).nextElementSibling as HTMLInputElement).click()}>Attach</button><input type="file" hidden accept=${ACCEPT} multiple @change=${(e: Event) => this.pick.fromInput(e)} />`}
          <button class="btn primary" part="send" type="submit" ?disabled=${(!this.text.trim() && !this.pick.files.length) || over > 0 || closed || this.session.busy === 'macro'}>
            ${note ? 'Add note' : this.armed ? 'Send & apply' : 'Send'}
          </button>
        </div>
        ${this.pick.files.length && !note ? html`<ul class="picked" aria-label="Files to send">${this.pick.files.map((f, i) => html`<li>${f.name} <button class="btn link" type="button" aria-label="Remove ${f.name}" @click=${() => this.pick.remove(i)}>×</button></li>`)}</ul>` : nothing}
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
