import { describe, expect, it } from 'vitest';
import { factsOf } from '../../../worker/reports/facts';
import { addSums, figuresOf } from '../../../worker/reports/figures';
import { agentDay, ratesOf } from '../../../worker/reports/agent-day';
import { ANNA_ID, ANNA_LOG, CONVERSATIONS, DAY, END_OF_DAY, LONG_PAUSE_MS, at } from './hand-worked-day';

/** Every figure of the hand-worked day (hand-worked-day.ts), each answer worked out by hand here. */
const S = 1000;
const MIN = 60 * S;
const facts = (pauseMs = LONG_PAUSE_MS) => CONVERSATIONS.map((c) => factsOf(c.info, c.messages, c.events, pauseMs));
const totals = (pauseMs = LONG_PAUSE_MS) => figuresOf(addSums(facts(pauseMs).flatMap((f) => f.rows)));

describe('the hand-worked day: conversation figures', () => {
  it('volume: 4 received (C1–C4), 2 handled (Anna on C1 and C2), 4 resolutions (C1, C2 twice, C3)', () => {
    const f = totals();
    expect([f.received, f.handled, f.resolved]).toEqual([4, 2, 4]);
  });

  it('first response time: C1 180 s, C2 240 s → mean 210 s', () => {
    expect(totals().frtMs).toBe(210 * S);
  });

  it('average response time: C1 180+120+30+600, C2 240+150+300 → 1620 s over 7 waits', () => {
    expect(totals().artMs).toBeCloseTo((1620 * S) / 7, 6);
  });

  it('handle time: finished stints 28, 16 and 10 min → AHT 18 min (C4 still being handled is not counted)', () => {
    expect(totals().ahtMs).toBe(18 * MIN);
  });

  it('resolution time: 30, 20, 50 and 30 min from opening → 32.5 min', () => {
    expect(totals().resolutionMs).toBe(32.5 * MIN);
  });

  it('quality: one reopen in 4 resolutions (25 %); SLA met by 3 of 4 (C2 breached before its first resolve)', () => {
    const f = totals();
    expect(f.reopenRate).toBe(0.25);
    expect(f.slaAttainment).toBe(0.75);
  });

  it('abandoned: C3 ended before anyone answered; C4 waits but has not ended', () => {
    expect(totals().abandoned).toBe(1);
    expect(facts()[2]!.rows.find((r) => r.abandoned)?.hour).toBe(at(13));
  });

  it('CSAT: C1 good, C2 bad (its rating kept though cleared by the reopen) → 50 % / 50 %, 2 of 4 resolutions rated, 2 comments', () => {
    const f = totals();
    expect([f.csatGoodPct, f.csatBadPct, f.csatResponseRate, f.csatComments]).toEqual([0.5, 0.5, 0.5, 2]);
    expect(facts()[1]!.ratings).toEqual([expect.objectContaining({ score: 'bad', agentId: ANNA_ID, at: at(11, 25) })]);
  });

  it('long pauses at 60 s: C1 120 s, C2 150 s and 300 s; the 600 s wait under a hold and the first responses are not', () => {
    expect(totals().longPauses).toBe(3);
    const pauses = facts().flatMap((f) => f.pauses);
    expect(pauses.map((p) => [p.customerSeq, p.agentSeq, p.waitedMs / S])).toEqual([[3, 4, 120], [3, 4, 150], [5, 6, 300]]);
    expect(pauses.every((p) => p.agentId === ANNA_ID)).toBe(true);
  });

  it('the threshold is the tenant setting: at 130 s only the 150 s and 300 s waits count', () => {
    expect(totals(130 * S).longPauses).toBe(2);
  });

  it('each figure lands in its hour and agent: C1 received at 09:00 for Anna, C3 received with no agent', () => {
    const c1 = facts()[0]!.rows;
    expect(c1.find((r) => r.received)).toMatchObject({ hour: at(9), agentId: ANNA_ID });
    expect(facts()[2]!.rows.find((r) => r.received)).toMatchObject({ hour: at(13), agentId: '' });
  });

  it('the same log gives the same facts (a replay changes nothing)', () => {
    expect(facts()).toEqual(facts());
  });
});

describe('the hand-worked day: Anna’s shift', () => {
  const stints = facts().flatMap((f) => f.stints).filter((s) => s.agentId === ANNA_ID);
  const day = agentDay(DAY, ANNA_LOG, stints, END_OF_DAY)!;

  it('the shift runs from the first sign-in (08:00) to the last sign-out (16:00): 8 h, of which 30 min away', () => {
    expect([day.shiftStart, day.shiftEnd, day.shiftMs]).toEqual([at(8), at(16), 480 * MIN]);
    expect([day.availableMs, day.awayMs]).toEqual([450 * MIN, 30 * MIN]);
  });

  it('utilization 450 / 480 = 93.75 %; occupancy (28 + 16 + 10 + 60 min handling while available) / 450 min', () => {
    expect(day.handlingMs).toBe(114 * MIN);
    const r = ratesOf(day);
    expect(r.utilization).toBe(0.9375);
    expect(r.occupancy).toBeCloseTo(114 / 450, 9);
  });

  it('read at 12:00 the day so far: 08:00–12:00, available 3.5 h, handling 28 + 16 + 10 min (C4 not yet)', () => {
    const noon = agentDay(DAY, ANNA_LOG, stints, at(12))!;
    expect([noon.shiftMs, noon.availableMs, noon.handlingMs]).toEqual([240 * MIN, 210 * MIN, 54 * MIN]);
  });

  it('a tenant schedule (07:00–17:00) is the shift instead: utilization 450 / 600', () => {
    const fixed = agentDay(DAY, ANNA_LOG, stints, END_OF_DAY, { from: '07:00', to: '17:00' })!;
    expect(fixed.shiftMs).toBe(600 * MIN);
    expect(ratesOf(fixed).utilization).toBe(0.75);
  });

  it('a day Anna did not sign in has no shift', () => {
    expect(agentDay(DAY + 86_400_000, ANNA_LOG.slice(0, 4), [], END_OF_DAY + 86_400_000)).toBeNull();
  });
});
