import { Hono } from 'hono';
import type { AppEnv } from '../app-env';
import { findConversationTenant } from '../db/conversations';
import { ApiError } from '../errors';
import { assertOrigin } from '../middleware/origin';
import { conversationStub } from '../stubs';

/** The WebSocket endpoint of every conversation. The token comes later, in `hello`, never in the URL. */
export const socketRoutes = new Hono<AppEnv>();

socketRoutes.get('/:id/socket', async (c) => {
  if (c.req.header('upgrade')?.toLowerCase() !== 'websocket') throw new ApiError('request.invalid', 'Expected a WebSocket upgrade');
  const id = c.req.param('id');
  const found = await findConversationTenant(c.env.DB, id);
  if (!found) throw new ApiError('conversation.not_found', 'No such conversation');
  assertOrigin(c.req.raw, found.allowedOrigins);
  return conversationStub(c.env, id).fetch(c.req.raw);
});
