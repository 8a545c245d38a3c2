import { html } from 'lit';
import type { TemplateResult } from 'lit';
import type { ComplaintSummary, ReminderStage } from '../../protocol';

/** A complaint's date as the register shows it. */
export function when(ms: number): string {
  return new Date(ms).toLocaleDateString(undefined, { day: 'numeric', month: 'short', year: 'numeric' });
}

const STATUS: Record<ComplaintSummary['status'], string> = { received: 'Received', in_review: 'In review', answered: 'Answered' };

/** The status tag; overdue (derived by the server) outranks received and in review. */
export function statusTag(c: Pick<ComplaintSummary, 'status' | 'overdue'>): TemplateResult {
  if (c.overdue) return html`<span class="tag overdue" data-status="overdue">Overdue</span>`;
  return html`<span class="tag ${c.status}" data-status=${c.status}>${STATUS[c.status]}</span>`;
}

/** What a reminder stage means, in words. */
export const STAGE_LABEL: Record<ReminderStage, string> = { half: '50 % of the period', late: '80 % of the period', overdue: 'Overdue' };
