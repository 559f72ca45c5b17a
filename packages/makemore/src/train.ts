/**
 * The training loop shared by the neural models: minibatch SGD (or Adam/AdamW) on
 * cross-entropy, the lecture's way. Each step draws `batchSize` example indices with
 * `randint(0, N)` from the generator (as `torch.randint(0, N, (32,), generator=g)`), runs
 * forward, backward and the optimizer, and records the loss.
 */
import { Generator } from '@llm-playground/core';
import { Adam, AdamW, type Optimizer, type OptimizerState, SGD } from '@llm-playground/nn';
import { noGrad, Tensor } from '@llm-playground/tensor';
import { TrainingDivergedError } from './errors.js';
import { checkTrainData, evaluate } from './evaluate.js';
import type { LanguageModel } from './model.js';
import { defaultGenerator } from './util.js';

/** Examples as typed arrays: `X` is `[length, blockSize]` row-major, `Y` the next token (= data's `ContextDataset`). */
export interface TrainData {
  X: Int32Array;
  Y: Int32Array;
  length: number;
  blockSize: number;
}

export type OptimizerKind = 'sgd' | 'adam' | 'adamw';

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
 * The lecture's schedule: 0.1 for the first 100,000 steps, then 0.01.
 *
 * @example
 * ```ts
 * [lectureLearningRate(0), lectureLearningRate(99_999), lectureLearningRate(100_000)]; // [0.1, 0.1, 0.01]
 * ```
 */
export function lectureLearningRate(step: number): number {
  return step < 100_000 ? 0.1 : 0.01;
}

/**
 * Builds the optimizer named by `kind` over `params` (nn's `SGD`, `Adam` or `AdamW`).
 *
 * @example
 * ```ts
 * const model = createModel({ kind: 'bigram-net', vocabSize: 3, blockSize: 1 });
 * createOptimizer('adamw', model.parameters(), { lr: 1e-3 }).stateDict().kind; // 'AdamW'
 * ```
 */
export function createOptimizer(
  kind: OptimizerKind,
  params: Iterable<Tensor>,
  options: { lr: number; weightDecay?: number },
): Optimizer {
  switch (kind) {
    case 'sgd':
      return new SGD(params, { lr: options.lr, weightDecay: options.weightDecay ?? 0 });
    case 'adam':
      return new Adam(params, { lr: options.lr, weightDecay: options.weightDecay ?? 0 });
    case 'adamw':
      return new AdamW(params, { lr: options.lr, weightDecay: options.weightDecay ?? 0.01 });
    default:
      throw new RangeError(
        `Argument 'optimizer' passed to 'train' must be 'sgd', 'adam' or 'adamw', got '${kind}'`,
      );
  }
}

/** Draws minibatches of examples into reused buffers (no allocation per step). */
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

/** A private, fixed-seed stream for evaluation batches, so evaluating never shifts the training stream. */
function estimateLoss(
  model: LanguageModel,
  data: TrainData,
  batches: number | undefined,
  seed: number,
): number {
  if (batches === undefined) return evaluate(model, data);
  const sampler = new MinibatchSampler(data, 1024);
  const generator = new Generator(seed);
  const lossOf = (model.dataLoss ?? model.loss).bind(model);
  return noGrad(() => {
    let total = 0;
    for (let b = 0; b < batches; b++) {
      sampler.next(generator);
      total += lossOf(sampler.X, sampler.Y).item();
    }
    return total / batches;
  });
}

function checkPositive(value: number, name: string, integer: boolean): void {
  const ok = integer ? Number.isInteger(value) && value >= 0 : value > 0;
  if (!ok) {
    throw new RangeError(
      `Argument '${name}' passed to 'train' must be ${integer ? 'an integer ≥ 0' : 'a number > 0'}, got ${value}`,
    );
  }
}

/**
 * Trains `model` on `data` in place and returns the per-step losses and the optimizer state.
 * Throws `TrainingDivergedError` as soon as a loss is NaN or infinite.
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
  const steps = options.steps;
  checkPositive(steps, 'steps', true);
  checkPositive(startStep, 'startStep', true);
  const batchSize = options.batchSize ?? 32;
  if (!(batchSize >= 1) || (Number.isFinite(batchSize) && !Number.isInteger(batchSize))) {
    throw new RangeError(
      `Argument 'batchSize' passed to 'train' must be an integer ≥ 1 or Infinity, got ${batchSize}`,
    );
  }
  checkTrainData(data, model.config.blockSize, 'train');
  if (data.length === 0)
    throw new RangeError(`Argument 'data' passed to 'train' holds no examples`);
  if (options.dev) checkTrainData(options.dev, model.config.blockSize, 'train (dev)');
  const params = model.parameters();
  if (params.length === 0) {
    throw new TypeError(
      `train: the ${model.config.kind} model has no trainable parameters (the count model is fit by counting: BigramCounts.fromWords)`,
    );
  }
  const kind = options.optimizer ?? 'sgd';
  const lrOption = options.lr ?? (kind === 'sgd' ? lectureLearningRate : 1e-3);
  const lrAt = typeof lrOption === 'function' ? lrOption : () => lrOption;
  const optimizer = createOptimizer(kind, params, {
    lr: lrAt(startStep),
    weightDecay: options.weightDecay,
  });
  if (options.optimizerState) optimizer.loadStateDict(options.optimizerState);
  const group = optimizer.paramGroups[0];
  // loadStateDict restores the saved hyperparameters (PyTorch's rule); a weight decay passed
  // explicitly is the caller's choice for this run, so it wins over the saved one.
  if (options.weightDecay !== undefined) group.weightDecay = options.weightDecay;
  const generator = options.generator ?? defaultGenerator();
  const sampler = new MinibatchSampler(data, batchSize);
  const fullBatchObjective =
    sampler.fullBatch && model.fullBatchObjective ? model.fullBatchObjective(data) : null;
  const evalEvery = options.evalEvery;
  if (evalEvery !== undefined) checkPositive(evalEvery, 'evalEvery', true);
  const wantsEval = options.onEval !== undefined;

  const total = Math.max(0, steps - startStep);
  const losses = new Float32Array(total);
  const started = performance.now();
  let lastReport = started;
  let stoppedBecause: TrainResult['stoppedBecause'] = 'done';
  let step = startStep;
  let loss = Number.NaN;
  const report = (now: number) => {
    const elapsedSeconds = (now - started) / 1000;
    options.onProgress?.({
      step,
      steps,
      loss,
      lr: group.lr,
      stepsPerSecond: elapsedSeconds > 0 ? (step - startStep) / elapsedSeconds : 0,
      elapsedSeconds,
    });
  };
  let lastEvalStep = -1;
  const runEval = () => {
    if (!wantsEval || step === lastEvalStep) return;
    lastEvalStep = step;
    const trainLoss = estimateLoss(model, data, options.evalBatches, step);
    const devLoss = options.dev
      ? estimateLoss(model, options.dev, options.evalBatches, step + 1)
      : undefined;
    options.onEval?.({ step, train: trainLoss, dev: devLoss });
  };

  for (; step < steps; ) {
    if (options.signal?.aborted) {
      stoppedBecause = 'aborted';
      break;
    }
    const lr = lrAt(step);
    group.lr = lr;
    sampler.next(generator);
    const lossTensor = fullBatchObjective ? fullBatchObjective() : model.loss(sampler.X, sampler.Y);
    loss = lossTensor.item();
    if (!Number.isFinite(loss)) {
      throw new TrainingDivergedError(
        `training diverged: the loss became ${loss} at step ${step} with learning rate ${lr}; ` +
          `try a lower learning rate (e.g. --lr ${lr / 10})`,
        { step, loss, lr },
      );
    }
    optimizer.zeroGrad();
    lossTensor.backward();
    optimizer.step();
    losses[step - startStep] = loss;
    step++;
    // Scheduled by the global step, not the steps of this call (see `evalEvery`).
    if (evalEvery && step % evalEvery === 0 && step < steps) runEval();
    const now = performance.now();
    if (options.onProgress && now - lastReport >= 100) {
      lastReport = now;
      report(now);
    }
    if (
      options.maxSeconds !== undefined &&
      (now - started) / 1000 >= options.maxSeconds &&
      step < steps
    ) {
      stoppedBecause = 'time';
      break;
    }
  }
  const now = performance.now();
  report(now);
  runEval();
  const ran = step - startStep;
  return {
    steps: step,
    losses: ran === total ? losses : losses.slice(0, ran),
    finalLoss: loss,
    stoppedBecause,
    seconds: (now - started) / 1000,
    optimizerState: optimizer.stateDict(),
  };
}
