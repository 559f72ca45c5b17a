/**
 * Which data a checkpoint was trained on: a fingerprint of the word list (SHA-256 of the words
 * joined by '\n', and their count) and of its train/dev/test split (seed, fractions, sizes), saved
 * in checkpoint.json. Comparing it with the data at hand catches `--resume -i OTHER` (another data
 * set) and a list that grew since (its dev/test words were re-split and may have been trained on).
 */
import { createHash } from 'node:crypto';

/** How a word list was split (see `splitWords` in @llm-playground/data). */
export interface SplitFingerprint {
  /** The seed of Python's `random.seed` for the shuffle. */
  seed: number;
  /** The cut points, `[0.8, 0.9]` for 80% / 10% / 10%. */
  fractions: [number, number];
  /** Sizes of the parts, in words. */
  train: number;
  dev: number;
  test: number;
}

/** The identity of a training data set; saved in checkpoint.json as `data`. */
export interface DataFingerprint {
  /** Number of words in the list. */
  words: number;
  /** SHA-256 (hex) of the words joined by '\n' (order matters). */
  sha256: string;
  /** The split, when the data was split. */
  split?: SplitFingerprint;
}

/**
 * Fingerprints a word list and, optionally, its split.
 *
 * @example
 * ```ts
 * const fingerprint = dataFingerprint(['emma', 'olivia'], { seed: 42, fractions: [0.8, 0.9], train: 1, dev: 0, test: 1 });
 * fingerprint.words; // 2
 * fingerprint.sha256.length; // 64
 * ```
 */
export function dataFingerprint(
  words: readonly string[],
  split?: SplitFingerprint,
): DataFingerprint {
  if (!Array.isArray(words)) {
    throw new TypeError(
      `Argument 'words' passed to 'dataFingerprint' must be an array of strings, got ${typeof words}`,
    );
  }
  const hash = createHash('sha256');
  // Chunked: one string of 1,000,000 words joined would be a second copy of the whole list.
  const chunk = 65_536;
  for (let start = 0; start < words.length; start += chunk) {
    const part = words.slice(start, start + chunk).join('\n');
    hash.update(start === 0 ? part : `\n${part}`);
  }
  const fingerprint: DataFingerprint = { words: words.length, sha256: hash.digest('hex') };
  if (split !== undefined) {
    const { seed, fractions, train, dev, test } = split;
    if (train + dev + test !== words.length) {
      throw new RangeError(
        `Argument 'split' passed to 'dataFingerprint' has ${train} + ${dev} + ${test} words, but the list has ${words.length}`,
      );
    }
    fingerprint.split = { seed, fractions: [fractions[0], fractions[1]], train, dev, test };
  }
  return fingerprint;
}

/** The outcome of `compareDataFingerprint`. */
export interface DataComparison {
  /** True when the data and the split are the checkpoint's. */
  same: boolean;
  /** `'words'` (another list), `'split'` (same list, split differently), or undefined when same. */
  difference?: 'words' | 'split';
  /** One paragraph for the user: what differs and what the numbers now mean (empty when same). */
  message: string;
}

function plural(n: number, noun: string): string {
  return `${String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',')} ${noun}${n === 1 ? '' : 's'}`;
}

/**
 * Compares the data a checkpoint was trained on (`recorded`, from `Checkpoint.data`) with the data
 * at hand (`current`, from `dataFingerprint`). The CLI refuses `--resume` on a mismatch and warns
 * on `eval`. `recorded` undefined (a checkpoint saved before fingerprints) counts as the same, with
 * a message saying it cannot be checked.
 *
 * @example
 * ```ts
 * const then = dataFingerprint(['ann', 'bob']);
 * compareDataFingerprint(then, dataFingerprint(['ann', 'bob'])).same; // true
 * compareDataFingerprint(then, dataFingerprint(['ann', 'bob', 'cy'])).difference; // 'words'
 * ```
 */
export function compareDataFingerprint(
  recorded: DataFingerprint | undefined,
  current: DataFingerprint,
): DataComparison {
  if (recorded === undefined) {
    return {
      same: true,
      message:
        'this checkpoint records no data fingerprint (saved by an older version): cannot check that the data is the one it was trained on',
    };
  }
  if (recorded.sha256 !== current.sha256 || recorded.words !== current.words) {
    const counts =
      recorded.words === current.words
        ? `both ${plural(current.words, 'word')}, but different words or order`
        : `${plural(current.words, 'word')} now, ${plural(recorded.words, 'word')} when trained`;
    return {
      same: false,
      difference: 'words',
      message:
        `the word list is not the one this checkpoint was trained on (${counts}): ` +
        'its train/dev/test split differs, so dev and test losses mix in words the model trained on ' +
        '(they no longer estimate performance on unseen words), and resuming would train on other data. ' +
        'Pass the original list with -i, or start a new run.',
    };
  }
  const a = recorded.split;
  const b = current.split;
  if (a && b) {
    const differs =
      a.seed !== b.seed ||
      a.fractions[0] !== b.fractions[0] ||
      a.fractions[1] !== b.fractions[1] ||
      a.train !== b.train ||
      a.dev !== b.dev ||
      a.test !== b.test;
    if (differs) {
      return {
        same: false,
        difference: 'split',
        message:
          `the same word list is split differently (now seed ${b.seed}, ${b.train}/${b.dev}/${b.test} words; ` +
          `when trained seed ${a.seed}, ${a.train}/${a.dev}/${a.test}): dev and test now hold words the model trained on, ` +
          'so their losses are optimistic. Use the split of the checkpoint.',
      };
    }
  }
  return { same: true, message: '' };
}
