import { describe, expect, it } from 'vitest';
import { markSamples, summarizeMarks } from './samples.js';

describe('markSamples', () => {
  it('marks training words, held-out real words and new words', () => {
    const marked = markSamples(
      ['emma', 'zoe', 'brandolin', 'emma', ''],
      new Set(['emma', 'ava']),
      new Set(['emma', 'ava', 'zoe']),
    );
    expect(marked.map((m) => m.mark)).toEqual(['train', 'held-out', 'new', 'train', 'new']);
    expect(summarizeMarks(marked)).toEqual({ new: 2, train: 2, 'held-out': 1 });
  });

  it('a training word counts as training even if the full list lacks it', () => {
    expect(markSamples(['x'], new Set(['x']), new Set())[0].mark).toBe('train');
  });
});
