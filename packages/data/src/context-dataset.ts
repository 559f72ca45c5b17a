import { checkArguments } from './bigram-dataset.js';
import type { CharTokenizer } from './char-tokenizer.js';
import { countCodePoints } from './char-tokenizer.js';

/** Fixed-length contexts and the token that follows each, as typed arrays. */
export interface ContextDataset {
  /** The contexts, `length × blockSize`, row-major: row `i` is `X[i·blockSize … (i+1)·blockSize)`. */
  X: Int32Array;
  /** The token after each context. */
  Y: Int32Array;
  /** Number of examples: the sum over words of (characters + 1). */
  length: number;
  /** Tokens per context. */
  blockSize: number;
}

/**
 * The lecture's `build_dataset` (makemore part 2): for each word, start from a context of
 * `blockSize` boundary tokens; for each character of `word + '.'`, emit (context, character) and
 * slide the context left by one. Two passes (count, then fill) into preallocated `Int32Array`s;
 * example `t` of a word reads its context straight from the word's ids (`ids[t − blockSize + j]`,
 * or the boundary 0 before the word starts), so there are no per-example arrays.
 *
 * @example
 * ```ts
 * const tokenizer = CharTokenizer.fromWords(['emma']);
 * const { X, Y, length } = buildContexts(['emma'], tokenizer, 3);
 * length; // 5
 * const context = (i: number) => tokenizer.decode(X.subarray(3 * i, 3 * i + 3));
 * const rows = Array.from({ length }, (_, i) => `${context(i)} ---> ${tokenizer.itos[Y[i]]}`);
 * console.log(rows.join('\n'));
 * // ... ---> e
 * // ..e ---> m
 * // .em ---> m
 * // emm ---> a
 * // mma ---> .
 * ```
 */
export function buildContexts(
  words: readonly string[],
  tokenizer: CharTokenizer,
  blockSize: number,
): ContextDataset {
  checkArguments('buildContexts', words, tokenizer);
  if (!Number.isInteger(blockSize) || blockSize < 1) {
    throw new RangeError(
      `Argument 'blockSize' passed to 'buildContexts' must be a positive integer, got ${blockSize}`,
    );
  }
  let length = 0;
  let longest = 0;
  for (let w = 0; w < words.length; w++) {
    const n = countCodePoints(words[w]);
    length += n + 1;
    if (n > longest) longest = n;
  }
  const X = new Int32Array(length * blockSize); // zero-filled: the boundary id is 0
  const Y = new Int32Array(length);
  const ids = new Int32Array(longest);
  const B = blockSize;
  let k = 0;
  for (let w = 0; w < words.length; w++) {
    const n = tokenizer.encodeInto(words[w], ids, 0, w);
    for (let t = 0; t <= n; t++, k++) {
      // Context of example t: ids[t − B … t), with positions before the word left at 0.
      const row = k * B;
      for (let j = Math.max(0, B - t); j < B; j++) X[row + j] = ids[t - B + j];
      Y[k] = t < n ? ids[t] : 0;
    }
  }
  return { X, Y, length, blockSize };
}
