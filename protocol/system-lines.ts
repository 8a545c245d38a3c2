import type { CsatScore } from './model';
import type { SlaKind } from './sla';
import type { DocumentRequestKind } from './documents';

/**
 * The thread's system lines: what happened to the ticket between the messages — assigned,
 * transferred, held, lifted, hold overdue, escalated, resolved, reopened, rated, topic set, SLA warned or breached. Each
 * line is one audit event of the conversation seen through a projection: agents get every line
 * with its texts masked like everything else; the customer gets only the customer-safe kinds
 * (CUSTOMER_LINES) with agents by name and nothing internal (no teams, topics, reasons).
 */

/** What a line says happened. */
export type SystemLineKind = SystemLine['kind'];

interface LineBase {
  /** The audit event's number in this conversation: unique and increasing, so a line is kept once. */
  seq: number;
  /** When it happened (ms since the epoch, server clock). */
  at: number;
  /** Who did it, by name; null for the system (routing, an alarm) or when the viewer may not know. */
  by: string | null;
}

export type SystemLine = LineBase &
  (
    | { kind: 'assigned'; to: string }
    /** To another agent (`to`) or, for agents, another team (`team`; the customer learns no team). */
    | { kind: 'transferred'; to: string | null; team?: string }
    /** Agents only: back in the queue; `reason` agent_offline when the agent stayed away too long. */
    | { kind: 'unassigned'; reason: string | null }
    | { kind: 'held'; note: string; until: number }
    | { kind: 'lifted' }
    /** Agents only: the promised time passed without an answer. */
    | { kind: 'hold_overdue'; until: number }
    /** Agents only. */
    | { kind: 'escalated'; reason: string }
    | { kind: 'resolved' }
    /** `byCustomer`: the customer wrote into the resolved conversation. */
    | { kind: 'reopened'; byCustomer: boolean }
    | { kind: 'rated'; score: CsatScore; comment: string | null }
    /** Agents only: the topic it was about (a key of the tenant's topics), or none. */
    | { kind: 'topic_set'; topic: string | null }
    /** Agents only: an SLA clock passed its warning share or its target (`dueAt`, wall clock). */
    | { kind: 'sla'; clock: SlaKind; level: 'warning' | 'breached'; dueAt: number | null }
    /** A written complaint got its register number and the date its answer is due. */
    | { kind: 'complaint_filed'; number: string; dueAt: number }
    /** Agents only: a complaint's answer period is half or 80 % gone, or over. */
    | { kind: 'complaint_reminder'; number: string; stage: 'half' | 'late' | 'overdue'; dueAt: number }
    /** The approved answer went out; `url` is its signed, printable letter. */
    | { kind: 'complaint_answered'; number: string; url: string }
    /** Retention deleted a document's file (its name stays); `at` is when. */
    | { kind: 'document_deleted'; name: string }
    /** An agent asked for a document: the customer sees a card with an upload button. */
    | { kind: 'document_requested'; requestId: string; docKind: DocumentRequestKind; note: string | null }
    /** The customer answered the request with files (message `seq`). */
    | { kind: 'document_received'; requestId: string; messageSeq: number }
    /** Agents only: an agent marked a file sensitive; every agent sees it covered until an audited reveal. */
    | { kind: 'document_marked_sensitive'; attachmentId: string; name: string }
  );

/** The kinds the customer sees: what changes who they talk to and when, and their own rating. */
export const CUSTOMER_LINES: readonly SystemLineKind[] = ['assigned', 'transferred', 'held', 'lifted', 'resolved', 'reopened', 'rated', 'complaint_filed', 'complaint_answered', 'document_deleted', 'document_requested', 'document_received'];

/** The most lines a welcome carries: the newest ones (a conversation's events are few). */
export const MAX_WELCOME_LINES = 500;

/**
 * Lines in seq order, with `line` added once. A rating replaces the rating given earlier for the
 * same resolution (a score, then the comment sent with it, is one rating to read, not two); after
 * a reopening the next resolution's rating is a line of its own.
 */
export function withLine(lines: readonly SystemLine[], line: SystemLine): SystemLine[] {
  if (lines.some((l) => l.seq === line.seq)) return [...lines];
  return foldRatings([...lines, line].sort((a, b) => a.seq - b.seq));
}

/** Keep only the last rating of each resolution (see withLine). */
export function foldRatings(lines: readonly SystemLine[]): SystemLine[] {
  const out: SystemLine[] = [];
  for (const l of lines) {
    if (l.kind === 'rated') {
      for (let i = out.length - 1; i >= 0; i--) {
        const kind = out[i]!.kind;
        if (kind === 'resolved' || kind === 'reopened') break;
        if (kind === 'rated') {
          out.splice(i, 1);
          break;
        }
      }
    }
    out.push(l);
  }
  return out;
}
