import { Generator } from '@llm-playground/core';
import { checkSizes } from './check-sizes.js';

export interface SampleBatchOptions {
  /** Source of randomness; default a fresh `new Generator()` (PyTorch's default seed), so deterministic. */
  generator?: Generator;
}

/**
 * `batchSize` distinct random indices into a dataset of `datasetSize` items: micrograd's
 * `np.random.permutation(n)[:batch_size]` (here `generator.randperm(n)` cut to the first
 * `batchSize`). A `batchSize` of `datasetSize` or more gives a permutation of all indices.
 *
 * @example
 * ```ts
 * const indices = sampleBatch(10, 4, { generator: new Generator(42) });
 * console.log(indices.length, new Set(indices).size); // 4 4
 * ```
 */
export function sampleBatch(
  datasetSize: number,
  batchSize: number,
  options: SampleBatchOptions = {},
): Int32Array {
  checkSizes('sampleBatch', datasetSize, batchSize);
  const generator = options.generator ?? new Generator();
  const permutation = generator.randperm(datasetSize);
  return batchSize >= datasetSize ? permutation : permutation.slice(0, batchSize);
}
