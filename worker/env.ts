import type { Conversation } from './conversation/conversation';
import type { Inbox } from './inbox/inbox';
import type { Floor } from './floor/floor';
import type { Limiter } from './limits/limiter';
import type { ProjectionPayload } from './projection/payload';
import type { QueuedMail } from './mail/outbound';

/** Bindings and settings of the Worker and its Durable Objects. */
export interface Env {
  DB: D1Database;
  CONVERSATION: DurableObjectNamespace<Conversation>;
  /** One live queue per (tenant, team); see worker/stubs.ts teamStub. */
  INBOX: DurableObjectNamespace<Inbox>;
  /** One per tenant: inbox presence and the agents' state log. */
  FLOOR: DurableObjectNamespace<Floor>;
  /** One rate-limit key (account, IP, brand) per object; see worker/limits/limiter.ts. */
  LIMITER: DurableObjectNamespace<Limiter>;
  /** The D1 projection queue: Conversation objects produce, worker/projection/consumer.ts writes D1. */
  PROJECTION: Queue<ProjectionPayload>;
  /** Outbound mail: worker/mail/outbound.ts sendMail produces, worker/mail/deliver.ts sends through the tenant's relay. */
  MAIL: Queue<QueuedMail>;
  /** Development only: `host:port` of the local SMTP catcher, used instead of every tenant's relay. Unset in production. */
  MAIL_RELAY_OVERRIDE?: string;
  /** Documents (worker/documents/): one key per tenant, conversation and attachment. */
  FILES: R2Bucket;
  /** Optional virus scanner as a service binding (worker/documents/scan.ts); EICAR is always refused. */
  SCANNER?: Fetcher;
  ASSETS?: Fetcher;
  /** HMAC secret for socket tokens. Set with `wrangler secret put SOCKET_SECRET`; `.dev.vars` locally. */
  SOCKET_SECRET: string;
  /** Milliseconds a socket may stay silent before `hello`; 5000 unless set (tests may shorten it). */
  HELLO_TIMEOUT_MS?: string;
  /** `off` switches the login and session limits off, for a local load test only; unset in production. */
  RATE_LIMITS?: string;
  /** `on` lets a test move a conversation's SLA clock (POST /v1/admin/dev/sla-clock); set only by scripts/server.mjs for tests, never in wrangler.toml. */
  DEV_CLOCK?: string;
}
