import { html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import type { Channel, Priority, Rating, Status } from '../../protocol';
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
