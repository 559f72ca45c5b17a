import { describe, expect, it } from 'vitest';
import { PythonRandom } from './python-random.js';
import { splitWords } from './split-words.js';

describe('splitWords', () => {
  const words = Array.from({ length: 103 }, (_, i) => `w${i}`);

  it("is the lecture's split: random.seed(42); random.shuffle; 80% / 10% / 10%", () => {
    const { train, dev, test } = splitWords(words);
    const shuffled = new PythonRandom(42).shuffle(words.slice());
    expect(train).toEqual(shuffled.slice(0, 82)); // int(0.8 * 103) = 82
    expect(dev).toEqual(shuffled.slice(82, 92)); // int(0.9 * 103) = 92
    expect(test).toEqual(shuffled.slice(92));
    expect(words[0]).toBe('w0'); // the input is not modified
  });

  it('follows the seed, and can keep the order', () => {
    expect(splitWords(words, { seed: 1 }).train).toEqual(
      new PythonRandom(1).shuffle(words.slice()).slice(0, 82),
    );
    expect(splitWords(words, { seed: 1 }).train).not.toEqual(splitWords(words).train);
    const ordered = splitWords(words, { shuffle: false, fractions: [0.5, 0.5] });
    expect(ordered.train).toEqual(words.slice(0, 51));
    expect(ordered.dev).toEqual([]);
    expect(ordered.test).toEqual(words.slice(51));
  });

  it('truncates like Python int() after the same double product', () => {
    const ten = words.slice(0, 10);
    const split = splitWords(ten, { shuffle: false, fractions: [0.7, 0.9] });
    expect([split.train.length, split.dev.length, split.test.length]).toEqual([7, 2, 1]);
    // 0.3 * 10 is 3.0000000000000004 in doubles, in Python too: int() gives 3.
    expect(splitWords(ten, { shuffle: false, fractions: [0.3, 1] }).train.length).toBe(3);
    // 0.29 * 100 is 28.999999999999996: Python's int() gives 28, not 29.
    const hundred = words.slice(0, 100);
    expect(splitWords(hundred, { shuffle: false, fractions: [0.29, 1] }).train.length).toBe(28);
    expect(splitWords([]).train).toEqual([]);
  });

  it('rejects fractions out of order or range', () => {
    for (const fractions of [
      [0.9, 0.8],
      [-0.1, 0.5],
      [0.5, 1.1],
    ] as [number, number][]) {
      expect(() => splitWords(words, { fractions })).toThrow(
        `Argument 'fractions' passed to 'splitWords' must be [a, b] with 0 ≤ a ≤ b ≤ 1, got ${JSON.stringify(fractions)}`,
      );
    }
  });
});
