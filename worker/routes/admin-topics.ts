import { Hono } from 'hono';
import { TopicsConfig } from '../../protocol';
import type { TopicsConfig as TopicsConfigT } from '../../protocol';
import type { AppEnv } from '../app-env';
import { findTenantById } from '../db/tenants';
import { listCannedReplies } from '../db/canned';
import { saveTopics, topicsConfig } from '../db/topics';
import { ApiError } from '../errors';
import { jsonBody } from '../middleware/validate';
import { requireAgent, requireRole } from '../middleware/agent-session';

/** Admins keep their tenant's topic list and decide whether resolving needs a topic. */
export const adminTopicRoutes = new Hono<AppEnv>();
adminTopicRoutes.use('*', requireAgent(), requireRole('admin'));

adminTopicRoutes.get('/', async (c) => c.json((await topicsConfig(c.env.DB, c.var.agent.tenantId)) satisfies TopicsConfigT));

adminTopicRoutes.put('/', jsonBody(TopicsConfig), async (c) => {
  const tenantId = c.var.agent.tenantId;
  const config = c.var.body;
  const keys = new Set(config.topics.map((t) => t.key));
  if (keys.size !== config.topics.length) throw new ApiError('request.invalid', 'topics: each key once');
  // What still refers to a topic keeps it: the customer's pre-chat choices, and macros that set it.
  const [tenant, macros] = await Promise.all([findTenantById(c.env.DB, tenantId), listCannedReplies(c.env.DB, tenantId)]);
  const prechat = (tenant?.prechatTopics ?? []).find((t) => !keys.has(t.key));
  if (prechat) throw new ApiError('request.invalid', `topics: "${prechat.key}" is a pre-chat topic; take it out of the pre-chat topics (PUT /v1/admin/routing) first`);
  const macro = macros.find((m) => m.actions.topic !== undefined && !keys.has(m.actions.topic));
  if (macro) throw new ApiError('request.invalid', `topics: "${macro.actions.topic}" is set by the macro /${macro.shortcut}; change or delete that macro first`);
  if (config.requireAtResolve && config.topics.length === 0) throw new ApiError('request.invalid', 'requireAtResolve needs at least one topic to pick');
  await saveTopics(c.env.DB, tenantId, config);
  return c.json(config satisfies TopicsConfigT);
});
