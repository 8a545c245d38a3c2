import { html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import { SLA_KIND_LABEL, nextDue, slaLevelAt } from '../../protocol';
import type { Channel, Priority, Rating, SlaStatus, Status } from '../../protocol';
import { ratingText } from '../core/system-line-text';
import { STATUS_LABEL } from '../core/format';
import type { ShownError } from '../core/api';

/** One badge per channel the customer wrote from. */
export function channelBadges(channels: readonly Channel[]): TemplateResult {
  return html`${channels.map((c) => html`<span class="badge ch ch-${c}" title="Channel: ${c}">${c}</span> `)}`;
}

const SLA_LABEL = { ok: 'SLA ok', warning: 'SLA warning', breached: 'SLA breached' } as const;
const SLA_ICON = { ok: '●', warning: '▲', breached: '■' } as const;

/** SLA state by colour, shape and words, so it never depends on colour alone. */
export function slaBadge(state: 'ok' | 'warning' | 'breached'): TemplateResult {
  return html`<span class="badge sla-${state}" data-sla=${state}><span aria-hidden="true">${SLA_ICON[state]}</span> ${SLA_LABEL[state]}</span>`;
}

/** Time left as m:ss (or h:mm:ss, or days), negative past the target. */
export function countdownText(ms: number): string {
  const s = Math.floor(Math.abs(ms) / 1000);
  const sign = ms < 0 ? '−' : '';
  if (s >= 86_400) return `${sign}${Math.floor(s / 86_400)}d ${Math.floor((s % 86_400) / 3600)}h`;
  const mm = String(Math.floor((s % 3600) / 60)).padStart(s >= 3600 ? 2 : 1, '0');
  return `${sign}${s >= 3600 ? `${Math.floor(s / 3600)}:` : ''}${mm}:${String(s % 60).padStart(2, '0')}`;
}

/**
 * The conversation's SLA at `now`: its level, and a countdown to the clock due first (wall
 * clock: business time is already in the due time), or "paused" while it waits on the customer.
 */
export function slaCountdown(sla: SlaStatus | null | undefined, now: number): TemplateResult | typeof nothing {
  if (!sla) return nothing;
  const level = slaLevelAt(sla, now);
  const due = nextDue(sla);
  const label = due ? SLA_KIND_LABEL[due.kind] : 'paused';
  const left = due ? due.dueAt! - now : 0;
  return html`${slaBadge(level)}<span class="sla-due sla-${level}" data-sla-due=${due?.kind ?? 'paused'} title=${due ? `${label} due ${new Date(due.dueAt!).toLocaleString()}` : 'The SLA clocks pause while the conversation waits on the customer or is on hold'}
    >${due ? html`${label} ${left >= 0 ? 'in' : 'over by'} <span class="left">${countdownText(Math.abs(left))}</span>` : 'SLA paused'}</span
  >`;
}

/** The ticket status. */
export function statusBadge(status: Status): TemplateResult {
  return html`<span class="badge st-${status}" data-status=${status}>${STATUS_LABEL[status] ?? status}</span>`;
}

/** The priority, shown only when it is not the usual. */
export function priorityBadge(priority: Priority, always = false): TemplateResult | typeof nothing {
  if (!always && priority === 'normal') return nothing;
  return html`<span class="badge pr-${priority}">${priority === 'urgent' ? '‼ ' : priority === 'high' ? '! ' : ''}${priority}</span>`;
}

/** The customer's rating, with its (masked) comment as the title; nothing when unrated. */
export function ratingBadge(csat: Rating | null | undefined): TemplateResult | typeof nothing {
  if (!csat) return nothing;
  return html`<span class="badge csat-${csat.score}" data-csat=${csat.score} title=${csat.comment ? `Rated ${csat.score}: “${csat.comment}”` : `Rated ${csat.score}`}>${ratingText(csat.score)}</span>`;
}

/** An inline API error in the one error shape, with a way to dismiss it. */
export function errorLine(err: ShownError | null, dismiss?: () => void): TemplateResult | typeof nothing {
  if (!err) return nothing;
  return html`<p class="error" role="alert">
    <span><strong>${err.message}</strong> <code>${err.code}</code></span>
    ${dismiss ? html`<button class="btn link" type="button" @click=${dismiss}>Dismiss</button>` : nothing}
  </p>`;
}

/** Keys as <kbd>, for buttons and the help overlay. */
export function keys(...k: string[]): TemplateResult {
  return html`${k.map((x) => html`<kbd>${x}</kbd>`)}`;
}
