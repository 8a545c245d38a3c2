// The customer's place in line and the estimated wait, as the header says it in English and Russian.
import { describe, expect, it } from 'vitest';
import { I18n, LANGUAGES } from '../../widget/i18n';
import { queueStatus, roundWait } from '../../widget/i18n/queue-status';

const en = new I18n('en');
const ru = new I18n('ru');

describe('roundWait', () => {
  it('says "soon" under a minute, minutes under a quarter hour, fives under an hour, then hours', () => {
    const cases: [number, ReturnType<typeof roundWait>][] = [
      [0, { unit: 'soon' }],
      [-5, { unit: 'soon' }],
      [59, { unit: 'soon' }],
      [60, { unit: 'minutes', n: 1 }],
      [89, { unit: 'minutes', n: 1 }],
      [90, { unit: 'minutes', n: 2 }],
      [4 * 60 + 10, { unit: 'minutes', n: 4 }],
      [14 * 60 + 20, { unit: 'minutes', n: 14 }],
      [14 * 60 + 40, { unit: 'minutes', n: 15 }],
      [23 * 60, { unit: 'minutes', n: 25 }],
      [57 * 60, { unit: 'minutes', n: 55 }],
      [58 * 60, { unit: 'hours', n: 1 }],
      [89 * 60, { unit: 'hours', n: 1 }],
      [150 * 60, { unit: 'hours', n: 3 }],
    ];
    for (const [etaS, want] of cases) expect([etaS, roundWait(etaS)]).toEqual([etaS, want]);
  });
});

describe('queueStatus', () => {
  it('English: position and wait, next in line, and the position alone without an estimate', () => {
    expect(queueStatus(en, { position: 3, etaS: 4 * 60 })).toBe('You are #3 in line · about 4 min');
    expect(queueStatus(en, { position: 3, etaS: 1 * 60 })).toBe('You are #3 in line · about 1 min');
    expect(queueStatus(en, { position: 2, etaS: 20 })).toBe('You are #2 in line · less than a minute');
    expect(queueStatus(en, { position: 12, etaS: 2 * 3600 })).toBe('You are #12 in line · about 2 hours');
    expect(queueStatus(en, { position: 40, etaS: 3600 })).toBe('You are #40 in line · about 1 hour');
    expect(queueStatus(en, { position: 1, etaS: 30 })).toBe('You are next in line · less than a minute');
    expect(queueStatus(en, { position: 3, etaS: null })).toBe('You are #3 in line');
    expect(queueStatus(en, { position: 1, etaS: null })).toBe('You are next in line');
  });

  it('Russian: minutes and hours agree with the number (1, 2, 5 and 11 minutes; 1, 2, 5 and 21 hours)', () => {
    const minutes = (n: number) => queueStatus(ru, { position: 3, etaS: n * 60 });
    expect(minutes(1)).toBe('Ваш номер в очереди: 3 · около 1 минуты');
    expect(minutes(2)).toBe('Ваш номер в очереди: 3 · около 2 минут');
    expect(minutes(5)).toBe('Ваш номер в очереди: 3 · около 5 минут');
    expect(minutes(11)).toBe('Ваш номер в очереди: 3 · около 11 минут');
    expect(minutes(21)).toBe('Ваш номер в очереди: 3 · около 20 минут');
    const hours = (n: number) => queueStatus(ru, { position: 21, etaS: n * 3600 });
    expect(hours(1)).toBe('Ваш номер в очереди: 21 · около 1 часа');
    expect(hours(2)).toBe('Ваш номер в очереди: 21 · около 2 часов');
    expect(hours(5)).toBe('Ваш номер в очереди: 21 · около 5 часов');
    expect(hours(21)).toBe('Ваш номер в очереди: 21 · около 21 часа');
    expect(queueStatus(ru, { position: 2, etaS: 10 })).toBe('Ваш номер в очереди: 2 · меньше минуты');
    expect(queueStatus(ru, { position: 1, etaS: null })).toBe('Ваша очередь следующая');
    expect(queueStatus(ru, { position: 7, etaS: null })).toBe('Ваш номер в очереди: 7');
  });

  it('every language writes every plural category its rules can pick for a wait', () => {
    for (const [lang, strings] of Object.entries(LANGUAGES)) {
      const categories = new Intl.PluralRules(lang).resolvedOptions().pluralCategories;
      for (const key of ['waitMinutes', 'waitHours'] as const) expect([lang, key, Object.keys(strings[key]).sort()]).toEqual([lang, key, [...categories].sort()]);
    }
  });
});
