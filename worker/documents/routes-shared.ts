import type { DownloadLinkResponse } from '../../protocol';
import type { Env } from '../env';
import { ApiError, unwrap } from '../errors';
import { conversationStub } from '../stubs';
import type { Viewer } from './do-documents';
import type { Actor } from '../conversation/commands';
import { signLink } from './links';

/**
 * A signed link to one attachment for one viewer, after the conversation object has said this
 * viewer may see it (another visitor's, an agent's unsent or a deleted file: not found).
 */
export async function linkFor(env: Env, requestUrl: string, tenantId: string, conversationId: string, attachmentId: string, viewer: Viewer, reveal?: Actor): Promise<DownloadLinkResponse> {
  const stub = conversationStub(env, conversationId);
  const found = unwrap(await stub.documents(tenantId, { op: 'find', id: attachmentId, viewer })).attachment;
  if (!found) throw new ApiError('document.not_found', 'No such file in this conversation');
  // Agents open a sensitive document only by revealing it, which the conversation audits first.
  if (viewer.role === 'agent' && found.sensitive) {
    if (!reveal) throw new ApiError('auth.forbidden', 'This document is sensitive: reveal it first (your access is recorded)');
    if (!unwrap(await stub.documents(tenantId, { op: 'reveal', id: attachmentId, actor: reveal })).attachment) throw new ApiError('document.not_found', 'No such file in this conversation');
  }
  const { token, expiresAt } = await signLink(env.SOCKET_SECRET, { tenantId, conversationId, attachmentId, viewer: `${viewer.role}:${viewer.id}` });
  return { url: new URL(`/v1/files/${token}`, requestUrl).toString(), expiresAt };
}
