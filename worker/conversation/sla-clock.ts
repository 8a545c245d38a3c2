import { SLA_KIND_LABEL } from '../../protocol';
import type { SlaConfig, SlaKind, SlaStatus } from '../../protocol';
import type { Env } from '../env';
import { slaStatusOf, slaTime, slaWakeAt } from '../sla/sla-track';
import { SYSTEM } from './commands';
import { fail, ok } from './core';
import type { ConversationCore, Result } from './core';

/**
 * The Conversation object's SLA clock: the I/O around the pure clocks of worker/sla/sla-track.ts.
 * Its alarm raises warnings and breaches through the rules (audited, a line in the agents'
 * thread), and a breach escalates to the team's supervisors on its own: the same `escalate`
 * command agents use, by the system, so the Inbox tells the supervisors as for any escalation.
 */

/**
 * The alarm's look at the SLA: raise what is due, escalate a new breach, and say when to look
 * next (Infinity: no clock runs). A conversation already escalated is not escalated again; its
 * breach still shows in the thread and on the row.
 */
export async function slaAlarm(core: ConversationCore): Promise<number> {
  if (!core.st) return Infinity;
  const before = { ...(core.st.sla?.raised ?? {}) };
  await core.apply({ type: 'sla.check' }, SYSTEM);
  const after = core.s.sla?.raised ?? {};
  const breached = Object.keys(after)
    .filter((k) => after[k] === 'breached' && before[k] !== 'breached')
    .map((k) => SLA_KIND_LABEL[k.split('@')[0] as SlaKind]);
  if (breached.length && !core.s.escalation) await core.apply({ type: 'escalate', reason: `SLA breached: ${breached.join(', ')}` }, SYSTEM);
  return slaWakeAt(core.s) ?? Infinity;
}

/**
 * Take the tenant's SLA settings the Worker handed over with a session (like routing's inputs), or
 * that an admin's change pushed (worker/routes/admin-sla.ts): the rules then need no D1 read, and
 * D1 stays off the message path. The clocks run on from what they used, under the new targets.
 */
export async function adoptSlaConfig(core: ConversationCore, config: SlaConfig | undefined): Promise<void> {
  const s = core.st;
  if (!s || !config || JSON.stringify(s.slaConfig) === JSON.stringify(config)) return;
  s.slaConfig = config;
  core.saveQuietly();
  core.notifyInbox();
  const wake = slaWakeAt(s);
  if (wake !== null) await core.schedule(Math.max(wake, Date.now()));
}

/** How a test moves a conversation's SLA clock: forward by `advanceMs`, or so that it reads `at` now. */
export interface DevClockMove {
  advanceMs?: number;
  at?: number;
}

/**
 * Development only: move this conversation's SLA clock (nothing else's: holds, sessions and
 * tokens keep the wall clock). Refused unless the server runs with DEV_CLOCK=on, which only the
 * local test server sets (scripts/server.mjs). The alarm is then set on the wall clock for what
 * falls due, so the warning and the breach still come by alarm.
 */
export async function moveDevClock(core: ConversationCore, env: Env, move: DevClockMove): Promise<Result<SlaStatus | null>> {
  if (env.DEV_CLOCK !== 'on') return fail('request.not_found', 'No such route');
  const s = core.s;
  const real = Date.now();
  // `at` re-bases the whole clock (every instant, past ones too, so no time seems to pass);
  // `advanceMs` is time passing now: instants from now on read that much later.
  const jump: [number, number] = move.at !== undefined ? [0, move.at - slaTime(s, real)] : [real, move.advanceMs ?? 0];
  s.devClock = [...(s.devClock ?? []), jump];
  core.saveQuietly();
  core.notifyInbox();
  core.publishState();
  const wake = slaWakeAt(s);
  if (wake !== null) await core.schedule(Math.max(wake, real));
  return ok(slaStatusOf(s));
}
