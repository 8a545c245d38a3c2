// Business-time arithmetic: opening hours in a time zone, holidays, and DST days of 23 and 25 hours.
import { describe, expect, it } from 'vitest';
import type { BusinessCalendar } from '../../../protocol';
import { addBusinessSeconds, businessSecondsBetween, isOpenAt, offsetAt, zonedInstant } from '../../../worker/sla/business-time';

const H = 3600;
const weekdays = (from: string, to: string, tz = 'Europe/Riga', holidays: string[] = []): BusinessCalendar => ({
  timezone: tz,
  hours: [1, 2, 3, 4, 5].map((day) => ({ day, from, to })),
  holidays,
});
const everyDay = (tz: string): BusinessCalendar => ({ timezone: tz, hours: [0, 1, 2, 3, 4, 5, 6].map((day) => ({ day, from: '00:00', to: '24:00' })), holidays: [] });
const at = (isoUtc: string) => Date.parse(isoUtc);

describe('round the clock (no calendar)', () => {
  it('is wall time', () => {
    const t = at('2026-03-06T14:50:00Z');
    expect(addBusinessSeconds(null, t, 90)).toBe(t + 90_000);
    expect(businessSecondsBetween(null, t, t + 90_000)).toBe(90);
    expect(businessSecondsBetween(null, t, t - 1)).toBe(0);
  });
});

describe('weekly opening hours', () => {
  const cal = weekdays('09:00', '17:00');

  it('skips the night and the weekend: Friday 16:50 plus 30 business minutes is Monday 09:20 (Riga, UTC+2)', () => {
    const friday = at('2026-03-06T14:50:00Z');
    expect(addBusinessSeconds(cal, friday, 30 * 60)).toBe(at('2026-03-09T07:20:00Z'));
    expect(businessSecondsBetween(cal, friday, at('2026-03-09T07:20:00Z'))).toBe(30 * 60);
    // The whole weekend counts nothing.
    expect(businessSecondsBetween(cal, at('2026-03-06T15:00:00Z'), at('2026-03-09T07:00:00Z'))).toBe(0);
  });

  it('starts a clock set outside the hours at the next opening', () => {
    expect(addBusinessSeconds(cal, at('2026-03-09T03:00:00Z'), 60)).toBe(at('2026-03-09T07:01:00Z'));
    expect(isOpenAt(cal, at('2026-03-09T03:00:00Z'))).toBe(false);
    expect(isOpenAt(cal, at('2026-03-09T07:00:00Z'))).toBe(true);
    expect(isOpenAt(cal, at('2026-03-09T15:00:00Z'))).toBe(false);
  });

  it('skips holidays, several in a row', () => {
    const hol = weekdays('09:00', '17:00', 'Europe/Riga', ['2026-03-09', '2026-03-10']);
    expect(addBusinessSeconds(hol, at('2026-03-06T14:50:00Z'), 30 * 60)).toBe(at('2026-03-11T07:20:00Z'));
    expect(businessSecondsBetween(hol, at('2026-03-06T00:00:00Z'), at('2026-03-12T00:00:00Z'))).toBe(16 * H);
  });

  it('adds up several intervals of one day and days of a week', () => {
    const split: BusinessCalendar = { timezone: 'UTC', hours: [{ day: 1, from: '08:00', to: '12:00' }, { day: 1, from: '13:00', to: '17:00' }], holidays: [] };
    expect(businessSecondsBetween(split, at('2026-03-09T00:00:00Z'), at('2026-03-10T00:00:00Z'))).toBe(8 * H);
    expect(addBusinessSeconds(split, at('2026-03-09T11:00:00Z'), 2 * H)).toBe(at('2026-03-09T14:00:00Z'));
    // Past Monday's last hour, the next is a week on.
    expect(addBusinessSeconds(split, at('2026-03-09T16:30:00Z'), H)).toBe(at('2026-03-16T08:30:00Z'));
    expect(businessSecondsBetween(split, at('2026-03-09T00:00:00Z'), at('2026-03-23T00:00:00Z'))).toBe(16 * H);
  });

  it('agrees with itself: the seconds added are the seconds between', () => {
    const starts = ['2026-03-06T14:50:00Z', '2026-03-27T20:00:00Z', '2026-10-23T10:11:12Z', '2026-12-31T23:59:59Z'].map(at);
    for (const start of starts)
      for (const s of [1, 59, 3600, 8 * H + 1, 40 * H, 200 * H]) {
        const end = addBusinessSeconds(cal, start, s);
        expect(businessSecondsBetween(cal, start, end)).toBe(s);
      }
  });
});

describe('daylight saving time, through Intl', () => {
  it('knows the offsets on either side of a change', () => {
    expect(offsetAt(at('2026-03-28T12:00:00Z'), 'Europe/Riga')).toBe(2 * H * 1000);
    expect(offsetAt(at('2026-03-30T12:00:00Z'), 'Europe/Riga')).toBe(3 * H * 1000);
    expect(offsetAt(at('2026-03-06T12:00:00Z'), 'America/New_York')).toBe(-5 * H * 1000);
    expect(offsetAt(at('2026-03-09T12:00:00Z'), 'America/New_York')).toBe(-4 * H * 1000);
  });

  it('counts the spring day as 23 hours and the autumn day as 25', () => {
    const cal = everyDay('Europe/Riga');
    const day = (y: number, m: number, d: number) => [zonedInstant({ y, m, d }, 0, cal.timezone), zonedInstant({ y, m, d }, 1440, cal.timezone)] as const;
    const [s0, s1] = day(2026, 3, 29);
    expect(businessSecondsBetween(cal, s0, s1)).toBe(23 * H);
    const [a0, a1] = day(2026, 10, 25);
    expect(businessSecondsBetween(cal, a0, a1)).toBe(25 * H);
  });

  it('keeps the opening hours on local time across the change (New York, 09:00–17:00)', () => {
    const cal = weekdays('09:00', '17:00', 'America/New_York');
    // Friday before the change opens at 14:00Z, Monday after it at 13:00Z.
    expect(addBusinessSeconds(cal, at('2026-03-06T21:30:00Z'), H)).toBe(at('2026-03-09T13:30:00Z'));
    expect(isOpenAt(cal, at('2026-03-09T13:00:00Z'))).toBe(true);
    expect(isOpenAt(cal, at('2026-03-06T13:30:00Z'))).toBe(false);
  });

  it('an interval over the skipped hour is an hour shorter; a skipped time is the change itself, a repeated time its first occurrence', () => {
    const cal: BusinessCalendar = { timezone: 'Europe/Riga', hours: [{ day: 0, from: '02:00', to: '05:00' }], holidays: [] };
    expect(businessSecondsBetween(cal, at('2026-03-28T00:00:00Z'), at('2026-03-30T00:00:00Z'))).toBe(2 * H);
    expect(zonedInstant({ y: 2026, m: 3, d: 29 }, 3 * 60 + 30, 'Europe/Riga')).toBe(at('2026-03-29T01:00:00Z'));
    expect(zonedInstant({ y: 2026, m: 10, d: 25 }, 3 * 60 + 30, 'Europe/Riga')).toBe(at('2026-10-25T00:30:00Z'));
    // And in autumn the same hours hold an hour more.
    expect(businessSecondsBetween(cal, at('2026-10-24T00:00:00Z'), at('2026-10-26T00:00:00Z'))).toBe(4 * H);
  });
});

describe('offsets, kept per quarter hour', () => {
  /** The offset as Intl gives it for this very instant, with no cache. */
  function intlOffset(ms: number, tz: string): number {
    const f = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    const p = Object.fromEntries(f.formatToParts(ms).filter((x) => x.type !== 'literal').map((x) => [x.type, Number(x.value)]));
    const t = Math.floor(ms / 1000) * 1000;
    return Date.UTC(p.year!, p.month! - 1, p.day!, p.hour! % 24, p.minute!, p.second!) - t;
  }

  it('agree with Intl at every instant around the DST changes, in zones of odd offsets too', () => {
    // Riga and New York (whole hours), Lord Howe (a half-hour DST step), Kathmandu (+5:45), Chatham (+12:45/+13:45).
    const zones = ['Europe/Riga', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'Pacific/Chatham'];
    const changes = [Date.UTC(2026, 2, 29, 1), Date.UTC(2026, 2, 8, 7), Date.UTC(2026, 3, 4, 15), Date.UTC(2026, 9, 3, 15), Date.UTC(2026, 8, 26, 14)];
    let checked = 0;
    for (const tz of zones) {
      for (const change of changes) {
        // Every 7 minutes 13 seconds for three hours either side: instants on and off the quarter hours.
        for (let t = change - 3 * 3_600_000; t <= change + 3 * 3_600_000; t += 433_000) {
          expect(offsetAt(t, tz), `${tz} at ${new Date(t).toISOString()}`).toBe(intlOffset(t, tz));
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(1000);
  });
});
