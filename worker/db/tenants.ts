import type { PrechatTopic, RoutingRule } from '../../protocol';

/** A partner brand and everything the widget and the security checks need of it. */
export interface Tenant {
  id: string;
  key: string;
  name: string;
  branding: Record<string, unknown>;
  locale: string;
  allowedOrigins: string[];
  identitySecret: string;
  /** Longest life (s) accepted for the partner's identity tokens; null: the default. */
  identityTokenMaxAgeS: number | null;
  /** How long (ms) an agent may be offline before their open chats go back to the queue. */
  offlineGraceMs: number;
  /** How long (ms) a session that never wrote is kept, quiet, before what it made is deleted. */
  unusedSessionTtlMs: number;
  /** Routing rules in order (first match names the team) and the brand's pre-chat topics. */
  routingRules: RoutingRule[];
  prechatTopics: PrechatTopic[];
  /** The brand has e-mail configured (a mail_settings row, migration 0009). */
  hasMail: boolean;
}

/** Default offline grace: a reload or a flaky link is not a shift's end. */
export const DEFAULT_OFFLINE_GRACE_S = 60;
/** Default life of a session that never wrote: long enough to think, short enough to leave no trace. */
export const DEFAULT_UNUSED_SESSION_TTL_S = 30 * 60;

// Whether the brand has e-mail rides along with every tenant lookup: the widget asks on each boot.
const SELECT = 'SELECT t.*, (SELECT 1 FROM mail_settings m WHERE m.tenant_id = t.id) AS has_mail FROM tenants t';

interface TenantRow {
  id: string;
  key: string;
  name: string;
  branding: string;
  locale: string;
  allowed_origins: string;
  identity_secret: string;
  identity_token_max_age_s: number | null;
  offline_grace_s: number | null;
  unused_session_ttl_s: number | null;
  routing_rules: string | null;
  prechat_topics: string | null;
  has_mail: number | null;
}

function toTenant(r: TenantRow): Tenant {
  return {
    id: r.id,
    key: r.key,
    name: r.name,
    branding: JSON.parse(r.branding) as Record<string, unknown>,
    locale: r.locale,
    allowedOrigins: JSON.parse(r.allowed_origins) as string[],
    identitySecret: r.identity_secret,
    identityTokenMaxAgeS: r.identity_token_max_age_s ?? null,
    offlineGraceMs: (r.offline_grace_s ?? DEFAULT_OFFLINE_GRACE_S) * 1000,
    unusedSessionTtlMs: (r.unused_session_ttl_s ?? DEFAULT_UNUSED_SESSION_TTL_S) * 1000,
    routingRules: JSON.parse(r.routing_rules ?? '[]') as RoutingRule[],
    prechatTopics: JSON.parse(r.prechat_topics ?? '[]') as PrechatTopic[],
    hasMail: r.has_mail === 1,
  };
}

/** The tenant whose public brand key is `key`, or null. */
export async function findTenantByKey(db: D1Database, key: string): Promise<Tenant | null> {
  const row = await db.prepare(`${SELECT} WHERE t.key = ?`).bind(key).first<TenantRow>();
  return row ? toTenant(row) : null;
}

/** The tenant with this id, or null. */
export async function findTenantById(db: D1Database, id: string): Promise<Tenant | null> {
  const row = await db.prepare(`${SELECT} WHERE t.id = ?`).bind(id).first<TenantRow>();
  return row ? toTenant(row) : null;
}
