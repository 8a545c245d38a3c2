import { html } from 'lit';
import type { SbReports } from './sb-reports';
import { duration, percent } from './report-format';

/** The Shifts, Long pauses and CSAT tabs of <sb-reports>, drawn from its loaded data. */

const when = (ms: number) => new Date(ms).toLocaleString([], { dateStyle: 'short', timeStyle: 'short' });
const time = (ms: number) => new Date(ms).toLocaleTimeString([], { timeStyle: 'short' });
const csv = (host: SbReports, table: string, extra: Record<string, string> = {}) => html`<a class="btn" href="/v1/agent/reports/export.csv?${host.query({ table, ...extra })}" download>Export CSV</a>`;

/** Shifts per agent and day with utilization and occupancy. */
export function renderShifts(host: SbReports) {
  const r = host.shifts;
  if (!r) return html`<p class="muted" role="status">Loading…</p>`;
  return html`<div class="bar">${csv(host, 'shifts')}</div>
    <div class="scroll">
      <table class="shifts">
        <thead>
          <tr>
            <th scope="col">Agent</th><th scope="col">Day (UTC)</th><th scope="col">Shift</th><th scope="col">Available</th><th scope="col">Away</th><th scope="col">Handling</th>
            <th scope="col">${host.kpi('utilization')}</th><th scope="col">${host.kpi('occupancy')}</th>
          </tr>
        </thead>
        <tbody>
          ${r.shifts.length === 0 ? html`<tr><td colspan="8" class="muted">No shifts in this range.</td></tr>` : ''}
          ${r.shifts.map(
            (s) => html`<tr data-agent=${s.agentId}>
              <th scope="row">${s.agentName}</th><td>${new Date(s.day).toISOString().slice(0, 10)}</td><td>${time(s.shiftStart)}–${time(s.shiftEnd)} (${duration(s.shiftMs)})</td>
              <td>${duration(s.availableMs)}</td><td>${duration(s.awayMs)}</td><td>${duration(s.handlingMs)}</td>
              <td data-kpi="utilization">${percent(s.utilization)}</td><td data-kpi="occupancy">${percent(s.occupancy)}</td>
            </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
}

/** Long pauses per agent and topic; a group opens its pauses with the message pair of each. */
export function renderPauses(host: SbReports) {
  const r = host.pauses;
  if (!r) return html`<p class="muted" role="status">Loading…</p>`;
  if (host.drill && r.pauses) {
    const d = host.drill;
    return html`<div class="bar">
        <button class="btn" type="button" @click=${() => host.drillInto(null)}>← All pauses</button>
        ${csv(host, 'pauses', d)}
      </div>
      <ol class="pairs" aria-label="Long pauses">
        ${r.pauses.map(
          (p) => html`<li>
            <p class="muted">${when(p.startedAt)} · waited <strong>${duration(p.waitedMs)}</strong> ·
              <button class="link" type="button" @click=${() => host.open(p.conversationId, p.number)}>${p.number === null ? 'Open conversation' : `#${p.number}`}</button></p>
            <p class="pair customer"><span class="who">Customer</span> ${p.customer.text}</p>
            <p class="pair agent"><span class="who">${p.agent.name || 'Agent'}</span> ${p.agent.text}</p>
          </li>`,
        )}
      </ol>`;
  }
  return html`<div class="bar"><span class="muted">${host.kpi('longPauses')}: waits over ${r.thresholdS} s without a hold</span>${csv(host, 'pauses')}</div>
    <table class="pauses">
      <thead><tr><th scope="col">Agent</th><th scope="col">Topic</th><th scope="col">Long pauses</th><th scope="col">Average</th><th scope="col">Longest</th><th scope="col"></th></tr></thead>
      <tbody>
        ${r.groups.length === 0 ? html`<tr><td colspan="6" class="muted">No long pauses in this range.</td></tr>` : ''}
        ${r.groups.map(
          (g) => html`<tr>
            <th scope="row">${g.agentName}</th><td>${g.topic || 'No topic'}</td><td>${g.count}</td><td>${duration(g.avgMs)}</td><td>${duration(g.maxMs)}</td>
            <td><button class="btn" type="button" @click=${() => host.drillInto({ agent: g.agentId, topic: g.topic })}>Show pauses</button></td>
          </tr>`,
        )}
      </tbody>
    </table>`;
}

/** Ratings with their comments, masked by the server. */
export function renderCsat(host: SbReports) {
  const r = host.csat;
  if (!r) return html`<p class="muted" role="status">Loading…</p>`;
  return html`<div class="bar"><span class="muted">${host.kpi('csatComments')}</span>${csv(host, 'csat')}</div>
    <table class="csat">
      <thead><tr><th scope="col">Rated</th><th scope="col">Score</th><th scope="col">Comment</th><th scope="col">Agent</th><th scope="col">Topic</th><th scope="col"></th></tr></thead>
      <tbody>
        ${r.ratings.length === 0 ? html`<tr><td colspan="6" class="muted">No ratings in this range.</td></tr>` : ''}
        ${r.ratings.map(
          (x) => html`<tr>
            <td>${when(x.at)}</td><td class="score ${x.score}">${x.score === 'good' ? '👍 good' : '👎 bad'}</td><td>${x.comment ?? ''}</td><td>${x.agentName}</td><td>${x.topic}</td>
            <td><button class="link" type="button" @click=${() => host.open(x.conversationId, x.number)}>${x.number === null ? 'Open' : `#${x.number}`}</button></td>
          </tr>`,
        )}
      </tbody>
    </table>`;
}
