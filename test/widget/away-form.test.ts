// What the away form asks: an address only where the brand has e-mail, nothing but the message of a signed-in subscriber.
import { describe, expect, it } from 'vitest';
import { awayFields, checkAway } from '../../widget/sb-panel/away-form';
import { I18n } from '../../widget/i18n';

describe('away form fields', () => {
  it('asks name and address where the brand has e-mail, the name only where it has none, only the message when signed in', () => {
    expect(awayFields(true, false)).toEqual(['name', 'email', 'text']);
    expect(awayFields(false, false)).toEqual(['name', 'text']);
    expect(awayFields(true, true)).toEqual(['text']);
    expect(awayFields(false, true)).toEqual(['text']);
  });

  it('checks only the fields it asked for', () => {
    const i18n = new I18n('en');
    const values: Record<string, string> = { name: '', email: 'not-an-address', text: 'hi' };
    expect(Object.keys(checkAway(i18n, awayFields(true, false), (k) => values[k] ?? ''))).toEqual(['name', 'email']);
    expect(checkAway(i18n, awayFields(false, true), (k) => values[k] ?? '')).toEqual({});
  });
});
