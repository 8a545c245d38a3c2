import { Hono } from 'hono';
import type { AppEnv } from './app-env';
import { errorHandler, notFoundHandler } from './errors';
import { widgetRoutes } from './routes/widget';
import { socketRoutes } from './routes/sockets';
import { agentAuthRoutes } from './routes/agent-auth';
import { agentConversationRoutes } from './routes/agent-conversations';
import { agentInboxRoutes } from './routes/agent-inbox';
import { agentQueueRoutes } from './routes/agent-queue';
import { agentSearchRoutes } from './routes/agent-search';
import { adminAgentRoutes } from './routes/admin-agents';
import { adminRoutingRoutes } from './routes/admin-routing';
import { adminTopicRoutes } from './routes/admin-topics';
import { adminMacroRoutes } from './routes/admin-macros';
import { widgetScriptRoutes } from './routes/widget-script';
import { pageRoutes } from './routes/pages';
import { widgetFileRoutes } from './routes/widget-files';
import { agentFileRoutes } from './routes/agent-files';
import { fileRoutes } from './routes/files';
import { csrf } from './middleware/csrf';
import { securityHeaders } from './middleware/security-headers';
import { consumeProjection } from './projection/consumer';
import type { Env } from './env';

export { Conversation } from './conversation/conversation';
export { Inbox } from './inbox/inbox';
export { Floor } from './floor/floor';
export { Limiter } from './limits/limiter';

const app = new Hono<AppEnv>();

app.use('*', securityHeaders());
// Cookie-authenticated routes: a browser may change something only from our own origin.
app.use('/v1/agent/*', csrf());
app.use('/v1/admin/*', csrf());
app.get('/health', (c) => c.json({ ok: true }));
app.route('/', widgetScriptRoutes);
app.route('/', pageRoutes);
app.route('/v1/widget', widgetRoutes);
app.route('/v1/widget/files', widgetFileRoutes);
app.route('/v1/files', fileRoutes);
app.route('/v1/conversations', socketRoutes);
app.route('/v1/agent', agentAuthRoutes);
app.route('/v1/agent/conversations', agentConversationRoutes);
app.route('/v1/agent/conversations', agentFileRoutes);
app.route('/v1/agent/inbox', agentInboxRoutes);
app.route('/v1/agent/search', agentSearchRoutes);
app.route('/v1/agent', agentQueueRoutes);
app.route('/v1/admin/agents', adminAgentRoutes);
app.route('/v1/admin/routing', adminRoutingRoutes);
app.route('/v1/admin/topics', adminTopicRoutes);
app.route('/v1/admin/macros', adminMacroRoutes);
app.notFound(notFoundHandler);
app.onError(errorHandler);

/** The routes, for tests that walk the route table. */
export { app };

// HTTP and sockets go to the app; the projection queue's batches to its consumer.
export default { fetch: app.fetch, queue: consumeProjection } satisfies ExportedHandler<Env>;
