/**
 * `train`: the lecture-style call `train(model, data, options)` on top of the one `Trainer`
 * (trainer.ts) — kept for scripts and tests that want one blocking call with per-step losses.
 * The CLI and the web app drive a `Trainer` directly (slices, checkpoints, resume).
 */
import type { Generator } from '@llm-playground/core';
import { LambdaLR, type OptimizerState } from '@llm-playground/nn';
import { ConfigError } from './errors.js';
import type { OptimizerKind } from './families/family.js';
import type { LanguageModel } from './model.js';
import { createOptimizer, languageModelTask } from './tasks/language-model.js';
import { MinibatchSampler, type TrainData } from './tasks/minibatch-sampler.js';
import { Trainer } from './trainer.js';
import { defaultGenerator } from './util.js';

export { createOptimizer, MinibatchSampler, type TrainData };

export interface TrainProgress {
  /** Steps done so far (global: counts from `startStep`). */
  step: number;
  /** The step at which training stops (`options.steps`). */
  steps: number;
  /** The loss of the last step. */
  loss: number;
  lr: number;
  stepsPerSecond: number;
  elapsedSeconds: number;
}

export interface TrainOptions {
  /** Train until this global step (with `startStep`, the steps run are `steps − startStep`). */
  steps: number;
  /** Examples per step (default 32). `Infinity` or ≥ the data size: full batch, in order, no random draws. */
  batchSize?: number;
  /** A number, or a function of the global step. Default for SGD: the lecture's 0.1, then 0.01 from step 100,000; for Adam/AdamW 1e-3. */
  lr?: number | ((step: number) => number);
  /** Default 'sgd' (plain, as in the lecture). */
  optimizer?: OptimizerKind;
  /** Weight decay passed to the optimizer (AdamW: decoupled; default 0, AdamW 0.01, or the one in `optimizerState`, which a given value overrides). */
  weightDecay?: number;
  /** Draws the minibatch indices (default: a new generator seeded 2147483647). */
  generator?: Generator;
  /** Evaluated at the `evalEvery` steps and at the end, reported through `onEval`. */
  dev?: TrainData;
  /**
   * Evaluate at every global step that is a multiple of `evalEvery` (so a resumed run evaluates at
   * the same steps as an uninterrupted one), and at the end. Default: only at the end. Evaluations
   * are reported to `onEval` (none without it).
   */
  evalEvery?: number;
  /** Estimate the losses on this many random batches of 1,024 examples instead of the whole split (faster; drawn from a separate generator, so the training stream is unchanged). */
  evalBatches?: number;
  /** Stop after this many seconds (the result says `stoppedBecause: 'time'`). */
  maxSeconds?: number;
  /** Stop when aborted (Ctrl-C in the CLI); the result says `stoppedBecause: 'aborted'`. */
  signal?: AbortSignal;
  /** Called about ten times a second and after the last step. */
  onProgress?: (progress: TrainProgress) => void;
  onEval?: (evaluation: { step: number; train: number; dev?: number }) => void;
  /** The global step to start from when resuming (default 0). */
  startStep?: number;
  /** An optimizer state to resume from (from a checkpoint or a previous `TrainResult`). */
  optimizerState?: OptimizerState;
}

export interface TrainResult {
  /** The global step reached: where a resumed run continues. */
  steps: number;
  /** The loss of each step run by this call (`losses[i]` is global step `startStep + i`). */
  losses: Float32Array;
  /** The loss of the last step (NaN when no step ran). */
  finalLoss: number;
  stoppedBecause: 'done' | 'time' | 'aborted';
  seconds: number;
  optimizerState: OptimizerState;
}

/**
 * The lecture's schedule: 0.1 for the first 100,000 steps, then 0.01 (as a scheduler config:
 * `{ kind: 'PiecewiseConstantLR', boundaries: [100000], values: [0.1, 0.01] }`).
 *
 * @example
 * ```ts
 * [lectureLearningRate(0), lectureLearningRate(99_999), lectureLearningRate(100_000)]; // [0.1, 0.1, 0.01]
 * ```
 */
export function lectureLearningRate(step: number): number {
  return step < 100_000 ? 0.1 : 0.01;
}

function checkInteger(value: number, name: string): void {
  if (!Number.isInteger(value) || value < 0) {
    throw new RangeError(
      `Argument '${name}' passed to 'train' must be an integer ≥ 0, got ${value}`,
    );
  }
}

/**
 * @deprecated Use `prepareRun(...).createTrainer()` or `new Trainer(languageModelTask(model, data),
 * …)`: `train` stays only until `lmp train` (its last user outside the tests) is ported to the
 * `Trainer`, and will then be removed.
 *
 * Trains `model` on `data` in place (a `Trainer` run to the end) and returns the per-step losses
 * and the optimizer state. Throws the `Trainer`'s `TrainingDivergedError` (with a learning rate
 * from the LR finder) when the divergence rule fires.
 *
 * @example
 * ```ts
 * const model = createModel({ kind: 'bigram-net', vocabSize: 3, blockSize: 1 }, { generator: new Generator(1) });
 * const data = { X: new Int32Array([0, 1, 2, 0]), Y: new Int32Array([1, 2, 0, 1]), length: 4, blockSize: 1 };
 * const result = train(model, data, { steps: 200, lr: 10, batchSize: Infinity });
 * result.losses[0] > result.finalLoss; // true
 * result.stoppedBecause; // 'done'
 * train(model, data, { steps: 5, lr: 1e30, batchSize: Infinity }); // throws TrainingDivergedError
 * ```
 */
export function train(model: LanguageModel, data: TrainData, options: TrainOptions): TrainResult {
  const startStep = options.startStep ?? 0;
  checkInteger(options.steps, 'steps');
  checkInteger(startStep, 'startStep');
  const batchSize = options.batchSize ?? 32;
  if (!(batchSize >= 1) || (Number.isFinite(batchSize) && !Number.isInteger(batchSize))) {
    throw new RangeError(
      `Argument 'batchSize' passed to 'train' must be an integer ≥ 1 or Infinity, got ${batchSize}`,
    );
  }
  if (options.evalEvery !== undefined) checkInteger(options.evalEvery, 'evalEvery');
  const kind = options.optimizer ?? 'sgd';
  if (!['sgd', 'adam', 'adamw'].includes(kind)) {
    throw new ConfigError(
      `Argument 'optimizer' passed to 'train' must be 'sgd', 'adam' or 'adamw', got '${kind}'`,
    );
  }
  const task = languageModelTask(model, data, {
    batchSize,
    dev: options.dev,
    evalBatches: options.evalBatches,
  });
  const lrOption = options.lr ?? (kind === 'sgd' ? lectureLearningRate : 1e-3);
  // A function of the step is LambdaLR at base rate 1 (1·f(step) = f(step) exactly).
  const lrAt = typeof lrOption === 'function' ? lrOption : () => lrOption;
  const started = performance.now();
  let lastReport = started;
  let loss = Number.NaN;
  const report = (step: number, lr: number, now: number) => {
    const elapsedSeconds = (now - started) / 1000;
    options.onProgress?.({
      step,
      steps: options.steps,
      loss,
      lr,
      stepsPerSecond: elapsedSeconds > 0 ? (step - startStep) / elapsedSeconds : 0,
      elapsedSeconds,
    });
  };
  const trainer = new Trainer(task, {
    steps: options.steps,
    startStep,
    optimizerState: options.optimizerState,
    optimizer: { kind, lr: 1, weightDecay: options.weightDecay },
    schedule: (optimizer) => new LambdaLR(optimizer, { lrLambda: lrAt }),
    generator: options.generator ?? defaultGenerator(),
    evalEvery: options.evalEvery,
    maxSeconds: options.maxSeconds,
    signal: options.signal,
    onEval: options.onEval
      ? ({ step, metrics }) => options.onEval?.({ step, train: metrics.train, dev: metrics.dev })
      : undefined,
    onStep: (record) => {
      loss = record.loss;
      const now = performance.now();
      if (options.onProgress && now - lastReport >= 100) {
        lastReport = now;
        report(record.step + 1, record.lr, now);
      }
    },
  });
  const progress = trainer.run();
  report(trainer.step, trainer.lr, performance.now());
  if (progress.diverged) throw progress.diverged;
  const stoppedBecause = progress.stoppedBecause as TrainResult['stoppedBecause'];
  return {
    steps: trainer.step,
    losses: Float32Array.from(progress.losses),
    finalLoss: progress.losses.length > 0 ? progress.lastLoss : Number.NaN,
    stoppedBecause,
    seconds: (performance.now() - started) / 1000,
    optimizerState: trainer.optimizer.stateDict() as OptimizerState,
  };
}
