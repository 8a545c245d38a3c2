import type { Author, ConversationState, CustomerConversationState, Message, Note, QueueItem } from '../../protocol';
import { maskText, maskValue } from '../privacy/mask';
import type { DoState } from './state';
import { slaStatusOf } from '../sla/sla-track';

/**
 * The two projections of a conversation. Agents see the whole ticket with personal numbers masked
 * until an audited reveal; customers see their own projection, which has no internal field at all.
 */

const masked = (text: string | null): string | null => maskValue(text);

/** The agents' view of the live state: escalations and ratings included, personal numbers masked. */
export function agentView(s: DoState, lastSeq: number): ConversationState {
  return {
    id: s.id,
    number: s.number,
    status: s.status,
    priority: s.priority,
    assignee: s.assigneeId ? { id: s.assigneeId, name: s.assigneeName ?? '' } : null,
    channels: s.channels,
    hold: holdOf(s, masked, true),
    queue: queueOf(s),
    escalation: s.escalation ? { ...s.escalation, reason: masked(s.escalation.reason) ?? '' } : null,
    csat: s.csatScore ? { score: s.csatScore, comment: masked(s.csatComment) } : null,
    mergedInto: s.mergedInto,
    lastSeq,
    team: s.team,
    topic: s.topic,
    vip: s.vip,
    sla: slaStatusOf(s),
  };
}

/** The customer's view: no priority, escalation, assignee id, audit or reveal state. */
export function customerView(s: DoState, lastSeq: number): CustomerConversationState {
  return {
    id: s.id,
    number: s.number,
    status: s.status,
    assignee: s.assigneeId ? { name: s.assigneeName ?? '' } : null,
    channels: s.channels,
    hold: holdOf(s),
    queue: queueOf(s),
    csat: s.csatScore ? { score: s.csatScore, comment: s.csatComment } : null,
    mergedInto: s.mergedInto,
    lastSeq,
  };
}

/** The conversation's row in the tenant's live queue; every text masked. */
export function queueItemOf(s: DoState, last: Message | null, lastSeq: number): QueueItem {
  const v = agentView(s, lastSeq);
  return {
    id: s.id,
    number: s.number,
    brand: s.tenantKey,
    team: s.team,
    topic: s.topic,
    vip: s.vip,
    status: s.status,
    priority: s.priority,
    assignee: v.assignee,
    channels: s.channels,
    contactName: masked(s.contactName),
    lastMessageText: last ? masked(last.text.slice(0, 200)) : null,
    lastMessageAt: last?.createdAt ?? null,
    waitingSince: s.waitingSince,
    escalation: v.escalation,
    hold: v.hold,
    csat: v.csat,
    sla: v.sla,
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
  };
}

/** A message as agents receive it: the customer's phone and document numbers masked until revealed. */
export function forAgents(m: Message): Message {
  if (m.author.role !== 'customer') return m;
  const out = maskText(m.text);
  const name = masked(m.author.name);
  if (!out.masked && name === m.author.name) return m;
  return { ...m, text: out.text, author: { ...m.author, name }, ...(out.masked ? { masked: true } : {}) };
}

/** An author as customers see them: an agent by name only, never by internal id. */
export function authorForCustomers(a: Author): Author {
  return a.role === 'customer' ? a : { role: a.role, id: null, name: a.name };
}

/** A message as customers receive it: their own words as written, agents by name only. */
export function forCustomers(m: Message): Message {
  return m.author.role === 'customer' ? m : { ...m, author: authorForCustomers(m.author) };
}

/** An internal note as agents see it: masked like everything else until revealed. */
export function noteForAgents(n: Note): Note {
  const out = maskText(n.text);
  return out.masked ? { ...n, text: out.text } : n;
}

/** The hold; agents get its note masked and the reminders count, the customer the note whole. */
function holdOf(s: DoState, show: (t: string | null) => string | null = (t) => t, forAgents = false): ConversationState['hold'] {
  if (s.status !== 'on_hold' || s.holdUntil === null) return null;
  const hold = { note: show(s.holdNote) ?? '', until: s.holdUntil, overdue: s.holdOverdue === true };
  return forAgents && s.holdOverdue ? { ...hold, reminders: s.holdReminders ?? 1 } : hold;
}

function queueOf(s: DoState): ConversationState['queue'] {
  return s.queuePosition !== null && !s.assigneeId && s.status === 'open' ? { position: s.queuePosition, etaS: s.queueEtaS ?? null } : null;
}
