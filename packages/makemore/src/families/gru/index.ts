/** The `gru` family: makemore.py's recurrent network with its gated cell. */
import type { ModelFamily } from '../family.js';
import { RNN } from '../rnn/rnn.js';
import { gruInfo } from './schema.js';

/**
 * The GRU family (makemore.py's defaults: block 16, n_embd 64, n_embd2 64; AdamW 5e-4).
 *
 * @example
 * ```ts
 * gruFamily.create(familyConfig('gru', {}, { vocabSize: 27 })).numParameters(); // 28315
 * ```
 */
export const gruFamily: ModelFamily = {
  ...gruInfo,
  create: (config, options = {}) => new RNN(config, 'gru', options),
};
