import { describe, expect, it } from 'vitest';
import { maskText } from '../../worker/privacy/mask';

describe('maskText', () => {
  it.each([
    ['call me on +7 (916) 123-45-67 please', 'call me on +• (•••) •••-••-67 please'],
    ['my number is 89161234567', 'my number is •••••••••67'],
    ['passport 4510 123456', 'passport •••• ••••56'],
    ['document AB1234567 expired', 'document AB•••••67 expired'],
    ['id card XY 654321', 'id card •• ••••21'],
  ])('%s', (input, expected) => {
    expect(maskText(input)).toEqual({ text: expected, masked: true });
  });

  it('leaves ordinary numbers alone', () => {
    for (const text of ['ticket 12345', 'I paid 1 500 rubles', 'order #998877', 'see you at 14:30 on 22.11']) {
      expect(maskText(text)).toEqual({ text, masked: false });
    }
  });
});
