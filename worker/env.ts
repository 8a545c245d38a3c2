import type { Conversation } from './conversation/conversation';
import type { Inbox } from './inbox/inbox';

/** Bindings and settings of the Worker and its Durable Objects. */
export interface Env {
  DB: D1Database;
  CONVERSATION: DurableObjectNamespace<Conversation>;
  INBOX: DurableObjectNamespace<Inbox>;
  ASSETS?: Fetcher;
  /** HMAC secret for socket tokens. Set with `wrangler secret put SOCKET_SECRET`; `.dev.vars` locally. */
  SOCKET_SECRET: string;
  /** Milliseconds a socket may stay silent before `hello`; 5000 unless set (tests may shorten it). */
  HELLO_TIMEOUT_MS?: string;
}
