import * as v from 'valibot';

/**
 * Written complaints: filed from the widget or by mail, kept in a register with a number and a due
 * date, answered by a formal letter a supervisor approves. Overdue is derived, never stored.
 */

/** Where a complaint stands as stored. */
export const COMPLAINT_STATUSES = ['received', 'in_review', 'answered'] as const;
export type ComplaintStatus = (typeof COMPLAINT_STATUSES)[number];
/** The register's filters: the stored statuses plus overdue (due passed, not answered). */
export const COMPLAINT_FILTERS = [...COMPLAINT_STATUSES, 'overdue'] as const;
export type ComplaintFilter = (typeof COMPLAINT_FILTERS)[number];

/** The reminder stages: at 50 % and 80 % of the answer period, and when it has passed. */
export const REMINDER_STAGES = ['half', 'late', 'overdue'] as const;
export type ReminderStage = (typeof REMINDER_STAGES)[number];
/** The share of the period each stage fires at. */
export const REMINDER_AT: Record<ReminderStage, number> = { half: 0.5, late: 0.8, overdue: 1 };

/** The default answer period when the tenant set none. */
export const DEFAULT_ANSWER_DAYS = 30;

const text = (max: number, what: string) => v.pipe(v.string(), v.trim(), v.minLength(1, `${what} must not be empty`), v.maxLength(max, `${what} is too long`));
/** A contact e-mail address: trimmed, lower-cased, plausible. */
export const ComplaintEmail = v.pipe(v.string(), v.trim(), v.toLowerCase(), v.maxLength(200), v.email('email is not an e-mail address'));

/** The complaint's own fields, checked the same wherever it comes from. */
const complaintEntries = {
  subject: text(200, 'subject'),
  happened: text(8000, 'what happened'),
  wanted: text(4000, 'what you want'),
  email: ComplaintEmail,
};

/** The complaint's own words, as the customer wrote them. */
export const ComplaintFields = v.object(complaintEntries);
export type ComplaintFields = v.InferOutput<typeof ComplaintFields>;

/** POST /v1/widget/complaints: the same identification as the widget's session, plus the complaint. */
export const ComplaintFileRequest = v.strictObject({
  brand: v.pipe(v.string(), v.minLength(1), v.maxLength(64)),
  visitorToken: v.optional(v.pipe(v.string(), v.maxLength(200))),
  identityToken: v.optional(v.pipe(v.string(), v.maxLength(4000))),
  ...complaintEntries,
});
export type ComplaintFileRequest = v.InferOutput<typeof ComplaintFileRequest>;

/** POST /v1/widget/complaints/prefill: what the form may fill in for a signed-in subscriber. */
export const ComplaintPrefillRequest = v.strictObject({
  brand: v.pipe(v.string(), v.minLength(1), v.maxLength(64)),
  identityToken: v.optional(v.pipe(v.string(), v.maxLength(4000))),
});
/** The prefill's answer: the subscriber's known e-mail, or null. */
export interface ComplaintPrefillResponse {
  email: string | null;
}

/** What the customer is told when the complaint is filed. */
export interface ComplaintFiledResponse {
  number: string;
  dueAt: number;
  conversationId: string;
  visitorToken: string;
}

/** A reminder as the register shows it. */
export interface ComplaintReminder {
  stage: ReminderStage;
  at: number;
  recipients: { id: string; name: string }[];
}

/** A row of the register, as agents see it: the customer's words masked. */
export interface ComplaintSummary {
  id: string;
  number: string;
  conversationId: string;
  team: string;
  channel: string;
  subject: string;
  email: string;
  status: ComplaintStatus;
  overdue: boolean;
  assignee: { id: string; name: string } | null;
  receivedAt: number;
  dueAt: number;
  answeredAt: number | null;
}

/** The detail: the whole complaint, its reminders, the draft and the letter when issued. */
export interface ComplaintDetail extends ComplaintSummary {
  happened: string;
  wanted: string;
  reminders: ComplaintReminder[];
  draft: { body: string; author: { id: string; name: string }; updatedAt: number } | null;
  letter: { id: string; url: string; sha256: string; issuedAt: number; author: string; approver: string } | null;
}

/** GET /v1/agent/complaints?status=…&limit=… */
export const ComplaintListQuery = v.object({
  status: v.optional(v.picklist(COMPLAINT_FILTERS)),
  limit: v.optional(v.pipe(v.string(), v.regex(/^\d{1,3}$/), v.transform(Number), v.minValue(1), v.maxValue(500)), '100'),
});

/** GET /v1/agent/complaints: the register's rows, soonest due first. */
export interface ComplaintListResponse {
  complaints: ComplaintSummary[];
}

/** PATCH /v1/agent/complaints/:id: start the review, take it, or hand it to someone. */
export const ComplaintUpdateRequest = v.strictObject({
  status: v.optional(v.literal('in_review')),
  assigneeId: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(64))),
});

/** PUT /v1/agent/complaints/:id/draft: the answer's text. */
export const ComplaintDraftRequest = v.strictObject({ body: text(20000, 'the answer') });

/** POST /v1/agent/complaints/:id/reveal: which field to show in clear (audited). */
export const ComplaintRevealRequest = v.strictObject({ field: v.picklist(['subject', 'happened', 'wanted', 'email']) });

/** GET/PUT /v1/admin/complaints/settings: the answer period and the letter's template. */
export const ComplaintSettings = v.strictObject({
  answerDays: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(365)),
  complaintsAddress: v.nullable(ComplaintEmail),
  letterhead: v.pipe(v.string(), v.maxLength(2000)),
  senderName: v.pipe(v.string(), v.maxLength(200)),
  closing: v.pipe(v.string(), v.maxLength(500)),
});
export type ComplaintSettings = v.InferOutput<typeof ComplaintSettings>;

/** The register number: per tenant and year, sequential. */
export function complaintNumber(year: number, seq: number): string {
  return `C-${year}-${String(seq).padStart(6, '0')}`;
}
