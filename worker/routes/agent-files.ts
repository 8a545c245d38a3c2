import { Hono } from 'hono';
import { AttachmentId, DocumentRequestBody, UploadQuery } from '../../protocol';
import type { DocumentRequestResponse, MarkSensitiveResponse } from '../../protocol';
import type { AppEnv } from '../app-env';
import { requireAgent } from '../middleware/agent-session';
import { jsonBody, parseOrThrow } from '../middleware/validate';
import { ApiError, unwrap } from '../errors';
import { conversationStub } from '../stubs';
import { getDocumentSettings } from '../db/document-settings';
import { receiveUpload } from '../documents/upload';
import { linkFor } from '../documents/routes-shared';
import { ownConversation } from './agent-conversations';

/** Agents' files: attach one to a reply (a tariff PDF), and signed links to see a conversation's files. */
export const agentFileRoutes = new Hono<AppEnv>();
agentFileRoutes.use('*', requireAgent());

agentFileRoutes.post('/:id/files', async (c) => {
  const agent = c.var.agent;
  const { ref } = await ownConversation(c.env, agent, c.req.param('id'));
  const q = parseOrThrow(UploadQuery, c.req.query());
  const limits = await getDocumentSettings(c.env.DB, ref.tenantId);
  const target = { tenantId: ref.tenantId, conversationId: ref.id, uploader: { role: 'agent', id: agent.id } as const, clientId: q.clientId, index: q.index, name: q.name, declaredType: c.req.header('content-type') ?? null, sensitive: q.sensitive === '1' };
  const res = await receiveUpload(c.env, c.req.raw.body, c.req.header('content-length'), target, limits);
  return c.json(res, res.duplicate ? 200 : 201);
});

/** A link to a file; a sensitive one is refused here and opened through POST …/reveal. */
agentFileRoutes.get('/:id/files/:fileId/link', async (c) => {
  const agent = c.var.agent;
  const { ref } = await ownConversation(c.env, agent, c.req.param('id'));
  const id = parseOrThrow(AttachmentId, c.req.param('fileId'));
  c.header('cache-control', 'no-store');
  return c.json(await linkFor(c.env, c.req.url, ref.tenantId, ref.id, id, { role: 'agent', id: agent.id }));
});

/** Reveal a sensitive document: audited in the conversation (document.revealed), then a link like any other. */
agentFileRoutes.post('/:id/files/:fileId/reveal', async (c) => {
  const agent = c.var.agent;
  const { ref } = await ownConversation(c.env, agent, c.req.param('id'));
  const id = parseOrThrow(AttachmentId, c.req.param('fileId'));
  c.header('cache-control', 'no-store');
  return c.json(await linkFor(c.env, c.req.url, ref.tenantId, ref.id, id, { role: 'agent', id: agent.id }, { role: 'agent', id: agent.id, name: agent.name, agentRole: agent.role }));
});

/** Mark a file sensitive (audited, document.marked_sensitive): every agent sees it covered until an audited reveal. */
agentFileRoutes.post('/:id/files/:fileId/sensitive', async (c) => {
  const agent = c.var.agent;
  const { ref } = await ownConversation(c.env, agent, c.req.param('id'));
  const id = parseOrThrow(AttachmentId, c.req.param('fileId'));
  const r = unwrap(await conversationStub(c.env, ref.id).documents(ref.tenantId, { op: 'mark', id, actor: { role: 'agent', id: agent.id, name: agent.name, agentRole: agent.role } }));
  const res: MarkSensitiveResponse = { attachment: r.attachment!, duplicate: r.duplicate };
  return c.json(res);
});

/** Ask the customer for a document (passport, contract page, device label, other): a card in their thread. */
agentFileRoutes.post('/:id/document-requests', jsonBody(DocumentRequestBody), async (c) => {
  const agent = c.var.agent;
  const { ref } = await ownConversation(c.env, agent, c.req.param('id'));
  const body = c.var.body;
  if (body.kind === 'other' && !body.note) throw new ApiError('request.invalid', 'Say which document you need');
  const r = unwrap(await conversationStub(c.env, ref.id).documents(ref.tenantId, { op: 'request', request: body, actor: { role: 'agent', id: agent.id, name: agent.name, agentRole: agent.role } }));
  if (!r.request) throw new ApiError('server.error', 'The request was not stored');
  const res: DocumentRequestResponse = { request: r.request };
  return c.json(res, 201);
});
