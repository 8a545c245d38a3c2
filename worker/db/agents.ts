import type { AgentRole } from '../../protocol';

/** An agent account. The password hash never leaves worker/auth. */
export interface Agent {
  id: string;
  tenantId: string;
  tenantKey: string;
  email: string;
  name: string;
  role: AgentRole;
  maxChats: number;
  disabled: boolean;
}

interface AgentRow {
  id: string;
  tenant_id: string;
  tenant_key: string;
  email: string;
  name: string;
  role: AgentRole;
  max_chats: number;
  disabled: number;
  password_hash: string;
}

function toAgent(r: AgentRow): Agent {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    tenantKey: r.tenant_key,
    email: r.email,
    name: r.name,
    role: r.role,
    maxChats: r.max_chats,
    disabled: r.disabled !== 0,
  };
}

const SELECT = 'SELECT a.*, t.key AS tenant_key FROM agents a JOIN tenants t ON t.id = a.tenant_id';

/** Agents with this email (across tenants unless `tenantKey` narrows it), with their password hashes. */
export async function findAgentsForLogin(db: D1Database, email: string, tenantKey?: string): Promise<{ agent: Agent; passwordHash: string }[]> {
  const stmt = tenantKey
    ? db.prepare(`${SELECT} WHERE a.email = ? AND t.key = ?`).bind(email, tenantKey)
    : db.prepare(`${SELECT} WHERE a.email = ?`).bind(email);
  const { results } = await stmt.all<AgentRow>();
  return results.map((r) => ({ agent: toAgent(r), passwordHash: r.password_hash }));
}

/** An enabled agent of `tenantId`, or null: the check behind every assignment. */
export async function findActiveAgent(db: D1Database, tenantId: string, id: string): Promise<Agent | null> {
  const row = await db.prepare(`${SELECT} WHERE a.tenant_id = ? AND a.id = ? AND a.disabled = 0`).bind(tenantId, id).first<AgentRow>();
  return row ? toAgent(row) : null;
}

/** An agent of `tenantId`, enabled or not, or null. */
export async function findAgentById(db: D1Database, tenantId: string, id: string): Promise<Agent | null> {
  const row = await db.prepare(`${SELECT} WHERE a.tenant_id = ? AND a.id = ?`).bind(tenantId, id).first<AgentRow>();
  return row ? toAgent(row) : null;
}

/** Every agent of a tenant, for assignment pickers and the admin. */
export async function listAgents(db: D1Database, tenantId: string): Promise<Agent[]> {
  const { results } = await db.prepare(`${SELECT} WHERE a.tenant_id = ? ORDER BY a.name`).bind(tenantId).all<AgentRow>();
  return results.map(toAgent);
}

/** Change an agent's account; a disabled agent also loses every session at once. */
export async function updateAgent(db: D1Database, tenantId: string, id: string, patch: { disabled?: boolean; maxChats?: number }): Promise<Agent | null> {
  const statements = [
    db
      .prepare('UPDATE agents SET disabled = COALESCE(?, disabled), max_chats = COALESCE(?, max_chats) WHERE tenant_id = ? AND id = ?')
      .bind(patch.disabled === undefined ? null : patch.disabled ? 1 : 0, patch.maxChats ?? null, tenantId, id),
  ];
  if (patch.disabled) statements.push(db.prepare('DELETE FROM agent_sessions WHERE tenant_id = ? AND agent_id = ?').bind(tenantId, id));
  await db.batch(statements);
  const row = await db.prepare(`${SELECT} WHERE a.tenant_id = ? AND a.id = ?`).bind(tenantId, id).first<AgentRow>();
  return row ? toAgent(row) : null;
}
