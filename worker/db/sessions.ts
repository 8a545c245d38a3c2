import type { Agent } from './agents';

/** Insert an agent session keyed by the hash of its cookie value. */
export async function createSession(db: D1Database, tokenHash: string, agent: Agent, now: number, expiresAt: number): Promise<void> {
  await db
    .prepare('INSERT INTO agent_sessions (token_hash, tenant_id, agent_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?)')
    .bind(tokenHash, agent.tenantId, agent.id, now, expiresAt)
    .run();
}

/** The enabled agent behind a live session and when it ends, or null when unknown, expired or disabled. */
export async function findSession(db: D1Database, tokenHash: string, now: number): Promise<{ agent: Agent; expiresAt: number } | null> {
  const row = await db
    .prepare(
      `SELECT a.id, a.tenant_id, t.key AS tenant_key, a.email, a.name, a.role, a.max_chats, a.disabled, s.expires_at
         FROM agent_sessions s
         JOIN agents a ON a.id = s.agent_id AND a.tenant_id = s.tenant_id
         JOIN tenants t ON t.id = a.tenant_id
        WHERE s.token_hash = ? AND s.expires_at > ? AND a.disabled = 0`,
    )
    .bind(tokenHash, now)
    .first<{ id: string; tenant_id: string; tenant_key: string; email: string; name: string; role: Agent['role']; max_chats: number; disabled: number; expires_at: number }>();
  if (!row) return null;
  const agent: Agent = { id: row.id, tenantId: row.tenant_id, tenantKey: row.tenant_key, email: row.email, name: row.name, role: row.role, maxChats: row.max_chats, disabled: false };
  return { agent, expiresAt: row.expires_at };
}

/** End a session. */
export async function deleteSession(db: D1Database, tokenHash: string): Promise<void> {
  await db.prepare('DELETE FROM agent_sessions WHERE token_hash = ?').bind(tokenHash).run();
}
