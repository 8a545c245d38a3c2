import { LitElement, html, nothing } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { slaLevelAt } from '../../protocol';
import type { QueueItem } from '../../protocol';
import { FILTERS } from '../core/queue-store';
import type { QueueStore } from '../core/queue-store';
import { clock, elapsed } from '../core/format';
import { channelBadges, errorLine, priorityBadge, ratingBadge, slaBadge, slaCountdown } from '../shared/badges';
import { emit } from '../../client/emit';
import { styles } from './sb-queue.styles';
import { FollowChanges } from '../shared/follow-changes';

/** What sb-open-conversation carries: the id, and what the row already knows for the tab label. */
export interface OpenConversationDetail {
  id: string;
  number?: number;
  brand?: string;
  contactName?: string | null;
}

/**
 * The live queue: a team picker (all the agent's teams, or one), filter tabs with counts, rows in
 * queue order with SLA state, VIP, holds, escalations and (when several teams show) each row's
 * team, paged (a "load more" button that also fires when scrolled into view).
 * Renders only the fetched pages, keyed by conversation id.
 * Text, buttons and focus rings take the shared theme (shared/base.styles.ts; see <sb-inbox>).
 *
 * @event sb-open-conversation - a row was chosen; detail `OpenConversationDetail`
 * @csspart teams - the team picker (shown when the agent sees more than one team)
 * @csspart filters - the row of filter tabs
 * @csspart filter - each filter tab
 * @csspart list - the list of conversations
 * @csspart row - each conversation's row
 * @csspart team - the team chip of a row
 * @csspart more - the "load more" button
 * @csspart empty - the line shown when the filter has nothing
 * @cssproperty --sb-surface - column and filter background
 * @cssproperty --sb-border - lines beside the column and under the filters; filter outlines
 * @cssproperty --sb-border-soft - lines between rows
 * @cssproperty --sb-text - background of the chosen filter
 * @cssproperty --sb-hover - a row under the pointer
 * @cssproperty --sb-accent - edge of the row open now
 * @cssproperty --sb-muted - number, last message, brand and assignee of a row
 * @cssproperty --sb-bg - background of a row's team chip
 */
export class SbQueue extends LitElement {
  static override styles = styles;
  static override properties = {
    store: { attribute: false },
    now: { attribute: false },
    activeId: { attribute: false },
  };

  /** The queue to show and drive. */
  declare store: QueueStore;
  /** The clock the waiting times tick by (ms); the shell advances it every second. */
  declare now: number;
  /** The conversation in front, highlighted in the list. */
  declare activeId: string | null;

  private readonly follow = new FollowChanges(this, () => this.store);
  private observer: IntersectionObserver | null = null;

  constructor() {
    super();
    this.now = Date.now();
    this.activeId = null;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.observer?.disconnect();
    this.observer = null;
  }

  protected override firstUpdated(): void {
    // Infinite scroll: the next page is fetched as soon as the end of the list comes into view.
    const root = this.renderRoot.querySelector('.scroll');
    const sentinel = this.renderRoot.querySelector('.sentinel');
    if (!root || !sentinel || typeof IntersectionObserver === 'undefined') return;
    this.observer = new IntersectionObserver((entries) => {
      this.sentinelVisible = entries.some((e) => e.isIntersecting);
      void this.fill();
    }, { root, rootMargin: '200px' });
    this.observer.observe(sentinel);
  }

  private sentinelVisible = false;
  private filling = false;

  /**
   * Load pages while the end of the list is still in view. The observer only fires when the
   * sentinel crosses the edge; if a page is too short to push it out, nothing would load again.
   */
  private async fill(): Promise<void> {
    if (this.filling) return;
    this.filling = true;
    try {
      for (let i = 0; i < 20 && this.sentinelVisible && this.store.items.length > 0 && this.store.more; i++) {
        await this.store.loadMore();
        await this.updateComplete;
        await new Promise((r) => requestAnimationFrame(r));
      }
    } finally {
      this.filling = false;
    }
  }

  /** Scroll the row of a conversation into view (keyboard j/k). */
  reveal(id: string): void {
    this.renderRoot.querySelector(`[data-id="${CSS.escape(id)}"]`)?.scrollIntoView({ block: 'nearest' });
  }

  private open(item: QueueItem): void {
    emit<OpenConversationDetail>(this, 'sb-open-conversation', { id: item.id, number: item.number, brand: item.brand, contactName: item.contactName });
  }

  private renderRow(item: QueueItem) {
    const sla = slaLevelAt(item.sla, this.now);
    const overdue = this.store.isOverdue(item);
    const firstLine = item.lastMessageText?.split('\n', 1)[0] ?? '';
    return html`<li>
      <button class="row sla-row-${sla}" part="row" type="button" data-id=${item.id} aria-current=${item.id === this.activeId ? 'true' : 'false'} @click=${() => this.open(item)}>
        <span class="who"><span class="num">#${item.number}</span><span class="name">${item.contactName || 'Visitor'}</span></span>
        <span class="wait" title=${item.waitingSince ? `Waiting since ${clock(item.waitingSince)}` : 'Not waiting for an answer'}
          >${item.waitingSince ? html`<span class="sr-only">waiting </span>${elapsed(item.waitingSince, this.now)}` : html`<span class="muted">answered</span>`}</span
        >
        <span class="last">${firstLine || html`<span class="muted">No messages yet</span>`}</span>
        <span class="meta">
          ${item.sla ? slaCountdown(item.sla, this.now) : slaBadge(sla)} ${item.vip ? html`<span class="badge vip" title="VIP customer: served first">VIP</span>` : nothing}
          ${this.store.showsManyTeams ? html`<span class="team" part="team" data-team=${item.team} title="Team">${this.store.teamName(item.team)}</span>` : nothing}
          <span class="brand">${item.brand}</span>
          ${channelBadges(item.channels)} ${priorityBadge(item.priority)}
          ${item.status === 'on_hold' ? html`<span class="badge ${overdue ? 'overdue' : 'st-on_hold'}" data-overdue=${overdue ? 'true' : 'false'}>${overdue ? '! Hold overdue' : 'On hold'}</span>` : nothing}
          ${ratingBadge(item.csat)}
          ${item.escalation ? html`<span class="badge escalated" title=${`Escalated: ${item.escalation.reason}`}>↑ Escalated</span>` : nothing}
          <span class="assignee">${item.assignee ? html`→ ${item.assignee.name}` : 'Unassigned'}</span>
        </span>
      </button>
    </li>`;
  }

  /** "All my teams" and each team on the wall; nothing to pick with fewer than two. */
  private renderTeamPicker() {
    const s = this.store;
    const wall = s.wall ?? [];
    if (wall.length < 2) return nothing;
    return html`<label class="teams" part="teams"
      ><span>Team</span>
      <select name="team" @change=${(e: Event) => void s.selectTeam((e.target as HTMLSelectElement).value || null)}>
        <option value="" .selected=${s.team === null}>All my teams</option>
        ${wall.map((t) => html`<option value=${t.id} .selected=${s.team === t.id}>${t.name}</option>`)}
      </select></label
    >`;
  }

  override render() {
    const s = this.store;
    if (!s) return nothing;
    const current = FILTERS.find((f) => f.id === s.filter);
    return html`${this.renderTeamPicker()}<div class="filters" part="filters" role="group" aria-label="Queue filter">
        ${FILTERS.map(
          (f, i) =>
            html`<button type="button" part="filter" aria-pressed=${f.id === s.filter ? 'true' : 'false'} title="${f.label} (${i + 1})" @click=${() => void s.select(f.id)}>
              ${f.label}<span class="count" data-filter=${f.id}>${s.counts[f.id]}</span>
            </button>`,
        )}
      </div>
      ${errorLine(s.error, () => void s.reload())}
      <div class="scroll">
        <ol part="list" aria-label="${current?.label ?? ''} conversations" aria-busy=${s.loading ? 'true' : 'false'}>
          ${repeat(s.items, (i) => i.id, (i) => this.renderRow(i))}
        </ol>
        ${s.items.length === 0 && !s.loading ? html`<p class="empty muted" part="empty">Nothing here. ${s.filter === 'unassigned' ? 'New conversations appear live.' : ''}</p>` : nothing}
        <div class="footer">
          ${s.more
            ? html`<button class="btn" part="more" type="button" ?disabled=${s.loading} @click=${() => void s.loadMore()}>${s.loading ? 'Loading…' : `Load more (${s.items.length} of ${s.counts[s.filter]})`}</button>`
            : s.loading
              ? html`<span class="muted">Loading…</span>`
              : nothing}
        </div>
        <div class="sentinel" aria-hidden="true"></div>
      </div>`;
  }
}

/** Register <sb-queue> once. */
export function defineSbQueue(): void {
  if (!customElements.get('sb-queue')) customElements.define('sb-queue', SbQueue);
}

declare global {
  interface HTMLElementTagNameMap {
    'sb-queue': SbQueue;
  }
}
