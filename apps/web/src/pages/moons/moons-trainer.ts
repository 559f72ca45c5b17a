/**
 * micrograd's moons experiment as a class the worker drives one step at a time (and tests drive
 * directly): seeded two moons, an `MLP(2, [...hidden, 1])`, a loss (micrograd's max-margin by
 * default, or squared error, or cross-entropy) + alpha·L2, SGD with the learning rate decaying
 * linearly lr·(1 − 0.9·k/steps), full batch or minibatches. One
 * generator, used in `lmp micrograd moons`'s order (data, weights, then batches), so a seed gives
 * the same run as the CLI.
 */

import type { Value, ValueLike } from '@llm-playground/core';
import { Generator } from '@llm-playground/core';
import { makeMoons, sampleBatch } from '@llm-playground/data';
import { micro } from '@llm-playground/nn';
import { type MLPSnapshot, scoreSnapshot, snapshotMLP } from './mlp-snapshot.js';

/** The losses the moons experiment can train with (the page's `loss` URL parameter). */
export const MOONS_LOSSES = ['max-margin', 'mse', 'cross-entropy'] as const;
export type MoonsLoss = (typeof MOONS_LOSSES)[number];

/**
 * A learning rate that trains each loss well with the default settings (measured with seed 1337:
 * 100% / 98% / 99% training accuracy). Squared error needs a smaller one: its gradient 2(score − y)
 * grows with the error, so at lr ≥ 0.3 the first overshoot feeds a larger gradient and the weights
 * blow up; the hinge's and the logistic loss's gradients stay within [−1, 1] per point.
 *
 * @example
 * ```ts
 * SUGGESTED_LR.mse; // 0.1
 * ```
 */
export const SUGGESTED_LR: Readonly<Record<MoonsLoss, number>> = Object.freeze({
  'max-margin': 1,
  mse: 0.1,
  'cross-entropy': 1,
});

/**
 * The data part of a batch's loss (before L2), built as `Value`s so backward reaches the weights.
 * With labels y ∈ {−1, +1} every one is a function of the margin m = y·score alone:
 * - `max-margin`: micrograd's hinge, mean(relu(1 − m));
 * - `mse`: mean((score − y)²) = mean((1 − m)²), since y² = 1 — regression onto ±1;
 * - `cross-entropy`: two-class softmax cross-entropy over the logits [0, score] with class 1 for
 *   y = +1 and class 0 for y = −1, which is the logistic loss mean(log(1 + e^(−m))): for y = +1,
 *   log(1 + e^score) − score = log(1 + e^(−score)); for y = −1, log(1 + e^score).
 *
 * @example
 * ```ts
 * moonsLoss('max-margin', [2, 0.5], [1, -1]).data; // (0 + 1.5) / 2 = 0.75
 * moonsLoss('mse', [2, 0.5], [1, -1]).data; // (1 + 2.25) / 2 = 1.625
 * moonsLoss('cross-entropy', [0], [1]).data; // log 2 = 0.6931…
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
      throw new RangeError(
        `Argument 'loss' passed to 'moonsLoss' must be one of ${MOONS_LOSSES.join(', ')}, got ${String(loss)}`,
      );
  }
}

/** The experiment's settings (all in the page's URL). */
export interface MoonsConfig {
  /** Number of points. */
  samples: number;
  /** Standard deviation of the gaussian noise on the points. */
  noise: number;
  /** Hidden layer widths; the output layer is one linear neuron. */
  hidden: number[];
  /** SGD steps of the run (the schedule reaches 0.1·lr at the last). */
  steps: number;
  /** Learning rate at step 0. */
  lr: number;
  /** Weight of the L2 penalty alpha·Σp². */
  alpha: number;
  /** Points per step, drawn without replacement each step; 0 = all points (full batch). */
  batchSize: number;
  /** One seed for the data, the initial weights and the minibatches. */
  seed: number;
  /** The data loss; missing means `max-margin` (micrograd's). */
  loss?: MoonsLoss;
}

/**
 * micrograd's demo settings; seed 1337 is the CLI's default (this run reaches 100% accuracy).
 *
 * @example
 * ```ts
 * new MoonsTrainer(DEFAULT_MOONS_CONFIG).model.numParameters(); // 337
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

/** One step, measured on its batch before its update (as micrograd prints it). */
export interface MoonsStep {
  step: number;
  loss: number;
  accuracy: number;
  lr: number;
}

/**
 * Trains the moons classifier step by step.
 *
 * @example
 * ```ts
 * const trainer = new MoonsTrainer(DEFAULT_MOONS_CONFIG);
 * while (!trainer.done) trainer.step();
 * trainer.accuracy(); // 1
 * ```
 */
export class MoonsTrainer {
  readonly config: Readonly<MoonsConfig>;
  readonly X: [number, number][];
  /** Labels in {−1, +1}. */
  readonly labels: number[];
  readonly model: micro.MLP;
  /** Why training stopped on a non-finite loss, or null. */
  diverged: string | null = null;
  private readonly generator: Generator;
  private readonly optimizer: micro.SGD;
  private readonly parameters: ReturnType<micro.MLP['parameters']>;

  constructor(config: Readonly<MoonsConfig>) {
    this.config = config;
    if (config.loss !== undefined && !MOONS_LOSSES.includes(config.loss)) {
      throw new RangeError(
        `Argument 'config.loss' passed to 'MoonsTrainer' must be one of ${MOONS_LOSSES.join(', ')}, got ${String(config.loss)}`,
      );
    }
    this.generator = new Generator(config.seed);
    const { X, y } = makeMoons(config.samples, { noise: config.noise, generator: this.generator });
    this.X = X;
    this.labels = y.map((label) => label * 2 - 1); // {0, 1} → {−1, +1}: every loss here is a function of y·score
    this.model = new micro.MLP(2, [...config.hidden, 1], { generator: this.generator });
    this.parameters = this.model.parameters();
    // lr·(1 − 0.9·k/steps), written as micrograd's `1.0 - 0.9*k/100` for lr = 1.
    this.optimizer = new micro.SGD(this.parameters, {
      lr: micro.linearSchedule(config.lr, 0.1 * config.lr, config.steps),
    });
  }

  /** Steps taken so far. */
  get stepCount(): number {
    return this.optimizer.stepCount;
  }

  /** Whether the run has taken all its steps or diverged. */
  get done(): boolean {
    return this.diverged !== null || this.stepCount >= this.config.steps;
  }

  /**
   * One SGD step on a batch; returns its record, or null when the run is done. A non-finite loss
   * stops the run before the update, with the explanation in `diverged`.
   */
  step(): MoonsStep | null {
    if (this.done) return null;
    const k = this.stepCount;
    const { batchSize, samples } = this.config;
    const batch =
      batchSize > 0 && batchSize < samples
        ? sampleBatch(samples, batchSize, { generator: this.generator })
        : undefined;
    const batchX = batch ? Array.from(batch, (i) => this.X[i]) : this.X;
    const batchY = batch ? Array.from(batch, (i) => this.labels[i]) : this.labels;
    const scores = batchX.map((point) => this.model.forward(point)[0]);
    const loss = moonsLoss(this.config.loss ?? 'max-margin', scores, batchY).add(
      micro.l2Regularization(this.parameters, this.config.alpha),
    );
    const lr = this.optimizer.currentLR();
    if (!Number.isFinite(loss.data)) {
      const suggested = SUGGESTED_LR[this.config.loss ?? 'max-margin'];
      const lowerRates = `${suggested} or ${suggested / 10}`;
      this.diverged =
        `Training diverged at step ${k}: the loss became ${loss.data} (not a finite number). ` +
        `With learning rate ${lr} each update overshoots, the weights grow without bound and ` +
        `overflow. Lower the learning rate (try ${lowerRates}) and reset.`;
      return null;
    }
    this.optimizer.zeroGrad();
    loss.backward();
    this.optimizer.step();
    return { step: k, loss: loss.data, accuracy: micro.binaryAccuracy(scores, batchY), lr };
  }

  /**
   * Takes steps until `budgetMs` has passed (at least one step), the run is done, or `maxSteps`;
   * the worker calls this between progress messages (so it posts at most ~1000/budgetMs a second).
   */
  runFor(
    budgetMs: number,
    now: () => number = () => performance.now(),
    maxSteps = Infinity,
  ): MoonsStep[] {
    const start = now();
    const records: MoonsStep[] = [];
    while (records.length < maxSteps && !this.done) {
      const record = this.step();
      if (record) records.push(record);
      if (now() - start >= budgetMs) break;
    }
    return records;
  }

  /** The current weights as plain numbers. */
  snapshot(): MLPSnapshot {
    return snapshotMLP(this.model);
  }

  /** Accuracy on all points with the current weights (plain-number forward pass). */
  accuracy(snapshot: MLPSnapshot = this.snapshot()): number {
    let correct = 0;
    for (let i = 0; i < this.X.length; i++) {
      if (scoreSnapshot(snapshot, this.X[i]) > 0 === this.labels[i] > 0) correct++;
    }
    return correct / this.X.length;
  }
}
