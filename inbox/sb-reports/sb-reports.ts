import { LitElement, html } from 'lit';
import { FIGURE_KEYS, KPI_DOC, REPORT_DIMENSIONS } from '../../protocol';
import type { AgentsResponse, CsatResponse, Figures, PausesResponse, ReportDimension, ReportResponse, ShiftsResponse, TeamsResponse, TodayResponse, TopicsResponse } from '../../protocol';
import { emit } from '../../client/emit';
import { api, shownError } from '../core/api';
import type { ShownError } from '../core/api';
import { errorLine } from '../shared/badges';
import { defineSbReportChart } from './sb-report-chart';
import { figureText, isoDay, percent } from './report-format';
import { renderCsat, renderPauses, renderShifts } from './report-tables';
import { styles } from './sb-reports.styles';

defineSbReportChart();

type Tab = 'figures' | 'shifts' | 'pauses' | 'csat';
type KpiKey = keyof typeof KPI_DOC;
const TABS: [Tab, string][] = [['figures', 'Figures'], ['shifts', 'Shifts'], ['pauses', 'Long pauses'], ['csat', 'CSAT']];
const TODAY_TILES: (keyof Figures)[] = ['received', 'handled', 'resolved', 'frtMs', 'ahtMs', 'slaAttainment', 'abandoned', 'longPauses'];
/** "Today" is refetched at most this often however many inbox frames arrive. */
const LIVE_EVERY_MS = 2000;
/** …and once more this long after the last frame: the rollups follow the projection by a moment. */
const LIVE_TRAIL_MS = 2500;

/**
 * The Reports view for supervisors and admins: a date range and filters, today's live tiles, the
 * figures by agent, team, topic, channel, brand, day or hour with a daily chart, shifts with
 * utilization and occupancy, long pauses with a drill-down to the message pair, CSAT comments, a
 * CSV export of every table, and every figure linked to its definition (docs/kpis.md). The server
 * scopes it (supervisors their teams) and masks every text. Today refreshes when the inbox socket
 * brings a change (`liveChanged`).
 *
 * @event sb-open-conversation - a pause or rating was chosen; detail `{ id, number? }`
 * @csspart panel - the view
 * @cssproperty --sb-surface - panel background
 * @cssproperty --sb-chart-1 - the chart's first series
 */
export class SbReports extends LitElement {
  static override styles = styles;
  static override properties = {
    from: { state: true },
    to: { state: true },
    by: { state: true },
    filters: { state: true },
    tab: { state: true },
    report: { state: true },
    shifts: { state: true },
    pauses: { state: true },
    csat: { state: true },
    today: { state: true },
    drill: { state: true },
    options: { state: true },
    error: { state: true },
  };

  declare from: string;
  declare to: string;
  declare by: ReportDimension;
  declare filters: { team: string; agent: string; topic: string; channel: string };
  declare tab: Tab;
  declare report: ReportResponse | null;
  declare shifts: ShiftsResponse | null;
  declare pauses: PausesResponse | null;
  declare csat: CsatResponse | null;
  declare today: TodayResponse | null;
  declare drill: { agent: string; topic: string } | null;
  declare options: { teams: { id: string; name: string }[]; agents: { id: string; name: string }[]; topics: { key: string; label: string }[] };
  declare error: ShownError | null;
  private liveTimer: ReturnType<typeof setTimeout> | undefined;
  private trailTimer: ReturnType<typeof setTimeout> | undefined;
  private lastLive = 0;

  constructor() {
    super();
    const now = new Date();
    this.to = isoDay(now);
    this.from = isoDay(new Date(now.getTime() - 6 * 86_400_000));
    this.by = 'agent';
    this.filters = { team: '', agent: '', topic: '', channel: '' };
    this.tab = 'figures';
    this.report = this.shifts = this.pauses = this.csat = this.today = null;
    this.drill = null;
    this.options = { teams: [], agents: [], topics: [] };
    this.error = null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.loadOptions();
    void this.load();
    void this.loadToday();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.liveTimer);
    clearTimeout(this.trailTimer);
  }

  /**
   * Something changed on the floor (an inbox socket frame): refresh today's tiles soon, at most
   * every 2 s, and once more a little after the last frame, when the D1 projection has caught up.
   */
  liveChanged(): void {
    clearTimeout(this.trailTimer);
    this.trailTimer = setTimeout(() => void this.loadToday(), LIVE_TRAIL_MS);
    if (this.liveTimer !== undefined) return;
    const wait = Math.max(0, this.lastLive + LIVE_EVERY_MS - Date.now());
    this.liveTimer = setTimeout(() => {
      this.liveTimer = undefined;
      void this.loadToday();
    }, wait);
  }

  /** The query string of the current range and filters (the viewer's days, their UTC offset). */
  query(extra: Record<string, string> = {}): string {
    const q = new URLSearchParams({ from: this.from, to: this.to, by: this.by, tz: String(-new Date().getTimezoneOffset()) });
    for (const [k, v] of Object.entries({ ...this.filters, ...extra })) if (v) q.set(k, v);
    return q.toString();
  }

  private async loadOptions(): Promise<void> {
    try {
      const [t, a, k] = await Promise.all([api<TeamsResponse>('/v1/agent/teams'), api<AgentsResponse>('/v1/agent/agents'), api<TopicsResponse>('/v1/agent/topics')]);
      this.options = { teams: t.teams.filter((x) => x.supervises), agents: a.agents.map((x) => ({ id: x.id, name: x.name })), topics: k.topics };
    } catch (err) {
      this.error = shownError(err);
    }
  }

  private async loadToday(): Promise<void> {
    this.lastLive = Date.now();
    try {
      this.today = await api<TodayResponse>(`/v1/agent/reports/today?${this.query()}`);
    } catch (err) {
      this.error = shownError(err);
    }
  }

  /** Fetch the open tab's table for the current range and filters. */
  async load(): Promise<void> {
    try {
      if (this.tab === 'figures') this.report = await api<ReportResponse>(`/v1/agent/reports?${this.query()}`);
      else if (this.tab === 'shifts') this.shifts = await api<ShiftsResponse>(`/v1/agent/reports/shifts?${this.query()}`);
      else if (this.tab === 'pauses') this.pauses = await api<PausesResponse>(`/v1/agent/reports/pauses?${this.query(this.drill ?? {})}`);
      else this.csat = await api<CsatResponse>(`/v1/agent/reports/csat?${this.query()}`);
      this.error = null;
    } catch (err) {
      this.error = shownError(err);
    }
  }

  private set(patch: Partial<Pick<SbReports, 'from' | 'to' | 'by' | 'tab'>> & { filter?: [keyof SbReports['filters'], string] }): void {
    const { filter, ...rest } = patch;
    Object.assign(this, rest);
    if (filter) this.filters = { ...this.filters, [filter[0]]: filter[1] };
    if (patch.tab) this.drill = null;
    void this.load();
    if (filter) void this.loadToday();
  }

  /** Scroll to a figure's definition and mark it. */
  private define(key: KpiKey, e: Event): void {
    e.preventDefault();
    const dt = this.renderRoot.querySelector<HTMLElement>(`#kpi-${key}`);
    this.renderRoot.querySelectorAll('.defs .marked').forEach((x) => x.classList.remove('marked'));
    dt?.classList.add('marked');
    dt?.scrollIntoView({ block: 'nearest' });
    dt?.focus();
  }

  /** A figure's name, linked to its definition. */
  kpi(key: KpiKey) {
    return html`<a class="kpi" href="#kpi-${key}" data-doc=${KPI_DOC[key].anchor} title=${KPI_DOC[key].formula} @click=${(e: Event) => this.define(key, e)}>${KPI_DOC[key].label}</a>`;
  }

  /** Open a conversation in the inbox. */
  open(id: string, number: number | null): void {
    emit(this, 'sb-open-conversation', number === null ? { id } : { id, number });
  }

  private tiles() {
    const t = this.today;
    return html`<section class="tiles" aria-label="Today" data-live>
      <h3>Today <span class="muted">(live)</span></h3>
      <div class="grid">
        ${TODAY_TILES.map((k) => html`<div class="tile" data-kpi=${k}>${this.kpi(k)}<strong>${t ? figureText(t.figures, k) : '…'}</strong></div>`)}
        <div class="tile" data-kpi="backlog">${this.kpi('backlog')}<strong>${t ? t.backlog : '…'}</strong></div>
        <div class="tile" data-kpi="utilization">${this.kpi('utilization')}<strong>${t ? percent(t.utilization) : '…'}</strong></div>
        <div class="tile" data-kpi="occupancy">${this.kpi('occupancy')}<strong>${t ? percent(t.occupancy) : '…'}</strong></div>
      </div>
    </section>`;
  }

  private controls() {
    const sel = (name: keyof SbReports['filters'], label: string, opts: { v: string; l: string }[]) => html`<label
      >${label}
      <select name=${name} @change=${(e: Event) => this.set({ filter: [name, (e.target as HTMLSelectElement).value] })}>
        <option value="">All</option>
        ${opts.map((o) => html`<option value=${o.v} ?selected=${this.filters[name] === o.v}>${o.l}</option>`)}
      </select></label
    >`;
    return html`<form class="controls" aria-label="Range and filters" @submit=${(e: Event) => e.preventDefault()}>
      <label>From <input type="date" name="from" .value=${this.from} @change=${(e: Event) => this.set({ from: (e.target as HTMLInputElement).value })} /></label>
      <label>To <input type="date" name="to" .value=${this.to} @change=${(e: Event) => this.set({ to: (e.target as HTMLInputElement).value })} /></label>
      ${sel('team', 'Team', this.options.teams.map((t) => ({ v: t.id, l: t.name })))}
      ${sel('agent', 'Agent', this.options.agents.map((a) => ({ v: a.id, l: a.name })))}
      ${sel('topic', 'Topic', this.options.topics.map((t) => ({ v: t.key, l: t.label })))}
      ${sel('channel', 'Channel', ['web', 'app', 'modem', 'email', 'api'].map((c) => ({ v: c, l: c })))}
    </form>`;
  }

  private figures() {
    const r = this.report;
    if (!r) return html`<p class="muted" role="status">Loading…</p>`;
    return html`<div class="bar">
        <label
          >Group by
          <select name="by" @change=${(e: Event) => this.set({ by: (e.target as HTMLSelectElement).value as ReportDimension })}>
            ${REPORT_DIMENSIONS.map((d) => html`<option value=${d} ?selected=${this.by === d}>${d}</option>`)}
          </select></label
        >
        <a class="btn" href="/v1/agent/reports/export.csv?${this.query({ table: 'figures' })}" download>Export CSV</a>
      </div>
      <sb-report-chart
        label=${r.dailyUtc ? 'Received and resolved per day (UTC days)' : 'Received and resolved per day'}
        .series=${['Received', 'Resolved']}
        .points=${r.daily.map((d) => ({ label: new Date(d.day).toISOString().slice(5, 10), values: [d.received, d.resolved] }))}
      ></sb-report-chart>
      <div class="scroll">
        <table class="figures">
          <thead>
            <tr>
              <th scope="col">${r.by}</th>
              ${FIGURE_KEYS.map((k) => html`<th scope="col">${this.kpi(k)}</th>`)}
            </tr>
          </thead>
          <tbody>
            ${r.rows.map((row) => html`<tr data-key=${row.key}><th scope="row">${row.label}</th>${FIGURE_KEYS.map((k) => html`<td>${figureText(row.figures, k)}</td>`)}</tr>`)}
          </tbody>
          <tfoot>
            <tr><th scope="row">Total</th>${FIGURE_KEYS.map((k) => html`<td data-total=${k}>${figureText(r.totals, k)}</td>`)}</tr>
          </tfoot>
        </table>
      </div>
      <p class="muted">${this.kpi('backlog')} now: <strong>${r.backlog}</strong></p>`;
  }

  private definitions() {
    const keys = Object.keys(KPI_DOC) as KpiKey[];
    return html`<section class="defs" aria-label="Definitions">
      <h3>Definitions</h3>
      <p class="muted">The full formulas are in docs/kpis.md; wall-clock time, days in your time zone, shifts per UTC day.</p>
      <dl>${keys.map((k) => html`<dt id="kpi-${k}" tabindex="-1">${KPI_DOC[k].label}</dt><dd>${KPI_DOC[k].formula}</dd>`)}</dl>
    </section>`;
  }

  override render() {
    const body = this.tab === 'figures' ? this.figures() : this.tab === 'shifts' ? renderShifts(this) : this.tab === 'pauses' ? renderPauses(this) : renderCsat(this);
    return html`<section class="panel" part="panel" aria-label="Reports">
      <h2>Reports</h2>
      ${this.tiles()} ${this.controls()}
      <div class="tabs" role="tablist">
        ${TABS.map(([t, label]) => html`<button class="btn" type="button" role="tab" aria-selected=${this.tab === t ? 'true' : 'false'} @click=${() => this.set({ tab: t })}>${label}</button>`)}
      </div>
      ${errorLine(this.error, () => (this.error = null))} ${body} ${this.definitions()}
    </section>`;
  }

  /** Show the drill-down of one agent and topic (null: back to the groups). */
  drillInto(d: { agent: string; topic: string } | null): void {
    this.drill = d;
    void this.load();
  }
}

/** Register <sb-reports> once. */
export function defineSbReports(): void {
  if (!customElements.get('sb-reports')) customElements.define('sb-reports', SbReports);
}

declare global {
  interface HTMLElementTagNameMap {
    'sb-reports': SbReports;
  }
}
