import { Hono } from 'hono';
import { ComplaintDraftRequest, ComplaintListQuery, ComplaintRevealRequest, ComplaintUpdateRequest } from '../../protocol';
import type { ComplaintDetail, ComplaintListResponse } from '../../protocol';
import type { AppEnv } from '../app-env';
import type { Env } from '../env';
import type { Agent } from '../db/agents';
import { findActiveAgent } from '../db/agents';
import { findComplaint, listComplaints, listReminders, updateComplaint } from '../db/complaints';
import type { ComplaintRow } from '../db/complaints';
import { findDraft, letterOfComplaint, saveDraft } from '../db/complaint-letters';
import { wallOf } from '../db/teams';
import { requireAgent } from '../middleware/agent-session';
import { jsonBody, parseOrThrow } from '../middleware/validate';
import { ApiError, unwrap } from '../errors';
import { conversationStub } from '../stubs';
import { complaintDetail, complaintSummary, complaintsCsv, revealField } from '../complaints/views';
import { mayDraft } from '../complaints/rules';
import { approveAnswer } from '../complaints/answer';
import { letterPath } from '../complaints/letter-link';

/**
 * The complaint register of the inbox. Tenant from the session; team walls as for conversations:
 * agents reach their teams' complaints and those assigned to them, supervisors the teams they
 * supervise, admins all. Every customer-written text is masked until the audited reveal.
 */
export const agentComplaintRoutes = new Hono<AppEnv>();
agentComplaintRoutes.use('*', requireAgent());

/** The agent's wall for the register: null for admins (the whole tenant). */
async function wall(env: Env, agent: Agent) {
  return agent.role === 'admin' ? null : { teams: await wallOf(env.DB, agent), agentId: agent.id };
}

/** A complaint of the caller's tenant inside their wall, and whether they supervise its team. */
async function ownComplaint(env: Env, agent: Agent, id: string): Promise<{ c: ComplaintRow; supervises: boolean }> {
  const c = await findComplaint(env.DB, agent.tenantId, id);
  if (!c) throw new ApiError('complaint.not_found', 'No such complaint');
  const w = await wall(env, agent);
  if (!w) return { c, supervises: true };
  const team = w.teams.find((t) => t.id === c.team);
  if (!team && c.assignee?.id !== agent.id) throw new ApiError('auth.forbidden', "This complaint is in another team's register");
  return { c, supervises: team?.supervises === true };
}

async function detailOf(env: Env, c: ComplaintRow): Promise<ComplaintDetail> {
  const [reminders, draft, letter] = await Promise.all([listReminders(env.DB, c.tenantId, c.id), findDraft(env.DB, c.tenantId, c.id), letterOfComplaint(env.DB, c.tenantId, c.id)]);
  return complaintDetail(c, Date.now(), {
    reminders,
    draft,
    letter: letter && { id: letter.id, url: await letterPath(env.SOCKET_SECRET, c.tenantId, letter.id), sha256: letter.sha256, issuedAt: letter.issuedAt, author: letter.author.name, approver: letter.approver.name },
  });
}

async function rowsFor(env: Env, agent: Agent, query: Record<string, string>): Promise<ComplaintRow[]> {
  const q = parseOrThrow(ComplaintListQuery, query);
  const w = await wall(env, agent);
  return listComplaints(env.DB, agent.tenantId, { ...(q.status ? { status: q.status } : {}), wall: w && { teams: w.teams.map((t) => t.id), agentId: w.agentId }, now: Date.now(), limit: q.limit });
}

agentComplaintRoutes.get('/', async (c) => {
  const now = Date.now();
  const res: ComplaintListResponse = { complaints: (await rowsFor(c.env, c.var.agent, c.req.query())).map((r) => complaintSummary(r, now)) };
  return c.json(res);
});

agentComplaintRoutes.get('/export.csv', async (c) => {
  const csv = complaintsCsv(await rowsFor(c.env, c.var.agent, { limit: '500', ...c.req.query() }), Date.now());
  return c.body(csv, 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="complaints.csv"', 'cache-control': 'no-store' });
});

agentComplaintRoutes.get('/:id', async (c) => {
  const { c: row } = await ownComplaint(c.env, c.var.agent, c.req.param('id'));
  return c.json({ complaint: await detailOf(c.env, row) });
});

/** Start the review, take it (agents: themselves only), or hand it on (supervisors, admins). */
agentComplaintRoutes.patch('/:id', jsonBody(ComplaintUpdateRequest), async (c) => {
  const agent = c.var.agent;
  const { c: row } = await ownComplaint(c.env, agent, c.req.param('id'));
  if (row.status === 'answered') throw new ApiError('complaint.answered', 'This complaint is answered');
  const body = c.var.body;
  let assignee: { id: string; name: string } | undefined;
  if (body.assigneeId) {
    if (agent.role === 'agent' && body.assigneeId !== agent.id) throw new ApiError('auth.forbidden', 'Agents take complaints themselves; a supervisor hands them on');
    const to = await findActiveAgent(c.env.DB, agent.tenantId, body.assigneeId);
    if (!to) throw new ApiError('agent.not_found', 'No such active agent');
    assignee = { id: to.id, name: to.name };
  }
  await updateComplaint(c.env.DB, agent.tenantId, row.id, { ...(body.status ? { status: body.status } : {}), ...(assignee ? { assignee } : {}) }, Date.now());
  return c.json({ complaint: await detailOf(c.env, (await findComplaint(c.env.DB, agent.tenantId, row.id))!) });
});

/** Show one field in clear; audited in the complaint's conversation. */
agentComplaintRoutes.post('/:id/reveal', jsonBody(ComplaintRevealRequest), async (c) => {
  const agent = c.var.agent;
  const { c: row } = await ownComplaint(c.env, agent, c.req.param('id'));
  const field = c.var.body.field;
  const text = revealField(row, field);
  unwrap(await conversationStub(c.env, row.conversationId).complaint(agent.tenantId, { role: 'agent', id: agent.id, name: agent.name, agentRole: agent.role }, { type: 'revealed', complaintId: row.id, field }));
  return c.json({ text });
});

/** Write (or rewrite) the answer's draft; the complaint is then in review. */
agentComplaintRoutes.put('/:id/draft', jsonBody(ComplaintDraftRequest), async (c) => {
  const agent = c.var.agent;
  const { c: row } = await ownComplaint(c.env, agent, c.req.param('id'));
  const refused = mayDraft(row.status);
  if (refused) throw new ApiError(refused.code, refused.message);
  const now = Date.now();
  await saveDraft(c.env.DB, agent.tenantId, row.id, c.var.body.body, { id: agent.id, name: agent.name }, now);
  if (row.status === 'received') await updateComplaint(c.env.DB, agent.tenantId, row.id, { status: 'in_review', ...(row.assignee ? {} : { assignee: { id: agent.id, name: agent.name } }) }, now);
  return c.json({ complaint: await detailOf(c.env, (await findComplaint(c.env.DB, agent.tenantId, row.id))!) });
});

/** A supervisor of the team (or an admin), never the draft's author, approves: the letter goes out. */
agentComplaintRoutes.post('/:id/approve', async (c) => {
  const agent = c.var.agent;
  const { c: row, supervises } = await ownComplaint(c.env, agent, c.req.param('id'));
  await approveAnswer(c.env, agent, supervises, row, new URL(c.req.url).origin);
  return c.json({ complaint: await detailOf(c.env, (await findComplaint(c.env.DB, agent.tenantId, row.id))!) });
});
