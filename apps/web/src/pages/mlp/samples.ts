/**
 * Which sampled names the model made up and which it repeated: a name in the training split was
 * seen during training; a name elsewhere in the word list (dev or test) is real but was held out,
 * so producing it is a small success of generalisation; anything else is new.
 */

export type SampleMark = 'new' | 'train' | 'held-out';

export interface MarkedSample {
  word: string;
  mark: SampleMark;
}

/**
 * Marks each sample against the training words and the whole word list.
 *
 * @example
 * ```ts
 * markSamples(['emma', 'zoe', 'brandolin'], new Set(['emma']), new Set(['emma', 'zoe']));
 * // [{ word: 'emma', mark: 'train' }, { word: 'zoe', mark: 'held-out' }, { word: 'brandolin', mark: 'new' }]
 * ```
 */
export function markSamples(
  words: readonly string[],
  trainWords: ReadonlySet<string>,
  allWords: ReadonlySet<string>,
): MarkedSample[] {
  return words.map((word) => ({
    word,
    mark: trainWords.has(word) ? 'train' : allWords.has(word) ? 'held-out' : 'new',
  }));
}

/** Counts of each mark, for a one-line summary ("7 new, 2 in the training set, 1 held out"). */
export function summarizeMarks(samples: readonly MarkedSample[]): Record<SampleMark, number> {
  const counts: Record<SampleMark, number> = { new: 0, train: 0, 'held-out': 0 };
  for (const s of samples) counts[s.mark]++;
  return counts;
}
