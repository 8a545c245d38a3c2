import { SLA_KIND_LABEL } from '../../protocol';
import { REQUEST_KIND_LABELS } from '../../protocol';
import type { SystemLine } from '../../protocol';
import { clock } from './format';

/** A rating as a short word with its thumb, the same in the thread, the card and the queue. */
export function ratingText(score: 'good' | 'bad'): string {
  return score === 'good' ? '👍 Good' : '👎 Bad';
}

/**
 * What a system line says to agents. `topicLabel` turns a topic key into the tenant's label when
 * the inbox knows it. Texts arrive masked; they are shown as text, never as HTML.
 */
export function lineText(l: SystemLine, topicLabel: (key: string) => string = (k) => k): string {
  const by = l.by ? ` by ${l.by}` : '';
  switch (l.kind) {
    case 'assigned':
      return l.by === l.to ? `${l.to} took the conversation` : `Assigned to ${l.to}${by}`;
    case 'transferred':
      return l.team !== undefined ? `Transferred to team ${l.team}${by}` : `Transferred to ${l.to ?? 'another agent'}${by}`;
    case 'unassigned':
      return l.reason === 'agent_offline' ? 'Back in the queue: the agent stayed offline past the grace period' : `Unassigned${by}`;
    case 'held':
      return `On hold until ${clock(l.until)}${by}: “${l.note}”`;
    case 'lifted':
      return `Hold lifted${by}`;
    case 'hold_overdue':
      return `Hold overdue: the customer was promised an answer by ${clock(l.until)}`;
    case 'escalated':
      return `Escalated${by}: “${l.reason}”`;
    case 'resolved':
      return `Resolved${by}`;
    case 'reopened':
      return l.byCustomer ? 'Reopened: the customer wrote again' : `Reopened${by}`;
    case 'rated':
      return `Customer rated ${ratingText(l.score)}${l.comment ? `: “${l.comment}”` : ''}`;
    case 'topic_set':
      return l.topic ? `Topic set to ${topicLabel(l.topic)}${by}` : `Topic cleared${by}`;
    case 'sla':
      return l.level === 'breached' ? `SLA breached: ${SLA_KIND_LABEL[l.clock]} target passed` : `SLA warning: ${SLA_KIND_LABEL[l.clock]} due ${l.dueAt ? clock(l.dueAt) : 'soon'}`;
    case 'complaint_filed':
      return `Written complaint ${l.number} filed; the answer is due by ${new Date(l.dueAt).toLocaleDateString()}`;
    case 'complaint_reminder':
      return `Reminder: complaint ${l.number} ${l.stage === 'overdue' ? 'is overdue' : l.stage === 'half' ? 'is half-way to its due date' : 'has used 80 % of its answer period'} (due ${new Date(l.dueAt).toLocaleDateString()})`;
    case 'complaint_answered':
      return `Complaint ${l.number} answered by letter${by}`;
    case 'document_deleted':
      return `Document “${l.name}” deleted on ${new Date(l.at).toLocaleDateString()} (retention)`;
    case 'document_requested':
      return `Document requested${by}: ${REQUEST_KIND_LABELS[l.docKind]}${l.note ? ` — “${l.note}”` : ''}`;
    case 'document_received':
      return 'The customer sent the requested document';
    case 'document_marked_sensitive':
      return `Document “${l.name}” marked sensitive${by}: covered for agents until revealed`;
  }
}
