/** The `bigram` family: the count model of makemore part 1. */
import { bytesOf, type ModelFamily } from '../family.js';
import { BigramCounts } from './bigram-counts.js';

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
  name: 'bigram',
  title: 'Bigram counts',
  schema: [
    {
      name: 'smoothing',
      type: 'float',
      default: 1,
      min: 0,
      max: 1e6,
      help: 'add-k smoothing: the pseudo-count added to every pair',
      scale: 'log',
    },
  ],
  trainable: false,
  defaults: {
    optimizer: 'sgd',
    lr: 0,
    steps: 0,
    batchSize: Number.POSITIVE_INFINITY,
    schedule: () => ({ kind: 'ConstantLR', factor: 1 }),
  },
  trainsOn: () => ({ examples: 'contexts', blockSize: 1, split: 'train' }),
  estimate: (config) => {
    const shape = [config.vocabSize, config.vocabSize];
    return [{ name: 'counts', shape, bytes: bytesOf(shape), dependsOn: [], trainable: false }];
  },
  create: (config, options = {}) => new BigramCounts(config, { tokenizer: options.tokenizer }),
  fit: (config, words, tokenizer) =>
    BigramCounts.fromWords(words, tokenizer, { smoothing: config.smoothing as number }),
};
