/**
 * Exercise 4 of makemore part 4: training the BatchNorm MLP with the hand-written gradients only.
 * The loop is the package's one `Trainer` (nn's SGD and its `PiecewiseConstantLR`: 0.1, then 0.01
 * from half the run); the task's `backward()` writes `fusedBackward`'s gradients into each
 * parameter's `grad` instead of calling autograd. `backward: 'autograd'` runs the same steps with
 * `loss.backward()` (the lecture's commented-out line), for comparison.
 */
import { Generator } from '@llm-playground/core';
import type { ContextDataset } from '@llm-playground/data';
import { noGrad } from '@llm-playground/tensor';
import { ConfigError } from '../errors.js';
import { checkTrainData } from '../evaluate.js';
import { createOptimizer } from '../tasks/language-model.js';
import { MinibatchSampler } from '../tasks/minibatch-sampler.js';
import { type StepRecord, Trainer, type TrainingTask } from '../trainer.js';
import { fusedBackward } from './backward.js';
import {
  BACKPROP_PARAMETER_NAMES,
  BACKPROP_SEED,
  type BackpropMlpOptions,
  type BackpropMlpParameters,
  type BatchNormStats,
  calibrateBatchNorm,
  fastForward,
  initBackpropMlp,
  splitLoss,
} from './network.js';

/** Where the gradients come from. */
export type BackwardMode = 'manual' | 'autograd';

/** Options of `manualBackpropTask`. */
export interface ManualBackpropTaskOptions {
  /** Examples per step (default 32, at least 2 for BatchNorm). */
  batchSize?: number;
  /** `'manual'` (default): `fusedBackward`, no graph built; `'autograd'`: `loss.backward()`. */
  backward?: BackwardMode;
  /** Evaluated beside the training data by `evaluate` (BatchNorm calibrated on the training data). */
  dev?: ContextDataset;
}

/** A `TrainingTask` over the lecture's parameters, with its sampler. */
export interface ManualBackpropTask extends TrainingTask {
  readonly params: BackpropMlpParameters;
  readonly sampler: MinibatchSampler;
}

/**
 * The training task of exercise 4: each step draws `randint(0, N, (batchSize,))` examples from the
 * trainer's generator, runs `fastForward`, and its `backward()` sets every parameter's `grad` to
 * the manual gradient (or calls autograd with `backward: 'autograd'`).
 */
export function manualBackpropTask(
  params: BackpropMlpParameters,
  data: ContextDataset,
  options: ManualBackpropTaskOptions = {},
): ManualBackpropTask {
  const batchSize = options.batchSize ?? 32;
  if (!Number.isInteger(batchSize) || batchSize < 2) {
    throw new ConfigError(
      `batchSize must be an integer ≥ 2 (BatchNorm's variance needs two examples), got ${batchSize}`,
    );
  }
  const mode = options.backward ?? 'manual';
  if (mode !== 'manual' && mode !== 'autograd') {
    throw new ConfigError(`backward must be 'manual' or 'autograd', got ${JSON.stringify(mode)}`);
  }
  const blockSize = params.W1.shape[0] / params.C.shape[1];
  checkTrainData(data, blockSize, 'manualBackpropTask');
  if (data.length === 0) {
    throw new RangeError(`Argument 'data' passed to 'manualBackpropTask' holds no examples`);
  }
  if (options.dev) checkTrainData(options.dev, blockSize, 'manualBackpropTask (dev)');
  const list = BACKPROP_PARAMETER_NAMES.map((name) => params[name]);
  const sampler = new MinibatchSampler(data, batchSize);
  return {
    name: 'manual-backprop',
    uniformLoss: Math.log(params.C.shape[0]),
    params,
    sampler,
    forward(generator: Generator) {
      sampler.next(generator);
      const { X, Y } = sampler;
      if (mode === 'autograd') {
        const { loss } = fastForward(params, X, Y);
        return { loss: loss.item(), backward: () => loss.backward() };
      }
      const forward = noGrad(() => fastForward(params, X, Y));
      return {
        loss: forward.loss.item(),
        backward() {
          const grads = fusedBackward(params, forward, X, Y);
          for (const name of BACKPROP_PARAMETER_NAMES) params[name].grad = grads[name];
        },
      };
    },
    createOptimizer: (settings) =>
      createOptimizer(settings.kind, list, { lr: settings.lr, weightDecay: settings.weightDecay }),
    saveWeights: () => list.map((p) => p.data.slice()),
    loadWeights(weights: unknown) {
      const saved = weights as ArrayLike<number>[];
      list.forEach((p, k) => {
        (p.storage as Float32Array | Float64Array).set(saved[k]);
        p.grad = null;
      });
    },
    evaluate() {
      const stats = calibrateBatchNorm(params, data);
      const out: Record<string, number> = { train: splitLoss(params, stats, data) };
      if (options.dev) out.dev = splitLoss(params, stats, options.dev);
      return out;
    },
  };
}

/** Options of `trainManualBackprop`. */
export interface TrainManualBackpropOptions
  extends Omit<BackpropMlpOptions, 'vocabSize' | 'requiresGrad'>,
    ManualBackpropTaskOptions {
  /** The training contexts (the lecture's `Xtr, Ytr`: `buildContexts(splitWords(words).train, …)`). */
  train: ContextDataset;
  /** Vocabulary size (default: 1 + the largest token id in `train`). */
  vocabSize?: number;
  /** Steps (default 200,000, the lecture's). */
  steps?: number;
  /** Learning rate (default 0.1), divided by 10 from step `decayStep`. */
  lr?: number;
  /** The step from which the rate is `lr/10` (default half the run: 100,000 of 200,000; at least 1). */
  decayStep?: number;
  /** Hidden units (default 200: exercise 4's, where exercises 1–3 use 64). */
  nHidden?: number;
  /** Called after every step (`{ step, loss, lr }`), e.g. for the lecture's printout every 10,000. */
  onStep?: (record: StepRecord) => void;
  /** Calibrate BatchNorm and measure the train/dev losses at the end (default true). */
  evaluate?: boolean;
}

/** What `trainManualBackprop` returns. */
export interface ManualBackpropRun {
  params: BackpropMlpParameters;
  /** BatchNorm's statistics over the training set (undefined with `evaluate: false`). */
  stats?: BatchNormStats;
  /** Every step's minibatch loss. */
  losses: Float64Array;
  /** The calibrated network's loss on `train` and `dev` (NaN when not evaluated or no dev). */
  trainLoss: number;
  devLoss: number;
  /** Wall time of the training steps alone, and steps per second. */
  seconds: number;
  stepsPerSecond: number;
}

/**
 * Exercise 4: initialise the lecture's network (n_hidden 200), train it with the manual gradients
 * (SGD, lr 0.1 then 0.01 from half the run, batch 32, minibatches from the generator that drew the
 * weights), calibrate BatchNorm over the training set and return the train/dev losses. The
 * lecture's 200,000 steps reach train 2.0705, val 2.1099 — a long run for `pnpm reproduce`, not a
 * test.
 *
 * @example
 * ```ts
 * const words = bundledNames().words;
 * const tokenizer = CharTokenizer.fromWords(words);
 * const split = splitWords(words); // random.seed(42), 80/10/10
 * const run = trainManualBackprop({
 *   train: buildContexts(split.train, tokenizer, 3),
 *   dev: buildContexts(split.dev, tokenizer, 3),
 *   steps: 200, // the lecture: 200,000
 * });
 * run.losses.length; // 200
 * run.devLoss < run.losses[0]; // true
 * ```
 */
export function trainManualBackprop(options: TrainManualBackpropOptions): ManualBackpropRun {
  const { train, steps = 200_000, lr = 0.1 } = options;
  if (typeof train !== 'object' || train === null || !(train.Y instanceof Int32Array)) {
    throw new TypeError(
      `trainManualBackprop: 'train' must be a ContextDataset (buildContexts(words, tokenizer, 3)), got ${train === null ? 'null' : typeof train}`,
    );
  }
  if (!Number.isInteger(steps) || steps < 1) {
    throw new ConfigError(`steps must be a positive integer, got ${steps}`);
  }
  if (!(lr > 0)) throw new ConfigError(`lr must be a positive number, got ${lr}`);
  // nn's PiecewiseConstantLR wants a positive boundary: a 1-step run keeps lr throughout.
  const decayStep = options.decayStep ?? Math.max(1, Math.floor(steps / 2));
  let vocabSize = options.vocabSize;
  if (vocabSize === undefined) {
    vocabSize = 1;
    for (const y of train.Y) vocabSize = Math.max(vocabSize, y + 1);
    for (const x of train.X) vocabSize = Math.max(vocabSize, x + 1);
  }
  // The lecture's `g`: it draws the weights, then every minibatch.
  const generator = options.generator ?? new Generator(BACKPROP_SEED);
  const params = initBackpropMlp({
    ...options,
    generator,
    vocabSize,
    blockSize: train.blockSize,
    nHidden: options.nHidden ?? 200,
  });
  const task = manualBackpropTask(params, train, options);
  const trainer = new Trainer(task, {
    steps,
    optimizer: { kind: 'sgd', lr },
    schedule: { kind: 'PiecewiseConstantLR', boundaries: [decayStep], values: [lr, lr / 10] },
    generator,
    capture: false,
    onStep: options.onStep,
  });
  const progress = trainer.run();
  if (progress.diverged) throw progress.diverged;
  const run: ManualBackpropRun = {
    params,
    losses: progress.losses,
    trainLoss: Number.NaN,
    devLoss: Number.NaN,
    seconds: progress.seconds,
    stepsPerSecond: progress.losses.length / progress.seconds,
  };
  if (options.evaluate ?? true) {
    run.stats = calibrateBatchNorm(params, train);
    run.trainLoss = splitLoss(params, run.stats, train);
    if (options.dev) run.devLoss = splitLoss(params, run.stats, options.dev);
  }
  return run;
}
