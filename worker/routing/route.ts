import { DEFAULT_TEAM, VIP_ATTRIBUTE } from '../../protocol';
import type { Channel, RoutingRule } from '../../protocol';

/** What routing looks at: where the customer came from, what they picked, who they verifiably are. */
export interface RouteFacts {
  brand: string;
  channel: Channel;
  topic: string | null;
  /** Attributes from the partner's signed identity token only: unsigned widget attributes never route. */
  verified: Record<string, unknown>;
}

/** The first rule whose every condition holds names the team; none: the default team. */
export function routeTeam(rules: readonly RoutingRule[], facts: RouteFacts): string {
  for (const r of rules) {
    if (r.brand !== undefined && r.brand !== facts.brand) continue;
    if (r.channel !== undefined && r.channel !== facts.channel) continue;
    if (r.topic !== undefined && r.topic !== facts.topic) continue;
    if (r.attribute !== undefined && String(facts.verified[r.attribute.key] ?? '') !== r.attribute.value) continue;
    return r.team;
  }
  return DEFAULT_TEAM;
}

/** A VIP is marked by their partner, in the signed identity token. */
export function isVip(verified: Record<string, unknown>): boolean {
  return verified[VIP_ATTRIBUTE.key] === VIP_ATTRIBUTE.value;
}
