import { Hono } from 'hono';
import { getCookie } from 'hono/cookie';
import type { DocumentType } from '../../protocol';
import type { AppEnv } from '../app-env';
import { ApiError } from '../errors';
import { sha256 } from '../auth/crypto';
import { findSession } from '../db/sessions';
import { SESSION_COOKIE } from '../middleware/agent-session';
import { objectKey, verifyLink } from '../documents/links';
import { fileHeaders } from '../documents/serve';

/**
 * Downloads: `GET /v1/files/<signed token>`. The token names the tenant, conversation, file and
 * viewer and ends within five minutes; a link made for an agent also needs that agent's own
 * session cookie, so a link copied out of the inbox opens for nobody else.
 */
export const fileRoutes = new Hono<AppEnv>();

fileRoutes.get('/:token', async (c) => {
  const claims = await verifyLink(c.env.SOCKET_SECRET, c.req.param('token'));
  if (claims === 'expired') throw new ApiError('document.link_expired', 'This link has expired; open the file again from the chat');
  if (claims === 'invalid') throw new ApiError('document.link_invalid', 'This link is not valid');
  if (claims.viewer.startsWith('agent:')) {
    const cookie = getCookie(c, SESSION_COOKIE);
    const found = cookie ? await findSession(c.env.DB, await sha256(cookie), Date.now()) : null;
    if (!found || `agent:${found.agent.id}` !== claims.viewer || found.agent.tenantId !== claims.tenantId) throw new ApiError('document.link_invalid', 'This link was made for someone else');
  }
  const obj = await c.env.FILES.get(objectKey(claims.tenantId, claims.conversationId, claims.attachmentId));
  if (!obj) throw new ApiError('document.not_found', 'This file is no longer kept');
  const type = (obj.httpMetadata?.contentType ?? 'application/octet-stream') as DocumentType;
  return new Response(obj.body, { headers: fileHeaders(type, obj.customMetadata?.name ?? 'document', obj.size, c.req.query('download') === '1') });
});
