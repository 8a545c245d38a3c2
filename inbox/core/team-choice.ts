import type { KeyValue } from '../../client/storage';

/** Where the team picked in the queue header is kept, per agent on this device. */
function key(agentId: string): string {
  return `sb-inbox:${agentId}:team`;
}

/** The team the agent last picked, or null for all their teams. */
export function savedTeamChoice(storage: KeyValue, agentId: string): string | null {
  const team = storage.get(key(agentId));
  return team ? team : null;
}

/** Remember the team picked (null: all teams), so a reload shows the same queue. */
export function saveTeamChoice(storage: KeyValue, agentId: string, team: string | null): void {
  if (team === null) storage.remove(key(agentId));
  else storage.set(key(agentId), team);
}
