/** The `bigram-net` family: one-hot times W, makemore part 1. */
import type { ModelFamily } from '../family.js';
import { BigramNet } from './bigram-net.js';
import { bigramNetInfo } from './schema.js';

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
  ...bigramNetInfo,
  create: (config, options = {}) => new BigramNet(config, options),
};
