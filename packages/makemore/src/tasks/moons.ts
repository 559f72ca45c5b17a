/**
 * micrograd's moons experiment as a `TrainingTask`: seeded two moons, a `micro.MLP(2, [...hidden,
 * 1])` of `Value`s, a loss (micrograd's max-margin by default, squared error or logistic
 * cross-entropy) + alpha·Σp², micrograd's SGD with the rate decaying linearly to 0.1·lr — as an nn
 * `LinearLR` — full batch or minibatches. One generator, used in `lmp micrograd moons`'s order
 * (data, weights, then batches), so a seed gives the same run in the CLI and the web page.
 */
import { Generator, type Value, type ValueLike } from '@llm-playground/core';
import { type Moons, makeMoons, sampleBatch } from '@llm-playground/data';
import type { SchedulerConfig } from '@llm-playground/nn';
import { micro } from '@llm-playground/nn';
import { ConfigError } from '../errors.js';
import type { OptimizerSettings, TaskStep, TrainerOptions, TrainingTask } from '../trainer.js';

/** The losses the moons experiment can train with. */
export const MOONS_LOSSES = ['max-margin', 'mse', 'cross-entropy'] as const;
export type MoonsLoss = (typeof MOONS_LOSSES)[number];

/** The experiment's settings. */
export interface MoonsConfig {
  /** Number of points (default 100). */
  samples: number;
  /** Standard deviation of the gaussian noise on the points (default 0.1). */
  noise: number;
  /** Hidden layer widths (default [16, 16]); the output layer is one linear neuron. */
  hidden: number[];
  /** SGD steps (default 100). */
  steps: number;
  /** Learning rate at step 0 (default 1). */
  lr: number;
  /** Learning rate reached at step `steps` (default 0.1·lr): lr + (lrEnd − lr)·k/steps. */
  lrEnd?: number;
  /** Weight of the L2 penalty alpha·Σp² (default 1e-4). */
  alpha: number;
  /** Points per step, drawn without replacement each step; 0 (or ≥ samples) = full batch. */
  batchSize: number;
  /** One seed for the data, the initial weights and the minibatches (default 1337). */
  seed: number;
  /** The data loss (default `max-margin`, micrograd's). */
  loss?: MoonsLoss;
}

/**
 * micrograd's demo settings; seed 1337 reaches 100% accuracy in 100 steps.
 *
 * @example
 * ```ts
 * moonsTask(DEFAULT_MOONS_CONFIG).model.numParameters(); // 337
 * ```
 */
export const DEFAULT_MOONS_CONFIG: Readonly<MoonsConfig> = Object.freeze({
  samples: 100,
  noise: 0.1,
  hidden: [16, 16],
  steps: 100,
  lr: 1,
  alpha: 1e-4,
  batchSize: 0,
  seed: 1337,
  loss: 'max-margin',
});

/**
 * The data part of a batch's loss (before L2). With labels y ∈ {−1, +1}:
 * - `max-margin`: micrograd's hinge, mean(relu(1 − y·score));
 * - `mse`: mean((score − y)²);
 * - `cross-entropy`: two-class softmax cross-entropy over [0, score], i.e. mean(log(1 + e^(−y·score))).
 *
 * @example
 * ```ts
 * moonsLoss('max-margin', [2, 0.5], [1, -1]).data; // 0.75
 * moonsLoss('mse', [2, 0.5], [1, -1]).data; // 1.625
 * ```
 */
export function moonsLoss(
  loss: MoonsLoss,
  scores: readonly ValueLike[],
  labels: readonly number[],
): Value {
  switch (loss) {
    case 'max-margin':
      return micro.maxMarginLoss(scores, labels);
    case 'mse':
      return micro.mseLoss(scores, labels);
    case 'cross-entropy':
      return micro.crossEntropy(
        scores.map((score) => [0, score]),
        labels.map((label) => (label > 0 ? 1 : 0)),
      );
    default:
      throw new ConfigError(
        `moons loss must be one of ${MOONS_LOSSES.join(', ')}, got ${String(loss)}`,
      );
  }
}

/** Inputs of `moonsTask` that are not settings (not saved with the config, not URL parameters). */
export interface MoonsTaskOptions {
  /**
   * The points and their labels (0/1, as `makeMoons` gives them) to train on instead of drawing
   * them from the generator: another stream's data (demo.ipynb's numpy `make_moons`, from data's
   * `sklearnMakeMoons`). `config.samples` must match its length, when given; `config.noise` is
   * then only recorded. The generator then draws the weights first.
   */
  data?: Moons;
  /**
   * Sets the initial weights in place after the model is built from the generator (PyTorch:
   * `model.apply(init_fn)` after construction): demo.ipynb's Python `random.uniform(-1, 1)`
   * weights and zero biases.
   */
  init?: (model: micro.MLP) => void;
}

/** The moons task, with its data, model and the generator (already past the data and weights). */
export interface MoonsTask extends TrainingTask {
  readonly config: Readonly<MoonsConfig>;
  readonly X: [number, number][];
  /** Labels in {−1, +1}. */
  readonly labels: number[];
  readonly model: micro.MLP;
  /** The run's one generator: drew the data and the weights; the trainer draws the batches. */
  readonly generator: Generator;
  /** Loss (with L2) and accuracy on every point with the current weights. */
  evaluate(): { loss: number; accuracy: number };
  /** `Trainer` options for this config: steps, micro SGD at `lr`, the linear decay, the generator. */
  trainerOptions(): TrainerOptions;
}

/**
 * The moons task for `config` (missing fields from `DEFAULT_MOONS_CONFIG`); `options` can bring
 * the data and the initial weights from elsewhere (see `MoonsTaskOptions`).
 *
 * @example
 * ```ts
 * const task = moonsTask({ seed: 1337 });
 * const trainer = new Trainer(task, task.trainerOptions());
 * trainer.run().losses[0].toFixed(4); // '0.8071'
 * task.evaluate().accuracy; // 1
 * ```
 */
export function moonsTask(
  config: Partial<MoonsConfig> = {},
  options: MoonsTaskOptions = {},
): MoonsTask {
  const given = options.data === undefined ? undefined : checkMoons(options.data);
  if (given && config.samples !== undefined && config.samples !== given.X.length) {
    throw new ConfigError(
      `moonsTask: config.samples is ${config.samples} but the data given has ${given.X.length} points; give one or the other`,
    );
  }
  const full: MoonsConfig = {
    ...DEFAULT_MOONS_CONFIG,
    ...config,
    ...(given ? { samples: given.X.length } : {}),
    hidden: [...(config.hidden ?? DEFAULT_MOONS_CONFIG.hidden)],
  };
  const loss = full.loss ?? 'max-margin';
  if (!MOONS_LOSSES.includes(loss)) {
    throw new ConfigError(
      `moons loss must be one of ${MOONS_LOSSES.join(', ')}, got ${String(loss)}`,
    );
  }
  if (!Number.isInteger(full.samples) || full.samples < 2) {
    throw new ConfigError(`moons samples must be an integer ≥ 2, got ${full.samples}`);
  }
  const generator = new Generator(full.seed);
  const { X, y } = given ?? makeMoons(full.samples, { noise: full.noise, generator });
  const labels = y.map((label) => label * 2 - 1); // {0, 1} → {−1, +1}
  const model = new micro.MLP(2, [...full.hidden, 1], { generator });
  options.init?.(model);
  const parameters = model.parameters();
  const sampled = full.batchSize > 0 && full.batchSize < full.samples;

  const lossOn = (batchX: [number, number][], batchY: number[]) => {
    const scores = batchX.map((point) => model.forward(point)[0]);
    const value = moonsLoss(loss, scores, batchY).add(
      micro.l2Regularization(parameters, full.alpha),
    );
    return { value, accuracy: micro.binaryAccuracy(scores, batchY) };
  };

  return {
    name: 'moons',
    uniformLoss: loss === 'cross-entropy' ? Math.LN2 : 1,
    config: full,
    X,
    labels,
    model,
    generator,
    forward(g: Generator): TaskStep {
      const batch = sampled
        ? sampleBatch(full.samples, full.batchSize, { generator: g })
        : undefined;
      const batchX = batch ? Array.from(batch, (i) => X[i]) : X;
      const batchY = batch ? Array.from(batch, (i) => labels[i]) : labels;
      const { value, accuracy } = lossOn(batchX, batchY);
      return { loss: value.data, metrics: { accuracy }, backward: () => value.backward() };
    },
    createOptimizer(settings: OptimizerSettings) {
      if (settings.kind !== 'sgd') {
        throw new ConfigError(
          `the moons task trains with micrograd's 'sgd' only, got '${settings.kind}'`,
        );
      }
      return new micro.SGD(parameters, { lr: settings.lr });
    },
    saveWeights: () => parameters.map((p) => p.data),
    loadWeights(weights: unknown) {
      (weights as number[]).forEach((w, i) => {
        parameters[i].data = w;
        parameters[i].grad = 0;
      });
    },
    evaluate() {
      const { value, accuracy } = lossOn(X, labels);
      return { loss: value.data, accuracy };
    },
    trainerOptions(): TrainerOptions {
      // endFactor 0.1 gives lr·0.1, the web page's `0.1 * lr`, bit for bit; an explicit lrEnd
      // (the CLI's --lr-end) is lr·(lrEnd / lr), exact for the defaults 1 → 0.1.
      const endFactor = full.lrEnd === undefined ? 0.1 : full.lr === 0 ? 1 : full.lrEnd / full.lr;
      const schedule: SchedulerConfig = {
        kind: 'LinearLR',
        startFactor: 1,
        endFactor,
        totalIters: Math.max(1, full.steps),
      };
      return {
        steps: full.steps,
        optimizer: { kind: 'sgd', lr: full.lr },
        schedule,
        generator,
        divergence: { lrFinderSteps: 100 },
      };
    },
  };
}

/** A copy of given moons data, checked: same lengths, `[x, y]` finite pairs, labels 0 or 1. */
function checkMoons(data: Moons): Moons {
  const X = data?.X;
  const y = data?.y;
  if (!Array.isArray(X) || !Array.isArray(y) || X.length !== y.length || X.length < 2) {
    throw new ConfigError(
      `moonsTask: data must be { X, y } with as many labels as points (at least 2), got ${Array.isArray(X) ? X.length : typeof X} points and ${Array.isArray(y) ? y.length : typeof y} labels`,
    );
  }
  X.forEach((point, i) => {
    if (!Array.isArray(point) || point.length !== 2 || !point.every(Number.isFinite)) {
      throw new ConfigError(
        `moonsTask: data.X[${i}] must be a pair of finite numbers, got ${JSON.stringify(point)}`,
      );
    }
  });
  y.forEach((label, i) => {
    if (label !== 0 && label !== 1) {
      throw new ConfigError(`moonsTask: data.y[${i}] must be 0 or 1, got ${JSON.stringify(label)}`);
    }
  });
  return { X: X.map(([a, b]) => [a, b] as [number, number]), y: [...y] };
}
