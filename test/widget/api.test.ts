// The loader's queue and the public Switchboard(...) API, without a browser.
import { describe, expect, it, vi } from 'vitest';
import { createApi, installGlobal, parseBoot } from '../../widget/core/api';
import type { WidgetController } from '../../widget/core/api';

function controller(): WidgetController & { calls: unknown[][] } {
  const calls: unknown[][] = [];
  const rec = (name: string) => (...args: unknown[]) => void calls.push([name, ...args]);
  return { calls, boot: rec('boot'), open: rec('open'), close: rec('close'), toggle: rec('toggle'), identify: rec('identify'), setAttributes: rec('setAttributes'), on: rec('on'), shutdown: rec('shutdown') };
}

describe('Switchboard(...) before and after the script loads', () => {
  it('replays calls queued before load, in order', () => {
    const win: { Switchboard?: any } = {};
    // The snippet a partner pastes: queue calls until the real script arrives.
    win.Switchboard = function (...args: unknown[]) {
      (win.Switchboard.q = win.Switchboard.q || []).push(args);
    };
    win.Switchboard('boot', { brand: 'operator', plan: 'gold' });
    win.Switchboard('open');
    const c = controller();
    expect(installGlobal(win, () => c, '1')).toBe(true);
    expect(c.calls).toEqual([['boot', { brand: 'operator', channel: 'web', attributes: { plan: 'gold' } }], ['open']]);
    win.Switchboard('close');
    expect(c.calls.at(-1)).toEqual(['close']);
  });

  it('a second copy of the script does nothing', () => {
    const win: { Switchboard?: any } = {};
    const first = controller();
    const second = controller();
    installGlobal(win, () => first, '1');
    const api = win.Switchboard;
    expect(installGlobal(win, () => second, '1')).toBe(false);
    expect(win.Switchboard).toBe(api);
    win.Switchboard('toggle');
    expect(first.calls).toEqual([['toggle']]);
    expect(second.calls).toEqual([]);
  });

  it('a bad queued call is reported and does not stop the good ones after it', () => {
    const win: { Switchboard?: any } = { Switchboard: Object.assign(() => {}, { q: [['explode'], ['open']] }) };
    const c = controller();
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    installGlobal(win, () => c, '1');
    expect(c.calls).toEqual([['open']]);
    expect(String(spy.mock.calls[0]?.[0])).toMatch(/unknown command "explode"/);
    spy.mockRestore();
  });
});

describe('bad arguments throw a clear error', () => {
  const api = createApi(controller());
  it.each([
    [['boot'], /boot needs an options object/],
    [['boot', {}], /boot needs `brand`/],
    [['boot', { brand: 'operator', channel: 'fax' }], /channel must be one of web, app, modem/],
    [['boot', { brand: 'operator', identityToken: 42 }], /identityToken must be a non-empty string/],
    [['boot', { brand: 'operator', plan: { nested: true } }], /attribute "plan" must be a string, number or boolean/],
    [['identify'], /identify needs the identity token/],
    [['on', 'explode', () => {}], /on: event must be one of ready, open, close, message, unread/],
    [['on', 'open', 'not a function'], /second argument must be a function/],
    [['setAttributes', 'x'], /setAttributes must be an object/],
    [['teleport'], /unknown command "teleport"/],
  ])('%j', (args, message) => {
    expect(() => (api as (...a: unknown[]) => void)(...args)).toThrow(message);
  });

  it('boot keeps the widget keys apart from user attributes', () => {
    expect(parseBoot({ brand: 'mvno', channel: 'modem', locale: 'ru', identityToken: 't', name: 'Ivan', attributes: { tariff: 'S' } })).toEqual({
      brand: 'mvno',
      channel: 'modem',
      locale: 'ru',
      identityToken: 't',
      attributes: { name: 'Ivan', tariff: 'S' },
    });
  });
});
