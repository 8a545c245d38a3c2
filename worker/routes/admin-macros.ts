import { Hono } from 'hono';
import { MacroInput, MacroShortcut } from '../../protocol';
import type { MacroResponse, MacrosResponse } from '../../protocol';
import type { AppEnv } from '../app-env';
import { deleteCannedReply, listCannedReplies, saveCannedReply } from '../db/canned';
import { findTopic } from '../db/topics';
import { ApiError } from '../errors';
import { jsonBody, parseOrThrow } from '../middleware/validate';
import { requireAgent, requireRole } from '../middleware/agent-session';

/** Admins keep their tenant's macros: canned replies, with or without actions, by shortcut. */
export const adminMacroRoutes = new Hono<AppEnv>();
adminMacroRoutes.use('*', requireAgent(), requireRole('admin'));

adminMacroRoutes.get('/', async (c) => c.json({ macros: await listCannedReplies(c.env.DB, c.var.agent.tenantId) } satisfies MacrosResponse));

adminMacroRoutes.put('/:shortcut', jsonBody(MacroInput), async (c) => {
  const tenantId = c.var.agent.tenantId;
  const shortcut = parseOrThrow(MacroShortcut, c.req.param('shortcut'));
  const input = c.var.body;
  const topic = input.actions.topic;
  if (topic !== undefined && !(await findTopic(c.env.DB, tenantId, topic))) throw new ApiError('topic.not_found', `actions.topic: "${topic}" is not one of this tenant's topics (PUT /v1/admin/topics)`);
  return c.json({ macro: await saveCannedReply(c.env.DB, tenantId, shortcut, input) } satisfies MacroResponse);
});

adminMacroRoutes.delete('/:shortcut', async (c) => {
  const shortcut = c.req.param('shortcut');
  if (!(await deleteCannedReply(c.env.DB, c.var.agent.tenantId, shortcut))) throw new ApiError('macro.not_found', `No macro /${shortcut}`);
  return c.json({ deleted: shortcut });
});
