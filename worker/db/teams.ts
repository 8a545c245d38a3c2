import { DEFAULT_TEAM } from '../../protocol';
import type { RoutingConfig, TeamConfig, TeamMembership, TeamView } from '../../protocol';
import type { Agent } from './agents';
import { addMissingTopics } from './topics';

/**
 * Teams, memberships and the tenant's routing settings in D1. An agent placed in no team works in
 * the default one (as everyone did before teams), with their own max_chats as capacity;
 * supervisors and admins supervise it. Admins see and supervise every team of their tenant.
 */

interface TeamRow {
  id: string;
  name: string;
  overflow_after_s: number | null;
  overflow_to: string | null;
}

const toTeam = (r: TeamRow): TeamConfig => ({ id: r.id, name: r.name, overflowAfterS: r.overflow_after_s, overflowTo: r.overflow_to });

/** The default team as a tenant has it before anyone configured teams. */
const DEFAULT: TeamConfig = { id: DEFAULT_TEAM, name: 'General', overflowAfterS: null, overflowTo: null };

/** The tenant's teams in their configured order; the default team is always one of them. */
export async function listTeams(db: D1Database, tenantId: string): Promise<TeamConfig[]> {
  const { results } = await db.prepare('SELECT id, name, overflow_after_s, overflow_to FROM teams WHERE tenant_id = ? ORDER BY position, id').bind(tenantId).all<TeamRow>();
  const teams = results.map(toTeam);
  return teams.some((t) => t.id === DEFAULT_TEAM) ? teams : [DEFAULT, ...teams];
}

/** One team, or null. */
export async function findTeam(db: D1Database, tenantId: string, teamId: string): Promise<TeamConfig | null> {
  const row = await db.prepare('SELECT id, name, overflow_after_s, overflow_to FROM teams WHERE tenant_id = ? AND id = ?').bind(tenantId, teamId).first<TeamRow>();
  return row ? toTeam(row) : teamId === DEFAULT_TEAM ? DEFAULT : null;
}

/** The teams an agent works in or supervises, as stored (no fallbacks). */
export async function membershipsOf(db: D1Database, tenantId: string, agentId: string): Promise<TeamMembership[]> {
  const { results } = await db
    .prepare('SELECT team_id, capacity, supervises FROM team_members WHERE tenant_id = ? AND agent_id = ? ORDER BY team_id')
    .bind(tenantId, agentId)
    .all<{ team_id: string; capacity: number; supervises: number }>();
  return results.map((r) => ({ teamId: r.team_id, capacity: r.capacity, supervises: r.supervises === 1 }));
}

/**
 * The agent's team wall: the teams whose queues they see. Members see their teams; supervisors
 * also the teams they supervise; admins every team.
 */
export async function wallOf(db: D1Database, agent: Agent): Promise<TeamView[]> {
  const [teams, mine] = await Promise.all([listTeams(db, agent.tenantId), membershipsOf(db, agent.tenantId, agent.id)]);
  const byTeam = new Map(mine.map((m) => [m.teamId, m]));
  if (mine.length === 0) byTeam.set(DEFAULT_TEAM, { teamId: DEFAULT_TEAM, capacity: agent.maxChats, supervises: agent.role !== 'agent' });
  const out: TeamView[] = [];
  for (const t of teams) {
    const m = byTeam.get(t.id);
    const member = m !== undefined && (m.capacity > 0 || !m.supervises);
    const supervises = agent.role === 'admin' || (agent.role === 'supervisor' && m?.supervises === true);
    if (!member && !supervises) continue;
    out.push({ id: t.id, name: t.name, member, supervises, capacity: member ? m!.capacity : null });
  }
  return out;
}

/**
 * Replace the tenant's teams, rules and pre-chat topics in one batch; memberships of removed teams
 * go too. Pre-chat topics the tenant's topic list lacks join it, so the customer's choices stay a
 * subset of what agents pick from.
 */
export async function saveRouting(db: D1Database, tenantId: string, config: RoutingConfig, now: number): Promise<void> {
  const keep = JSON.stringify(config.teams.map((t) => t.id));
  await db.batch([
    db.prepare('DELETE FROM team_members WHERE tenant_id = ? AND team_id NOT IN (SELECT value FROM json_each(?))').bind(tenantId, keep),
    db.prepare('DELETE FROM teams WHERE tenant_id = ? AND id NOT IN (SELECT value FROM json_each(?))').bind(tenantId, keep),
    ...config.teams.map((t, i) =>
      db
        .prepare(
          `INSERT INTO teams (tenant_id, id, name, overflow_after_s, overflow_to, position, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (tenant_id, id) DO UPDATE SET name = excluded.name, overflow_after_s = excluded.overflow_after_s, overflow_to = excluded.overflow_to, position = excluded.position`,
        )
        .bind(tenantId, t.id, t.name, t.overflowAfterS ?? null, t.overflowTo ?? null, i, now),
    ),
    db.prepare('UPDATE tenants SET routing_rules = ?, prechat_topics = ? WHERE id = ?').bind(JSON.stringify(config.rules), JSON.stringify(config.topics), tenantId),
    addMissingTopics(db, tenantId, config.topics),
  ]);
}

/** Teams that still have open conversations (they cannot be removed until those move or end). */
export async function teamsInUse(db: D1Database, tenantId: string, teamIds: string[]): Promise<string[]> {
  if (teamIds.length === 0) return [];
  const { results } = await db
    .prepare(
      `SELECT DISTINCT team_id FROM conversations WHERE tenant_id = ? AND team_id IN (SELECT value FROM json_each(?))
         AND status IN ('open', 'pending', 'on_hold') AND opened_at IS NOT NULL`,
    )
    .bind(tenantId, JSON.stringify(teamIds))
    .all<{ team_id: string }>();
  return results.map((r) => r.team_id);
}

/** Replace one agent's memberships. */
export async function setMemberships(db: D1Database, tenantId: string, agentId: string, teams: TeamMembership[]): Promise<void> {
  await db.batch([
    db.prepare('DELETE FROM team_members WHERE tenant_id = ? AND agent_id = ?').bind(tenantId, agentId),
    ...teams.map((m) =>
      db.prepare('INSERT INTO team_members (tenant_id, team_id, agent_id, capacity, supervises) VALUES (?, ?, ?, ?, ?)').bind(tenantId, m.teamId, agentId, m.capacity, m.supervises ? 1 : 0),
    ),
  ]);
}
