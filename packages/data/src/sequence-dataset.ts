import type { CharTokenizer } from './char-tokenizer.js';
import { buildContexts } from './context-dataset.js';

/** What each example's targets are: the next token (`[B]`) or the next token at every position (`[B, T]`). */
export type SequenceTargets = 'next' | 'all';

/**
 * Examples for sequence models (RNNs, transformers): contexts `[length, blockSize]` with targets
 * `[length]` (`'next'`: the token after the context) or `[length, blockSize]` (`'all'`: at every
 * position t, the token after position t — a transformer's causal objective).
 */
export interface SequenceDataset {
  /** The contexts, `length × blockSize`, row-major (0 before a word's start, as `buildContexts`). */
  X: Int32Array;
  /** `'next'`: `length` targets; `'all'`: `length × blockSize`, row-major, `ignoreIndex` where masked. */
  Y: Int32Array;
  length: number;
  blockSize: number;
  targets: SequenceTargets;
  /** The target value of masked positions (`'all'` only): pass it to `crossEntropy`'s `ignoreIndex`. */
  ignoreIndex: number;
}

/**
 * The lecture's sliding contexts (`buildContexts`) with the targets a sequence model needs.
 * With `targets: 'all'`, position t of example i predicts the token after it: `X[i, t + 1]` for
 * t < blockSize − 1 and the example's next token at the last position. Positions whose successor is
 * still left padding (the boundary tokens before a word starts) predict nothing: their target is
 * `ignoreIndex` (default −1, as in Karpathy's makemore; PyTorch's `cross_entropy` default is −100).
 * Inside a context, 0 is always padding: the boundary `.` ends a word only as a target.
 *
 * @example
 * ```ts
 * const tokenizer = CharTokenizer.fromWords(['emma']);
 * const { X, Y, length } = buildSequences(['emma'], tokenizer, 3, { targets: 'all' });
 * length; // 5
 * const row = (a: Int32Array, i: number) => Array.from(a.subarray(3 * i, 3 * i + 3));
 * row(X, 1); // [0, 0, 2]
 * row(Y, 1); // [-1, 2, 3]
 * row(Y, 4); // [3, 1, 0]
 * ```
 */
export function buildSequences(
  words: readonly string[],
  tokenizer: CharTokenizer,
  blockSize: number,
  options: { targets?: SequenceTargets; ignoreIndex?: number } = {},
): SequenceDataset {
  const targets = options.targets ?? 'next';
  if (targets !== 'next' && targets !== 'all') {
    throw new RangeError(
      `Argument 'targets' passed to 'buildSequences' must be 'next' or 'all', got ${JSON.stringify(targets)}`,
    );
  }
  const ignoreIndex = options.ignoreIndex ?? -1;
  if (!Number.isInteger(ignoreIndex) || (ignoreIndex >= 0 && ignoreIndex < tokenizer.vocabSize)) {
    throw new RangeError(
      `Argument 'ignoreIndex' passed to 'buildSequences' must be an integer outside the token ids 0…${tokenizer.vocabSize - 1}, got ${ignoreIndex}`,
    );
  }
  const { X, Y: next, length } = buildContexts(words, tokenizer, blockSize);
  if (targets === 'next') return { X, Y: next, length, blockSize, targets, ignoreIndex };
  const T = blockSize;
  const Y = new Int32Array(length * T);
  for (let i = 0; i < length; i++) {
    const row = i * T;
    for (let t = 0; t < T - 1; t++) {
      const following = X[row + t + 1];
      Y[row + t] = following === 0 ? ignoreIndex : following;
    }
    Y[row + T - 1] = next[i];
  }
  return { X, Y, length, blockSize, targets, ignoreIndex };
}

/**
 * Copies examples `indices` into a batch: `X` `[B, T]` and `Y` `[B]` or `[B, T]` as typed arrays
 * (wrap them in tensors with the shapes `[indices.length, blockSize]` and `[indices.length]` /
 * `[indices.length, blockSize]`).
 *
 * @example
 * ```ts
 * const data = buildSequences(['ab'], CharTokenizer.fromWords(['ab']), 2, { targets: 'all' });
 * const batch = gatherSequences(data, [2, 0]);
 * Array.from(batch.X); // [1, 2, 0, 0]
 * Array.from(batch.Y); // [2, 0, -1, 1]
 * ```
 */
export function gatherSequences(
  data: SequenceDataset,
  indices: ArrayLike<number>,
): { X: Int32Array; Y: Int32Array } {
  const T = data.blockSize;
  const perY = data.targets === 'all' ? T : 1;
  const X = new Int32Array(indices.length * T);
  const Y = new Int32Array(indices.length * perY);
  for (let b = 0; b < indices.length; b++) {
    const i = indices[b];
    if (!Number.isInteger(i) || i < 0 || i >= data.length) {
      throw new RangeError(`index ${i} is out of bounds for dimension 0 with size ${data.length}`);
    }
    X.set(data.X.subarray(i * T, (i + 1) * T), b * T);
    Y.set(data.Y.subarray(i * perY, (i + 1) * perY), b * perY);
  }
  return { X, Y };
}
