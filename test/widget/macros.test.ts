// Macro texts: the one render the inbox previews and the server sends, and the composer's choices
// around an armed macro (what a send posts, when it is disarmed, the chips in the picker).
import { describe, expect, it } from 'vitest';
import { MacroActions, holdClock, macroValues, renderMacro } from '../../protocol';
import type { CannedReply, MacroValues } from '../../protocol';
import * as v from 'valibot';
import { actionChips, previewMacro, runText, stillArmed } from '../../inbox/core/macros';

const values = (over: Partial<MacroValues> = {}): MacroValues => ({ 'contact.name': 'Ivan', 'agent.name': 'Anna', 'conversation.number': '42', 'hold.until': '14:30', ...over });

describe('renderMacro', () => {
  it('fills in every variable, with or without spaces inside the braces', () => {
    const r = renderMacro('Hi {{contact.name}}, {{ agent.name }} here about #{{conversation.number}}; back by {{hold.until}}.', values());
    expect(r).toEqual({ text: 'Hi Ivan, Anna here about #42; back by 14:30.', unknown: [], unavailable: [] });
  });

  it('leaves unknown variables as written and lists them once', () => {
    const r = renderMacro('Hi {{contact.nmae}} and {{contact.nmae}}, {{agent.name}} {{}}', values());
    expect(r.text).toBe('Hi {{contact.nmae}} and {{contact.nmae}}, Anna {{}}');
    expect(r.unknown).toEqual(['contact.nmae', '']);
  });

  it('leaves a variable with no value as written and lists it as unavailable', () => {
    const r = renderMacro('Back by {{hold.until}}', values({ 'hold.until': null }));
    expect(r).toEqual({ text: 'Back by {{hold.until}}', unknown: [], unavailable: ['hold.until'] });
  });

  it('drops a missing contact name with the space or comma that led to it', () => {
    const none = values({ 'contact.name': '' });
    expect(renderMacro('Thanks, {{contact.name}}! Bye', none).text).toBe('Thanks! Bye');
    expect(renderMacro('Hi {{contact.name}}, this is Anna', none).text).toBe('Hi, this is Anna');
    expect(renderMacro('Thanks {{contact.name}}!', none).text).toBe('Thanks!');
    expect(renderMacro('{{contact.name}}, your modem is fine', none).text).toBe('your modem is fine');
    expect(renderMacro('Hi, {{contact.name}}, thanks', none).text).toBe('Hi, thanks');
  });

  it('keeps the lead and the comma around a name that is there', () => {
    expect(renderMacro('Thanks, {{contact.name}}, bye', values()).text).toBe('Thanks, Ivan, bye');
  });

  it('treats a name of only spaces as missing', () => {
    expect(macroValues({ contactName: '  ', agentName: 'Anna', number: 7, holdUntil: null, locale: 'en' })['contact.name']).toBe('');
  });
});

describe('holdClock', () => {
  const at = Date.UTC(2025, 0, 2, 9, 5);
  it('writes HH:MM, 24-hour, in UTC, in English and Russian alike', () => {
    expect(holdClock(at, 'en')).toBe('09:05');
    expect(holdClock(at, 'ru')).toBe('09:05');
    expect(holdClock(Date.UTC(2025, 0, 2, 23, 59), 'en')).toBe('23:59');
  });

  it('falls back to plain digits for a locale Intl cannot read', () => {
    expect(holdClock(at, 'not a locale!')).toBe('09:05');
  });
});

describe('MacroActions', () => {
  it('takes a hold within 7 days, and not a hold with a resolve', () => {
    expect(v.safeParse(MacroActions, { topic: 'roaming', holdMinutes: 15 }).success).toBe(true);
    expect(v.safeParse(MacroActions, { holdMinutes: 10_081 }).success).toBe(false);
    expect(v.safeParse(MacroActions, { holdMinutes: 0 }).success).toBe(false);
    expect(v.safeParse(MacroActions, { holdMinutes: 15, resolve: true }).success).toBe(false);
    expect(v.safeParse(MacroActions, { holdNote: 'x' }).success).toBe(false);
    expect(v.safeParse(MacroActions, { priority: 'asap' }).success).toBe(false);
  });
});

const roaming: CannedReply = { id: 'm1', shortcut: 'roaming-reset', title: 'Roaming reset', text: 'Hi {{contact.name}}, back by {{hold.until}}', actions: { topic: 'roaming', holdMinutes: 15 } };

describe('the composer and an armed macro', () => {
  it('previews the hold the macro would set from now', () => {
    const now = Date.UTC(2025, 0, 2, 9, 5);
    const r = previewMacro(roaming, { contactName: 'Ivan', agentName: 'Anna', number: 3, locale: 'en' }, now);
    expect(r.text).toBe('Hi Ivan, back by 09:20');
  });

  it('leaves {{hold.until}} as written for a macro that sets no hold, on hold or not (its reply would end that hold)', () => {
    const plain = { ...roaming, actions: {} };
    const ctx = { contactName: null, agentName: 'Anna', number: 3, locale: 'en' };
    expect(previewMacro(plain, ctx, 0).text).toBe('Hi, back by {{hold.until}}');
    expect(previewMacro(plain, ctx, 0).unavailable).toEqual(['hold.until']);
  });

  it('posts no text for an unchanged preview (the server renders it), the edit otherwise', () => {
    const armed = { id: 'm1', shortcut: 'roaming-reset', preview: 'Hi Ivan', clientId: 'c1' };
    expect(runText(armed, 'Hi Ivan')).toBeUndefined();
    expect(runText(armed, 'Hi Ivan, one more thing')).toBe('Hi Ivan, one more thing');
  });

  it('is disarmed by clearing the text', () => {
    const armed = { id: 'm1', shortcut: 's', preview: 'x', clientId: 'c1' };
    expect(stillArmed(armed, 'edited')).toBe(true);
    expect(stillArmed(armed, '  ')).toBe(false);
    expect(stillArmed(null, 'x')).toBe(false);
  });

  it('names each action in a chip, the topic by its label', () => {
    expect(actionChips({ topic: 'roaming', priority: 'high', holdMinutes: 90, resolve: true }, [{ key: 'roaming', label: 'Roaming' }])).toEqual(['Topic: Roaming', 'Priority: high', 'Hold 90 min', 'Resolves']);
    expect(actionChips({ holdMinutes: 120 })).toEqual(['Hold 2 h']);
    expect(actionChips({})).toEqual([]);
  });
});
