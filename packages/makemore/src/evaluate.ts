/**
 * The loss of a model on a dataset (the lecture's `split_loss`), on all of it or on an evenly
 * spaced subset: a full pass over the 650,000 dev contexts of a 1,000,000-word list takes ~15 s
 * (MLP 10/200, one core; 100,000 contexts ≈ 2.4 s), too slow to repeat every few hundred steps.
 */
import type { ContextDataset } from '@llm-playground/data';
import { noGrad, Tensor } from '@llm-playground/tensor';
import type { LanguageModel } from './model.js';
import { IGNORE_INDEX, type TrainData, targetsPerExample } from './tasks/minibatch-sampler.js';

/** Contexts and next tokens as typed arrays (`ContextDataset` of @llm-playground/data), or sequences / windows (`TrainData.layout`). */
type EvalData = ContextDataset | TrainData;

/** Options of `evaluate`. */
export interface EvaluateOptions {
  /** Predictions per forward pass (default 8192): examples for contexts, ⌊8192 / blockSize⌋ rows of sequences. */
  batchSize?: number;
  /**
   * Evaluate on at most this many examples, evenly spaced over the data (rows `⌊i·n/m⌋`), for a
   * quick estimate during training; default all. Deterministic: the same rows every call.
   */
  maxExamples?: number;
}

/**
 * The mean negative log-likelihood of `data` under `model` (the lecture's `split_loss`), without
 * regularization, computed in chunks of `batchSize` (default 8192) under `noGrad`, in eval mode
 * (`inEvalMode`: BatchNorm uses its running statistics). With `maxExamples`, an estimate from that
 * many evenly spaced examples.
 *
 * @example
 * ```ts
 * const model = createModel({ kind: 'bigram-net', vocabSize: 3, blockSize: 1, regularization: 0 });
 * // all-zero logits predict uniformly: the loss is log 3
 * (model as BigramNet).W.data.fill(0);
 * const data = { X: new Int32Array([0, 1, 2]), Y: new Int32Array([1, 2, 0]), length: 3, blockSize: 1 };
 * evaluate(model, data); // ≈ 1.0986122886681098
 * evaluate(model, data, { maxExamples: 2 }); // ≈ 1.0986122886681098
 * ```
 */
export function evaluate(
  model: LanguageModel,
  data: EvalData,
  options: EvaluateOptions = {},
): number {
  const batchSize = options.batchSize ?? 8192;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new RangeError(
      `Argument 'batchSize' passed to 'evaluate' must be a positive integer, got ${batchSize}`,
    );
  }
  const maxExamples = options.maxExamples ?? Number.POSITIVE_INFINITY;
  if (!(maxExamples >= 1) || (Number.isFinite(maxExamples) && !Number.isInteger(maxExamples))) {
    throw new RangeError(
      `Argument 'maxExamples' passed to 'evaluate' must be a positive integer, got ${maxExamples}`,
    );
  }
  checkTrainData(data, model.config.blockSize, 'evaluate');
  if (data.length === 0) return Number.NaN;
  if ((data as TrainData).layout === 'windows') return evaluate(model, chunksOf(data), options);
  const subset = data.length > maxExamples ? evenlySpaced(data, maxExamples) : data;
  const lossOf = (model.dataLoss ?? model.loss).bind(model);
  const { blockSize } = subset;
  const perY = targetsPerExample(subset);
  // `batchSize` counts predictions: a batch of sequences holds blockSize of them per row.
  const rows = perY === 1 ? batchSize : Math.max(1, Math.floor(batchSize / perY));
  return inEvalMode(model, () =>
    noGrad(() => {
      // Each chunk's mean loss weighted by its targets (sequences: the positions not ignored).
      let total = 0;
      let count = 0;
      for (let start = 0; start < subset.length; start += rows) {
        const n = Math.min(rows, subset.length - start);
        const X = new Tensor(subset.X.subarray(start * blockSize, (start + n) * blockSize), [
          n,
          blockSize,
        ]);
        const ys = subset.Y.subarray(start * perY, (start + n) * perY);
        const Y = new Tensor(ys, perY === 1 ? [n] : [n, perY]);
        const targets = perY === 1 ? n : ys.reduce((c, y) => c + (y === IGNORE_INDEX ? 0 : 1), 0);
        if (targets > 0) total += lossOf(X, Y).item() * targets;
        count += targets;
      }
      return total / count;
    }),
  );
}

/**
 * Runs `fn` with `model` in eval mode (BatchNorm on its running statistics, as the lectures'
 * `split_loss` after `layer.training = False`), then puts it back in training mode if it was
 * training. Anything without `train()`/`eval()` (micrograd's MLP) runs as it is. `evaluate`,
 * `sample` and the `Trainer`'s evaluations use it.
 */
export function inEvalMode<T>(model: unknown, fn: () => T): T {
  const target = model as Partial<Pick<LanguageModel, 'train' | 'eval' | 'training'>> | null;
  if (typeof target?.eval !== 'function' || typeof target.train !== 'function') return fn();
  const wasTraining = target.training !== false;
  target.eval();
  try {
    return fn();
  } finally {
    if (wasTraining) target.train(true);
  }
}

/** Rows `⌊i·n/m⌋` for `i < m`: spread over the whole data, not just its first words. */
function evenlySpaced(data: EvalData, m: number): EvalData {
  const { blockSize, length: n } = data;
  const perY = targetsPerExample(data);
  const X = new Int32Array(m * blockSize);
  const Y = new Int32Array(m * perY);
  for (let i = 0; i < m; i++) {
    const row = Math.floor((i * n) / m);
    X.set(data.X.subarray(row * blockSize, (row + 1) * blockSize), i * blockSize);
    Y.set(data.Y.subarray(row * perY, (row + 1) * perY), i * perY);
  }
  return { X, Y, length: m, blockSize, layout: (data as TrainData).layout };
}

/**
 * A text's windows as non-overlapping sequences (starts 0, T, 2T, …): every token after the first
 * is predicted once, from the up to T − 1 tokens before it in its block (the last block padded,
 * its missing targets −1). NOTE: the lecture's `estimate_loss` averages 200 random batches
 * instead (`evalBatches` does that).
 */
function chunksOf(data: EvalData): TrainData {
  const T = data.blockSize;
  const tokens = data.X.subarray(0, data.length + T);
  const m = Math.ceil((tokens.length - 1) / T);
  const X = new Int32Array(m * T);
  const Y = new Int32Array(m * T).fill(IGNORE_INDEX);
  for (let i = 0; i < m; i++) {
    X.set(tokens.subarray(i * T, (i + 1) * T), i * T);
    Y.set(tokens.subarray(i * T + 1, (i + 1) * T + 1), i * T);
  }
  return { X, Y, length: m, blockSize: T, layout: 'sequences' };
}

/** Checks that `data` is a consistent `TrainData` for a model with `blockSize`. */
export function checkTrainData(data: EvalData, blockSize: number, op: string): void {
  const windows = (data as TrainData)?.layout === 'windows';
  if (
    !data ||
    !(data.X instanceof Int32Array) ||
    !(data.Y instanceof Int32Array) ||
    (windows
      ? data.X.length !== data.length + data.blockSize
      : data.Y.length !== data.length * targetsPerExample(data) ||
        data.X.length !== data.length * data.blockSize)
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
