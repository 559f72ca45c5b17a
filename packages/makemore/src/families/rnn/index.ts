/** The `rnn` family: makemore.py's vanilla recurrent network. */
import type { ModelFamily } from '../family.js';
import { RNN } from './rnn.js';
import { rnnInfo } from './schema.js';

export { RNN } from './rnn.js';
export type { CellType } from './schema.js';

/**
 * The RNN family (makemore.py's defaults: block 16, n_embd 64, n_embd2 64; AdamW 5e-4).
 *
 * @example
 * ```ts
 * rnnFamily.create(familyConfig('rnn', {}, { vocabSize: 27 })).numParameters(); // 11803
 * ```
 */
export const rnnFamily: ModelFamily = {
  ...rnnInfo,
  create: (config, options = {}) => new RNN(config, 'rnn', options),
};
