import { CUSTOMER_LINES } from '../../protocol';
import type { CsatScore, DocumentRequestKind, SlaKind, SystemLine } from '../../protocol';
import { maskValue } from '../privacy/mask';

/**
 * The thread's system lines, read from the conversation's audit events. The events are the one
 * record of what happened (D1's audit and the reports read them too), so a line is never stored
 * twice or told differently from the audit: it is the event seen through a projection.
 */

/** An audit event as the object stored it, with the actor's name it was recorded under. */
export interface LineEvent {
  seq: number;
  kind: string;
  actorRole: string;
  actorName: string | null;
  data: Record<string, unknown>;
  at: number;
}

/** The audit kinds some line is made of: the rest (reveals, merges, priority…) never show in the thread. */
export const LINE_EVENT_KINDS = ['assignee.changed', 'team.changed', 'hold.set', 'hold.overdue', 'status.changed', 'escalated', 'csat.rated', 'topic.set', 'topic.picked', 'sla.warning', 'sla.breached', 'complaint.filed', 'complaint.reminded', 'complaint.answered', 'document.deleted', 'document.requested', 'document.received', 'document.marked_sensitive'] as const;

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const num = (v: unknown): number => (typeof v === 'number' ? v : 0);
const isDone = (status: unknown) => status === 'resolved' || status === 'closed';

/** The line an event makes in the thread, unmasked; null when it makes none. */
export function lineOf(e: LineEvent): SystemLine | null {
  const d = e.data;
  const base = { seq: e.seq, at: e.at, by: e.actorRole === 'system' ? null : e.actorName };
  switch (e.kind) {
    case 'assignee.changed': {
      const to = str(d.toName);
      // A team transfer lets go of the agent; its transferred line says it all.
      if (d.to === null) return d.reason === 'transferred' ? null : { ...base, kind: 'unassigned', reason: str(d.reason) };
      if (d.from === null || d.from === undefined) return { ...base, kind: 'assigned', to: to ?? 'an agent' };
      return { ...base, kind: 'transferred', to };
    }
    case 'team.changed':
      return { ...base, kind: 'transferred', to: null, team: str(d.to) ?? '' };
    case 'hold.set':
      return { ...base, kind: 'held', note: str(d.note) ?? '', until: num(d.until) };
    case 'hold.overdue':
      return { ...base, kind: 'hold_overdue', until: num(d.until) };
    case 'escalated':
      return { ...base, kind: 'escalated', reason: str(d.reason) ?? '' };
    case 'csat.rated':
      return { ...base, kind: 'rated', score: d.score as CsatScore, comment: str(d.comment) };
    case 'topic.set':
      return { ...base, kind: 'topic_set', topic: str(d.to) };
    case 'topic.picked':
      return { ...base, kind: 'topic_set', topic: str(d.topic) };
    case 'sla.warning':
    case 'sla.breached':
      return { ...base, kind: 'sla', clock: d.clock as SlaKind, level: e.kind === 'sla.breached' ? 'breached' : 'warning', dueAt: typeof d.dueAt === 'number' ? d.dueAt : null };
    case 'complaint.filed':
      return { ...base, kind: 'complaint_filed', number: str(d.number) ?? '', dueAt: num(d.dueAt) };
    case 'complaint.reminded':
      return { ...base, kind: 'complaint_reminder', number: str(d.number) ?? '', stage: d.stage as 'half' | 'late' | 'overdue', dueAt: num(d.dueAt) };
    case 'complaint.answered':
      return { ...base, kind: 'complaint_answered', number: str(d.number) ?? '', url: str(d.url) ?? '' };
    case 'document.deleted':
      return { ...base, kind: 'document_deleted', name: str(d.name) ?? 'document' };
    case 'document.requested':
      return { ...base, kind: 'document_requested', requestId: str(d.requestId) ?? '', docKind: (str(d.kind) ?? 'other') as DocumentRequestKind, note: str(d.note) };
    case 'document.received':
      return { ...base, kind: 'document_received', requestId: str(d.requestId) ?? '', messageSeq: num(d.messageSeq) };
    case 'document.marked_sensitive':
      return { ...base, kind: 'document_marked_sensitive', attachmentId: str(d.attachmentId) ?? '', name: str(d.name) ?? 'document' };
    case 'status.changed':
      if (d.to === 'resolved') return { ...base, kind: 'resolved' };
      if (isDone(d.from) && !isDone(d.to)) return { ...base, kind: 'reopened', byCustomer: d.reason === 'customer_replied' };
      // Put on hold is told by its hold.set line; a hold ending by reply, by hand or by release is lifted.
      if (d.from === 'on_hold' && d.to === 'open') return { ...base, kind: 'lifted' };
      return null;
    default:
      return null;
  }
}

/** The agents' projection of a line: every kind, texts masked until an audited reveal. */
export function lineForAgents(l: SystemLine): SystemLine {
  switch (l.kind) {
    case 'held':
      return { ...l, note: maskValue(l.note) ?? '' };
    case 'escalated':
      return { ...l, reason: maskValue(l.reason) ?? '' };
    case 'rated':
      return { ...l, comment: maskValue(l.comment) };
    case 'document_requested':
      return { ...l, note: maskValue(l.note) };
    default:
      return l;
  }
}

/** The customer's projection: the customer-safe kinds only, with no team, and null otherwise. */
export function lineForCustomers(l: SystemLine): SystemLine | null {
  if (!CUSTOMER_LINES.includes(l.kind)) return null;
  if (l.kind === 'transferred') return { seq: l.seq, at: l.at, by: l.by, kind: 'transferred', to: l.to };
  return l;
}
