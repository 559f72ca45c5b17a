/**
 * Whether a word list can train the MLP page's model, in the learner's words. The words are
 * split 80/10/10 (`floor(0.8·n)` training words, `floor(0.9·n) − floor(0.8·n)` dev words, as
 * `splitWords` does), so a list of under 6 words leaves the dev split empty (or the training
 * split, for one word): nothing to train on or to measure generalisation on.
 */

/** The sizes of the 80/10/10 split of `n` words. */
export function splitSizes(n: number): { train: number; dev: number; test: number } {
  const n1 = Math.floor(0.8 * n);
  const n2 = Math.floor(0.9 * n);
  return { train: n1, dev: n2 - n1, test: n - n2 };
}

/** The fewest words whose split has training and dev words (6: 4 / 1 / 1). */
export const MIN_MLP_WORDS = (() => {
  let n = 1;
  while (splitSizes(n).train === 0 || splitSizes(n).dev === 0) n++;
  return n;
})();

/**
 * A message saying why `words` cannot be used here and what to do, or null when they can.
 *
 * @example
 * ```ts
 * mlpDataProblem(['emma', 'olivia']); // 'The MLP needs at least 6 words …'
 * ```
 */
export function mlpDataProblem(words: readonly string[]): string | null {
  const n = words.length;
  const { train, dev } = splitSizes(n);
  if (train > 0 && dev > 0) return null;
  return (
    `The MLP needs at least ${MIN_MLP_WORDS} words, and your list has ${n === 1 ? 'one' : n}. ` +
    'The words are split 80/10/10 into training, dev and test words: ' +
    `${n} ${n === 1 ? 'word gives' : 'words give'} ${train} training and ${dev} dev words, so there is ` +
    `nothing to ${train === 0 ? 'train on' : 'measure the dev loss on'}. ` +
    'Add more words on the Your data page, or go back to the bundled names there.'
  );
}
