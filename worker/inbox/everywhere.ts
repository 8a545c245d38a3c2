import type { Env } from '../env';
import { listTeams } from '../db/teams';
import { floorStub, teamStub } from '../stubs';

/**
 * Close an agent's sockets in every object that may hold one: the tenant's Floor (presence, and
 * the conversations they have open) and each team's Inbox. `sid` narrows it to one sign-in session
 * (a logout); without it every socket goes (a disable). Returns how many closed.
 */
export async function closeAgentEverywhere(env: Env, tenantId: string, agentId: string, sid?: string): Promise<number> {
  const teams = await listTeams(env.DB, tenantId);
  const floor = floorStub(env, tenantId);
  const closed = await Promise.all([
    sid === undefined ? floor.disconnectAgent(agentId) : floor.endSession(agentId, sid),
    ...teams.map((t) => {
      const inbox = teamStub(env, tenantId, t.id);
      return (sid === undefined ? inbox.disconnectAgent(agentId) : inbox.endSession(agentId, sid)).catch(() => 0);
    }),
  ]);
  return closed.reduce((a, b) => a + b, 0);
}
