// When the widget may thank the customer for their rating: only for what the server shows saved.
import { describe, expect, it } from 'vitest';
import { ratingSaved } from '../../widget/sb-panel/csat-form';

describe('ratingSaved', () => {
  it('thanks once the saved score and submitted comment are what was sent', () => {
    expect(ratingSaved(null, { score: 'good', comment: null }, '')).toBe(false);
    expect(ratingSaved({ score: 'good', comment: null }, { score: 'good', comment: null }, '')).toBe(true);
    // The comment is sent, the server still shows the score alone.
    expect(ratingSaved({ score: 'good', comment: null }, { score: 'good', comment: 'quick' }, 'quick')).toBe(false);
    expect(ratingSaved({ score: 'good', comment: 'quick' }, { score: 'good', comment: 'quick' }, 'quick')).toBe(true);
    // Another score sent, the old one still saved.
    expect(ratingSaved({ score: 'good', comment: 'quick' }, { score: 'bad', comment: 'quick' }, 'quick')).toBe(false);
  });

  it('no thanks while a comment is typed but not submitted', () => {
    expect(ratingSaved({ score: 'good', comment: null }, { score: 'good', comment: null }, 'half a tho')).toBe(false);
    expect(ratingSaved({ score: 'good', comment: 'quick' }, { score: 'good', comment: 'quick' }, 'quick, but')).toBe(false);
    // Whitespace around what was sent is not a new comment.
    expect(ratingSaved({ score: 'good', comment: 'quick' }, { score: 'good', comment: 'quick' }, ' quick \n')).toBe(true);
  });

  it('a rating saved before this page (a reload) is thanked for', () => {
    expect(ratingSaved({ score: 'bad', comment: 'slow' }, null, '')).toBe(true);
    expect(ratingSaved({ score: 'bad', comment: 'slow' }, null, 'something new')).toBe(false);
  });
});
