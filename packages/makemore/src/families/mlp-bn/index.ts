/** The `mlp-bn` family: makemore part 3's MLP (initial-loss fix, tanh fixes, BatchNorm). */
import type { ModelFamily } from '../family.js';
import { MLP } from '../mlp/mlp.js';
import { mlpBnInfo } from './schema.js';

/**
 * The part 3 MLP: `mlp`'s model and training defaults (SGD 0.1 → 0.01 from half the run, as the
 * lecture's step 100,000 of 200,000) with `fixInitialLoss`, `fixTanh` and `batchNorm`, by default
 * the notebook's last cell (all three on, Kaiming).
 *
 * @example
 * ```ts
 * createModel(familyConfig('mlp-bn', {}, { vocabSize: 27 })).numParameters(); // 12297
 * createModel(familyConfig('mlp-bn', { batchNorm: false }, { vocabSize: 27 })).numParameters(); // 11897
 * familyConfig('mlp-bn', { fixTanh: 'xavier' }, { vocabSize: 27 }); // throws ConfigError
 * ```
 */
export const mlpBnFamily: ModelFamily = {
  ...mlpBnInfo,
  create: (config, options = {}) => new MLP(config, options),
};
