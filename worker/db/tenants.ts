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
}

interface TenantRow {
  id: string;
  key: string;
  name: string;
  branding: string;
  locale: string;
  allowed_origins: string;
  identity_secret: string;
  identity_token_max_age_s: number | null;
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
  };
}

/** The tenant whose public brand key is `key`, or null. */
export async function findTenantByKey(db: D1Database, key: string): Promise<Tenant | null> {
  const row = await db.prepare('SELECT * FROM tenants WHERE key = ?').bind(key).first<TenantRow>();
  return row ? toTenant(row) : null;
}
