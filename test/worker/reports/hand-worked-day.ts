/**
 * A hand-built day of events (Monday 2 March 2026, UTC) whose every figure is worked out by hand in
 * the tests that use it. One agent, Anna; team billing, topic roaming, channel web; long pause
 * threshold 60 s. Times are (hour, minute, second) of the day.
 *
 * C1 09:00 customer writes (opened) · 09:02 assigned to Anna · 09:03 Anna answers (FRT 180 s) ·
 *    09:05 customer · 09:07 Anna (waited 120 s: a long pause) · 09:08 customer · 09:08:30 Anna
 *    (30 s) · 09:10 customer · 09:10:20 Anna holds · 09:20 Anna answers, hold ends (600 s, held:
 *    no pause) · 09:30 resolved (resolution 30 min, handled 09:02–09:30 = 28 min) · 09:31 rated
 *    good "Quick, thanks".
 * C2 11:00 customer (opened) · 11:04 Anna answers unassigned and owns it (FRT 240 s) · 11:05
 *    customer · 11:06 SLA breached (next response) · 11:07:30 Anna (150 s: pause) · 11:20 resolved
 *    (20 min; handled 16 min; SLA missed) · 11:25 rated bad with a phone number in the comment ·
 *    11:40 customer writes again: reopened, rating cleared · 11:45 Anna (300 s: pause) · 11:50
 *    resolved (50 min from opening; handled 11:40–11:50 = 10 min; SLA met, the breach was before).
 * C3 13:00 customer (opened) · 13:30 a supervisor resolves it unanswered: abandoned.
 * C4 14:50 customer (opened) · 15:00 assigned to Anna, still open at the end of the day.
 * Anna's state log: 08:00 online · 10:00 away · 10:30 online · 16:00 offline.
 */
import type { ConversationInfo, LogEvent, LogMessage } from '../../../worker/reports/facts';
import type { StateEntry } from '../../../worker/reports/agent-day';

/** Midnight (UTC) of the hand-worked day. */
export const DAY = Date.UTC(2026, 2, 2);
/** A time of the day. */
export const at = (h: number, m = 0, s = 0) => DAY + ((h * 60 + m) * 60 + s) * 1000;
/** The end of the day: the controlled clock the tests read it at. */
export const END_OF_DAY = at(23, 59, 59);
/** The tenant's long-pause threshold. */
export const LONG_PAUSE_MS = 60_000;

const ANNA = 'agent-anna';
const info = (id: string, openedAt: number): ConversationInfo => ({ id, tenantId: 't', openedAt, team: 'billing', topic: 'roaming', channel: 'web' });
const cust = (seq: number, t: number): LogMessage => ({ seq, role: 'customer', agentId: null, at: t });
const anna = (seq: number, t: number): LogMessage => ({ seq, role: 'agent', agentId: ANNA, at: t });
let n = 0;
const ev = (kind: string, t: number, data: Record<string, unknown> = {}): LogEvent => ({ seq: ++n, kind, data, at: t });

/** The four conversations: ticket, messages, events. */
export const CONVERSATIONS: { info: ConversationInfo; messages: LogMessage[]; events: LogEvent[] }[] = [
  {
    info: info('c1', at(9)),
    messages: [cust(1, at(9)), anna(2, at(9, 3)), cust(3, at(9, 5)), anna(4, at(9, 7)), cust(5, at(9, 8)), anna(6, at(9, 8, 30)), cust(7, at(9, 10)), anna(8, at(9, 20))],
    events: [
      ev('assignee.changed', at(9, 2), { from: null, to: ANNA, toName: 'Anna' }),
      ev('hold.set', at(9, 10, 20), { note: 'Checking', until: at(9, 30) }),
      ev('status.changed', at(9, 10, 20), { from: 'open', to: 'on_hold' }),
      ev('status.changed', at(9, 20), { from: 'on_hold', to: 'open', reason: 'agent_replied' }),
      ev('status.changed', at(9, 30), { from: 'open', to: 'resolved' }),
      ev('csat.rated', at(9, 31), { score: 'good', comment: 'Quick, thanks' }),
    ],
  },
  {
    info: info('c2', at(11)),
    messages: [cust(1, at(11)), anna(2, at(11, 4)), cust(3, at(11, 5)), anna(4, at(11, 7, 30)), cust(5, at(11, 40)), anna(6, at(11, 45))],
    events: [
      ev('assignee.changed', at(11, 4), { from: null, to: ANNA, toName: 'Anna', reason: 'replied' }),
      ev('sla.breached', at(11, 6), { clock: 'next_response' }),
      ev('status.changed', at(11, 20), { from: 'open', to: 'resolved' }),
      ev('csat.rated', at(11, 25), { score: 'bad', comment: 'Took too long, call me at +371 2912 3456' }),
      ev('status.changed', at(11, 40), { from: 'resolved', to: 'open', reason: 'customer_replied' }),
      ev('csat.cleared', at(11, 40), { score: 'bad' }),
      ev('status.changed', at(11, 50), { from: 'open', to: 'resolved' }),
    ],
  },
  {
    info: info('c3', at(13)),
    messages: [cust(1, at(13))],
    events: [ev('status.changed', at(13, 30), { from: 'open', to: 'resolved' })],
  },
  {
    info: info('c4', at(14, 50)),
    messages: [cust(1, at(14, 50))],
    events: [ev('assignee.changed', at(15), { from: null, to: ANNA, toName: 'Anna' })],
  },
];

/** Anna's state log. */
export const ANNA_LOG: StateEntry[] = [
  { state: 'online', at: at(8) },
  { state: 'away', at: at(10) },
  { state: 'online', at: at(10, 30) },
  { state: 'offline', at: at(16) },
];

/** Anna's id in the day. */
export const ANNA_ID = ANNA;
