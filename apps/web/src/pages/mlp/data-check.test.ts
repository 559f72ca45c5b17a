import { splitWords } from '@llm-playground/data';
import { describe, expect, it } from 'vitest';
import { MIN_MLP_WORDS, mlpDataProblem, splitSizes } from './data-check.js';

const list = (n: number) => Array.from({ length: n }, (_, i) => `word${i}`);

describe('mlpDataProblem (issue 10: a one- or two-word list hung on "Preparing the data…")', () => {
  it('refuses lists too small to have training and dev words, saying why and what to do', () => {
    expect(mlpDataProblem(['emma'])).toBe(
      'The MLP needs at least 6 words, and your list has one. The words are split 80/10/10 into training, dev and test words: 1 word gives 0 training and 0 dev words, so there is nothing to train on. Add more words on the Your data page, or go back to the bundled names there.',
    );
    expect(mlpDataProblem(['emma', 'olivia'])).toContain(
      'your list has 2. The words are split 80/10/10 into training, dev and test words: 2 words give 1 training and 0 dev words, so there is nothing to measure the dev loss on.',
    );
    expect(mlpDataProblem(list(5))).toContain('5 words give 4 training and 0 dev words');
  });

  it('accepts 6 words, the first size whose split has a dev word — as splitWords splits them', () => {
    expect(MIN_MLP_WORDS).toBe(6);
    expect(mlpDataProblem(list(6))).toBeNull();
    for (let n = 1; n <= 30; n++) {
      const split = splitWords(list(n), { seed: 42 });
      expect(splitSizes(n), `n = ${n}`).toEqual({
        train: split.train.length,
        dev: split.dev.length,
        test: split.test.length,
      });
    }
  });
});
