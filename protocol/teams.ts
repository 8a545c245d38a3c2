import * as v from 'valibot';
import { Channel } from './model';

/**
 * Teams and routing. A tenant's agents work in teams (billing, roaming, modem/internet, a partner's
 * line); each conversation belongs to exactly one team, chosen by the tenant's routing rules from
 * its brand, channel, the topic the customer picked before chatting, and verified identity
 * attributes. Each team has its own live queue (one Inbox object per tenant and team).
 */

/** A team's id: a short slug, unique within its tenant (e.g. `billing`). */
export const TeamId = v.pipe(v.string(), v.regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'a team id is a slug: a–z, 0–9 and -, at most 40'));

/** The team every tenant has, and where a conversation goes when no rule matches. */
export const DEFAULT_TEAM = 'general';

/** A pre-chat topic's key: what the customer picked, and what rules match on. */
export const TopicKey = v.pipe(v.string(), v.regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'a topic key is a slug: a–z, 0–9 and -, at most 40'));

/**
 * The verified identity attribute that makes a customer a VIP: their conversations are served
 * before others' of the same team, like urgent ones. Only the partner's signed identity token can
 * set it; attributes the widget sends unsigned never route.
 */
export const VIP_ATTRIBUTE = { key: 'segment', value: 'vip' } as const;

export const TeamConfig = v.strictObject({
  id: TeamId,
  name: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(100)),
  /** After this long unassigned, `overflowTo` may take the conversation; null: never. */
  overflowAfterS: v.optional(v.nullable(v.pipe(v.number(), v.integer(), v.minValue(10), v.maxValue(86_400))), null),
  overflowTo: v.optional(v.nullable(TeamId), null),
});
export type TeamConfig = v.InferOutput<typeof TeamConfig>;

/** One routing rule: every condition given must hold; the first matching rule names the team. */
export const RoutingRule = v.strictObject({
  brand: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(100))),
  channel: v.optional(Channel),
  topic: v.optional(TopicKey),
  attribute: v.optional(v.strictObject({ key: v.pipe(v.string(), v.minLength(1), v.maxLength(100)), value: v.pipe(v.string(), v.maxLength(200)) })),
  team: TeamId,
});
export type RoutingRule = v.InferOutput<typeof RoutingRule>;

/** A topic the customer may pick before the first message (optional, per brand). */
export const PrechatTopic = v.strictObject({
  key: TopicKey,
  label: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(80)),
});
export type PrechatTopic = v.InferOutput<typeof PrechatTopic>;

/** GET/PUT /v1/admin/routing: the tenant's teams, rules in order, and the brand's pre-chat topics. */
export const RoutingConfig = v.strictObject({
  teams: v.pipe(v.array(TeamConfig), v.minLength(1), v.maxLength(200)),
  rules: v.optional(v.pipe(v.array(RoutingRule), v.maxLength(500)), []),
  topics: v.optional(v.pipe(v.array(PrechatTopic), v.maxLength(20)), []),
});
export type RoutingConfig = v.InferOutput<typeof RoutingConfig>;

/** One agent's place in a team: how many of its chats they carry at once, and whether they supervise it. */
export const TeamMembership = v.strictObject({
  teamId: TeamId,
  capacity: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(100)), 5),
  supervises: v.optional(v.boolean(), false),
});
export type TeamMembership = v.InferOutput<typeof TeamMembership>;

/** PUT /v1/admin/agents/:id/teams */
export const AgentTeamsRequest = v.strictObject({ teams: v.pipe(v.array(TeamMembership), v.maxLength(50)) });
export type AgentTeamsRequest = v.InferOutput<typeof AgentTeamsRequest>;

/** A team as an agent's inbox sees it. */
export interface TeamView {
  id: string;
  name: string;
  /** The agent takes this team's chats (with `capacity`). */
  member: boolean;
  /** The agent supervises this team (admins supervise every team). */
  supervises: boolean;
  capacity: number | null;
}

/** GET /v1/agent/teams: the teams whose queues this agent sees (their team wall). */
export interface TeamsResponse {
  teams: TeamView[];
}

/** One team's floor in the supervisor's view. */
export interface TeamFloor {
  id: string;
  name: string;
  agentsOnline: number;
  waiting: number;
  longestWaitSince: number | null;
  breached: number;
  /** Estimated wait (s) for the next customer to join this team's queue; null when unknown. */
  etaS: number | null;
}
