import type { Generator } from '@llm-playground/core';
import { noGrad, type Tensor } from '@llm-playground/tensor';
import { checkTrainData } from './evaluate.js';
import type { LanguageModel } from './model.js';
import { MinibatchSampler, type TrainData } from './train.js';
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
  const params = model.parameters();
  if (params.length === 0)
    throw new TypeError(`lrFinder: the ${model.config.kind} model has no trainable parameters`);
  const saved = params.map((p) => p.data.slice());
  const generator = options.generator ?? defaultGenerator();
  const sampler = new MinibatchSampler(data, options.batchSize ?? 32);
  const lrs = new Float64Array(steps);
  const losses = new Float64Array(steps).fill(Number.NaN);
  for (let i = 0; i < steps; i++) {
    lrs[i] = 10 ** (minExponent + ((maxExponent - minExponent) * i) / (steps - 1));
  }
  try {
    for (let i = 0; i < steps; i++) {
      sampler.next(generator);
      const loss = model.loss(sampler.X, sampler.Y);
      losses[i] = loss.item();
      if (!Number.isFinite(losses[i])) break; // exploded: the rest of the sweep stays NaN
      for (const p of params) p.grad = null;
      loss.backward();
      noGrad(() => {
        for (const p of params) p.sub_(p.grad as Tensor, { alpha: lrs[i] });
      });
    }
  } finally {
    noGrad(() => {
      params.forEach((p, k) => {
        p.storage.set(saved[k]);
        p.grad = null;
      });
    });
  }
  return { lrs, losses, suggestion: suggest(lrs, losses) };
}

/** The rate at the minimum of a centred moving average of the loss, backed off by 10^0.5. */
function suggest(lrs: Float64Array, losses: Float64Array): number {
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
