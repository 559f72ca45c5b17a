/**
 * The `mlp-bn` family (makemore part 3): the part 2 MLP with the lecture's fixes as settings — the
 * initial-loss fix, the tanh fixes, the hand-written BatchNorm — without model code.
 *
 * NOTE: a sibling of `mlp`, not three more `mlp` settings: every `mlp` config (flags, URL
 * parameters, checkpoint.json and its checksum) stays exactly what it was. With the three fixes
 * off, `mlp-bn` is the `mlp`, bit for bit (same draws, same numbers).
 */
import type { FamilyInfo } from '../family.js';
import { mlpInfo } from '../mlp/schema.js';

/** The `mlpBnFamily`'s `FamilyInfo`: `mlp`'s settings, then the three fixes (on by default). */
export const mlpBnInfo: FamilyInfo = {
  ...mlpInfo,
  name: 'mlp-bn',
  title: 'MLP with initialisation fixes and BatchNorm (makemore part 3)',
  schema: [
    ...mlpInfo.schema,
    {
      name: 'fixInitialLoss',
      type: 'boolean',
      default: true,
      help: 'W2·0.01 and b2·0, so the first loss is about ln(vocab size), not ~27',
    },
    {
      name: 'fixTanh',
      type: 'enum',
      default: 'kaiming',
      choices: ['none', 'scale', 'kaiming'],
      help: 'against saturated tanh: W1·0.2, b1·0.01 (scale) or W1·(5/3)/√fan_in, b1·0.01 (kaiming)',
    },
    {
      name: 'batchNorm',
      type: 'boolean',
      default: true,
      help: 'bngain·(h − mean)/std + bnbias on the pre-activation, running mean and std at momentum 0.001',
    },
  ],
};
