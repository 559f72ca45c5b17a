/** The `deep-mlp` family: makemore part 3's deep tanh network, with or without BatchNorm. */
import type { ModelFamily } from '../family.js';
import { DeepMLP } from './deep-mlp.js';
import { deepMlpInfo } from './schema.js';

export { DeepMLP } from './deep-mlp.js';

/**
 * The deep MLP family: n_embd 10, n_hidden 100, five hidden blocks, BatchNorm, gain 5/3, Kaiming
 * init with the last-layer fix; SGD at 0.1, then 0.01 from three quarters of the run (the
 * lecture: step 150,000 of 200,000).
 *
 * @example
 * ```ts
 * deepMlpFamily.schema.map((field) => field.name); // ['blockSize', 'nEmbd', 'nHidden', 'layers', 'batchNorm', 'gain', 'init', 'lastLayerFix']
 * ```
 */
export const deepMlpFamily: ModelFamily = {
  ...deepMlpInfo,
  create: (config, options = {}) => new DeepMLP(config, options),
};
