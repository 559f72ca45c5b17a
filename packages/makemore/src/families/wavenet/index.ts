/** The `wavenet` family: makemore part 5's hierarchical model. */
import type { ModelFamily } from '../family.js';
import { wavenetInfo } from './schema.js';
import { WaveNet } from './wavenet.js';

export { WaveNet } from './wavenet.js';

/**
 * The WaveNet family: context 8, n_embd 24, n_hidden 128, pairs merged per level (76,579
 * parameters for 27 tokens); SGD at 0.1, then 0.01 from three quarters of the run (the lecture:
 * step 150,000 of 200,000). `blockSize` must be a power of `flatten`.
 *
 * @example
 * ```ts
 * familyConfig('wavenet', { blockSize: 6 }, { vocabSize: 27 }); // throws ConfigError
 * familyConfig('wavenet', { blockSize: 6 }, { vocabSize: 27, mode: 'clamp' }).blockSize; // 4
 * ```
 */
export const wavenetFamily: ModelFamily = {
  ...wavenetInfo,
  create: (config, options = {}) => new WaveNet(config, options),
};
