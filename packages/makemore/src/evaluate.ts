import { noGrad, Tensor } from '@llm-playground/tensor';
import type { LanguageModel } from './model.js';
import type { TrainData } from './train.js';

/**
 * The mean negative log-likelihood of `data` under `model` (the lecture's `split_loss`), without
 * regularization, computed in chunks of `batchSize` (default 8192) under `noGrad`.
 *
 * @example
 * ```ts
 * const model = createModel({ kind: 'bigram-net', vocabSize: 3, blockSize: 1, regularization: 0 });
 * // all-zero logits predict uniformly: the loss is log 3
 * (model as BigramNet).W.data.fill(0);
 * const data = { X: new Int32Array([0, 1, 2]), Y: new Int32Array([1, 2, 0]), length: 3, blockSize: 1 };
 * evaluate(model, data); // ≈ 1.0986122886681098
 * ```
 */
export function evaluate(
  model: LanguageModel,
  data: TrainData,
  options: { batchSize?: number } = {},
): number {
  const batchSize = options.batchSize ?? 8192;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new RangeError(
      `Argument 'batchSize' passed to 'evaluate' must be a positive integer, got ${batchSize}`,
    );
  }
  checkTrainData(data, model.config.blockSize, 'evaluate');
  if (data.length === 0) return Number.NaN;
  const lossOf = (model.dataLoss ?? model.loss).bind(model);
  const { blockSize } = data;
  return noGrad(() => {
    let total = 0;
    for (let start = 0; start < data.length; start += batchSize) {
      const n = Math.min(batchSize, data.length - start);
      const X = new Tensor(data.X.subarray(start * blockSize, (start + n) * blockSize), [
        n,
        blockSize,
      ]);
      const Y = new Tensor(data.Y.subarray(start, start + n), [n]);
      total += lossOf(X, Y).item() * n;
    }
    return total / data.length;
  });
}

/** Checks that `data` is a consistent `TrainData` for a model with `blockSize`. */
export function checkTrainData(data: TrainData, blockSize: number, op: string): void {
  if (
    !data ||
    !(data.X instanceof Int32Array) ||
    !(data.Y instanceof Int32Array) ||
    data.Y.length !== data.length ||
    data.X.length !== data.length * data.blockSize
  ) {
    throw new TypeError(
      `Argument 'data' passed to '${op}' must be { X: Int32Array(length·blockSize), Y: Int32Array(length), length, blockSize }` +
        (data
          ? ` (got X of ${data.X?.length}, Y of ${data.Y?.length}, length ${data.length}, blockSize ${data.blockSize})`
          : ''),
    );
  }
  if (data.blockSize !== blockSize) {
    throw new RangeError(
      `Argument 'data' passed to '${op}' has blockSize ${data.blockSize} but the model's blockSize is ${blockSize}`,
    );
  }
}
