/** The `deep-mlp` family (makemore part 3's deep tanh net): schema, defaults and layer plan, no model code. */
import type { ModelConfig } from '../../model.js';
import type { FamilyInfo } from '../family.js';
import { decayAt, type LayerSpec, planEstimate } from '../layer-plan.js';
import { mlpInfo } from '../mlp/schema.js';

/**
 * The layers of a `deep-mlp` config: `Embedding(V, nEmbd)`, `Flatten`, then `layers` blocks of
 * `Linear(·, nHidden, bias = !batchNorm)` [+ `BatchNorm1d(nHidden)`] + `Tanh`, and a last
 * `Linear(nHidden, V)` [+ `BatchNorm1d(V)`] — the lecture's list with the embedding in front.
 *
 * @example
 * ```ts
 * deepMlpPlan({ kind: 'deep-mlp', vocabSize: 27, blockSize: 3 }).length; // 19
 * ```
 */
export function deepMlpPlan(config: ModelConfig): LayerSpec[] {
  const V = config.vocabSize;
  const nEmbd = (config.nEmbd as number | undefined) ?? 10;
  const nHidden = (config.nHidden as number | undefined) ?? 100;
  const blocks = (config.layers as number | undefined) ?? 5;
  const batchNorm = (config.batchNorm as boolean | undefined) ?? true;
  const plan: LayerSpec[] = [
    { kind: 'embedding', numEmbeddings: V, embeddingDim: nEmbd, dependsOn: ['nEmbd'] },
    { kind: 'flatten' },
  ];
  const block = (inFeatures: number, outFeatures: number, dependsOn: string[]) => {
    plan.push({ kind: 'linear', inFeatures, outFeatures, bias: !batchNorm, dependsOn });
    if (batchNorm) {
      plan.push({ kind: 'batchNorm', numFeatures: outFeatures, channelsLast: false, dependsOn });
    }
  };
  for (let k = 0; k < blocks; k++) {
    const first = k === 0;
    block(
      first ? config.blockSize * nEmbd : nHidden,
      nHidden,
      first ? ['blockSize', 'nEmbd', 'nHidden'] : ['nHidden'],
    );
    plan.push({ kind: 'tanh' });
  }
  block(nHidden, V, ['nHidden']);
  return plan;
}

/** The `deepMlpFamily`'s `FamilyInfo`. */
export const deepMlpInfo: FamilyInfo = {
  name: 'deep-mlp',
  title: 'Deep tanh MLP (makemore part 3)',
  schema: [
    // The context and the embedding are the `mlp` family's settings, unchanged.
    ...mlpInfo.schema.filter((field) => field.name === 'blockSize' || field.name === 'nEmbd'),
    {
      name: 'nHidden',
      type: 'int',
      default: 100,
      min: 1,
      max: 4096,
      help: 'units in each hidden layer',
      scale: 'log',
    },
    {
      name: 'layers',
      type: 'int',
      default: 5,
      min: 1,
      max: 32,
      help: 'hidden Linear [+ BatchNorm] + Tanh blocks before the output layer (the lecture: 5)',
      scale: 'linear',
    },
    {
      name: 'batchNorm',
      type: 'boolean',
      default: true,
      help: 'BatchNorm1d after every Linear (then without bias); off: the lecture’s plain tanh stack',
    },
    {
      name: 'gain',
      type: 'float',
      default: 5 / 3,
      min: 0,
      max: 10,
      help: 'factor on the hidden Linears’ randn/√fan_in weights (5/3: tanh’s Kaiming gain)',
      scale: 'linear',
    },
    {
      name: 'init',
      type: 'enum',
      default: 'kaiming',
      choices: ['kaiming', 'randn'],
      help: 'kaiming: Linear weights randn/√fan_in × gain; randn: plain N(0, 1), the lecture’s first net (gain ignored)',
    },
    {
      name: 'lastLayerFix',
      type: 'boolean',
      default: true,
      help: 'the last layer made 10× less confident (its BatchNorm’s γ, else its weight ×0.1): first loss ≈ ln(vocab size)',
    },
  ],
  trainable: true,
  defaults: {
    optimizer: 'sgd',
    lr: 0.1,
    steps: 30_000,
    batchSize: 32,
    // The lecture's deep net: 0.1, then 0.01 from step 150,000 of 200,000.
    schedule: ({ lr, steps }) => decayAt(lr, steps, 0.75),
  },
  trainsOn: (config) => ({ examples: 'contexts', blockSize: config.blockSize, split: 'train' }),
  estimate: (config) => planEstimate(deepMlpPlan(config)),
};
