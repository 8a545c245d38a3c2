// The thread's lines as clients keep them: once each, in seq order, one rating per resolution.
import { describe, expect, it } from 'vitest';
import { foldRatings, withLine } from '../../protocol';
import type { SystemLine } from '../../protocol';

const at = 1000;
const resolved = (seq: number): SystemLine => ({ seq, at, by: 'Anna', kind: 'resolved' });
const rated = (seq: number, score: 'good' | 'bad', comment: string | null = null): SystemLine => ({ seq, at, by: null, kind: 'rated', score, comment });
const reopened = (seq: number): SystemLine => ({ seq, at, by: null, kind: 'reopened', byCustomer: true });

describe('thread lines', () => {
  it('are kept once each and in seq order, whatever order they arrive in', () => {
    let lines: SystemLine[] = [];
    for (const l of [resolved(3), { seq: 1, at, by: 'Anna', kind: 'assigned', to: 'Anna' } as SystemLine, resolved(3)]) lines = withLine(lines, l);
    expect(lines.map((l) => l.seq)).toEqual([1, 3]);
  });

  it('show the last rating of a resolution only, and a new one after a reopening', () => {
    let lines = [resolved(1)];
    lines = withLine(lines, rated(2, 'bad'));
    lines = withLine(lines, rated(3, 'bad', 'Took too long'));
    expect(lines).toEqual([resolved(1), rated(3, 'bad', 'Took too long')]);
    lines = withLine(withLine(withLine(lines, reopened(4)), resolved(5)), rated(6, 'good'));
    expect(lines.map((l) => l.seq)).toEqual([1, 3, 4, 5, 6]);
    expect(foldRatings([resolved(1), rated(2, 'good'), rated(3, 'bad'), rated(4, 'good', 'ok')])).toEqual([resolved(1), rated(4, 'good', 'ok')]);
  });
});
