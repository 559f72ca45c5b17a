/** The `wavenet` family (makemore part 5): schema, defaults and layer plan, no model code. */
import type { ModelConfig } from '../../model.js';
import type { ConfigProblem, FamilyInfo } from '../family.js';
import { decayAt, type LayerSpec, planEstimate } from '../layer-plan.js';

const MAX_BLOCK_SIZE = 64;

/**
 * `blockSize = flatten^levels`: the levels, or 0 when `blockSize` is not such a power.
 *
 * @example
 * ```ts
 * wavenetLevels(8, 2); // 3
 * wavenetLevels(8, 8); // 1
 * wavenetLevels(6, 2); // 0
 * ```
 */
export function wavenetLevels(blockSize: number, flatten: number): number {
  if (!(flatten >= 2) || !(blockSize >= flatten)) return 0;
  let levels = 0;
  let size = blockSize;
  while (size % flatten === 0) {
    size /= flatten;
    levels++;
  }
  return size === 1 ? levels : 0;
}

/**
 * The layers of a `wavenet` config: `Embedding(V, nEmbd)`, then per level
 * `FlattenConsecutive(flatten)` → `Linear(·, nHidden, bias = false)` → `BatchNorm1d(nHidden)`
 * over (0, 1) for 3-d → `Tanh`, and `Linear(nHidden, V)`. With `flatten = blockSize` it is one
 * level: the lecture's flat baseline (`FlattenConsecutive(8)`, context 8).
 *
 * @example
 * ```ts
 * wavenetPlan({ kind: 'wavenet', vocabSize: 27, blockSize: 8 }).length; // 14
 * ```
 */
export function wavenetPlan(config: ModelConfig): LayerSpec[] {
  const V = config.vocabSize;
  const nEmbd = (config.nEmbd as number | undefined) ?? 24;
  const nHidden = (config.nHidden as number | undefined) ?? 128;
  const flatten = (config.flatten as number | undefined) ?? 2;
  const levels = wavenetLevels(config.blockSize, flatten);
  const plan: LayerSpec[] = [
    { kind: 'embedding', numEmbeddings: V, embeddingDim: nEmbd, dependsOn: ['nEmbd'] },
  ];
  for (let level = 0; level < levels; level++) {
    const first = level === 0;
    const dependsOn = first ? ['nEmbd', 'flatten', 'nHidden'] : ['nHidden', 'flatten'];
    plan.push(
      { kind: 'flattenConsecutive', n: flatten },
      {
        kind: 'linear',
        inFeatures: (first ? nEmbd : nHidden) * flatten,
        outFeatures: nHidden,
        bias: false,
        dependsOn,
      },
      { kind: 'batchNorm', numFeatures: nHidden, channelsLast: true, dependsOn: ['nHidden'] },
      { kind: 'tanh' },
    );
  }
  plan.push({
    kind: 'linear',
    inFeatures: nHidden,
    outFeatures: V,
    bias: true,
    dependsOn: ['nHidden'],
  });
  return plan;
}

/** `blockSize` must be a power of `flatten`; the nearest one below (at least `flatten`) otherwise. */
function constrain(config: ModelConfig): ConfigProblem | undefined {
  const flatten = (config.flatten as number | undefined) ?? 2;
  const { blockSize } = config;
  if (wavenetLevels(blockSize, flatten) > 0) return undefined;
  const powers: number[] = [];
  for (let p = flatten; p <= MAX_BLOCK_SIZE; p *= flatten) powers.push(p);
  const value = [...powers].reverse().find((p) => p <= blockSize) ?? flatten;
  const list =
    powers.length > 1 ? `${powers.slice(0, -1).join(', ')} or ${powers.at(-1)}` : `${flatten}`;
  return {
    field: 'blockSize',
    value,
    message: `blockSize (--block-size) must be a power of flatten (${flatten}) — ${list} — got ${blockSize}: each level merges ${flatten} neighbours, so the context is flatten^levels characters (or set --flatten ${blockSize} for one flat level)`,
  };
}

/** The `wavenetFamily`'s `FamilyInfo`. */
export const wavenetInfo: FamilyInfo = {
  name: 'wavenet',
  title: 'WaveNet-style hierarchy (makemore part 5)',
  schema: [
    {
      name: 'blockSize',
      type: 'int',
      default: 8,
      min: 2,
      max: MAX_BLOCK_SIZE,
      help: 'context length in characters: a power of --flatten (2, 4, 8, 16, …)',
      scale: 'linear',
    },
    {
      name: 'nEmbd',
      type: 'int',
      default: 24,
      min: 1,
      max: 1024,
      help: 'embedding dimensions per character',
      scale: 'log',
    },
    {
      name: 'nHidden',
      type: 'int',
      default: 128,
      min: 1,
      max: 4096,
      help: 'units in each level of the hierarchy',
      scale: 'log',
    },
    {
      name: 'flatten',
      type: 'int',
      default: 2,
      min: 2,
      max: MAX_BLOCK_SIZE,
      help: 'neighbours merged per level (FlattenConsecutive); = --block-size: one flat level',
      scale: 'linear',
    },
  ],
  trainable: true,
  defaults: {
    optimizer: 'sgd',
    lr: 0.1,
    steps: 30_000,
    batchSize: 32,
    // The lecture: 0.1, then 0.01 from step 150,000 of 200,000.
    schedule: ({ lr, steps }) => decayAt(lr, steps, 0.75),
  },
  trainsOn: (config) => ({ examples: 'contexts', blockSize: config.blockSize, split: 'train' }),
  estimate: (config) => planEstimate(wavenetPlan(config)),
  constrain,
};
