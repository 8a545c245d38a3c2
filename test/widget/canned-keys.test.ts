// What Enter does in the agent's composer around the canned-reply picker: insert the chosen reply,
// send, or nothing — so a `/word` that matches no reply never reaches the customer by accident.
import { describe, expect, it } from 'vitest';
import { cannedQuery, enterAction } from '../../inbox/core/canned-keys';

describe('cannedQuery', () => {
  it('is open for `/` and one word at the start, and closed once Escape closed it', () => {
    expect(cannedQuery('/', false)).toBe('');
    expect(cannedQuery('/bil', false)).toBe('bil');
    expect(cannedQuery('/bil', true)).toBeNull();
  });

  it('is not open for a slash later in the text, or a `/` followed by a sentence', () => {
    expect(cannedQuery('see 1/2', false)).toBeNull();
    expect(cannedQuery('/shrug it happens', false)).toBeNull();
    expect(cannedQuery(' /bil', false)).toBeNull();
    expect(cannedQuery('/bil\n', false)).toBeNull();
  });
});

describe('enterAction', () => {
  it('inserts when the open picker has a match (one or several)', () => {
    expect(enterAction('/bill', false, 1)).toBe('insert');
    expect(enterAction('/', false, 5)).toBe('insert');
  });

  it('does nothing when the open picker has no match (or is still loading / failed)', () => {
    expect(enterAction('/bil', false, 0)).toBe('nothing');
    expect(enterAction('/', false, 0)).toBe('nothing');
  });

  it('sends the text as typed once Escape closed the picker', () => {
    expect(enterAction('/bil', true, 0)).toBe('send');
  });

  it('sends ordinary text, slashes later in it, and a `/` followed by a sentence', () => {
    expect(enterAction('Hello there', false, 0)).toBe('send');
    expect(enterAction('see 1/2', false, 0)).toBe('send');
    expect(enterAction('/shrug it happens', false, 0)).toBe('send');
  });
});
