/** The `mlp` family: its name, config schema and training defaults, without the model code. */

import type { ModelConfig } from '../../model.js';
import { bytesOf, type FamilyInfo } from '../family.js';

/** The `mlpFamily`'s `FamilyInfo` (see it for the defaults). */
export const mlpInfo: FamilyInfo = {
  name: 'mlp',
  title: 'MLP (Bengio et al. 2003)',
  schema: [
    {
      name: 'blockSize',
      type: 'int',
      default: 3,
      min: 1,
      max: 64,
      help: 'context length in characters',
      scale: 'linear',
    },
    {
      name: 'nEmbd',
      type: 'int',
      default: 10,
      min: 1,
      max: 1024,
      help: 'embedding dimensions per character',
      scale: 'log',
    },
    {
      name: 'nHidden',
      type: 'int',
      default: 200,
      min: 1,
      max: 100_000,
      help: 'hidden units (tanh layer)',
      scale: 'log',
    },
  ],
  trainable: true,
  defaults: {
    optimizer: 'sgd',
    lr: 0.1,
    steps: 30_000,
    batchSize: 32,
    schedule: ({ lr, steps }) => lectureDecay(lr, steps),
  },
  trainsOn: (config) => ({ examples: 'contexts', blockSize: config.blockSize, split: 'train' }),
  estimate: (config: ModelConfig) => {
    const V = config.vocabSize;
    const { blockSize } = config;
    const nEmbd = config.nEmbd ?? 10;
    const nHidden = config.nHidden ?? 200;
    const t = (name: string, shape: number[], dependsOn: string[]) => ({
      name,
      shape,
      bytes: bytesOf(shape),
      dependsOn,
      trainable: true,
    });
    const tensors = [
      t('C', [V, nEmbd], ['nEmbd']),
      t('W1', [blockSize * nEmbd, nHidden], ['blockSize', 'nEmbd', 'nHidden']),
      t('b1', [nHidden], ['nHidden']),
      t('W2', [nHidden, V], ['nHidden']),
      t('b2', [V], []),
    ];
    if (!config.batchNorm) return tensors;
    // `mlp-bn`: the lecture's BatchNorm gain and bias, and its running mean and std (buffers).
    return [
      ...tensors,
      t('bngain', [nHidden], ['nHidden']),
      t('bnbias', [nHidden], ['nHidden']),
      { ...t('bnmean_running', [nHidden], ['nHidden']), trainable: false },
      { ...t('bnstd_running', [nHidden], ['nHidden']), trainable: false },
    ];
  },
};

/**
 * The lecture's step decay as one scheduler config: `lr` for the first half of the run, then
 * `lr / 10` (`0.1 if i < 100000 else 0.01` for 200,000 steps). Rounded to 12 significant digits so
 * 0.1 → 0.01 exactly (0.1·0.1 is 0.010000000000000002 in floating point).
 *
 * @example
 * ```ts
 * lectureDecay(0.1, 30_000); // { kind: 'PiecewiseConstantLR', boundaries: [15000], values: [0.1, 0.01] }
 * lectureDecay(0.1, 1); // { kind: 'ConstantLR', factor: 1 }
 * ```
 */
export function lectureDecay(lr: number, steps: number) {
  const boundary = Math.floor(steps / 2);
  if (boundary < 1) return { kind: 'ConstantLR' as const, factor: 1 };
  return {
    kind: 'PiecewiseConstantLR' as const,
    boundaries: [boundary],
    values: [lr, Number((lr / 10).toPrecision(12))],
  };
}
