/** Minibatches of (context, next token) examples, the lecture's `randint(0, N, (B,))` draw. */
import type { Generator } from '@llm-playground/core';
import { Tensor } from '@llm-playground/tensor';

/** Examples as typed arrays: `X` is `[length, blockSize]` row-major, `Y` the next token (= data's `ContextDataset`). */
export interface TrainData {
  X: Int32Array;
  Y: Int32Array;
  length: number;
  blockSize: number;
}

/**
 * Draws minibatches of examples into reused buffers (no allocation per step): each draw is
 * `randint(0, N)` per row from the generator, as `torch.randint(0, N, (32,), generator=g)`.
 *
 * @example
 * ```ts
 * const data = { X: new Int32Array([0, 1, 2]), Y: new Int32Array([1, 2, 0]), length: 3, blockSize: 1 };
 * const sampler = new MinibatchSampler(data, 2);
 * sampler.next(new Generator(1));
 * sampler.X.shape; // [2, 1]
 * ```
 */
export class MinibatchSampler {
  readonly X: Tensor;
  readonly Y: Tensor;
  readonly fullBatch: boolean;
  private readonly xs: Int32Array;
  private readonly ys: Int32Array;

  constructor(
    private readonly data: TrainData,
    batchSize: number,
  ) {
    this.fullBatch = batchSize >= data.length;
    const B = this.fullBatch ? data.length : batchSize;
    if (this.fullBatch) {
      this.xs = data.X;
      this.ys = data.Y;
    } else {
      this.xs = new Int32Array(B * data.blockSize);
      this.ys = new Int32Array(B);
    }
    this.X = new Tensor(this.xs, [B, data.blockSize]);
    this.Y = new Tensor(this.ys, [B]);
  }

  /** Fills `X`, `Y` with `randint(0, N, [B])` examples (the full batch needs no draw). */
  next(generator: Generator): void {
    if (this.fullBatch) return;
    const { X, Y, length, blockSize } = this.data;
    const xs = this.xs;
    const ys = this.ys;
    for (let b = 0; b < ys.length; b++) {
      const i = generator.randint(0, length);
      ys[b] = Y[i];
      const from = i * blockSize;
      const to = b * blockSize;
      for (let k = 0; k < blockSize; k++) xs[to + k] = X[from + k];
    }
  }
}
