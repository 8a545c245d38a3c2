import { Hono } from 'hono';
import * as v from 'valibot';
import { AgentMessageRequest, ConversationListQuery, ConversationUpdateRequest, EscalateRequest, MacroRunRequest, RevealRequest } from '../../protocol';
import type { AgentMessageResponse, ConversationDetailResponse, ConversationEventsResponse, ConversationListResponse, ConversationStateResponse, MacroRunResponse, RevealResponse, SocketTokenResponse } from '../../protocol';
import type { AppEnv } from '../app-env';
import type { Actor } from '../conversation/conversation';
import { findConversation, getConversationSummary, listConversationEvents, listConversations } from '../db/conversations';
import type { ListFilter } from '../db/conversations';
import { signSocketToken } from '../auth/tokens';
import { ApiError, unwrap } from '../errors';
import { decodeCursor, encodeCursor } from '../cursor';
import { jsonBody, parseOrThrow } from '../middleware/validate';
import { requireAgent } from '../middleware/agent-session';
import { socketUrl } from '../views';
import { conversationStub } from '../stubs';
import type { Env } from '../env';
import type { Agent } from '../db/agents';
import { getContactCard } from '../db/contacts';
import { findTeam, wallOf } from '../db/teams';
import { findTopic, requiresTopic } from '../db/topics';
import { findCannedReply } from '../db/canned';
import { findTenantById } from '../db/tenants';

/** The ticket list and per-conversation actions of the agent inbox. */
export const agentConversationRoutes = new Hono<AppEnv>();
agentConversationRoutes.use('*', requireAgent());

agentConversationRoutes.get('/', async (c) => {
  const q = parseOrThrow(ConversationListQuery, c.req.query());
  const agent = c.var.agent;
  const filter: ListFilter = { limit: Number(q.limit) };
  if (q.status) filter.statuses = q.status;
  if (q.assignee !== undefined) filter.assignee = q.assignee === 'none' ? null : q.assignee === 'me' ? agent.id : q.assignee;
  if (q.cursor) {
    const at = decodeCursor(q.cursor);
    filter.after = { updatedAt: at.key, id: at.id };
  }
  if (agent.role !== 'admin') filter.wall = { teams: (await wallOf(c.env.DB, agent)).map((t) => t.id), agentId: agent.id };
  const rows = await listConversations(c.env.DB, agent.tenantId, { ...filter, limit: filter.limit + 1 });
  const page = rows.slice(0, filter.limit);
  const last = page[page.length - 1];
  const res: ConversationListResponse = { conversations: page, nextCursor: rows.length > filter.limit && last ? encodeCursor({ key: last.updatedAt, id: last.id }) : null };
  return c.json(res);
});

/**
 * The object of a conversation of the caller's tenant, or 404: never another tenant's. Within the
 * tenant the team wall holds: an agent reaches their teams' conversations and the ones they hold.
 */
export async function ownConversation(env: Env, agent: Agent, id: string) {
  const ref = await findConversation(env.DB, agent.tenantId, id);
  if (!ref) throw new ApiError('conversation.not_found', 'No such conversation');
  if (agent.role !== 'admin' && ref.assigneeId !== agent.id && !(await wallOf(env.DB, agent)).some((t) => t.id === ref.teamId)) {
    throw new ApiError('auth.forbidden', "This conversation is in another team's queue");
  }
  return { ref, stub: conversationStub(env, ref.id) };
}

/** A signed-in agent as the conversation rules see them. */
function actorOf(a: Agent): Actor {
  return { role: 'agent', id: a.id, name: a.name, agentRole: a.role };
}

agentConversationRoutes.get('/:id', async (c) => {
  const { ref, stub } = await ownConversation(c.env, c.var.agent, c.req.param('id'));
  const [summary, live, contact] = await Promise.all([getConversationSummary(c.env.DB, ref.tenantId, ref.id), stub.snapshot(ref.tenantId), getContactCard(c.env.DB, ref.tenantId, ref.contactId)]);
  const { state, messages, notes, lines } = unwrap(live);
  if (!summary || !contact) throw new ApiError('conversation.not_found', 'No such conversation');
  // The object is the truth; D1 may be a moment behind, so the live fields win.
  const res: ConversationDetailResponse = {
    conversation: { ...summary, status: state.status, priority: state.priority, assignee: state.assignee, channels: state.channels },
    state,
    messages,
    notes,
    lines,
    contact,
  };
  return c.json(res);
});

agentConversationRoutes.patch('/:id', jsonBody(ConversationUpdateRequest), async (c) => {
  const { ref, stub } = await ownConversation(c.env, c.var.agent, c.req.param('id'));
  const body = c.var.body;
  if (body.team !== undefined && !(await findTeam(c.env.DB, ref.tenantId, body.team))) throw new ApiError('team.not_found', `No team "${body.team}"`);
  await checkTopic(c.env, ref.tenantId, body.topic);
  // The setting matters only to a change that could leave it resolved without a topic: skip the read otherwise.
  const requireTopic = body.status === 'resolved' || body.topic === null ? await requiresTopic(c.env.DB, ref.tenantId) : false;
  return c.json({ state: unwrap(await stub.update(ref.tenantId, actorOf(c.var.agent), body, requireTopic)) } satisfies ConversationStateResponse);
});

/** A topic key an agent sets must be one of the tenant's topics (null clears, and is always fine). */
async function checkTopic(env: Env, tenantId: string, key: string | null | undefined): Promise<void> {
  if (typeof key === 'string' && !(await findTopic(env.DB, tenantId, key))) throw new ApiError('topic.not_found', `"${key}" is not one of this tenant's topics (GET /v1/agent/topics lists them)`);
}

/**
 * Run a macro (a canned reply, with or without actions) of the caller's tenant on this conversation.
 * The object renders and stores the reply and applies the actions; a retry with the same clientId
 * changes nothing and answers 200 with the reply stored the first time.
 */
agentConversationRoutes.post('/:id/macros/:macroId', jsonBody(MacroRunRequest), async (c) => {
  const { ref, stub } = await ownConversation(c.env, c.var.agent, c.req.param('id'));
  const [macro, tenant, requireTopic] = await Promise.all([findCannedReply(c.env.DB, ref.tenantId, c.req.param('macroId')), findTenantById(c.env.DB, ref.tenantId), requiresTopic(c.env.DB, ref.tenantId)]);
  if (!macro) throw new ApiError('macro.not_found', 'No such macro');
  // The topic was checked when the macro was saved; the tenant's list may have changed since.
  await checkTopic(c.env, ref.tenantId, macro.actions.topic);
  const run = { clientId: c.var.body.clientId, text: c.var.body.text ?? macro.text, actions: macro.actions, holdNote: macro.actions.holdNote ?? macro.title, locale: tenant?.locale ?? 'en', requireTopic };
  const r = unwrap(await stub.runMacro(ref.tenantId, actorOf(c.var.agent), run));
  return c.json(r satisfies MacroRunResponse, r.duplicate ? 200 : 201);
});

agentConversationRoutes.post('/:id/take', async (c) => {
  const { ref, stub } = await ownConversation(c.env, c.var.agent, c.req.param('id'));
  return c.json({ state: unwrap(await stub.take(ref.tenantId, actorOf(c.var.agent))) } satisfies ConversationStateResponse);
});

agentConversationRoutes.post('/:id/escalate', jsonBody(EscalateRequest), async (c) => {
  const { ref, stub } = await ownConversation(c.env, c.var.agent, c.req.param('id'));
  return c.json({ state: unwrap(await stub.escalate(ref.tenantId, actorOf(c.var.agent), c.var.body.reason)) } satisfies ConversationStateResponse);
});

agentConversationRoutes.post('/:id/reveal', jsonBody(RevealRequest), async (c) => {
  const { ref, stub } = await ownConversation(c.env, c.var.agent, c.req.param('id'));
  return c.json({ text: unwrap(await stub.reveal(ref.tenantId, actorOf(c.var.agent), c.var.body.seq)) } satisfies RevealResponse);
});

agentConversationRoutes.post('/:id/messages', jsonBody(AgentMessageRequest), async (c) => {
  const { ref, stub } = await ownConversation(c.env, c.var.agent, c.req.param('id'));
  const message = unwrap(await stub.send(ref.tenantId, actorOf(c.var.agent), 'api', c.var.body.clientId, c.var.body.text));
  return c.json({ seq: message.seq, message } satisfies AgentMessageResponse, 201);
});

agentConversationRoutes.post('/:id/socket-token', async (c) => {
  const { ref } = await ownConversation(c.env, c.var.agent, c.req.param('id'));
  const a = c.var.agent;
  const session = c.var.session;
  // The tenant's topic setting rides along, so the object applies it to a resolve over the socket too.
  const claims = { sub: a.id, tid: a.tenantId, cid: ref.id, role: 'agent' as const, name: a.name, ch: null, ar: a.role, sid: session.id, sexp: session.expiresAt, rt: await requiresTopic(c.env.DB, a.tenantId) };
  const { token, expiresAt } = await signSocketToken(c.env.SOCKET_SECRET, claims);
  const res: SocketTokenResponse = { socketToken: token, socketUrl: socketUrl(c.req.url, ref.id), expiresAt };
  return c.json(res);
});

agentConversationRoutes.get('/:id/events', async (c) => {
  const { ref } = await ownConversation(c.env, c.var.agent, c.req.param('id'));
  return c.json({ events: await listConversationEvents(c.env.DB, ref.tenantId, ref.id) } satisfies ConversationEventsResponse);
});
