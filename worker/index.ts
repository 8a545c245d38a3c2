import { Hono } from 'hono';
import type { AppEnv } from './app-env';
import { errorHandler, notFoundHandler } from './errors';
import { widgetRoutes } from './routes/widget';
import { socketRoutes } from './routes/sockets';
import { agentAuthRoutes } from './routes/agent-auth';
import { agentConversationRoutes } from './routes/agent-conversations';
import { agentInboxRoutes } from './routes/agent-inbox';
import { agentQueueRoutes } from './routes/agent-queue';
import { adminAgentRoutes } from './routes/admin-agents';
import { widgetScriptRoutes } from './routes/widget-script';

export { Conversation } from './conversation/conversation';
export { Inbox } from './inbox/inbox';

const app = new Hono<AppEnv>();

app.get('/health', (c) => c.json({ ok: true }));
app.route('/', widgetScriptRoutes);
app.route('/v1/widget', widgetRoutes);
app.route('/v1/conversations', socketRoutes);
app.route('/v1/agent', agentAuthRoutes);
app.route('/v1/agent/conversations', agentConversationRoutes);
app.route('/v1/agent/inbox', agentInboxRoutes);
app.route('/v1/agent', agentQueueRoutes);
app.route('/v1/admin/agents', adminAgentRoutes);
app.notFound(notFoundHandler);
app.onError(errorHandler);

export default app;
