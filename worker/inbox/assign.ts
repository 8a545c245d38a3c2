/** An online agent as assignment sees them. */
export interface Candidate {
  id: string;
  load: number;
  maxChats: number;
  /** Since when they are in this state; the longer idle wins a tie. */
  since: number;
}

/**
 * Who gets the next waiting conversation: the least-loaded online agent with free capacity; on a
 * tie, the one who has been online-and-waiting longest. Null when everybody is full.
 */
export function pickAgent(agents: Candidate[]): Candidate | null {
  let best: Candidate | null = null;
  for (const a of agents) {
    if (a.load >= a.maxChats) continue;
    if (!best || a.load < best.load || (a.load === best.load && (a.since < best.since || (a.since === best.since && a.id < best.id)))) best = a;
  }
  return best;
}
