/**
 * Sizes that cannot fit, refused before anything is allocated, beyond the model's own (its
 * family's `estimate`, checked by makemore's `checkModelSize`): the context windows of the whole
 * word list, and micrograd's `Value` nodes for every moons point. The error names the flag to
 * change and the bytes needed.
 */
import { constants } from 'node:buffer';
import { totalmem } from 'node:os';
import { UsageError } from '../errors.js';

/** Bytes per float32 / int32 element. */
const FLOAT = 4;
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
