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
import { adminSlaRoutes } from './routes/admin-sla';
import { adminMailRoutes } from './routes/admin-mail';
import { devClockRoutes } from './routes/dev-clock';
import { agentComplaintRoutes } from './routes/agent-complaints';
import { adminComplaintRoutes } from './routes/admin-complaints';
import { adminReportRoutes, agentReportRoutes } from './routes/agent-reports';
import { letterRoutes } from './routes/letters';
import { widgetScriptRoutes } from './routes/widget-script';
import { pageRoutes } from './routes/pages';
import { widgetFileRoutes } from './routes/widget-files';
import { agentFileRoutes } from './routes/agent-files';
import { fileRoutes } from './routes/files';
import { csrf } from './middleware/csrf';
import { securityHeaders } from './middleware/security-headers';
import { consumeProjection } from './projection/consumer';
import { consumeMail } from './mail/deliver';
import { receiveMail } from './mail/inbound';
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
app.route('/v1/agent/complaints', agentComplaintRoutes);
app.route('/v1/agent', agentQueueRoutes);
app.route('/v1/admin/agents', adminAgentRoutes);
app.route('/v1/admin/routing', adminRoutingRoutes);
app.route('/v1/admin/topics', adminTopicRoutes);
app.route('/v1/admin/macros', adminMacroRoutes);
app.route('/v1/admin/sla', adminSlaRoutes);
app.route('/v1/admin/mail', adminMailRoutes);
app.route('/v1/admin/dev', devClockRoutes);
app.route('/v1/admin/complaints', adminComplaintRoutes);
app.route('/v1/agent/reports', agentReportRoutes);
app.route('/v1/admin/reports', adminReportRoutes);
app.route('/v1/letters', letterRoutes);
app.notFound(notFoundHandler);
app.onError(errorHandler);

/** The routes, for tests that walk the route table. */
export { app };

/** Each queue's batches to its own consumer: the mail queue's to the mail sender, the rest to the projection. */
function queue(batch: MessageBatch<unknown>, env: Env, ctx?: ExecutionContext): Promise<void> {
  return batch.queue.startsWith('switchboard-mail') ? consumeMail(batch, env) : consumeProjection(batch, env, ctx);
}

// HTTP and sockets go to the app; queue batches to their consumers; mail to Email Routing's handler.
export default { fetch: app.fetch, queue, email: receiveMail } satisfies ExportedHandler<Env>;
