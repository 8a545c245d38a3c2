import * as v from 'valibot';
import { CLOSE, ClientFrame } from '../../protocol';
import type { ErrorCode } from '../../protocol';
import { ApiError, describeIssues, textIssueCode } from '../errors';
import { verifySocketToken } from '../auth/tokens';
import { findActiveAgent } from '../db/agents';
import { routeTeam } from '../routing/route';
import { retryAfterSeconds } from '../limits/token-bucket';
import type { ConversationCore, Result } from './core';
import { actorOf } from './sockets';
import type { Attachment, ReadyAttachment } from './sockets';
import { agentView, customerView, forAgents, forCustomers, noteForAgents } from './views';
import { attachToMessage, claimAttachments } from '../documents/do-documents';
import { publicAttachment, withAttachments } from '../documents/doc-store';

/**
 * The conversation socket: frames in, validated at the edge, dispatched to the same core the RPC
 * methods use. What a frame may do is decided by the rules, not here.
 */
export class FrameHandler {
  constructor(private readonly core: ConversationCore) {}

  /** One frame from one socket. */
  async handle(ws: WebSocket, data: string | ArrayBuffer): Promise<void> {
    const parsed = parse(data);
    if (!parsed.ok) return this.sendError(ws, parsed, parsed.ref);
    const frame = parsed.frame;
    const att = this.core.sockets.get(ws);
    if (frame.type === 'hello') return this.hello(ws, att, frame.token, frame.lastSeq);
    if (!att.ready) return this.sendError(ws, { code: 'auth.hello_required', message: 'Send hello with your token first' });
    const core = this.core;
    const me = actorOf(att);
    switch (frame.type) {
      case 'message.send': {
        // Files it carries were uploaded under this clientId (worker/documents/): checked, then linked in the message's own write.
        const files = claimAttachments(core, me, frame.clientId, frame.attachments, frame.requestId);
        if (!files.ok && !core.store.findByClientId(core.s.id, me.role, frame.clientId)) return this.sendError(ws, files, frame.clientId);
        const ids = files.ok ? files.value.map((a) => a.id) : [];
        const r = await core.append(me, att.channel ?? 'web', frame.clientId, frame.text, { limited: true, attachments: files.ok ? files.value.map(publicAttachment) : [], andThen: () => {
            attachToMessage(core, me, ids, core.seq, frame.requestId);
            return null;
          } });
        if (!r.ok) return this.sendError(ws, r, frame.clientId);
        core.sockets.send(ws, { type: 'message.ack', clientId: frame.clientId, seq: r.value.message.seq });
        return;
      }
      case 'typing.set':
        return core.toEveryone({ type: 'typing', author: { role: me.role, id: me.id, name: me.name }, on: frame.on }, ws);
      case 'read.set': {
        const seq = Math.min(frame.seq, core.seq);
        if (core.store.markRead(me.role, me.id!, seq)) core.toEveryone({ type: 'read', author: { role: me.role, id: me.id, name: me.name }, seq }, ws);
        return;
      }
      case 'csat.rate':
        return this.answer(ws, await core.apply({ type: 'rate', score: frame.score, comment: frame.comment ?? null }, me));
      case 'note.send': {
        const r = await core.addNote(me, frame.clientId, frame.text);
        if (!r.ok) return this.sendError(ws, r, frame.clientId);
        core.sockets.send(ws, { type: 'message.ack', clientId: frame.clientId, seq: r.value.note.seq });
        return;
      }
      case 'prechat': {
        const route = core.s.route;
        if (!route?.topics.includes(frame.topic)) return this.sendError(ws, { code: 'request.invalid', message: `"${frame.topic}" is not one of this brand's topics` });
        const team = routeTeam(route.rules, { ...route, topic: frame.topic });
        return this.answer(ws, await core.apply({ type: 'prechat', topic: frame.topic, team }, me));
      }
      case 'conversation.update': {
        const { type: _, ...patch } = frame;
        const assignee = patch.assigneeId ? await core.findAssignee(patch.assigneeId) : undefined;
        // A socket whose token did not say the tenant's setting resolves only with a topic: never less strict than REST.
        const requireTopic = att.role === 'agent' ? (att.requireTopic ?? true) : false;
        return this.answer(ws, await core.apply({ type: 'update', patch, assignee, requireTopic }, me));
      }
      default:
        return assertNever(frame);
    }
  }

  /** The first frame: check the token against this conversation, then welcome with the backlog. */
  private async hello(ws: WebSocket, att: Attachment, token: string, lastSeq: number): Promise<void> {
    const core = this.core;
    if (att.ready) return this.sendError(ws, { code: 'frame.invalid', message: 'hello was already said on this socket' });
    let claims;
    try {
      claims = await verifySocketToken(core.env.SOCKET_SECRET, token);
    } catch (err) {
      const code: ErrorCode = err instanceof ApiError ? err.code : 'auth.token_invalid';
      return this.refuse(ws, code, err instanceof Error ? err.message : 'Token is not valid', CLOSE.unauthorized);
    }
    const s = core.s;
    // A disabled agent's still-valid token must not open anything.
    if (claims.role === 'agent' && claims.tid === s.tenantId && !(await findActiveAgent(core.env.DB, s.tenantId, claims.sub))) {
      return this.refuse(ws, 'auth.forbidden', 'This agent account is disabled', CLOSE.unauthorized);
    }
    if (claims.cid !== s.id || claims.tid !== s.tenantId || (claims.role === 'customer' && claims.sub !== s.contactId)) {
      return this.refuse(ws, 'auth.forbidden', 'This token is not for this conversation', CLOSE.forbidden);
    }
    // From here to the welcome nothing awaits, so no message can slip between backlog and live.
    const ready: ReadyAttachment = { v: 2, ready: true, role: claims.role, id: claims.sub, name: claims.name, channel: claims.ch };
    if (claims.role === 'agent') {
      ready.agentRole = claims.ar ?? 'agent';
      if (claims.sid) ready.sid = claims.sid;
      if (claims.sexp) ready.sessionEndsAt = claims.sexp;
      if (claims.rt !== undefined) ready.requireTopic = claims.rt;
    }
    core.sockets.set(ws, ready);
    const backlog = withAttachments(core.ctx.storage.sql, core.store.messagesAfter(s.id, lastSeq));
    const you = { role: claims.role, id: claims.sub, name: claims.name };
    if (claims.role === 'agent') {
      core.inbox.viewing(s.tenantId, claims.sub, s.id, true);
      core.sockets.send(ws, { type: 'welcome', conversation: agentView(s, core.seq), messages: backlog.map(forAgents), you: { ...you, channel: null }, notes: core.store.notes(s.id).map(noteForAgents), viewers: core.viewers(), lines: core.lines(true) });
      core.broadcastViewers(ws);
      if (ready.sessionEndsAt) await core.schedule(ready.sessionEndsAt);
    } else {
      // A new channel shows in this welcome and in an update to everyone else.
      const joined = claims.ch ? core.commit({ type: 'channel.join', channel: claims.ch }, actorOf(ready), ws) : null;
      core.sockets.send(ws, { type: 'welcome', conversation: customerView(core.s, core.seq), messages: backlog.map(forCustomers), you: { ...you, channel: claims.ch }, lines: core.lines(false) });
      if (joined?.ok && joined.value) await core.scheduleAfter({ ...joined.value, publish: false }, DRAIN_ON_JOIN_MS);
    }
  }

  private answer(ws: WebSocket, r: Result<unknown>): void {
    if (!r.ok) this.sendError(ws, r);
  }

  private refuse(ws: WebSocket, code: ErrorCode, message: string, closeCode: number): void {
    this.sendError(ws, { code, message });
    ws.close(closeCode, code);
  }

  /** An error frame; `ref` names the clientId it answers, `retryAfter` comes with rate limits. */
  sendError(ws: WebSocket, e: { code: ErrorCode; message: string; retryAfterMs?: number }, ref?: string): void {
    this.core.sockets.send(ws, {
      type: 'error',
      code: e.code,
      message: e.message,
      ...(ref === undefined ? {} : { ref }),
      ...(e.retryAfterMs === undefined ? {} : { retryAfter: retryAfterSeconds(e.retryAfterMs) }),
    });
  }
}

/** A channel joining is shown at once, and copied to D1 with the next batch. */
const DRAIN_ON_JOIN_MS = 1000;

/** Parse a frame: JSON text validated against the protocol, with the error to answer otherwise. */
function parse(data: string | ArrayBuffer): { ok: true; frame: ClientFrame } | { ok: false; code: ErrorCode; message: string; ref?: string } {
  if (typeof data !== 'string') return { ok: false, code: 'frame.invalid', message: 'Frames are JSON text' };
  let raw: unknown;
  try {
    raw = JSON.parse(data);
  } catch {
    return { ok: false, code: 'frame.invalid_json', message: 'Frame is not valid JSON' };
  }
  const parsed = v.safeParse(ClientFrame, raw);
  if (parsed.success) return { ok: true, frame: parsed.output };
  return { ok: false, code: textIssueCode(parsed.issues) ?? 'frame.invalid', message: describeIssues(parsed.issues), ...refOf(raw) };
}

function refOf(raw: unknown): { ref?: string } {
  const id = (raw as { clientId?: unknown } | null)?.clientId;
  return typeof id === 'string' ? { ref: id } : {};
}

function assertNever(x: never): never {
  throw new Error(`unhandled frame ${JSON.stringify(x)}`);
}
