/**
 * The training task of every language-model family: minibatches of (context, next token) drawn
 * with the trainer's generator, the model's loss (with its full-batch fast path when the batch is
 * the whole data), nn's optimizers, and evaluation on the training and dev data.
 */
import { Generator } from '@llm-playground/core';
import { Adam, AdamW, type Optimizer, SGD } from '@llm-playground/nn';
import { noGrad, type Tensor } from '@llm-playground/tensor';
import { ConfigError } from '../errors.js';
import { checkTrainData, evaluate } from '../evaluate.js';
import type { LanguageModel } from '../model.js';
import type { EvaluationContext, OptimizerSettings, TaskStep, TrainingTask } from '../trainer.js';
import { MinibatchSampler, type TrainData } from './minibatch-sampler.js';

export interface LanguageModelTaskOptions {
  /** Examples per step (default 32). `Infinity` or ≥ the data size: full batch, in order, no random draws. */
  batchSize?: number;
  /** Evaluated next to the training data (`dev` in the evaluation metrics). */
  dev?: TrainData;
  /**
   * Estimate the evaluation losses on this many random batches of 1,024 examples instead of the
   * whole split (faster; drawn from a generator seeded by the step, so the training stream is unchanged).
   */
  evalBatches?: number;
  /**
   * What an evaluation measures. `'train-and-dev'` (default): the loss on the training data and on
   * `dev` (exact, or estimated with `evalBatches`). `'dev'`: only the dev loss is measured; `train`
   * is the trainer's `recentLoss`, the mean minibatch loss of the last `evalEvery` steps (NaN
   * before the first step) — free, where measuring the whole training split costs more than the
   * steps between two evaluations (2.5 s on the bundled names). `dev` is NaN for an empty split.
   *
   * NOTE: like the `loss` Keras and Lightning log per epoch, `'dev'`'s train figure is a running mean
   * over weights that changed during the window, not the loss of the weights at the step.
   */
  evaluate?: 'train-and-dev' | 'dev';
}

/** A `TrainingTask` over a language model, with the model and the sampler it uses. */
export interface LanguageModelTask extends TrainingTask {
  readonly model: LanguageModel;
  readonly sampler: MinibatchSampler;
}

/**
 * Builds nn's `SGD`, `Adam` or `AdamW` over `params` (weight decay default 0, AdamW 0.01).
 *
 * @example
 * ```ts
 * const model = createModel({ kind: 'bigram-net', vocabSize: 3, blockSize: 1 });
 * createOptimizer('adamw', model.parameters(), { lr: 1e-3 }).stateDict().kind; // 'AdamW'
 * ```
 */
export function createOptimizer(
  kind: string,
  params: Iterable<Tensor>,
  options: { lr: number; weightDecay?: number; betas?: [number, number] },
): Optimizer {
  const betas = options.betas ? { betas: options.betas } : {};
  switch (kind) {
    case 'sgd':
      return new SGD(params, { lr: options.lr, weightDecay: options.weightDecay ?? 0 });
    case 'adam':
      return new Adam(params, { lr: options.lr, weightDecay: options.weightDecay ?? 0, ...betas });
    case 'adamw':
      return new AdamW(params, {
        lr: options.lr,
        weightDecay: options.weightDecay ?? 0.01,
        ...betas,
      });
    default:
      throw new ConfigError(`optimizer must be 'sgd', 'adam' or 'adamw', got '${kind}'`);
  }
}

/** The mean loss over `batches` random batches of 1,024 (a private stream seeded `seed`), or exact. */
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

/**
 * The task that trains `model` on `data` (any family with trainable parameters). Its uniform-guess
 * loss is ln V.
 *
 * @example
 * ```ts
 * const model = createModel({ kind: 'bigram-net', vocabSize: 3, blockSize: 1 }, { generator: new Generator(1) });
 * const data = { X: new Int32Array([0, 1, 2, 0]), Y: new Int32Array([1, 2, 0, 1]), length: 4, blockSize: 1 };
 * const trainer = new Trainer(languageModelTask(model, data, { batchSize: Infinity }), { steps: 200, optimizer: { kind: 'sgd', lr: 10 } });
 * const progress = trainer.run();
 * progress.losses[0] > progress.lastLoss; // true
 * ```
 */
export function languageModelTask(
  model: LanguageModel,
  data: TrainData,
  options: LanguageModelTaskOptions = {},
): LanguageModelTask {
  const batchSize = options.batchSize ?? 32;
  if (!(batchSize >= 1) || (Number.isFinite(batchSize) && !Number.isInteger(batchSize))) {
    throw new ConfigError(`batchSize must be an integer ≥ 1 or Infinity, got ${batchSize}`);
  }
  checkTrainData(data, model.config.blockSize, 'train');
  if (data.length === 0)
    throw new RangeError(`Argument 'data' passed to 'train' holds no examples`);
  if (options.dev) checkTrainData(options.dev, model.config.blockSize, 'train (dev)');
  const measureTrain = (options.evaluate ?? 'train-and-dev') === 'train-and-dev';
  if (!measureTrain && options.evaluate !== 'dev') {
    throw new ConfigError(
      `evaluate must be 'train-and-dev' or 'dev', got ${JSON.stringify(options.evaluate)}`,
    );
  }
  const params = model.parameters();
  if (params.length === 0) {
    throw new TypeError(
      `train: the ${model.config.kind} model has no trainable parameters (the count model is fit by counting: BigramCounts.fromWords)`,
    );
  }
  const sampler = new MinibatchSampler(data, batchSize);
  const fullBatchObjective =
    sampler.fullBatch && model.fullBatchObjective ? model.fullBatchObjective(data) : null;
  const task: LanguageModelTask = {
    name: String(model.config.kind),
    uniformLoss: Math.log(model.config.vocabSize),
    model,
    sampler,
    forward(generator: Generator): TaskStep {
      sampler.next(generator);
      const loss = fullBatchObjective ? fullBatchObjective() : model.loss(sampler.X, sampler.Y);
      return { loss: loss.item(), backward: () => loss.backward() };
    },
    createOptimizer: (settings: OptimizerSettings) =>
      createOptimizer(settings.kind, params, {
        lr: settings.lr,
        weightDecay: settings.weightDecay,
        betas: settings.betas,
      }),
    saveWeights: () => params.map((p) => p.data.slice()),
    loadWeights(weights: unknown) {
      const saved = weights as ArrayLike<number>[];
      noGrad(() => {
        params.forEach((p, k) => {
          (p.storage as Float32Array | Float64Array).set(saved[k]);
          p.grad = null;
        });
      });
    },
    evaluate(step: number, context?: EvaluationContext): Record<string, number> {
      const out: Record<string, number> = {
        train: measureTrain
          ? estimateLoss(model, data, options.evalBatches, step)
          : (context?.recentLoss ?? Number.NaN),
      };
      if (options.dev) out.dev = estimateLoss(model, options.dev, options.evalBatches, step + 1);
      else if (!measureTrain) out.dev = Number.NaN;
      return out;
    },
  };
  if (!fullBatchObjective) {
    // Captured steps (the Trainer's default): the same draw as `forward`, then the loss alone
    // (nn's Dropout draws a fresh mask on every replay, in the eager order).
    // The bigram net's full-batch objective stays eager (27×27 numbers: nothing to gain).
    task.sampleBatch = (generator: Generator) => {
      sampler.next(generator);
      return [sampler.X, sampler.Y];
    };
    task.lossOf = (X: Tensor, Y: Tensor) => model.loss(X, Y);
  }
  return task;
}
