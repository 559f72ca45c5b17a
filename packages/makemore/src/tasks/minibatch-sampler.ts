/**
 * Minibatches of examples, the lecture's `randint(0, N, (B,))` draw, for the three layouts a family
 * trains on: contexts with the next token (makemore parts 1–5), sequences with a target at every
 * position (makemore.py's `CharDataset`), and windows of one long text (the GPT lecture's
 * `get_batch`).
 */
import type { Generator } from '@llm-playground/core';
import { Tensor } from '@llm-playground/tensor';

/**
 * How a `TrainData`'s arrays are laid out:
 * - `'contexts'` (default): `X` `[length, blockSize]`, `Y` `[length]`, the next token;
 * - `'sequences'`: `X` and `Y` both `[length, blockSize]`, the target at every position,
 *   `IGNORE_INDEX` (−1) where there is none (makemore.py's padding);
 * - `'windows'`: `X` is one token stream of `length + blockSize` tokens (`Y` is the same array);
 *   example i is `X[i .. i + blockSize)` with targets `X[i + 1 .. i + blockSize]`.
 */
export type DataLayout = 'contexts' | 'sequences' | 'windows';

/** The target of positions that predict nothing (makemore.py's −1; `crossEntropy`'s `ignoreIndex`). */
export const IGNORE_INDEX = -1;

/** Examples as typed arrays: `X` is `[length, blockSize]` row-major, `Y` the next token (= data's `ContextDataset`); see `layout`. */
export interface TrainData {
  X: Int32Array;
  Y: Int32Array;
  length: number;
  blockSize: number;
  /** Default `'contexts'`. */
  layout?: DataLayout;
}

/** Targets per example: 1 for contexts, `blockSize` for sequences and windows. */
export function targetsPerExample(data: TrainData): number {
  return (data.layout ?? 'contexts') === 'contexts' ? 1 : data.blockSize;
}

/**
 * Draws minibatches of examples into reused buffers (no allocation per step): each draw is
 * `randint(0, N)` per row from the generator, as `torch.randint(0, N, (32,), generator=g)`. `Y` is
 * `[B]` for contexts and `[B, blockSize]` for sequences and windows.
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
    const layout = data.layout ?? 'contexts';
    const perY = targetsPerExample(data);
    // Windows are never materialised whole (a book's windows would take length × blockSize ints).
    this.fullBatch = batchSize >= data.length && layout !== 'windows';
    const B = this.fullBatch ? data.length : batchSize;
    if (this.fullBatch) {
      this.xs = data.X;
      this.ys = data.Y;
    } else {
      this.xs = new Int32Array(B * data.blockSize);
      this.ys = new Int32Array(B * perY);
    }
    this.X = new Tensor(this.xs, [B, data.blockSize]);
    this.Y = new Tensor(this.ys, perY === 1 ? [B] : [B, perY]);
  }

  /** Fills `X`, `Y` with `randint(0, N, [B])` examples (the full batch needs no draw). */
  next(generator: Generator): void {
    if (this.fullBatch) return;
    const { X, Y, length, blockSize, layout } = this.data;
    const xs = this.xs;
    const ys = this.ys;
    const B = this.X.shape[0];
    if (layout === 'windows') {
      // The lecture's get_batch: ix = randint(len(data) − block_size, (B,)), x = data[i:i+T], y = data[i+1:i+T+1].
      for (let b = 0; b < B; b++) {
        const i = generator.randint(0, length);
        xs.set(X.subarray(i, i + blockSize), b * blockSize);
        ys.set(X.subarray(i + 1, i + 1 + blockSize), b * blockSize);
      }
      return;
    }
    const perY = ys.length / B;
    for (let b = 0; b < B; b++) {
      const i = generator.randint(0, length);
      if (perY === 1) ys[b] = Y[i];
      else ys.set(Y.subarray(i * perY, (i + 1) * perY), b * perY);
      const from = i * blockSize;
      const to = b * blockSize;
      for (let k = 0; k < blockSize; k++) xs[to + k] = X[from + k];
    }
  }
}
