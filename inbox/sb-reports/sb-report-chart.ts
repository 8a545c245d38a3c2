import { LitElement, css, html, svg } from 'lit';

/** One bar group of the chart: a label and a value per series. */
export interface ChartPoint {
  label: string;
  values: number[];
}

/**
 * A small bar chart drawn as SVG by Lit itself: a series or two per day (received and resolved).
 * Drawn here rather than with uPlot because no charting package is installed and this workspace
 * may not add one (see docs/kpis.md, "Charts"); a few dozen bars need nothing more. Values are
 * numbers, labels are text bindings: nothing is rendered as HTML.
 *
 * @csspart chart - the svg
 * @cssproperty --sb-chart-1 - colour of the first series
 * @cssproperty --sb-chart-2 - colour of the second series
 */
export class SbReportChart extends LitElement {
  static override styles = css`
    :host {
      display: block;
    }
    svg {
      width: 100%;
      height: 160px;
    }
    .s0 {
      fill: var(--sb-chart-1, #0b5fff);
    }
    .s1 {
      fill: var(--sb-chart-2, #1a7f37);
    }
    text {
      font: 10px var(--sb-font, system-ui, sans-serif);
      fill: var(--sb-muted, #57606a);
    }
    .legend {
      display: flex;
      gap: 12px;
      font-size: 12px;
      color: var(--sb-muted, #57606a);
    }
    .k0 {
      background: var(--sb-chart-1, #0b5fff);
    }
    .k1 {
      background: var(--sb-chart-2, #1a7f37);
    }
    .key {
      display: inline-block;
      width: 10px;
      height: 10px;
      margin-right: 4px;
      border-radius: 2px;
    }
  `;
  static override properties = { points: { attribute: false }, series: { attribute: false }, label: {} };

  /** The bar groups, left to right. */
  declare points: ChartPoint[];
  /** The series' names, for the legend. */
  declare series: string[];
  /** The chart's accessible name. */
  declare label: string;

  constructor() {
    super();
    this.points = [];
    this.series = [];
    this.label = 'Chart';
  }

  override render() {
    const W = 600;
    const H = 160;
    const pad = { l: 30, b: 18, t: 6 };
    const max = Math.max(1, ...this.points.flatMap((p) => p.values));
    const n = Math.max(1, this.points.length);
    const group = (W - pad.l) / n;
    const k = Math.max(1, this.series.length);
    const bar = Math.max(1, (group * 0.8) / k);
    const y = (v: number) => H - pad.b - ((H - pad.b - pad.t) * v) / max;
    const every = Math.ceil(n / 12);
    return html`<div class="legend">${this.series.map((s, i) => html`<span><span class="key k${i}"></span>${s}</span>`)}</div>
      <svg part="chart" viewBox="0 0 ${W} ${H}" role="img" aria-label=${this.label} preserveAspectRatio="none">
        ${svg`<text x="0" y="${pad.t + 8}">${max}</text><text x="0" y="${H - pad.b}">0</text>`}
        ${this.points.map((p, i) =>
          svg`${p.values.map((v, j) => svg`<rect class="s${j}" x="${pad.l + i * group + group * 0.1 + j * bar}" y="${y(v)}" width="${bar}" height="${H - pad.b - y(v)}"><title>${p.label}: ${this.series[j] ?? ''} ${v}</title></rect>`)}
          ${i % every === 0 ? svg`<text x="${pad.l + i * group}" y="${H - 4}">${p.label}</text>` : ''}`,
        )}
      </svg>`;
  }
}

/** Register <sb-report-chart> once. */
export function defineSbReportChart(): void {
  if (!customElements.get('sb-report-chart')) customElements.define('sb-report-chart', SbReportChart);
}

declare global {
  interface HTMLElementTagNameMap {
    'sb-report-chart': SbReportChart;
  }
}
