import { LitElement, html, nothing } from 'lit';
import type { AgentProfile, ComplaintDetail } from '../../protocol';
import { api, shownError } from '../core/api';
import type { ShownError } from '../core/api';
import { errorLine } from '../shared/badges';
import { emit } from '../../client/emit';
import { STAGE_LABEL, statusTag, when } from './complaint-format';
import { detailStyles } from './sb-complaints.styles';

type Revealable = 'subject' | 'happened' | 'wanted' | 'email';

/**
 * One complaint: what the customer wrote (masked, each field with an audited "reveal"), its dates,
 * the reminders that went out, the answer's draft, and — for a supervisor of its team or an admin
 * who did not write it — "Approve and send". Once answered, the letter's signed link and hash.
 *
 * @event sb-complaint-changed - it was taken, drafted or approved: the register reloads
 * @event sb-open-conversation - "Open conversation"; detail `{ id }`
 */
export class SbComplaintDetail extends LitElement {
  static override styles = detailStyles;
  static override properties = {
    complaintId: { attribute: false },
    me: { attribute: false },
    c: { state: true },
    revealed: { state: true },
    draft: { state: true },
    error: { state: true },
    saved: { state: true },
  };

  declare complaintId: string;
  declare me: AgentProfile;
  declare c: ComplaintDetail | null;
  declare revealed: Partial<Record<Revealable, string>>;
  declare draft: string;
  declare error: ShownError | null;
  declare saved: boolean;

  constructor() {
    super();
    this.c = null;
    this.revealed = {};
    this.draft = '';
    this.error = null;
    this.saved = false;
  }

  protected override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('complaintId')) {
      this.c = null;
      this.revealed = {};
      this.error = null;
      void this.load();
    }
  }

  private get path(): string {
    return `/v1/agent/complaints/${encodeURIComponent(this.complaintId)}`;
  }

  private show(c: ComplaintDetail): void {
    this.c = c;
    this.draft = c.draft?.body ?? '';
  }

  private async load(): Promise<void> {
    try {
      this.show((await api<{ complaint: ComplaintDetail }>(this.path)).complaint);
    } catch (err) {
      this.error = shownError(err);
    }
  }

  /** Run a change; on success show the new state and tell the register. */
  private async change(method: string, rest: string, json?: unknown): Promise<void> {
    try {
      this.show((await api<{ complaint: ComplaintDetail }>(`${this.path}${rest}`, { method, ...(json === undefined ? {} : { json }) })).complaint);
      this.error = null;
      emit(this, 'sb-complaint-changed');
      return;
    } catch (err) {
      this.error = shownError(err);
    }
  }

  private async reveal(field: Revealable): Promise<void> {
    try {
      const { text } = await api<{ text: string }>(`${this.path}/reveal`, { method: 'POST', json: { field } });
      this.revealed = { ...this.revealed, [field]: text };
    } catch (err) {
      this.error = shownError(err);
    }
  }

  private async saveDraft(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    await this.change('PUT', '/draft', { body: this.draft });
    this.saved = this.error === null;
  }

  override render() {
    const c = this.c;
    if (!c) return html`<section class="detail">${errorLine(this.error)}<p class="muted" role="status">${this.error ? '' : 'Loading…'}</p></section>`;
    const text = (f: Revealable) =>
      this.revealed[f] !== undefined
        ? html`${this.revealed[f]}`
        : html`${c[f]} <button class="btn link" type="button" aria-label="Reveal ${f}" @click=${() => void this.reveal(f)}>Reveal</button>`;
    const answered = c.status === 'answered';
    const approver = this.me.role !== 'agent';
    return html`<section class="detail" aria-label="Complaint ${c.number}">
      <h2>${c.number} ${statusTag(c)}</h2>
      ${errorLine(this.error, () => (this.error = null))}
      <div class="actions">
        <button class="btn" type="button" @click=${() => emit(this, 'sb-open-conversation', { id: c.conversationId })}>Open conversation</button>
        <button class="btn" type="button" @click=${() => void this.load()}>Refresh</button>
        ${answered || c.assignee?.id === this.me.id ? nothing : html`<button class="btn" type="button" @click=${() => void this.change('PATCH', '', { status: 'in_review', assigneeId: this.me.id })}>Take it</button>`}
      </div>
      <dl>
        <dt>Subject</dt><dd>${text('subject')}</dd>
        <dt>What happened</dt><dd>${text('happened')}</dd>
        <dt>What they want</dt><dd>${text('wanted')}</dd>
        <dt>Answer to</dt><dd>${text('email')}</dd>
        <dt>Received</dt><dd>${when(c.receivedAt)}</dd>
        <dt>Due</dt><dd>${when(c.dueAt)}</dd>
        ${c.answeredAt ? html`<dt>Answered</dt><dd>${when(c.answeredAt)}</dd>` : nothing}
        <dt>Team</dt><dd>${c.team}</dd>
        <dt>Assignee</dt><dd>${c.assignee?.name ?? 'nobody yet'}</dd>
      </dl>
      <h3>Reminders</h3>
      ${c.reminders.length
        ? html`<ul class="reminders">${c.reminders.map((r) => html`<li data-stage=${r.stage}><strong>${STAGE_LABEL[r.stage]}</strong> · ${when(r.at)} · <span class="muted">${r.recipients.map((p) => p.name).join(', ')}</span></li>`)}</ul>`
        : html`<p class="muted">None yet: at 50 % and 80 % of the period and when it is overdue.</p>`}
      <h3>Answer</h3>
      ${c.letter
        ? html`<p>Sent by letter on ${when(c.letter.issuedAt)} — written by ${c.letter.author}, approved by ${c.letter.approver}.</p>
            <p><a class="btn" href=${c.letter.url} target="_blank" rel="noopener">Open the letter</a></p>
            <p class="muted">SHA-256 <code>${c.letter.sha256}</code></p>`
        : html`<form @submit=${this.saveDraft}>
            <label><span class="muted">The answer's text; a supervisor of the team who did not write it approves it.</span>
              <textarea name="answer" .value=${this.draft} @input=${(e: InputEvent) => ((this.draft = (e.target as HTMLTextAreaElement).value), (this.saved = false))}></textarea>
            </label>
            <div class="actions">
              <button class="btn" type="submit" ?disabled=${!this.draft.trim()}>Save draft</button>
              ${approver ? html`<button class="btn primary" type="button" ?disabled=${!c.draft} @click=${() => void this.change('POST', '/approve')}>Approve and send</button>` : nothing}
              <span class="muted" role="status">${this.saved ? 'Draft saved' : c.draft ? `Draft by ${c.draft.author.name}` : ''}</span>
            </div>
          </form>`}
    </section>`;
  }
}

/** Register <sb-complaint-detail> once. */
export function defineSbComplaintDetail(): void {
  if (!customElements.get('sb-complaint-detail')) customElements.define('sb-complaint-detail', SbComplaintDetail);
}

declare global {
  interface HTMLElementTagNameMap {
    'sb-complaint-detail': SbComplaintDetail;
  }
}
