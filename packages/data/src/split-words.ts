import { PythonRandom } from './python-random.js';

/** The three parts of a word list. */
export interface WordSplit {
  train: string[];
  dev: string[];
  test: string[];
}

export interface SplitWordsOptions {
  /** Seed of Python's `random.seed` for the shuffle; default 42, the lecture's. */
  seed?: number;
  /** Shuffle before splitting (default true); false keeps the input order. */
  shuffle?: boolean;
  /** Cut points as fractions of the length: `[0.8, 0.9]` gives 80% / 10% / 10%. */
  fractions?: [number, number];
}

/**
 * The lecture's train/dev/test split: copy the words, `random.seed(42); random.shuffle(words)` with
 * Python's exact stream (`PythonRandom`), then `n1 = int(0.8·n)`, `n2 = int(0.9·n)` and
 * `words[:n1]`, `words[n1:n2]`, `words[n2:]`. The input is not modified. On names.txt the shuffled
 * list begins `yuheng diondre xavien jori juanluis`, as in the lecture.
 *
 * @example
 * ```ts
 * const words = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'];
 * const { train, dev, test } = splitWords(words);
 * console.log(train.join(''), dev.join(''), test.join('')); // hdcifgje a b
 * splitWords(words, { shuffle: false, fractions: [0.5, 0.7] }).dev; // ['f', 'g']
 * ```
 */
export function splitWords(words: readonly string[], options: SplitWordsOptions = {}): WordSplit {
  const { seed = 42, shuffle = true, fractions = [0.8, 0.9] } = options;
  if (!Array.isArray(words)) {
    throw new TypeError(
      `Argument 'words' passed to 'splitWords' must be an array, got ${typeof words}`,
    );
  }
  const [f1, f2] = Array.isArray(fractions) ? fractions : [Number.NaN, Number.NaN];
  if (!(f1 >= 0 && f1 <= f2 && f2 <= 1)) {
    throw new RangeError(
      `Argument 'fractions' passed to 'splitWords' must be [a, b] with 0 ≤ a ≤ b ≤ 1, got ${JSON.stringify(fractions)}`,
    );
  }
  const shuffled = words.slice();
  if (shuffle) new PythonRandom(seed).shuffle(shuffled);
  // Python's int() truncates toward zero; the product is the same double as Python's 0.8*len(words).
  const n1 = Math.floor(f1 * shuffled.length);
  const n2 = Math.floor(f2 * shuffled.length);
  return { train: shuffled.slice(0, n1), dev: shuffled.slice(n1, n2), test: shuffled.slice(n2) };
}
