/** The `bigram-net` family: one-hot times W, makemore part 1. */
import { bytesOf, type ModelFamily } from '../family.js';
import { BigramNet } from './bigram-net.js';

export { BigramNet } from './bigram-net.js';

/**
 * The bigram neural net. Defaults are the lecture's: full-batch gradient descent at lr 50 with
 * λ = 0.01, 100 steps. `allWords` trains on the bigrams of every word (the lecture's 228,146 on
 * names.txt, whose samples it reproduces) instead of the 80% training split.
 *
 * @example
 * ```ts
 * bigramNetFamily.trainsOn({ kind: 'bigram-net', vocabSize: 27, blockSize: 1, allWords: true }).split; // 'all'
 * ```
 */
export const bigramNetFamily: ModelFamily = {
  name: 'bigram-net',
  title: 'Bigram neural net (one-hot · W)',
  schema: [
    {
      name: 'regularization',
      type: 'float',
      default: 0.01,
      min: 0,
      max: 100,
      help: 'weight λ of the penalty λ·mean(W²)',
      scale: 'linear',
    },
    {
      name: 'allWords',
      type: 'boolean',
      default: false,
      help: "train on every word's bigrams, as the lecture does (228,146 on names.txt), not the 80% training split",
    },
  ],
  trainable: true,
  defaults: {
    optimizer: 'sgd',
    lr: 50,
    steps: 100,
    batchSize: Number.POSITIVE_INFINITY,
    schedule: () => ({ kind: 'ConstantLR', factor: 1 }),
  },
  trainsOn: (config) => ({
    examples: 'contexts',
    blockSize: 1,
    split: config.allWords === true ? 'all' : 'train',
  }),
  estimate: (config) => {
    const shape = [config.vocabSize, config.vocabSize];
    return [{ name: 'W', shape, bytes: bytesOf(shape), dependsOn: [], trainable: true }];
  },
  create: (config, options = {}) => new BigramNet(config, options),
};
