import * as v from 'valibot';
import { InboxClientFrame } from '../../protocol';
import { describeIssues } from '../errors';
import type { InboxAttachment, InboxFrame, Presence } from './presence';
import { sendAll } from './presence';

/**
 * What the Floor and the team Inbox objects share about an agent's socket: the headers the Worker
 * sets once it has checked the session (and, for a team socket, the team wall), the attachment
 * built from them, and closing without caring whether it is already closed.
 */

/** Headers the Worker uses to tell an inbox object who the (already authenticated) agent is. */
export const AGENT_HEADERS = {
  id: 'x-sb-agent-id',
  name: 'x-sb-agent-name',
  role: 'x-sb-agent-role',
  /** On a team socket: the agent's capacity in that team (0: they watch it, they are not assigned). */
  maxChats: 'x-sb-agent-max-chats',
  session: 'x-sb-agent-session',
  sessionEndsAt: 'x-sb-agent-session-ends-at',
  offlineGraceMs: 'x-sb-tenant-offline-grace-ms',
} as const;

/** Headers naming the team a team socket is for (the object cannot read its own name). */
export const TEAM_HEADERS = { tenant: 'x-sb-tenant-id', team: 'x-sb-team-id' } as const;

/** The attachment of a new socket, from the Worker's headers; null when no agent is named. */
export function attachmentOf(request: Request): InboxAttachment | null {
  const h = request.headers;
  const id = h.get(AGENT_HEADERS.id);
  if (!id) return null;
  const endsAt = Number(h.get(AGENT_HEADERS.sessionEndsAt) ?? NaN);
  const graceMs = Number(h.get(AGENT_HEADERS.offlineGraceMs) ?? NaN);
  const maxChats = Number(h.get(AGENT_HEADERS.maxChats) ?? 5);
  return {
    v: 3,
    id,
    sock: crypto.randomUUID(),
    name: decodeURIComponent(h.get(AGENT_HEADERS.name) ?? ''),
    role: h.get(AGENT_HEADERS.role) ?? 'agent',
    maxChats: Number.isFinite(maxChats) ? maxChats : 5,
    status: 'online',
    since: Date.now(),
    ...(h.get(AGENT_HEADERS.session) ? { sid: h.get(AGENT_HEADERS.session)! } : {}),
    ...(Number.isFinite(endsAt) ? { sessionEndsAt: endsAt } : {}),
    ...(Number.isFinite(graceMs) ? { offlineGraceMs: graceMs } : {}),
  };
}

/** Tell a socket why it ends, then close it. */
export function endSocket(ws: WebSocket, frame: Extract<InboxFrame, { type: 'session.ended' }>, closeCode: number): void {
  sendAll([ws], frame);
  closeQuietly(ws, closeCode, frame.code);
}

export function closeQuietly(ws: WebSocket, code: number, reason: string): void {
  try {
    ws.close(code, reason);
  } catch {
    /* already closed */
  }
}

export function assertNever(x: never): never {
  throw new Error(`unhandled inbox frame ${JSON.stringify(x)}`);
}

/** Read an inbox frame; a bad one is answered on the socket in the one error shape and gives null. */
export function readFrame(ws: WebSocket, data: string | ArrayBuffer): InboxClientFrame | null {
  let raw: unknown;
  try {
    raw = JSON.parse(typeof data === 'string' ? data : '');
  } catch {
    sendAll([ws], { type: 'error', code: 'frame.invalid_json', message: 'Frame is not valid JSON' });
    return null;
  }
  const parsed = v.safeParse(InboxClientFrame, raw);
  if (parsed.success) return parsed.output;
  sendAll([ws], { type: 'error', code: 'frame.invalid', message: describeIssues(parsed.issues) });
  return null;
}

/**
 * Close the sockets whose sign-in session has ended (through `end`); returns when the next one
 * ends, for the alarm, or Infinity.
 */
export async function endEndedSessions(roster: Presence, now: number, end: (ws: WebSocket, att: InboxAttachment) => Promise<unknown>): Promise<number> {
  let next = Infinity;
  for (const { ws, att } of roster.all()) {
    if (att.sessionEndsAt === undefined) continue;
    if (att.sessionEndsAt > now) next = Math.min(next, att.sessionEndsAt);
    else await end(ws, att);
  }
  return next;
}
