/**
 * Sizes that cannot fit, refused before anything is allocated. `--n-hidden 100000000` or
 * `--block-size 100000` used to be accepted and eat memory until the machine killed the process
 * (or V8 threw "Invalid typed array length"); now the bytes a run needs are estimated from the
 * flags and compared with the machine's memory, and the error names the flag to change.
 *
 * The estimates are deliberately simple and on the generous side: float32 weights, their
 * gradients and two optimizer buffers (Adam's), one minibatch of activations, the context windows
 * of the whole word list, or micrograd's `Value` nodes for every moons point.
 * TODO(next helper): take the model's bytes from the model family's schema once it has an estimate.
 */
import { constants } from 'node:buffer';
import { totalmem } from 'node:os';
import type { ModelConfig } from '@llm-playground/makemore';
import { UsageError } from '../errors.js';

/** Bytes per float32 / int32 element. */
const FLOAT = 4;
/** Weights + gradients + Adam's two moment buffers, per parameter. */
const COPIES_PER_PARAMETER = 4;
/** Rough size of one micrograd `Value` with its closure and children list, measured in V8. */
export const BYTES_PER_VALUE = 200;
/** The largest typed array V8 can allocate here, in bytes (4 GiB on Node 20). */
export const MAX_TENSOR_BYTES = constants.MAX_LENGTH;

/**
 * The memory a run may use: 3/4 of the machine's (the rest is for the system and Node itself).
 *
 * @example
 * memoryBudget() > 0; // true
 */
export function memoryBudget(): number {
  return Math.floor(totalmem() * 0.75);
}

/**
 * Bytes in a human unit: `512 B`, `1.5 kB`, `62.4 GB` (powers of 1000, as `df -H`).
 *
 * @example
 * formatSize(62_400_000_000); // '62.4 GB'
 */
export function formatSize(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return unit === 0 ? `${Math.round(value)} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/** One tensor of a model: its name, element count and the flags its size comes from. */
interface TensorSize {
  name: string;
  elements: number;
  flags: string[];
}

/** The parameter tensors of a makemore model, from its config alone. */
function modelTensors(config: ModelConfig): TensorSize[] {
  const V = config.vocabSize;
  if (config.kind === 'mlp') {
    const nEmbd = config.nEmbd ?? 10;
    const nHidden = config.nHidden ?? 200;
    const fanIn = config.blockSize * nEmbd;
    return [
      { name: 'C', elements: V * nEmbd, flags: ['n-embd'] },
      { name: 'W1', elements: fanIn * nHidden, flags: ['block-size', 'n-embd', 'n-hidden'] },
      { name: 'b1', elements: nHidden, flags: ['n-hidden'] },
      { name: 'W2', elements: nHidden * V, flags: ['n-hidden'] },
      { name: 'b2', elements: V, flags: [] },
    ];
  }
  return [{ name: 'W', elements: V * V, flags: [] }];
}

/**
 * The bytes a training run of `config` needs for its model: weights, gradients and optimizer
 * buffers, plus one minibatch of activations (embedding, hidden pre-activations and activations,
 * logits and their gradients).
 *
 * @example
 * estimateTrainingBytes({ kind: 'mlp', vocabSize: 27, blockSize: 3, nEmbd: 10, nHidden: 200 }, 32);
 * // 11,897 parameters × 16 B + 32 × (30 + 600 + 54) × 4 B × 2 = 365,536
 */
export function estimateTrainingBytes(config: ModelConfig, batchSize: number): number {
  const parameters = modelTensors(config).reduce((sum, tensor) => sum + tensor.elements, 0);
  const V = config.vocabSize;
  const perExample =
    config.kind === 'mlp'
      ? config.blockSize * (config.nEmbd ?? 10) + 3 * (config.nHidden ?? 200) + 2 * V
      : 3 * V;
  return parameters * FLOAT * COPIES_PER_PARAMETER + batchSize * perExample * FLOAT * 2;
}

/**
 * Refuses a model that cannot fit: more bytes than `budget`, or one tensor larger than V8's
 * typed-array limit. The `UsageError` gives the bytes needed and the flag to lower.
 *
 * @example
 * checkModelSize({ kind: 'mlp', vocabSize: 27, blockSize: 3, nEmbd: 10, nHidden: 1e8 }, 32, 'train');
 * // throws UsageError: --n-hidden 100000000: the mlp needs 62.4 GB … lower --n-hidden
 */
export function checkModelSize(
  config: ModelConfig,
  batchSize: number,
  command: string,
  budget: number = memoryBudget(),
): void {
  const tensors = modelTensors(config);
  const largest = tensors.reduce((a, b) => (b.elements > a.elements ? b : a));
  const flagValue: Record<string, number | undefined> = {
    'block-size': config.blockSize,
    'n-embd': config.nEmbd,
    'n-hidden': config.nHidden,
  };
  // Blame the largest of the flags the biggest tensor's size comes from.
  const culprit = [...largest.flags].sort((a, b) => (flagValue[b] ?? 0) - (flagValue[a] ?? 0))[0];
  const flagText = culprit === undefined ? '' : `--${culprit} ${flagValue[culprit]}: `;
  const advice = culprit === undefined ? 'use a smaller vocabulary' : `lower --${culprit}`;
  if (largest.elements * FLOAT > MAX_TENSOR_BYTES) {
    throw new UsageError(
      `${flagText}the ${config.kind}'s ${largest.name} would have ${largest.elements.toLocaleString('en-US')} elements ` +
        `(${formatSize(largest.elements * FLOAT)}), more than the ${formatSize(MAX_TENSOR_BYTES)} one array can hold here; ${advice}`,
      command,
    );
  }
  const needed = estimateTrainingBytes(config, batchSize);
  if (needed > budget) {
    throw new UsageError(
      `${flagText}the ${config.kind} needs about ${formatSize(needed)} to train (weights, gradients, optimizer state, ` +
        `one batch), more than the ${formatSize(budget)} this machine can give it; ${advice}`,
      command,
    );
  }
}

/**
 * Refuses context windows that cannot fit: `examples` windows of `blockSize` int32 indices plus
 * their targets, for the whole word list (train, dev and test splits together).
 *
 * @example
 * checkDatasetSize(228_146, 100_000, 'train');
 * // throws UsageError: --block-size 100000: the context windows of 228,146 examples need 91.3 GB …
 */
export function checkDatasetSize(
  examples: number,
  blockSize: number,
  command: string,
  budget: number = memoryBudget(),
): void {
  const bytes = examples * (blockSize + 1) * FLOAT;
  if (bytes > budget || examples * blockSize * FLOAT > MAX_TENSOR_BYTES) {
    throw new UsageError(
      `--block-size ${blockSize}: the context windows of ${examples.toLocaleString('en-US')} examples need ` +
        `${formatSize(bytes)}, more than ${formatSize(Math.min(budget, MAX_TENSOR_BYTES))} can hold here; lower --block-size (or use a smaller word list)`,
      command,
    );
  }
}

/**
 * The micrograd `Value` nodes one moons point creates in a forward pass of `MLP(2, hidden + [1])`
 * and its loss: per neuron a product and a sum per input, the bias and the activation.
 *
 * @example
 * valuesPerMoonsPoint([16, 16]); // 680
 */
export function valuesPerMoonsPoint(hidden: readonly number[]): number {
  const sizes = [2, ...hidden, 1];
  let nodes = 4; // the point's margin, its ReLU and the running loss sum
  for (let layer = 1; layer < sizes.length; layer++) {
    nodes += sizes[layer] * (2 * sizes[layer - 1] + 2);
  }
  return nodes;
}

/**
 * Refuses a moons run whose computation graph cannot fit: every point's forward pass is a graph
 * of micrograd `Value`s, kept until `backward()`, at about `BYTES_PER_VALUE` each.
 *
 * @example
 * checkMoonsSize(2_000_000, [16, 16], 'micrograd moons');
 * // throws UsageError: --samples 2000000: … about 272.0 GB …; lower --samples
 */
export function checkMoonsSize(
  samples: number,
  hidden: readonly number[],
  command: string,
  budget: number = memoryBudget(),
): void {
  const bytes = samples * valuesPerMoonsPoint(hidden) * BYTES_PER_VALUE;
  if (bytes > budget) {
    throw new UsageError(
      `--samples ${samples}: micrograd builds a graph of ${valuesPerMoonsPoint(hidden).toLocaleString('en-US')} Values per point, ` +
        `about ${formatSize(bytes)} for ${samples.toLocaleString('en-US')} points, more than the ${formatSize(budget)} this machine can give it; ` +
        'lower --samples (micrograd is a scalar engine: a few hundred points is its scale)',
      command,
    );
  }
}
