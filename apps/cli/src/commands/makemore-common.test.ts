import { describe, expect, it } from 'vitest';
import { formatSamples, samplesOption } from './makemore-common.js';

describe('formatSamples', () => {
  it('aligns the new/seen column', () => {
    expect(formatSamples(['junide', 'a'], [true, false])).toEqual([
      '2 samples: 1 new, 1 seen in the data',
      '  junide  new',
      '  a       seen',
    ]);
  });

  it('lists 150,000 samples without overflowing the stack', () => {
    const words = Array.from({ length: 150_000 }, (_, k) => (k === 7 ? 'abcdefghij' : 'ab'));
    const lines = formatSamples(words, new Array(150_000).fill(true));
    expect(lines).toHaveLength(150_001);
    expect(lines[1]).toBe(`  ab${' '.repeat(8)}  new`);
  });
});

describe('samplesOption', () => {
  it('is -n, --samples with --count as an alias, for sample, bigram and train alike', () => {
    expect(samplesOption('5', 'names to sample')).toMatchObject({
      name: 'samples',
      short: 'n',
      aliases: ['count'],
    });
  });
});
