import { LitElement, html } from 'lit';
import { COMPLAINT_FILTERS } from '../../protocol';
import type { AgentProfile, ComplaintFilter, ComplaintListResponse, ComplaintSummary } from '../../protocol';
import { api, shownError } from '../core/api';
import type { ShownError } from '../core/api';
import { errorLine } from '../shared/badges';
import { defineSbComplaintDetail } from './sb-complaint-detail';
import { statusTag, when } from './complaint-format';
import { styles } from './sb-complaints.styles';

defineSbComplaintDetail();

const FILTER_LABEL: Record<ComplaintFilter, string> = { received: 'Received', in_review: 'In review', answered: 'Answered', overdue: 'Overdue' };

/**
 * The complaint register: every written complaint the viewer's wall reaches, soonest due first,
 * filtered by received, in review, answered or overdue, with a CSV export of what is shown. Texts
 * arrive masked from the server. Choosing one shows it beside the list (<sb-complaint-detail>).
 * Text, buttons and focus rings take the shared theme (shared/base.styles.ts; see <sb-inbox>).
 *
 * @csspart list - the register
 * @cssproperty --sb-bg - background behind the panels
 * @cssproperty --sb-surface - panel background
 */
export class SbComplaints extends LitElement {
  static override styles = styles;
  static override properties = {
    me: { attribute: false },
    filter: { state: true },
    rows: { state: true },
    selected: { state: true },
    error: { state: true },
  };

  /** The signed-in agent: supervisors and admins get the approve button. */
  declare me: AgentProfile;
  declare filter: ComplaintFilter | null;
  declare rows: ComplaintSummary[] | null;
  declare selected: string | null;
  declare error: ShownError | null;

  constructor() {
    super();
    this.filter = null;
    this.rows = null;
    this.selected = null;
    this.error = null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  /** Fetch the register again (after a change, or when asked). */
  async load(): Promise<void> {
    try {
      const q = this.filter ? `?status=${this.filter}` : '';
      this.rows = (await api<ComplaintListResponse>(`/v1/agent/complaints${q}`)).complaints;
      this.error = null;
    } catch (err) {
      this.error = shownError(err);
    }
  }

  private choose(filter: ComplaintFilter | null): void {
    this.filter = filter;
    void this.load();
  }

  override render() {
    const pick = (f: ComplaintFilter | null, label: string) => html`<button class="btn" type="button" aria-pressed=${this.filter === f ? 'true' : 'false'} @click=${() => this.choose(f)}>${label}</button>`;
    const csv = `/v1/agent/complaints/export.csv${this.filter ? `?status=${this.filter}` : ''}`;
    return html`<section class="list" part="list" aria-label="Complaint register">
        <h2>Written complaints</h2>
        <div class="filters" role="group" aria-label="Filter">
          ${pick(null, 'All')}${COMPLAINT_FILTERS.map((f) => pick(f, FILTER_LABEL[f]))}
          <a class="btn" href=${csv} download="complaints.csv">Export CSV</a>
        </div>
        ${errorLine(this.error, () => (this.error = null))}
        ${this.rows === null
          ? html`<p class="muted" role="status">Loading…</p>`
          : this.rows.length === 0
            ? html`<p class="muted">No complaints here.</p>`
            : html`<ul>
                ${this.rows.map(
                  (c) => html`<li>
                    <button class="row" type="button" data-number=${c.number} aria-current=${this.selected === c.id ? 'true' : 'false'} @click=${() => (this.selected = c.id)}>
                      <span class="num">${c.number}</span><span>${c.subject}</span>${statusTag(c)}
                      <span class="muted">due ${when(c.dueAt)}</span><span class="muted">${c.team}${c.assignee ? ` · ${c.assignee.name}` : ''}</span><span></span>
                    </button>
                  </li>`,
                )}
              </ul>`}
      </section>
      ${this.selected
        ? html`<sb-complaint-detail .complaintId=${this.selected} .me=${this.me} @sb-complaint-changed=${() => void this.load()}></sb-complaint-detail>`
        : html`<section class="detail"><p class="muted">Pick a complaint to read it, draft its answer or approve it.</p></section>`}`;
  }
}

/** Register <sb-complaints> once. */
export function defineSbComplaints(): void {
  if (!customElements.get('sb-complaints')) customElements.define('sb-complaints', SbComplaints);
}

declare global {
  interface HTMLElementTagNameMap {
    'sb-complaints': SbComplaints;
  }
}

