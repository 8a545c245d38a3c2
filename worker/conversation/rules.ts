import type { AgentRef, Author, Channel, CsatScore, ErrorCode } from '../../protocol';
import { take } from '../limits/token-bucket';
import type { BucketRule } from '../limits/token-bucket';
import type { DoState } from './state';
import type { Actor, Command, ConversationPatch, Decision, Refusal, RuleEvent } from './commands';
import { applyTopic } from './topic-rules';
import { SYSTEM_REF, slaCheck, wakeAtWith, trackSla } from '../sla/sla-track';

/**
 * The rules of a conversation, pure: `(state, command, actor, now) → { state, events, effects }`.
 * Socket frames and REST calls both come here, so one command gets one answer on every path,
 * permissions included. The Durable Object does the I/O around it: storage, sockets, D1, alarms.
 */

/** The longest an agent may promise to be away. */
export const MAX_HOLD_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * An overdue hold reminds its agent again this often while it stays overdue. One toast at the
 * promised time is easy to lose among a shift's contacts, and the customer keeps waiting; every
 * five minutes is a nudge the agent notices without turning into noise for a long check.
 */
export const HOLD_REMIND_EVERY_MS = 5 * 60_000;

/** A customer may change their rating a few times (a misclick, a second thought), not a hundred. */
export const CSAT_CHANGES: BucketRule = { capacity: 5, refillPerSec: 1 / 60 };

const refuse = (code: ErrorCode, message: string, retryAfterMs?: number): Refusal => (retryAfterMs === undefined ? { ok: false, code, message } : { ok: false, code, message, retryAfterMs });
const isDone = (s: DoState) => s.status === 'resolved' || s.status === 'closed';

/** The actor as a message or event author. */
export function authorOf(actor: Actor): Author {
  return { role: actor.role, id: actor.id, name: actor.name };
}

/**
 * Who may move a conversation: agents take unassigned ones and hand on (or back) their own;
 * supervisors, admins and the system assign anything.
 */
export function mayAssign(actor: Actor, current: string | null, to: string | null): Refusal | null {
  if (actor.role === 'system' || (actor.role === 'agent' && actor.agentRole !== 'agent')) return null;
  if (actor.role !== 'agent') return refuse('auth.forbidden', 'Only agents change a conversation');
  const taking = current === null && to === actor.id;
  const handingOn = current === actor.id;
  if (taking || handingOn) return null;
  return refuse('auth.forbidden', "Agents take unassigned conversations or hand on their own; ask a supervisor to move someone else's");
}

/** Decide what `command` by `actor` does to `state` at `now`. Never mutates `state`. */
export function decide(state: DoState, command: Command, actor: Actor, now: number): Decision {
  const out = new Outcome({ ...state, channels: [...state.channels] }, actor, now);
  switch (command.type) {
    case 'update':
      return update(out, command.patch, command.assignee, false, command.requireTopic === true);
    case 'take':
      if (actor.role !== 'agent') return refuse('auth.forbidden', 'Only agents take conversations');
      return update(out, { assigneeId: actor.id }, { id: actor.id, name: actor.name }, actor.agentRole !== 'agent');
    case 'escalate':
      if (actor.role === 'customer') return refuse('auth.forbidden', 'Only agents escalate');
      if (isDone(out.s)) return refuse('conversation.closed', 'Reopen the conversation to escalate it');
      out.event('escalated', { reason: command.reason });
      out.s.escalation = { reason: command.reason, by: actor.role === 'agent' ? { id: actor.id, name: actor.name } : SYSTEM_REF, at: now };
      return out.done(true);
    case 'rate':
      return rate(out, command.score, command.comment);
    case 'reveal':
      if (actor.role !== 'agent') return refuse('auth.forbidden', 'Only agents reveal masked text');
      out.event('pii.revealed', { seq: command.seq });
      return out.done(false);
    case 'note':
      if (actor.role !== 'agent') return refuse('auth.forbidden', 'Only agents write notes');
      return out.done(false);
    case 'message':
      return message(out, command.channel, command.createdAt, command.live);
    case 'channel.join':
      if (actor.role !== 'customer' || out.s.channels.includes(command.channel)) return out.unchanged();
      out.s.channels.push(command.channel);
      return out.done(true);
    case 'hold.check':
      return holdCheck(out);
    case 'sla.check':
      return slaCheck(out);
    case 'release':
      return release(out, command.agentId, command.reason);
    case 'prechat':
      if (actor.role !== 'customer') return refuse('auth.forbidden', 'Only the customer picks a pre-chat topic');
      if (out.s.openedAt !== null) return refuse('prechat.too_late', 'The topic is picked before the first message');
      if (out.s.topic === command.topic && out.s.team === command.team) return out.unchanged();
      out.event('topic.picked', { topic: command.topic, team: command.team });
      out.s.topic = command.topic;
      out.s.team = command.team;
      return out.done(false);
    case 'contact.link':
      if (out.s.contactId === command.contactId) return out.unchanged();
      out.event('contact.linked', { from: out.s.contactId, to: command.contactId });
      out.s.contactId = command.contactId;
      return out.done(false);
    case 'merge.into':
      if (out.s.mergedInto === command.targetId) return out.unchanged();
      out.event('conversation.merged_into', { into: command.targetId, from: out.s.status });
      out.s.mergedInto = command.targetId;
      out.s.status = 'closed';
      return out.done(true);
    case 'merge.from':
      if (command.copied === 0) return out.unchanged();
      out.event('conversation.merged_from', { from: command.fromId, messages: command.copied });
      return out.done(true);
    default:
      return assertNever(command);
  }
}

/**
 * When the alarm must next look at the hold, or null when there is nothing to watch: the promised
 * time, then every HOLD_REMIND_EVERY_MS after it while the hold stays overdue.
 */
export function holdWakeAt(s: DoState): number | null {
  if (s.status !== 'on_hold' || s.holdUntil === null) return null;
  return s.holdUntil + remindersOf(s) * HOLD_REMIND_EVERY_MS;
}

/** Reminders sent for the current hold; a hold marked overdue before they were counted had one. */
function remindersOf(s: DoState): number {
  return s.holdReminders ?? (s.holdOverdue ? 1 : 0);
}

function update(out: Outcome, patch: ConversationPatch, assignee: AgentRef | 'unknown' | undefined, clearEscalation: boolean, requireTopic = false): Decision {
  const { s, actor, now } = out;
  if (actor.role === 'customer') return refuse('auth.forbidden', 'Only agents change a conversation');
  if (patch.assigneeId !== undefined && patch.assigneeId !== s.assigneeId) {
    const denied = mayAssign(actor, s.assigneeId, patch.assigneeId);
    if (denied) return denied;
    if (patch.assigneeId !== null && (assignee === 'unknown' || assignee?.id !== patch.assigneeId)) return refuse('agent.not_found', 'No active agent with that id in this tenant');
  }
  if (patch.team !== undefined && patch.team !== s.team && s.assigneeId !== null) {
    // A transfer takes the chat from its agent: the same permission as handing it on.
    const denied = mayAssign(actor, s.assigneeId, null);
    if (denied) return denied;
  }
  if (s.status === 'closed') return refuse('conversation.closed', 'This conversation is closed');
  const hold = patch.hold;
  if (hold && (hold.until <= now || hold.until > now + MAX_HOLD_MS)) return refuse('request.invalid', 'hold.until must be in the future and within 7 days');
  if (hold && patch.status && patch.status !== 'on_hold') return refuse('request.invalid', 'a hold goes with status on_hold');
  const noTopic = applyTopic(out, patch, requireTopic);
  if (noTopic) return noTopic;
  let status = patch.status;
  if (hold) {
    out.event('hold.set', { note: hold.note, until: hold.until });
    if (s.status !== 'on_hold') out.event('status.changed', { from: s.status, to: 'on_hold' });
    s.status = 'on_hold';
    s.holdNote = hold.note;
    s.holdUntil = hold.until;
    s.holdOverdue = false;
    s.holdReminders = 0;
    out.changed = true;
  } else if (hold === null && s.status === 'on_hold' && !status) {
    status = 'open';
  }
  if (status && status !== s.status) {
    out.event('status.changed', { from: s.status, to: status });
    if (isDone(s) && !isDone({ ...s, status })) clearRating(out);
    s.status = status;
    if (status !== 'on_hold') clearHold(s);
    out.changed = true;
  }
  if (patch.priority && patch.priority !== s.priority) {
    out.event('priority.changed', { from: s.priority, to: patch.priority });
    s.priority = patch.priority;
    out.changed = true;
  }
  if (s.escalation && (clearEscalation || isDone(s))) {
    out.event('escalation.taken', { reason: s.escalation.reason });
    s.escalation = null;
    out.changed = true;
  }
  let to = patch.assigneeId === undefined ? undefined : patch.assigneeId === null ? null : (assignee as AgentRef);
  let reason: string | undefined;
  if (patch.team !== undefined && patch.team !== s.team) {
    out.event('team.changed', { from: s.team, to: patch.team });
    s.team = patch.team;
    // Transferred to another team: its agents pick it up, unless the same change names who.
    if (to === undefined && s.assigneeId !== null) {
      to = null;
      reason = 'transferred';
    }
    out.changed = true;
  }
  if (to !== undefined && (to?.id ?? null) !== s.assigneeId) {
    // The name goes with the id: the thread's line says who, long after the agent changed theirs.
    out.event('assignee.changed', { from: s.assigneeId, to: to?.id ?? null, toName: to?.name ?? null, ...(reason ? { reason } : {}) });
    s.assigneeId = to?.id ?? null;
    s.assigneeName = to?.name ?? null;
    out.changed = true;
  }
  return out.changed ? out.done(true) : out.unchanged();
}

/** One rating per conversation: rating again replaces it, and changing it often is refused. */
function rate(out: Outcome, score: CsatScore, comment: string | null): Decision {
  const { s, actor, now } = out;
  if (actor.role !== 'customer') return refuse('auth.forbidden', 'Only the customer rates a conversation');
  if (!isDone(s)) return refuse('csat.not_resolved', 'A conversation is rated once it is resolved');
  if (s.csatScore === score && s.csatComment === comment) return out.unchanged();
  const paid = take(s.csatBucket ?? null, now, CSAT_CHANGES);
  if (!paid.ok) return refuse('rate.limited', 'The rating was changed too often; try again later', paid.retryAfterMs);
  s.csatBucket = paid.bucket;
  out.event('csat.rated', { score, comment });
  s.csatScore = score;
  s.csatComment = comment;
  s.csatAt = now;
  return out.done(true);
}

/** What a stored message does to the ticket: channels, who waits, who owns it, holds and reopening. */
function message(out: Outcome, channel: Channel, createdAt: number, live: boolean): Decision {
  const { s, actor } = out;
  if (s.status === 'closed') return refuse('conversation.closed', 'This conversation is closed');
  let visible = false;
  if (actor.role === 'customer') {
    // The first word from the customer makes the session a ticket (copies from a merge count too).
    // Nothing the participants see changes, so it is stored and projected, not published.
    if (s.openedAt === null) s.openedAt = createdAt;
    if (!s.channels.includes(channel)) {
      s.channels.push(channel);
      visible = true;
    }
    if (live && s.waitingSince === null) s.waitingSince = createdAt;
    if (actor.name && actor.name !== s.contactName) s.contactName = actor.name;
    // A customer writing into a resolved conversation brings it back rather than going unheard.
    if (live && s.status === 'resolved') {
      out.event('status.changed', { from: s.status, to: 'open', reason: 'customer_replied' });
      clearRating(out);
      s.status = 'open';
      visible = true;
    }
  } else if (actor.role === 'agent' && live) {
    s.waitingSince = null;
    // Whoever answers an unassigned conversation owns it: nobody else picks it up twice.
    if (!s.assigneeId) {
      out.event('assignee.changed', { from: null, to: actor.id, toName: actor.name, reason: 'replied' });
      s.assigneeId = actor.id;
      s.assigneeName = actor.name;
      visible = true;
    }
    // The agent coming back with an answer ends the hold they promised.
    if (s.status === 'on_hold') {
      out.event('status.changed', { from: 'on_hold', to: 'open', reason: 'agent_replied' });
      s.status = 'open';
      clearHold(s);
      visible = true;
    }
  }
  return out.done(visible);
}

/**
 * Give an absent agent's open chat back to the queue. The customer's waiting time is kept (they
 * have waited all along); a hold the agent promised ends, since nobody is there to keep it.
 */
function release(out: Outcome, agentId: string, reason: 'agent_offline'): Decision {
  const { s, actor } = out;
  if (actor.role !== 'system') return refuse('auth.forbidden', 'Only the system releases a conversation');
  // Moved or finished meanwhile: nothing of the absent agent's to give back.
  if (s.assigneeId !== agentId || isDone(s)) return out.unchanged();
  if (s.status === 'on_hold') {
    out.event('status.changed', { from: 'on_hold', to: 'open', reason });
    s.status = 'open';
    clearHold(s);
  }
  out.event('assignee.changed', { from: agentId, to: null, reason });
  s.assigneeId = null;
  s.assigneeName = null;
  return out.done(true);
}

/**
 * The alarm looks at the hold: at the promised time it goes overdue (participants see it), and
 * every HOLD_REMIND_EVERY_MS after that it is reminded again, audited, for the Inbox to tell the
 * agent. The count is taken from the time overdue, so an alarm that comes late (an object
 * restarted, a busy machine) sends one reminder, not one for each it missed.
 */
function holdCheck(out: Outcome): Decision {
  const { s, now } = out;
  const due = holdWakeAt(s);
  if (due === null || due > now || s.holdUntil === null) return out.unchanged();
  const reminder = Math.floor((now - s.holdUntil) / HOLD_REMIND_EVERY_MS) + 1;
  s.holdReminders = reminder;
  if (!s.holdOverdue) {
    s.holdOverdue = true;
    out.event('hold.overdue', { until: s.holdUntil, assigneeId: s.assigneeId });
    return out.done(true);
  }
  out.event('hold.reminded', { until: s.holdUntil, assigneeId: s.assigneeId, reminder, overdueMs: now - s.holdUntil });
  // The customer's view has not changed (still overdue): only the agents' queue row has.
  return out.done(false);
}

/**
 * A reopened conversation starts without the old score: the customer rates the new outcome. The
 * old rating stays in the audit log (`csat.rated`), where reports read ratings from.
 */
function clearRating(out: Outcome): void {
  const { s } = out;
  if (s.csatScore === null) return;
  out.event('csat.cleared', { score: s.csatScore });
  s.csatScore = null;
  s.csatComment = null;
  s.csatAt = null;
}

function clearHold(s: DoState): void {
  s.holdNote = null;
  s.holdUntil = null;
  s.holdOverdue = false;
  s.holdReminders = 0;
}

/** The state being changed, the events gathered so far, and how to finish. */
class Outcome {
  readonly events: RuleEvent[] = [];
  changed = false;
  constructor(
    readonly s: DoState,
    readonly actor: Actor,
    readonly now: number,
  ) {}

  event(kind: string, data: Record<string, unknown>): void {
    this.events.push({ kind, actor: authorOf(this.actor), data });
  }

  /** The ticket changed (and participants see it when `publish`). */
  done(publish: boolean): Decision {
    // An agent who acts on a session (reached by its id) has made it work: a ticket, never discarded.
    if (this.s.openedAt === null && this.actor.role === 'agent') this.s.openedAt = this.now;
    this.s.updatedAt = this.now;
    trackSla(this.s, this.actor, this.now);
    return { ok: true, state: this.s, events: this.events, effects: { persist: true, publish, wakeAt: wakeAtWith(this.s, holdWakeAt(this.s)) } };
  }

  unchanged(): Decision {
    return { ok: true, state: this.s, events: [], effects: { persist: false, publish: false, wakeAt: null } };
  }
}

function assertNever(x: never): never {
  throw new Error(`unhandled command ${JSON.stringify(x)}`);
}
