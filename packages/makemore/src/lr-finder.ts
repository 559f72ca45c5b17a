import type { Generator } from '@llm-playground/core';
import { checkTrainData } from './evaluate.js';
import type { LanguageModel } from './model.js';
import { languageModelTask } from './tasks/language-model.js';
import type { TrainData } from './tasks/minibatch-sampler.js';
import type { OptimizerSettings, TrainingTask } from './trainer.js';
import { defaultGenerator } from './util.js';

export interface LrFinderOptions {
  /** Steps in the sweep, one learning rate each (default 1000). */
  steps?: number;
  /** The sweep covers 10^minExponent … 10^maxExponent (defaults −3 and 0, the lecture's). */
  minExponent?: number;
  maxExponent?: number;
  batchSize?: number;
  generator?: Generator;
}

/**
 * The lecture's learning-rate finder: `lre = linspace(-3, 0, 1000); lrs = 10**lre`, one SGD step
 * at each learning rate in turn, recording the loss. The loss falls while the rate is useful and
 * explodes once it is too large; `suggestion` is the rate at the minimum of the smoothed loss
 * curve, divided by 10^0.5 to stay clear of the unstable edge. The model's weights are restored
 * afterwards (unlike the lecture, which keeps training from where the sweep left it).
 *
 * @example
 * ```ts
 * const model = createModel({ kind: 'bigram-net', vocabSize: 3, blockSize: 1 }, { generator: new Generator(1) });
 * const data = { X: new Int32Array([0, 1, 2, 0]), Y: new Int32Array([1, 2, 0, 1]), length: 4, blockSize: 1 };
 * const before = Array.from(model.W.data);
 * const { lrs, losses, suggestion } = lrFinder(model, data, { steps: 50 });
 * [lrs[0], lrs[49]]; // ≈ [0.001, 1]
 * losses.length; // 50
 * suggestion > 0.001 && suggestion <= 1; // true
 * Array.from(model.W.data).every((w, i) => w === before[i]); // true
 * ```
 */
export function lrFinder(
  model: LanguageModel,
  data: TrainData,
  options: LrFinderOptions = {},
): { lrs: Float64Array; losses: Float64Array; suggestion: number } {
  const steps = options.steps ?? 1000;
  const minExponent = options.minExponent ?? -3;
  const maxExponent = options.maxExponent ?? 0;
  if (!Number.isInteger(steps) || steps < 2) {
    throw new RangeError(
      `Argument 'steps' passed to 'lrFinder' must be an integer ≥ 2, got ${steps}`,
    );
  }
  if (!(minExponent < maxExponent)) {
    throw new RangeError(
      `Arguments 'minExponent' and 'maxExponent' passed to 'lrFinder' must satisfy min < max, got ${minExponent} and ${maxExponent}`,
    );
  }
  checkTrainData(data, model.config.blockSize, 'lrFinder');
  if (model.parameters().length === 0)
    throw new TypeError(`lrFinder: the ${model.config.kind} model has no trainable parameters`);
  const task = languageModelTask(model, data, { batchSize: options.batchSize ?? 32 });
  const lrs = new Float64Array(steps);
  for (let i = 0; i < steps; i++) {
    lrs[i] = 10 ** (minExponent + ((maxExponent - minExponent) * i) / (steps - 1));
  }
  const saved = task.saveWeights();
  let losses: Float64Array;
  try {
    losses = lrSweep(task, lrs, {
      optimizer: { kind: 'sgd', lr: lrs[0] },
      generator: options.generator ?? defaultGenerator(),
    });
  } finally {
    task.loadWeights(saved);
  }
  return { lrs, losses, suggestion: suggestLearningRate(lrs, losses) };
}

/**
 * The sweep behind every LR finder here (the lecture's `lrFinder` and the `Trainer`'s on
 * divergence): one update at each rate `lrs[i]` in turn, on the task's current weights (which it
 * changes: save and restore them around it), recording each step's loss before its update; stops
 * at the first non-finite loss (the rest stays NaN).
 *
 * @example
 * ```ts
 * const model = createModel({ kind: 'bigram-net', vocabSize: 3, blockSize: 1 }, { generator: new Generator(1) });
 * const data = { X: new Int32Array([0, 1, 2, 0]), Y: new Int32Array([1, 2, 0, 1]), length: 4, blockSize: 1 };
 * const losses = lrSweep(languageModelTask(model, data, { batchSize: Infinity }), Float64Array.of(1, 1, 1e30, 1), { optimizer: { kind: 'sgd', lr: 1 }, generator: new Generator(1) });
 * losses[0] > losses[1]; // true
 * Number.isFinite(losses[3]); // false
 * ```
 */
export function lrSweep(
  task: TrainingTask,
  lrs: Float64Array,
  options: { optimizer: OptimizerSettings; generator: Generator },
): Float64Array {
  const losses = new Float64Array(lrs.length).fill(Number.NaN);
  const optimizer = task.createOptimizer(options.optimizer);
  for (let i = 0; i < lrs.length; i++) {
    const out = task.forward(options.generator);
    losses[i] = out.loss;
    if (!Number.isFinite(out.loss)) break;
    for (const group of optimizer.paramGroups) group.lr = lrs[i];
    optimizer.zeroGrad();
    out.backward();
    optimizer.step();
  }
  return losses;
}

/**
 * The rate at the minimum of a centred moving average of the loss (window n/20), backed off by
 * 10^0.5 to stay clear of the unstable edge; windows with a non-finite loss are skipped.
 *
 * @example
 * ```ts
 * suggestLearningRate(Float64Array.of(0.1, 1, 10), Float64Array.of(3, 2, NaN)); // 0.1
 * ```
 */
export function suggestLearningRate(lrs: Float64Array, losses: Float64Array): number {
  const n = lrs.length;
  const half = Math.max(1, Math.round(n / 40));
  let best = 0;
  let bestValue = Number.POSITIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    let sum = 0;
    let count = 0;
    let finite = true;
    for (let j = Math.max(0, i - half); j <= Math.min(n - 1, i + half); j++) {
      if (!Number.isFinite(losses[j])) {
        finite = false;
        break;
      }
      sum += losses[j];
      count++;
    }
    if (finite && sum / count < bestValue) {
      bestValue = sum / count;
      best = i;
    }
  }
  return Math.max(lrs[0], lrs[best] / Math.sqrt(10));
}
