import type { Env } from '../env';
import type { Agent } from '../db/agents';
import type { ComplaintRow } from '../db/complaints';
import { complaintSettings } from '../db/complaints';
import { findDraft, issueLetter } from '../db/complaint-letters';
import type { Letter } from '../db/complaint-letters';
import { findTenantById } from '../db/tenants';
import { newId } from '../auth/crypto';
import { ApiError } from '../errors';
import { conversationStub } from '../stubs';
import { letterHash, renderLetter } from './letter';
import { letterPath } from './letter-link';
import { mayApprove } from './rules';
import { mailAnswered } from './mail';

/**
 * A supervisor approves the drafted answer: the letter is rendered from the tenant's template,
 * hashed, stored immutable with the complaint marked answered (one batch), then delivered — a line
 * with its signed link in the conversation, and a mail through the mail channel.
 */
/** `origin`: this deployment's, for the letter's link in the mail. */
export async function approveAnswer(env: Env, approver: Agent, supervisesTeam: boolean, c: ComplaintRow, origin: string, now = Date.now()): Promise<Letter> {
  const draft = await findDraft(env.DB, c.tenantId, c.id);
  if (!draft) throw new ApiError('complaint.no_draft', 'There is no drafted answer to approve yet');
  const refused = mayApprove({ id: approver.id, role: approver.role, supervisesTeam }, draft.author.id, c.status);
  if (refused) throw new ApiError(refused.code, refused.message);
  const [settings, tenant] = await Promise.all([complaintSettings(env.DB, c.tenantId), findTenantById(env.DB, c.tenantId)]);
  if (!tenant) throw new ApiError('complaint.not_found', 'No such complaint');
  const html = renderLetter({
    tenantName: tenant.name,
    settings,
    number: c.number,
    subject: c.subject,
    receivedAt: c.receivedAt,
    dueAt: c.dueAt,
    answeredAt: now,
    body: draft.body,
    author: draft.author.name,
    approver: approver.name,
  });
  const letter: Letter = { id: newId(now), tenantId: c.tenantId, complaintId: c.id, html, sha256: await letterHash(html), author: draft.author, approver: { id: approver.id, name: approver.name }, issuedAt: now };
  try {
    await issueLetter(env.DB, letter);
  } catch (err) {
    // The letter's unique complaint refused a second one: someone approved it a moment ago.
    if (/UNIQUE/i.test((err as Error).message)) throw new ApiError('complaint.answered', 'This complaint was answered a moment ago');
    throw err;
  }
  const url = await letterPath(env.SOCKET_SECRET, c.tenantId, letter.id);
  const told = await conversationStub(env, c.conversationId).complaint(c.tenantId, { role: 'agent', id: approver.id, name: approver.name, agentRole: approver.role }, { type: 'answered', complaintId: c.id, number: c.number, url });
  if (!told.ok) console.warn(`complaint ${c.number}: letter stored, conversation not told: ${told.message}`);
  await mailAnswered(env, tenant, { number: c.number, email: c.email, conversationId: c.conversationId, html, url: origin + url });
  return letter;
}
