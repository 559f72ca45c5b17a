import { CharTokenizer, countCodePoints } from './char-tokenizer.js';

/** Every (current, next) token pair of the words, as two parallel typed arrays. */
export interface BigramDataset {
  /** Current tokens (inputs). */
  xs: Int32Array;
  /** Next tokens (targets). */
  ys: Int32Array;
  /** Number of pairs: the sum over words of (characters + 1). */
  length: number;
}

/**
 * The bigram pairs of makemore part 1: for each word, `chs = ['.'] + list(w) + ['.']` and every
 * consecutive pair `(ch1, ch2)` becomes `xs[k] = stoi[ch1]`, `ys[k] = stoi[ch2]`, in word order.
 * Two passes over the words (count, then fill) into preallocated `Int32Array`s, so a large file
 * costs two typed arrays and no per-pair objects. names.txt gives 228,146 pairs.
 *
 * @example
 * ```ts
 * const tokenizer = CharTokenizer.fromWords(['emma']);
 * const { xs, ys, length } = buildBigrams(['emma'], tokenizer);
 * length; // 5
 * tokenizer.decode(xs); // '.emma'
 * tokenizer.decode(ys); // 'emma.'
 * ```
 */
export function buildBigrams(words: readonly string[], tokenizer: CharTokenizer): BigramDataset {
  checkArguments('buildBigrams', words, tokenizer);
  let length = 0;
  for (let w = 0; w < words.length; w++) length += countCodePoints(words[w]) + 1;
  const xs = new Int32Array(length);
  const ys = new Int32Array(length);
  let k = 0;
  for (let w = 0; w < words.length; w++) {
    // Write the word's ids into ys (shifted by one pair), then derive xs from them: xs is ys
    // delayed by one step, starting from the boundary (id 0).
    const n = tokenizer.encodeInto(words[w], ys, k, w);
    xs[k] = 0;
    for (let i = 1; i <= n; i++) xs[k + i] = ys[k + i - 1];
    ys[k + n] = 0;
    k += n + 1;
  }
  return { xs, ys, length };
}

/** Shared argument checks of the dataset builders (internal). */
export function checkArguments(
  op: string,
  words: readonly string[],
  tokenizer: CharTokenizer,
): void {
  if (!Array.isArray(words)) {
    throw new TypeError(
      `Argument 'words' passed to '${op}' must be an array of strings, got ${typeof words}`,
    );
  }
  if (!(tokenizer instanceof CharTokenizer)) {
    throw new TypeError(
      `Argument 'tokenizer' passed to '${op}' must be a CharTokenizer, got ${typeof tokenizer}`,
    );
  }
  for (let w = 0; w < words.length; w++) {
    if (typeof words[w] !== 'string') {
      throw new TypeError(
        `Argument 'words' passed to '${op}' must be an array of strings, got ${typeof words[w]} at index ${w}`,
      );
    }
  }
}
