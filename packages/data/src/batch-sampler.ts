import { Generator } from '@llm-playground/core';
import { checkSizes } from './check-sizes.js';

export interface BatchSamplerOptions {
  /** Source of randomness; default a fresh `new Generator()` (PyTorch's default seed), so deterministic. */
  generator?: Generator;
  /** Drop the last batch of an epoch when it is smaller than `batchSize` (default false), as PyTorch's `drop_last`. */
  dropLast?: boolean;
}

/**
 * Epochs of shuffled minibatches, like PyTorch's `DataLoader(shuffle=True, batch_size, drop_last)`
 * over indices: each iteration (`for … of`) is one epoch that draws a fresh `randperm(datasetSize)`
 * and cuts it into consecutive batches of `batchSize` indices, so every index appears exactly once
 * per epoch (the last batch may be smaller unless `dropLast`).
 *
 * @example
 * ```ts
 * const sampler = new BatchSampler(10, 4, { generator: new Generator(42) });
 * console.log(sampler.length, [...sampler].map((batch) => batch.length)); // 3 [ 4, 4, 2 ]
 * ```
 */
export class BatchSampler implements Iterable<Int32Array> {
  readonly datasetSize: number;
  readonly batchSize: number;
  readonly dropLast: boolean;
  private readonly generator: Generator;

  constructor(datasetSize: number, batchSize: number, options: BatchSamplerOptions = {}) {
    checkSizes('BatchSampler', datasetSize, batchSize);
    if (options.dropLast && batchSize > datasetSize) {
      throw new RangeError(
        `BatchSampler with dropLast would yield no batches: batchSize (${batchSize}) > datasetSize (${datasetSize})`,
      );
    }
    this.datasetSize = datasetSize;
    this.batchSize = batchSize;
    this.dropLast = options.dropLast ?? false;
    this.generator = options.generator ?? new Generator();
  }

  /** Number of batches per epoch: `ceil(n / batchSize)`, or `floor(n / batchSize)` with `dropLast`. */
  get length(): number {
    const batches = this.datasetSize / this.batchSize;
    return this.dropLast ? Math.floor(batches) : Math.ceil(batches);
  }

  *[Symbol.iterator](): Iterator<Int32Array> {
    const permutation = this.generator.randperm(this.datasetSize);
    const count = this.length;
    for (let b = 0; b < count; b++) {
      yield permutation.slice(b * this.batchSize, (b + 1) * this.batchSize);
    }
  }
}
