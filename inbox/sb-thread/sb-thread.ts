import { LitElement, html, nothing } from 'lit';
import type { PropertyValues, TemplateResult } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { Message, Note, SystemLine } from '../../protocol';
import type { ConversationSession, Pending, TimelineRow } from '../core/conversation-session';
import { clock, date } from '../core/format';
import { lineText } from '../core/system-line-text';
import { styles } from './sb-thread.styles';
import { FollowChanges } from '../shared/follow-changes';
import { filesOf } from '../core/agent-files';
import { defineSbAttachment } from '../sb-attachment/sb-attachment';

defineSbAttachment();

/**
 * The conversation's thread across every channel: each message with its channel badge, author and
 * time; masked messages with a Reveal button (audited on the server); internal notes interleaved
 * by time in their own look; system lines for what happened to the ticket; unsent replies marked until the server acknowledges them.
 * Text, buttons and focus rings take the shared theme (shared/base.styles.ts; see <sb-inbox>).
 *
 * @csspart log - the thread itself
 * @csspart message - every row: also message-customer / message-agent / message-system, note, pending
 * @csspart day - each day's separator
 * @csspart line - a system line: assigned, transferred, held, lifted, escalated, resolved, rated…
 * @cssproperty --sb-bg - background behind the messages
 * @cssproperty --sb-surface - a customer's message
 * @cssproperty --sb-border-soft - a customer's message outline
 * @cssproperty --sb-muted - day separators, system messages and delivery state
 */
export class SbThread extends LitElement {
  static override styles = styles;
  static override properties = {
    session: { attribute: false },
    topics: { attribute: false },
  };

  /** The open conversation whose thread to show. */
  declare session: ConversationSession;
  /** The tenant's topics, to name a topic line by its label rather than its key. */
  topics: readonly { key: string; label: string }[] = [];

  private readonly follow = new FollowChanges(this, () => this.session);
  private stick = true;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('session')) {
      this.stick = true;
    } else {
      // Follow new messages only if the agent was already at the bottom, not while reading back.
      this.stick = this.scrollHeight - this.scrollTop - this.clientHeight < 48;
    }
  }

  protected override updated(): void {
    if (this.stick) this.scrollTop = this.scrollHeight;
  }

  private authorName(m: Message): string {
    if (m.author.role === 'customer') return m.author.name || this.session.contactName || 'Customer';
    if (m.author.role === 'system') return 'System';
    return m.author.id === this.session.me.id ? `${m.author.name || 'You'} (you)` : m.author.name || 'Agent';
  }

  private renderMessage(m: Message): TemplateResult {
    const s = this.session;
    const revealed = s.revealed.get(m.seq);
    const seen = m.author.role === 'agent' && m.seq <= s.customerRead;
    // A file marked sensitive after this message came: covered at once, as the mark's line says.
    const marked = new Set(s.lines.flatMap((l) => (l.kind === 'document_marked_sensitive' ? [l.attachmentId] : [])));
    return html`<li class="msg ${m.author.role}" part="message message-${m.author.role}" data-seq=${m.seq}>
      <div class="head">
        <span class="author">${this.authorName(m)}</span>
        <span class="badge ch ch-${m.channel}" title="Channel: ${m.channel}">${m.channel}</span>
        <time datetime=${new Date(m.createdAt).toISOString()} title=${date(m.createdAt)}>${clock(m.createdAt)}</time>
        ${seen ? html`<span class="state">· Seen</span>` : nothing}
      </div>
      <p class="text ${revealed !== undefined ? 'revealed' : ''}">${revealed ?? m.text}</p>
      ${m.attachments?.map((f) => html`<sb-attachment .file=${marked.has(f.id) && !f.sensitive ? { ...f, sensitive: true } : f} .files=${filesOf(s)}></sb-attachment>`) ?? nothing}
      ${m.masked && revealed === undefined
        ? html`<div class="masked">
            <span class="muted">Numbers are masked.</span>
            <button class="btn" type="button" ?disabled=${s.revealing.has(m.seq)} @click=${() => void s.reveal(m.seq)} aria-label="Reveal masked numbers in message ${m.seq}">
              ${s.revealing.has(m.seq) ? 'Revealing…' : 'Reveal'}
            </button>
          </div>`
        : revealed !== undefined
          ? html`<div class="masked muted">Revealed — your access was recorded.</div>`
          : nothing}
    </li>`;
  }

  private renderNote(n: Note): TemplateResult {
    return html`<li class="msg note" part="message note" data-note=${n.id}>
      <div class="head">
        <span class="label">Internal note — customer can't see this</span>
        <span class="author">${n.author.name}</span>
        <time datetime=${new Date(n.createdAt).toISOString()}>${clock(n.createdAt)}</time>
      </div>
      <p class="text">${n.text}</p>
    </li>`;
  }

  private renderPending(p: Pending): TemplateResult {
    const s = this.session;
    return html`<li class="msg pending ${p.kind === 'note' ? 'note-pending' : ''}" part="message pending" data-client-id=${p.clientId}>
      <div class="head">
        ${p.kind === 'note' ? html`<span class="label">Internal note — customer can't see this</span>` : html`<span class="author">${s.me.name} (you)</span>`}
        ${p.state === 'failed'
          ? html`<span class="failed" role="alert">Not sent: ${p.error ?? 'refused'}</span>
              <button class="btn link" type="button" @click=${() => s.retry(p.clientId)}>Retry</button>
              <button class="btn link" type="button" @click=${() => s.discard(p.clientId)}>Discard</button>`
          : html`<span class="state" data-state=${p.state}>${p.state === 'sent' ? 'Sent' : 'Sending…'}</span>`}
      </div>
      <p class="text">${p.text}</p>
      ${p.files?.length ? this.renderUploads(p) : nothing}
    </li>`;
  }

  /** A reply's files while they upload: a bar each, and Cancel. */
  private renderUploads(p: Pending): TemplateResult {
    const files = filesOf(this.session);
    const progress = files.progress(p.clientId);
    return html`${p.files!.map((f, i) => {
        const at = progress?.[i];
        return html`<div class="upload"><span>${f.name}</span><progress max="1" .value=${f.id ? 1 : at?.total ? at.loaded / at.total : 0} aria-label="Uploading ${f.name}"></progress>${at?.retrying ? html`<span class="muted">connection lost, retrying…</span>` : nothing}</div>`;
      })}
      ${p.state === 'sending' && progress ? html`<button class="btn link" type="button" @click=${() => files.cancel(p.clientId)}>Cancel upload</button>` : nothing}`;
  }

  private renderLine(l: SystemLine): TemplateResult {
    return html`<li class="line" part="line" data-kind=${l.kind} data-line=${l.seq}>
      <span class="text">${lineText(l, (k) => this.topics.find((t) => t.key === k)?.label ?? k)}</span>
      <time datetime=${new Date(l.at).toISOString()} title=${date(l.at)}>${clock(l.at)}</time>
    </li>`;
  }

  private renderRow(r: TimelineRow): TemplateResult {
    if (r.kind === 'message') return this.renderMessage(r.message);
    if (r.kind === 'note') return this.renderNote(r.note);
    if (r.kind === 'line') return this.renderLine(r.line);
    return this.renderPending(r.pending);
  }

  override render() {
    const s = this.session;
    if (!s) return nothing;
    const rows = s.timeline();
    if (rows.length === 0) return html`<p class="empty muted">${s.link === 'online' ? 'No messages yet.' : 'Loading the conversation…'}</p>`;
    // Day separators keep a long history readable; they are keyed so repeat() can move rows.
    const withDays: (TimelineRow | { kind: 'day'; key: string; label: string })[] = [];
    let day = '';
    const seen = new Map<string, number>();
    for (const r of rows) {
      const d = date(r.at);
      if (d !== day) {
        day = d;
        const n = (seen.get(d) ?? 0) + 1;
        seen.set(d, n);
        withDays.push({ kind: 'day', key: `d${d}#${n}`, label: d });
      }
      withDays.push(r);
    }
    return html`<div part="log" role="log" aria-label="Conversation thread" aria-relevant="additions">
      <ol>
        ${repeat(withDays, (r) => r.key, (r) => (r.kind === 'day' ? html`<li class="day" part="day">${r.label}</li>` : this.renderRow(r)))}
      </ol>
    </div>`;
  }
}

/** Register <sb-thread> once. */
export function defineSbThread(): void {
  if (!customElements.get('sb-thread')) customElements.define('sb-thread', SbThread);
}

declare global {
  interface HTMLElementTagNameMap {
    'sb-thread': SbThread;
  }
}
