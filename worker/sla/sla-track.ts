import { DEFAULT_SLA_CONFIG, targetsFor } from '../../protocol';
import type { AgentRef, SlaClock, SlaConfig, SlaKind, SlaLevel, SlaStatus } from '../../protocol';
import type { Actor, Decision } from '../conversation/commands';
import type { DoState } from '../conversation/state';
import { addBusinessSeconds, businessSecondsBetween } from './business-time';

/**
 * A conversation's SLA clocks, pure like the rest of the rules: what the state remembers, the
 * clocks it shows, when the alarm must look, and what the alarm's check decides.
 *
 * The pause rule. The clocks run only while the customer waits on the team: the conversation is
 * open (not on hold, not resolved or closed) and the customer wrote last (`waitingSince` is set).
 * They pause while it waits on the customer — the agent spoke last — and while it is on hold,
 * where the agent's promised time has its own clock (overdue reminders). Resolving stops them.
 * - The response clock is the first response until an agent has ever answered, then the next
 *   response; each wait of the customer is a new clock, measured from their message.
 * - The resolution clock adds up every stretch the clocks ran, over the conversation's life (a
 *   reopening goes on from what was used before).
 * Time is business time of the tenant's calendar. Each clock warns once at the tenant's share of
 * its target and breaches once at the target.
 */

/** What the clocks remember between changes (DoState.sla). */
export interface SlaTrack {
  /** When an agent first answered; null until then (the response clock is the first response). */
  respondedAt: number | null;
  /** Since when the clocks run; null while paused. */
  runningSince: number | null;
  /** Business seconds the resolution clock ran before `runningSince`. */
  usedS: number;
  /** The customer's wait the response clock belongs to (its `waitingSince`), and its seconds before `runningSince`. */
  waitStart: number | null;
  responseUsedS: number;
  /** The level each clock (`kind@start`) has raised, so each warns and breaches once. */
  raised: Record<string, SlaLevel>;
}

const fresh = (): SlaTrack => ({ respondedAt: null, runningSince: null, usedS: 0, waitStart: null, responseUsedS: 0, raised: {} });
const isDone = (s: DoState) => s.status === 'resolved' || s.status === 'closed';

/** Whether the clocks run now (see the pause rule above). */
export function clocksRun(s: DoState): boolean {
  return s.openedAt !== null && s.status === 'open' && s.waitingSince !== null;
}

/** The tenant's SLA settings as the conversation last got them, or the defaults. */
export function configOf(s: DoState): SlaConfig {
  return s.slaConfig ?? DEFAULT_SLA_CONFIG;
}

/**
 * The SLA's notion of an instant. It is the wall clock, except in development, where a test may
 * move one conversation's SLA clock forward (worker/conversation/sla-clock.ts): jumps `[at, ms]`.
 */
export function slaTime(s: DoState, real: number): number {
  let t = real;
  for (const [at, ms] of s.devClock ?? []) if (at <= real) t += ms;
  return t;
}

/** A future SLA instant back on the wall clock, where alarms and the agents' countdowns live. */
function wallTime(s: DoState, sla: number): number {
  return sla - (s.devClock ?? []).reduce((sum, [, ms]) => sum + ms, 0);
}

/**
 * Bring the clocks up to `now` after a change by `actor` (called by the rules on every change):
 * what ran since the last change is added, and they run on or pause by the new state.
 */
export function trackSla(s: DoState, actor: Actor, now: number): void {
  const t = (s.sla = s.sla ? { ...s.sla, raised: { ...s.sla.raised } } : fresh());
  const cal = configOf(s).calendar;
  const ran = t.runningSince === null ? 0 : businessSecondsBetween(cal, slaTime(s, t.runningSince), slaTime(s, now));
  t.usedS += ran;
  if (s.waitingSince !== t.waitStart) {
    t.waitStart = s.waitingSince;
    t.responseUsedS = 0;
  } else t.responseUsedS += ran;
  t.runningSince = clocksRun(s) ? now : null;
  if (t.respondedAt === null && actor.role === 'agent' && s.openedAt !== null && s.waitingSince === null) t.respondedAt = now;
}

/** The key a clock raises its levels under: each wait of the customer is a clock of its own. */
function keyOf(kind: SlaKind, t: SlaTrack): string {
  return kind === 'resolution' ? 'resolution' : `${kind}@${t.waitStart}`;
}

/** One clock of the state: due times on the wall clock while running, only what is left while paused. */
function clockOf(s: DoState, kind: SlaKind, targetS: number, usedS: number): SlaClock {
  const t = s.sla ?? fresh();
  const leftS = targetS - usedS;
  if (t.runningSince === null) return { kind, warnAt: null, dueAt: null, leftS, targetS };
  const cal = configOf(s).calendar;
  const start = slaTime(s, t.runningSince);
  const at = (businessS: number) => (businessS <= usedS ? t.runningSince! : wallTime(s, addBusinessSeconds(cal, start, businessS - usedS)));
  return { kind, warnAt: at((targetS * configOf(s).warnAtPercent) / 100), dueAt: at(targetS), leftS, targetS };
}

/** The conversation's SLA as agents see it; null before it is a ticket and once it is resolved. */
export function slaStatusOf(s: DoState): SlaStatus | null {
  if (s.openedAt === null || isDone(s)) return null;
  const t = s.sla ?? fresh();
  const config = configOf(s);
  const targets = targetsFor(config, s.team, s.priority);
  const kind: SlaKind = t.respondedAt === null ? 'first_response' : 'next_response';
  const response = s.waitingSince !== null ? clockOf(s, kind, kind === 'first_response' ? targets.firstResponseS : targets.nextResponseS, t.responseUsedS) : null;
  const resolution = clockOf(s, 'resolution', targets.resolutionS, t.usedS);
  const levels = [response && t.raised[keyOf(response.kind, t)], t.raised.resolution];
  const state: SlaLevel = levels.includes('breached') ? 'breached' : levels.includes('warning') ? 'warning' : 'ok';
  return { response, resolution, state, warnAtPercent: config.warnAtPercent };
}

/** The running clocks with what each has not raised yet: the next warning or breach to look at. */
function pending(s: DoState): { clock: SlaClock; key: string; at: number; level: SlaLevel }[] {
  const st = slaStatusOf(s);
  const t = s.sla ?? fresh();
  const out: { clock: SlaClock; key: string; at: number; level: SlaLevel }[] = [];
  for (const c of [st?.response, st?.resolution]) {
    if (!c || c.dueAt === null || c.warnAt === null) continue;
    const key = keyOf(c.kind, t);
    const raised = t.raised[key];
    if (raised === 'breached') continue;
    out.push(raised === 'warning' ? { clock: c, key, at: c.dueAt, level: 'breached' } : { clock: c, key, at: c.warnAt, level: 'warning' });
  }
  return out;
}

/** When the alarm must next look at the SLA (wall clock), or null while no clock runs. */
export function slaWakeAt(s: DoState): number | null {
  const at = pending(s).map((p) => p.at);
  return at.length ? Math.min(...at) : null;
}

/** The earlier of the hold's wake-up and the SLA's, or null when neither needs one. */
export function wakeAtWith(s: DoState, holdAt: number | null): number | null {
  const at = Math.min(holdAt ?? Infinity, slaWakeAt(s) ?? Infinity);
  return at === Infinity ? null : at;
}

/** Who an escalation by the system (an SLA breach, by the conversation's own alarm) is by, as agents read it. */
export const SYSTEM_REF: AgentRef = { id: 'system', name: 'Switchboard' };

/** What the alarm's check needs of the rules' outcome. */
export interface SlaOutcome {
  readonly s: DoState;
  readonly now: number;
  event(kind: string, data: Record<string, unknown>): void;
  done(publish: boolean): Decision;
  unchanged(): Decision;
}

/**
 * The alarm's look at the clocks (command `sla.check`): each clock whose warning share or target
 * has passed raises it once, audited as `sla.warning` / `sla.breached { clock, dueAt, targetS }`.
 * A late alarm raises what is due, once: a breach found late does not warn first.
 */
export function slaCheck(out: SlaOutcome): Decision {
  const { s, now } = out;
  let raisedAny = false;
  for (const p of pending(s)) {
    const level = p.clock.dueAt !== null && now >= p.clock.dueAt ? 'breached' : p.at <= now ? p.level : null;
    if (!level) continue;
    out.event(level === 'breached' ? 'sla.breached' : 'sla.warning', { clock: p.clock.kind, dueAt: p.clock.dueAt, targetS: p.clock.targetS });
    s.sla = { ...s.sla!, raised: { ...s.sla!.raised, [p.key]: level } };
    raisedAny = true;
  }
  return raisedAny ? out.done(true) : out.unchanged();
}
