import { DEFAULT_TEAM } from '../../protocol';
import type { Channel, CsatScore, Priority, RoutingRule, SlaConfig, Status } from '../../protocol';
import type { SlaTrack } from '../sla/sla-track';
import type { Bucket } from '../limits/token-bucket';

/** The conversation's own row in its Durable Object: the truth the D1 ticket is projected from. */
export interface DoState {
  id: string;
  tenantId: string;
  /** The brand key, for queue rows. */
  tenantKey: string;
  contactName: string | null;
  /** When the customer started waiting for an answer; null when an agent spoke last. */
  waitingSince: number | null;
  escalation: { reason: string; by: { id: string; name: string }; at: number } | null;
  /** Position in the team's queue while unassigned, as its Inbox last said. Not projected. */
  queuePosition: number | null;
  /** The estimated wait (s) that came with the position; null when the team cannot tell yet. */
  queueEtaS?: number | null;
  /** The team whose queue this conversation is in. */
  team: string;
  /** The pre-chat topic the customer picked, if any. */
  topic: string | null;
  /** Marked VIP by the partner's signed identity: served before others. */
  vip: boolean;
  /** What routing needs to place it again when the customer picks a topic (until the first message). */
  route?: RouteInput;
  /** The team whose Inbox last heard of it: told when the conversation leaves for another team. */
  inboxTeam?: string;
  number: number;
  contactId: string;
  status: Status;
  priority: Priority;
  assigneeId: string | null;
  assigneeName: string | null;
  channels: Channel[];
  holdNote: string | null;
  holdUntil: number | null;
  /** Set once the reminder for an overdue hold has gone out. */
  holdOverdue?: boolean;
  /** Reminders of the overdue hold so far: 1 at the promised time, one more each rules.HOLD_REMIND_EVERY_MS. */
  holdReminders?: number;
  mergedInto: string | null;
  csatScore: CsatScore | null;
  csatComment: string | null;
  csatAt: number | null;
  /** How many more rating changes the customer may make now (see rules.CSAT_CHANGES). */
  csatBucket?: Bucket | null;
  createdAt: number;
  updatedAt: number;
  /** Bumped on every change, messages included; D1 keeps only the highest it has seen. */
  version: number;
  /**
   * When it became a ticket: the first customer message (or the away form), or an agent acting on
   * it. Until then it is only a session: in no queue, no list, and deleted when left unused.
   */
  openedAt: number | null;
  /** When the customer last opened a session or closed a socket here, while it is not yet a ticket. */
  lastSeenAt?: number;
  /** How long an unused session is kept after `lastSeenAt` (the tenant's setting, at its last session). */
  unusedTtlMs?: number;
  /** The tenant's SLA settings as of its last session (worker/sla/sla-track.ts); absent: the defaults. */
  slaConfig?: SlaConfig;
  /** The SLA clocks' memory between changes. */
  sla?: SlaTrack;
  /** Development only: jumps `[at, ms]` of this conversation's SLA clock (worker/conversation/sla-clock.ts). */
  devClock?: [number, number][];
}

/** The routing inputs the Worker hands over (see worker/routing/route.ts). */
export interface RouteInput {
  rules: RoutingRule[];
  /** Keys of the brand's pre-chat topics: the only ones a customer may pick. */
  topics: string[];
  brand: string;
  channel: Channel;
  verified: Record<string, string | number | boolean>;
}

/** What the Worker knows when it hands a new conversation to its object. */
export interface ConversationInit {
  id: string;
  tenantId: string;
  tenantKey: string;
  contactName: string | null;
  number: number;
  contactId: string;
  createdAt: number;
  /** The tenant's unused-session life (ms), refreshed at every session. */
  unusedTtlMs?: number;
  /** Where routing placed it, whether the customer is a VIP, and routing's inputs for a later topic. */
  team?: string;
  vip?: boolean;
  route?: RouteInput;
  /** The tenant's SLA settings, refreshed at every session (the way routing's inputs come). */
  slaConfig?: SlaConfig;
}
/** The state of a conversation the Worker has just opened: open, unassigned, unrated. */
export function newState(init: ConversationInit): DoState {
  return {
    ...init,
    team: init.team ?? DEFAULT_TEAM,
    vip: init.vip ?? false,
    topic: null,
    status: 'open',
    priority: 'normal',
    assigneeId: null,
    assigneeName: null,
    channels: [],
    holdNote: null,
    holdUntil: null,
    mergedInto: null,
    csatScore: null,
    csatComment: null,
    csatAt: null,
    waitingSince: null,
    escalation: null,
    queuePosition: null,
    updatedAt: init.createdAt,
    // Bumped to 1 as the first state is stored.
    version: 0,
    openedAt: null,
    lastSeenAt: init.createdAt,
  };
}
