/** The `mlp` family: Bengio et al. (2003), makemore part 2. */
import type { ModelFamily } from '../family.js';
import { MLP } from './mlp.js';
import { mlpInfo } from './schema.js';

export { MLP } from './mlp.js';
export { lectureDecay } from './schema.js';

/**
 * The MLP family. Defaults are the lecture's: block size 3, 10-dimensional embeddings, 200 hidden
 * units, SGD at 0.1 then 0.01 from half the run (one decay rule for the CLI and the web app; the
 * lecture's own 200,000-step run decays at step 100,000, which is this rule for `steps: 200000`).
 *
 * @example
 * ```ts
 * mlpFamily.defaults.schedule({ lr: 0.1, steps: 200_000 }); // { kind: 'PiecewiseConstantLR', boundaries: [100000], values: [0.1, 0.01] }
 * ```
 */
export const mlpFamily: ModelFamily = {
  ...mlpInfo,
  create: (config, options = {}) => new MLP(config, options),
};
