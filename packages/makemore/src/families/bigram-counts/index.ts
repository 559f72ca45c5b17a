/** The `bigram` family: the count model of makemore part 1. */
import type { ModelFamily } from '../family.js';
import { BigramCounts } from './bigram-counts.js';
import { bigramCountsInfo } from './schema.js';

export { BigramCounts, type BigramCountsOptions, type NllResult } from './bigram-counts.js';

/**
 * The bigram count model: fit by counting (`BigramCounts.fromWords`), not by an optimizer, so
 * `trainable` is false and its `counts` are an `nn` buffer (saved, never trained).
 *
 * @example
 * ```ts
 * bigramCountsFamily.trainable; // false
 * ```
 */
export const bigramCountsFamily: ModelFamily = {
  ...bigramCountsInfo,
  create: (config, options = {}) => new BigramCounts(config, { tokenizer: options.tokenizer }),
  fit: (config, words, tokenizer) =>
    BigramCounts.fromWords(words, tokenizer, { smoothing: config.smoothing as number }),
};
