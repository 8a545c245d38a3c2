import type { ComplaintDetail, ComplaintSummary } from '../../protocol';
import type { ComplaintRow } from '../db/complaints';
import { maskText } from '../privacy/mask';
import { isOverdue } from './rules';

/**
 * The agents' projection of a complaint: every text the customer wrote masked (phone, card and
 * document numbers) until an audited reveal, the CSV export included.
 */

const m = (text: string) => maskText(text).text;

/** A register row as agents see it. */
export function complaintSummary(c: ComplaintRow, now: number): ComplaintSummary {
  return {
    id: c.id,
    number: c.number,
    conversationId: c.conversationId,
    team: c.team,
    channel: c.channel,
    subject: m(c.subject),
    email: m(c.email),
    status: c.status,
    overdue: isOverdue(c, now),
    assignee: c.assignee,
    receivedAt: c.receivedAt,
    dueAt: c.dueAt,
    answeredAt: c.answeredAt,
  };
}

/**
 * The whole complaint as agents see it, with what the route gathered around it. The draft is the
 * agents' own text, shown as written: masking it would put bullets into the letter on the next save.
 */
export function complaintDetail(c: ComplaintRow, now: number, extra: Pick<ComplaintDetail, 'reminders' | 'draft' | 'letter'>): ComplaintDetail {
  return { ...complaintSummary(c, now), happened: m(c.happened), wanted: m(c.wanted), ...extra };
}

/** The field a reveal shows in clear. */
export function revealField(c: ComplaintRow, field: 'subject' | 'happened' | 'wanted' | 'email'): string {
  return c[field];
}

/** One CSV cell: quoted, quotes doubled, and a leading =, +, - or @ defused so no spreadsheet runs it as a formula. */
export function cell(value: string | number | null): string {
  const text = value === null ? '' : String(value);
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return `"${safe.replace(/"/g, '""')}"`;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** The register as CSV (RFC 4180, CRLF), masked like every agent surface. */
export function complaintsCsv(rows: ComplaintRow[], now: number): string {
  const head = ['number', 'status', 'overdue', 'team', 'channel', 'assignee', 'received_at', 'due_at', 'answered_at', 'subject', 'email', 'what_happened', 'what_they_want'];
  const lines = rows.map((c) => {
    const s = complaintSummary(c, now);
    return [s.number, s.status, s.overdue ? 'yes' : 'no', s.team, s.channel, s.assignee?.name ?? null, iso(s.receivedAt), iso(s.dueAt), iso(s.answeredAt), s.subject, s.email, m(c.happened), m(c.wanted)].map(cell).join(',');
  });
  return [head.map(cell).join(','), ...lines].join('\r\n') + '\r\n';
}
