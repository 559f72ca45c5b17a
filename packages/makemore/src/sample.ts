/**
 * Sampling names from any `LanguageModel`: the lecture's loop. Start from a context of boundary
 * tokens, turn the logits into probabilities, draw the next token with `multinomial` (with
 * replacement for part 1's bigram models, without from part 2 on, as the lectures call it), shift
 * it into the context, stop at the boundary token.
 */
import type { Generator } from '@llm-playground/core';
import type { CharTokenizer } from '@llm-playground/data';
import { multinomial, noGrad, type Tensor, Tensor as TensorClass } from '@llm-playground/tensor';
import { BigramCounts } from './bigram-counts.js';
import { inEvalMode } from './evaluate.js';
import type { LanguageModel } from './model.js';
import { type ModelTokenizer, requireCharTokenizer } from './text-tokenizer.js';
import { defaultGenerator } from './util.js';

export interface SampleOptions {
  /** How many words (default 10). */
  count?: number;
  /** Divide the logits by this before the softmax: < 1 sharper, > 1 flatter; 0 = always the most likely token (default 1). */
  temperature?: number;
  /** Keep only the k most likely tokens at each step (default: all). */
  topK?: number;
  /** The random stream (default: a new generator seeded 2147483647). */
  generator?: Generator;
  /** Stop a word after this many characters (default 100). */
  maxLength?: number;
  /** Words that do not count as new (usually the training words). */
  exclude?: ReadonlySet<string>;
  /** Keep samples found in `exclude` instead of redrawing them (default false). */
  allowExisting?: boolean;
  /** Draws per word before giving up on finding a new one (default 100). */
  maxAttempts?: number;
  /**
   * Draw with `multinomial(probs, 1, { replacement })`. Default: as the lecture of the model's kind
   * does — `true` for the bigram models (makemore part 1 passes `replacement=True`), `false` for the
   * MLP and later models (part 2 calls `torch.multinomial(probs, num_samples=1, generator=g)`). The
   * two are different random streams: one uniform per draw with replacement, one exponential per
   * token without.
   */
  replacement?: boolean;
}

/** The lecture's choice for `kind`: part 1's bigram models sample with replacement, part 2 on without. */
export function lectureReplacement(kind: string): boolean {
  return kind === 'bigram' || kind === 'bigram-net';
}

export interface SampleResult {
  words: string[];
  /** `isNew[i]` is false when `words[i]` is in `exclude` (always true without `exclude`). */
  isNew: boolean[];
  /** Samples drawn and thrown away because they were in `exclude`. */
  redrawn: number;
  /** Words for which no new sample was found in `maxAttempts` draws (kept, with isNew false). */
  gaveUp: number;
}

/** The probabilities of the next token given `context` (float32 [V]). */
function nextProbabilities(
  model: LanguageModel,
  context: Tensor,
  temperature: number,
  topK: number,
): Tensor {
  if (model instanceof BigramCounts && temperature === 1 && topK >= model.config.vocabSize) {
    // The lecture's loop draws from P[ix] itself: the same float32 row gives the same names.
    const last = context.storage[context.storage.length - 1];
    return model.probabilities().select(0, last);
  }
  return noGrad(() => {
    const logits = model.logits(context).view(-1);
    if (temperature === 1 && topK >= logits.numel()) return logits.softmax(0);
    const row = Float32Array.from(logits.data);
    // softmax((x − max) / T) = softmax(x / T), but x / T alone overflows to ±∞ (and the softmax to
    // NaN) for a tiny T; after subtracting the maximum every value is ≤ 0 and the top one is 0.
    let max = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < row.length; i++) if (row[i] > max) max = row[i];
    for (let i = 0; i < row.length; i++) row[i] = (row[i] - max) / temperature;
    if (topK < row.length) {
      const threshold = Float32Array.from(row).sort()[row.length - topK];
      for (let i = 0; i < row.length; i++) if (row[i] < threshold) row[i] = -Infinity;
    }
    return new TensorClass(row, [row.length]).softmax(0);
  });
}

function sampleOne(
  model: LanguageModel,
  tokenizer: CharTokenizer,
  options: {
    temperature: number;
    topK: number;
    generator: Generator;
    maxLength: number;
    replacement: boolean;
  },
): string {
  const blockSize = model.config.blockSize;
  const contextIds = new Int32Array(blockSize);
  let context = new TensorClass(contextIds, [1, blockSize]);
  const ids: number[] = [];
  while (ids.length < options.maxLength) {
    if (model.growingContext) {
      // makemore.py's generate: the boundary token and the word so far, cropped to the last blockSize.
      const sequence = [0, ...ids].slice(-blockSize);
      context = new TensorClass(Int32Array.from(sequence), [1, sequence.length]);
    }
    let next: number;
    if (options.temperature === 0) {
      next = noGrad(() => model.logits(context).view(-1).argmax().item());
    } else {
      const probs = nextProbabilities(model, context, options.temperature, options.topK);
      next = multinomial(probs, 1, {
        replacement: options.replacement,
        generator: options.generator,
      }).storage[0];
    }
    if (next === 0) break;
    ids.push(next);
    contextIds.copyWithin(0, 1);
    contextIds[blockSize - 1] = next;
  }
  return tokenizer.decode(ids);
}

/**
 * Draws `count` words. With `exclude` (the training words) and `allowExisting` false, a sample
 * that is in `exclude` is redrawn, up to `maxAttempts` times per word. With
 * `new Generator(2147483647)` and the +1-smoothed count model of names.txt the first five words
 * are the lecture's: mor, axx, minaymoryles, kondlaisah, anchshizarie.
 * The MLP (without replacement, as part 2's `torch.multinomial(probs, num_samples=1, generator=g)`)
 * gives PyTorch's samples for the same weights and seed; see `replacement`. Memory and time grow
 * linearly with `count` (no recursion, no argument spreading: 1,000,000 samples are fine).
 *
 * @example
 * ```ts
 * const words = ['anna', 'bob', 'ava', 'otto', 'hannah'];
 * const tokenizer = CharTokenizer.fromWords(words);
 * const model = BigramCounts.fromWords(words, tokenizer, { smoothing: 0 });
 * const result = sample(model, tokenizer, { count: 4, generator: new Generator(1), exclude: new Set(words) });
 * result.words.length; // 4
 * result.isNew; // [true, true, true, true]
 * sample(model, tokenizer, { count: 1, temperature: 0 }).words; // ['a']
 * ```
 */
export function sample(
  model: LanguageModel,
  modelTokenizer: ModelTokenizer,
  options: SampleOptions = {},
): SampleResult {
  const tokenizer = requireCharTokenizer(modelTokenizer, 'sample');
  const count = options.count ?? 10;
  const temperature = options.temperature ?? 1;
  const topK = options.topK ?? Number.POSITIVE_INFINITY;
  const maxLength = options.maxLength ?? 100;
  const maxAttempts = options.maxAttempts ?? 100;
  if (!Number.isInteger(count) || count < 0) {
    throw new RangeError(
      `Argument 'count' passed to 'sample' must be an integer ≥ 0, got ${count}`,
    );
  }
  if (!(temperature >= 0) || !Number.isFinite(temperature)) {
    throw new RangeError(
      `Argument 'temperature' passed to 'sample' must be a finite number ≥ 0, got ${temperature}`,
    );
  }
  if (!(topK >= 1) || (Number.isFinite(topK) && !Number.isInteger(topK))) {
    throw new RangeError(`Argument 'topK' passed to 'sample' must be an integer ≥ 1, got ${topK}`);
  }
  if (!Number.isInteger(maxLength) || maxLength < 1) {
    throw new RangeError(
      `Argument 'maxLength' passed to 'sample' must be an integer ≥ 1, got ${maxLength}`,
    );
  }
  if (tokenizer.vocabSize !== model.config.vocabSize) {
    throw new RangeError(
      `sample: the tokenizer has ${tokenizer.vocabSize} tokens but the model expects ${model.config.vocabSize}`,
    );
  }
  const settings = {
    temperature,
    topK,
    maxLength,
    generator: options.generator ?? defaultGenerator(),
    replacement: options.replacement ?? lectureReplacement(model.config.kind),
  };
  const exclude = options.exclude;
  const redraw = exclude !== undefined && !options.allowExisting;
  const words: string[] = [];
  const isNew: boolean[] = [];
  let redrawn = 0;
  let gaveUp = 0;
  // Eval mode throughout (BatchNorm on its running statistics: one context is a batch of one).
  return inEvalMode(model, () => {
    for (let i = 0; i < count; i++) {
      let word = sampleOne(model, tokenizer, settings);
      if (redraw) {
        let attempts = 1;
        while (exclude.has(word) && attempts < maxAttempts) {
          redrawn++;
          attempts++;
          word = sampleOne(model, tokenizer, settings);
        }
        if (exclude.has(word)) gaveUp++;
      }
      words.push(word);
      isNew.push(exclude === undefined || !exclude.has(word));
    }
    return { words, isNew, redrawn, gaveUp };
  });
}
