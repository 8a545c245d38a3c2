import { LitElement, html, nothing } from 'lit';
// The bar's width is set through CSSOM, which a strict style-src CSP allows; a style attribute
// (what styleMap writes on first render) it refuses.
import { ref } from 'lit/directives/ref.js';
import type { QueueItem, SupervisorResponse, TeamFloor } from '../../protocol';
import { api, conversationPath, shownError } from '../core/api';
import type { ShownError } from '../core/api';
import { clock, elapsed, estimate } from '../core/format';
import { errorLine } from '../shared/badges';
import { emit } from '../../client/emit';
import type { OpenConversationDetail } from '../sb-queue/sb-queue';
import { styles } from './sb-supervisor.styles';

/** Live updates may come in bursts; the view fetches at most this often. */
const MIN_REFRESH_MS = 2_000;

/**
 * The supervisor's view: agents with status and load; the customers who really wait (nobody there to
 * answer them), the longest wait and the SLA breaches, in all and per team the viewer supervises
 * (with each team's estimated wait for the next customer); overdue holds and escalations, each
 * opening the conversation, with "take over".
 * Text, buttons and focus rings take the shared theme (shared/base.styles.ts; see <sb-inbox>).
 *
 * @event sb-open-conversation - a row was opened; detail `OpenConversationDetail`
 * @csspart header - the title and the refresh button
 * @csspart stats - the row of numbers
 * @csspart stat - each number
 * @csspart section - each panel: teams, agents, escalations, overdue holds
 * @csspart team - each team's row
 * @csspart item - each escalation or overdue hold
 * @cssproperty --sb-bg - background behind the panels
 * @cssproperty --sb-surface - panel and number background
 * @cssproperty --sb-border - panel and number outlines
 * @cssproperty --sb-border-soft - lines between rows
 * @cssproperty --sb-muted - labels, column heads and why an item is listed
 * @cssproperty --sb-accent - an agent's load bar
 * @cssproperty --sb-bad - the breach count when it is not zero
 */
export class SbSupervisor extends LitElement {
  static override styles = styles;
  static override properties = {
    now: { attribute: false },
    data: { state: true },
    error: { state: true },
  };

  /** The clock that waits tick by (ms). */
  declare now: number;
  declare data: SupervisorResponse | null;
  declare error: ShownError | null;

  private lastFetch = 0;
  private pendingTimer: ReturnType<typeof setTimeout> | undefined;
  private inFlight = false;

  constructor() {
    super();
    this.now = Date.now();
    this.data = null;
    this.error = null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.refresh();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.pendingTimer);
    this.pendingTimer = undefined;
  }

  /** Fetch again, but never more than once every 2 s: later calls fold into one trailing fetch. */
  refresh(): void {
    if (this.pendingTimer || !this.isConnected) return;
    const wait = Math.max(0, this.lastFetch + MIN_REFRESH_MS - Date.now());
    this.pendingTimer = setTimeout(() => {
      this.pendingTimer = undefined;
      void this.fetchNow();
    }, wait);
  }

  private async fetchNow(): Promise<void> {
    if (this.inFlight) return this.refresh();
    this.inFlight = true;
    this.lastFetch = Date.now();
    try {
      this.data = await api<SupervisorResponse>('/v1/agent/supervisor');
      this.error = null;
    } catch (err) {
      this.error = shownError(err);
    } finally {
      this.inFlight = false;
    }
  }

  private open(item: QueueItem): void {
    emit<OpenConversationDetail>(this, 'sb-open-conversation', { id: item.id, number: item.number, brand: item.brand, contactName: item.contactName });
  }

  private async takeOver(item: QueueItem): Promise<void> {
    try {
      await api(conversationPath(item.id, '/take'), { method: 'POST' });
      this.open(item);
      this.refresh();
    } catch (err) {
      this.error = shownError(err);
    }
  }

  private renderItems(items: QueueItem[], why: (i: QueueItem) => string, empty: string) {
    if (items.length === 0) return html`<p class="muted">${empty}</p>`;
    return html`<ul>
      ${items.map(
        (i) => html`<li part="item">
          <span class="what"
            ><strong>#${i.number}</strong> ${i.contactName || 'Visitor'} <span class="muted">· ${i.assignee ? i.assignee.name : 'unassigned'}</span>
            <span class="why">${why(i)}</span></span
          >
          <button class="btn" type="button" @click=${() => this.open(i)}>Open</button>
          <button class="btn" type="button" @click=${() => void this.takeOver(i)}>Take over</button>
        </li>`,
      )}
    </ul>`;
  }

  private renderTeams(teams: TeamFloor[]) {
    if (teams.length === 0) return nothing;
    return html`<section part="section" class="wide" aria-labelledby="sv-teams">
      <h2 id="sv-teams">Teams</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">Team</th><th scope="col" class="num">Online</th><th scope="col" class="num">Waiting</th><th scope="col">Longest wait</th
            ><th scope="col" class="num">SLA breached</th><th scope="col" title="Estimated wait for the next customer">Next wait</th>
          </tr>
        </thead>
        <tbody>
          ${teams.map(
            (t) => html`<tr part="team" data-team=${t.id}>
              <th scope="row">${t.name}</th>
              <td class="num" data-stat="online">${t.agentsOnline}</td>
              <td class="num" data-stat="waiting">${t.waiting}</td>
              <td data-stat="longest-wait">${t.longestWaitSince !== null ? elapsed(t.longestWaitSince, this.now) : '—'}</td>
              <td class="num ${t.breached ? 'alert' : ''}" data-stat="breached">${t.breached}</td>
              <td data-stat="eta">${estimate(t.etaS)}</td>
            </tr>`,
          )}
        </tbody>
      </table>
    </section>`;
  }

  override render() {
    const d = this.data;
    const online = d?.agents.filter((a) => a.status === 'online').length ?? 0;
    return html`<div class="head" part="header">
        <h1>Supervisor</h1>
        <button class="btn" type="button" @click=${() => void this.fetchNow()}>Refresh</button>
      </div>
      ${errorLine(this.error)}
      ${d
        ? html`<dl class="stats" part="stats">
              <div class="stat" part="stat">
                <dt>Waiting</dt>
                <dd data-stat="waiting">${d.waiting}</dd>
                ${d.waitingOnAbsent ? html`<dd class="note" data-stat="waiting-on-absent">${d.waitingOnAbsent} with an agent away</dd>` : nothing}
              </div>
              <div class="stat" part="stat"><dt>Longest wait</dt><dd data-stat="longest-wait">${d.longestWaitSince !== null ? elapsed(d.longestWaitSince, this.now) : '—'}</dd></div>
              <div class="stat ${d.breached ? 'alert' : ''}" part="stat"><dt>SLA breached</dt><dd data-stat="breached">${d.breached}</dd></div>
              <div class="stat" part="stat"><dt>Agents online</dt><dd>${online} / ${d.agents.length}</dd></div>
              <div class="stat" part="stat"><dt>Escalations</dt><dd>${d.escalations.length}</dd></div>
              <div class="stat" part="stat"><dt>Overdue holds</dt><dd>${d.overdueHolds.length}</dd></div>
            </dl>
            <div class="grid">
              ${this.renderTeams(d.teams ?? [])}
              <section part="section" class="wide" aria-labelledby="sv-agents">
                <h2 id="sv-agents">Agents</h2>
                <table>
                  <thead>
                    <tr><th scope="col">Name</th><th scope="col">Role</th><th scope="col">Status</th><th scope="col">Since</th><th scope="col">Load</th></tr>
                  </thead>
                  <tbody>
                    ${d.agents.map(
                      (a) => html`<tr>
                        <td>${a.name}</td>
                        <td>${a.role}</td>
                        <td><span class="badge presence-${a.status}">${a.status}</span></td>
                        <td>${a.since ? html`${clock(a.since)} <span class="muted">(${elapsed(a.since, this.now)})</span>` : '—'}</td>
                        <td>
                          <span class="bar ${a.load >= a.maxChats ? 'full' : ''}" aria-hidden="true"><span ${ref(widthOf(Math.min(100, (a.load / Math.max(1, a.maxChats)) * 100)))}></span></span
                          >${a.load}/${a.maxChats}
                        </td>
                      </tr>`,
                    )}
                  </tbody>
                </table>
              </section>
              <section part="section" aria-labelledby="sv-esc">
                <h2 id="sv-esc">Escalations</h2>
                ${this.renderItems(d.escalations, (i) => (i.escalation ? `${i.escalation.by.name}: ${i.escalation.reason}` : ''), 'No escalations.')}
              </section>
              <section part="section" aria-labelledby="sv-hold">
                <h2 id="sv-hold">Overdue holds</h2>
                ${this.renderItems(d.overdueHolds, (i) => (i.hold ? `Promised ${clock(i.hold.until)}: ${i.hold.note}` : ''), 'No overdue holds.')}
              </section>
            </div>`
        : this.error
          ? nothing
          : html`<p class="muted" role="status">Loading…</p>`}`;
  }
}

/** Register <sb-supervisor> once. */
export function defineSbSupervisor(): void {
  if (!customElements.get('sb-supervisor')) customElements.define('sb-supervisor', SbSupervisor);
}

declare global {
  interface HTMLElementTagNameMap {
    'sb-supervisor': SbSupervisor;
  }
}

/** A ref callback that sets an element's width in percent through CSSOM (allowed by the CSP). */
function widthOf(percent: number): (el?: Element) => void {
  return (el) => {
    if (el instanceof HTMLElement) el.style.width = `${percent}%`;
  };
}
