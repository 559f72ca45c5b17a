/**
 * The MLP page's trainer, framework-free and synchronous: the worker drives it in time slices,
 * the unit tests drive it directly, and the speed test drives it in Node through the same session.
 *
 * One step is the lecture's loop: draw `batchSize` example indices with `randint(0, N)` from the
 * same generator that initialised the weights (as makemore's `train` does, so a seed fixes the
 * whole run), compute the cross-entropy of the MLP's logits, backpropagate, and update with SGD or
 * Adam at the schedule's rate. A loss that is NaN or ±Infinity stops training *before* the update,
 * so the weights shown are the last finite ones; so does a finite loss above `DIVERGED_LOSS`.
 */
import { Generator } from '@llm-playground/core';
import {
  buildContexts,
  CharTokenizer,
  type ContextDataset,
  splitWords,
} from '@llm-playground/data';
import {
  createModel,
  createOptimizer,
  evaluate,
  type LanguageModel,
  lrFinder,
  type MLP,
  sample,
} from '@llm-playground/makemore';
import type { Optimizer } from '@llm-playground/nn';
import { Tensor } from '@llm-playground/tensor';
import { type MarkedSample, markSamples } from './samples.js';
import { formatRate, parseSchedule, type Schedule, type ScheduleKind } from './schedule.js';

export interface TrainerConfig {
  blockSize: number;
  nEmbd: number;
  nHidden: number;
  batchSize: number;
  lr: number;
  schedule: ScheduleKind;
  decayStep: number;
  decayFactor: number;
  optimizer: 'sgd' | 'adam';
  /** Training stops (status 'done') when the global step reaches this. */
  steps: number;
  /** Seeds the weights and the minibatch draws (the lecture's 2147483647 by default). */
  seed: number;
  /** Seed of Python's `random.seed(…)` before the 80/10/10 shuffle (42 in the lecture). */
  splitSeed: number;
  /** Train on only the first N words of the training split (0 = all): makes overfitting visible. */
  trainWords: number;
  /** Evaluate the dev loss every this many steps (and when training finishes). */
  evalEvery: number;
}

export type TrainerStatus = 'paused' | 'running' | 'done' | 'diverged';

export interface Evaluation {
  step: number;
  /** Mean NLL over (up to) the first `TRAIN_EVAL_EXAMPLES` training examples. */
  train: number;
  /** Mean NLL over the dev split (its first `devExamples` examples when evaluating often). */
  dev: number;
  /** How many dev examples `dev` averages over. */
  devExamples: number;
}

export interface Divergence {
  step: number;
  loss: number;
  lr: number;
  message: string;
}

export interface TrainerInfo {
  vocabSize: number;
  /** The tokens, `itos` (the boundary `.` first). */
  chars: string[];
  numParameters: number;
  words: number;
  trainWords: number;
  devWords: number;
  testWords: number;
  trainExamples: number;
  devExamples: number;
}

/** What one call to `advance` did. */
export interface Slice {
  /** The global step of `losses[0]`. */
  firstStep: number;
  /** The loss of each step run (finite only: a diverged step is not included). */
  losses: Float32Array;
  evaluations: Evaluation[];
  divergence?: Divergence;
}

/**
 * A loss above this many nats counts as diverged, like NaN and ±Infinity. The MLP's tanh keeps the
 * hidden layer in [−1, 1], so a huge learning rate rarely overflows to Infinity: the output
 * weights just grow and the loss climbs to 10⁴, 10⁸… while staying finite. A mean NLL of 1000
 * nats gives the right character a probability of e^−1000; the worst random initialisation this
 * page allows starts near 100, and uniform guessing is ln(vocabSize) ≈ 3.3.
 */
export const DIVERGED_LOSS = 1000;

/** The explanation shown when training diverges. */
export function divergenceMessage(step: number, loss: number, lr: number): string {
  const what = Number.isFinite(loss)
    ? `the loss jumped to ${loss.toExponential(2)} (above ${DIVERGED_LOSS})`
    : `the loss became ${loss}`;
  return (
    `Training diverged: ${what} at step ${step.toLocaleString('en-US')} with learning rate ${formatRate(lr)}. ` +
    'Each update overshot so far that the weights blew up instead of settling. ' +
    `Reset and try a lower learning rate (for example ${formatRate(lr / 10)}), or use the learning-rate finder.`
  );
}

/** The training loss at evaluation time is estimated on at most this many examples (a prefix of the shuffled split). */
export const TRAIN_EVAL_EXAMPLES = 8192;

/**
 * Evaluating more often than every `FREQUENT_EVAL` steps (the overfitting experiment evaluates
 * every 100) uses only the first `FREQUENT_DEV_EXAMPLES` dev examples: the whole dev split
 * (~22,000 examples) would cost more than the training between two evaluations.
 */
export const FREQUENT_EVAL = 1000;
export const FREQUENT_DEV_EXAMPLES = 4096;

/** The dev examples an evaluation every `evalEvery` steps averages over. */
export function devEvalExamples(evalEvery: number, devExamples: number): number {
  return evalEvery < FREQUENT_EVAL ? Math.min(devExamples, FREQUENT_DEV_EXAMPLES) : devExamples;
}

export const DEFAULT_CONFIG: TrainerConfig = {
  blockSize: 3,
  nEmbd: 10,
  nHidden: 200,
  batchSize: 32,
  lr: 0.1,
  schedule: 'step',
  decayStep: 20_000,
  decayFactor: 0.1,
  optimizer: 'sgd',
  steps: 30_000,
  seed: 2147483647,
  splitSeed: 42,
  trainWords: 0,
  evalEvery: 1000,
};

/** Settings that change the model, its data or its random stream: changing one starts over. */
const STRUCTURAL: readonly (keyof TrainerConfig)[] = [
  'blockSize',
  'nEmbd',
  'nHidden',
  'optimizer',
  'seed',
  'splitSeed',
  'trainWords',
];

/** True when going from `a` to `b` needs a fresh model (the other settings apply to a live run). */
export function needsReset(a: TrainerConfig, b: TrainerConfig): boolean {
  return STRUCTURAL.some((key) => a[key] !== b[key]);
}

function prefix(data: ContextDataset, n: number): ContextDataset {
  const length = Math.min(n, data.length);
  return {
    X: data.X.subarray(0, length * data.blockSize),
    Y: data.Y.subarray(0, length),
    length,
    blockSize: data.blockSize,
  };
}

/**
 * @example
 * ```ts
 * const trainer = new MlpTrainer(bundledNames().words, { ...DEFAULT_CONFIG, steps: 100 });
 * trainer.play();
 * const slice = trainer.advance(Infinity); // runs to step 100 (no deadline)
 * trainer.status; // 'done'
 * slice.losses[0] > slice.losses[99]; // true (on average; the minibatch loss is noisy)
 * ```
 */
export class MlpTrainer {
  readonly words: readonly string[];
  readonly tokenizer: CharTokenizer;
  config: TrainerConfig;
  model!: MLP;
  /** The global step: steps done so far. */
  step = 0;
  status: TrainerStatus = 'paused';
  divergence: Divergence | null = null;
  trainSet!: ReadonlySet<string>;
  readonly allWords: ReadonlySet<string>;
  info!: TrainerInfo;
  private trainData!: ContextDataset;
  private trainEvalData!: ContextDataset;
  private devData!: ContextDataset;
  private devEvalData!: ContextDataset;
  private generator!: Generator;
  private optimizer!: Optimizer;
  private schedule!: Schedule;
  private xs!: Int32Array;
  private ys!: Int32Array;
  private X!: Tensor;
  private Y!: Tensor;

  constructor(words: readonly string[], config: TrainerConfig) {
    if (words.length < 3) {
      throw new RangeError(
        `Argument 'words' passed to 'MlpTrainer' must hold at least 3 words (for an 80/10/10 split), got ${words.length}`,
      );
    }
    this.words = words;
    // The vocabulary comes from the whole list so that dev and test words encode too.
    this.tokenizer = CharTokenizer.fromWords(words);
    this.allWords = new Set(words);
    this.config = config;
    this.reset(config);
  }

  /** A fresh model, optimizer and random stream for `config` (step 0, paused). */
  reset(config: TrainerConfig = this.config): void {
    this.config = { ...config };
    this.schedule = parseSchedule(config);
    const split = splitWords(this.words, { seed: config.splitSeed });
    const train = config.trainWords > 0 ? split.train.slice(0, config.trainWords) : split.train;
    this.trainSet = new Set(train);
    this.trainData = buildContexts(train, this.tokenizer, config.blockSize);
    this.trainEvalData = prefix(this.trainData, TRAIN_EVAL_EXAMPLES);
    this.devData = buildContexts(split.dev, this.tokenizer, config.blockSize);
    this.devEvalData = prefix(this.devData, devEvalExamples(config.evalEvery, this.devData.length));
    this.generator = new Generator(config.seed);
    this.model = createModel(
      {
        kind: 'mlp',
        vocabSize: this.tokenizer.vocabSize,
        blockSize: config.blockSize,
        nEmbd: config.nEmbd,
        nHidden: config.nHidden,
      },
      { generator: this.generator },
    ) as MLP;
    this.optimizer = createOptimizer(config.optimizer, this.model.parameters(), {
      lr: this.schedule.at(0),
    });
    this.setBatchSize(config.batchSize);
    this.step = 0;
    this.status = 'paused';
    this.divergence = null;
    this.info = {
      vocabSize: this.tokenizer.vocabSize,
      chars: [...this.tokenizer.itos],
      numParameters: this.model.numParameters(),
      words: this.words.length,
      trainWords: train.length,
      devWords: split.dev.length,
      testWords: split.test.length,
      trainExamples: this.trainData.length,
      devExamples: this.devData.length,
    };
  }

  /**
   * Applies new settings: structural ones (see `needsReset`) start over and return true; the
   * rest (learning rate, schedule, batch size, steps, evaluation interval) apply from the next step.
   */
  configure(config: TrainerConfig): boolean {
    if (needsReset(this.config, config)) {
      this.reset(config);
      return true;
    }
    this.schedule = parseSchedule(config);
    if (config.batchSize !== this.config.batchSize) this.setBatchSize(config.batchSize);
    this.devEvalData = prefix(this.devData, devEvalExamples(config.evalEvery, this.devData.length));
    this.config = { ...config };
    if (this.status === 'done' && this.step < config.steps) this.status = 'paused';
    if (this.status !== 'diverged' && this.step >= config.steps) this.status = 'done';
    return false;
  }

  private setBatchSize(batchSize: number): void {
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      throw new RangeError(
        `Argument 'batchSize' passed to 'MlpTrainer' must be a positive integer, got ${batchSize}`,
      );
    }
    this.xs = new Int32Array(batchSize * this.config.blockSize);
    this.ys = new Int32Array(batchSize);
    this.X = new Tensor(this.xs, [batchSize, this.config.blockSize]);
    this.Y = new Tensor(this.ys, [batchSize]);
  }

  /** Starts (or resumes) training; false when there is nothing to do (done or diverged). */
  play(): boolean {
    if (this.status === 'diverged' || this.status === 'done') return false;
    this.status = 'running';
    return true;
  }

  pause(): void {
    if (this.status === 'running') this.status = 'paused';
  }

  /** The learning rate the next step will use. */
  currentLr(): number {
    return this.schedule.at(this.step);
  }

  /**
   * Runs up to `maxSteps` steps, stopping early at the configured `steps` (status 'done'), at a
   * non-finite or exploded loss (status 'diverged'), or once `now()` passes `deadline`. Works whether running
   * or paused (the Step button advances a paused run); does nothing after divergence.
   */
  advance(
    maxSteps: number,
    deadline = Number.POSITIVE_INFINITY,
    now = () => performance.now(),
  ): Slice {
    const firstStep = this.step;
    const budget = Math.max(0, Math.min(maxSteps, this.config.steps - this.step));
    let losses = new Float32Array(Math.min(budget, 1024));
    const evaluations: Evaluation[] = [];
    let ran = 0;
    let divergence: Divergence | undefined;
    if (this.status === 'diverged')
      return { firstStep, losses: losses.subarray(0, 0), evaluations };
    const { model, optimizer, generator, trainData, xs, ys, X, Y } = this;
    const group = optimizer.paramGroups[0];
    const B = ys.length;
    const T = trainData.blockSize;
    while (ran < budget) {
      const lr = this.schedule.at(this.step);
      group.lr = lr;
      // The minibatch: randint(0, N, (B,)) then X[ix], Y[ix], into reused buffers.
      for (let b = 0; b < B; b++) {
        const i = generator.randint(0, trainData.length);
        ys[b] = trainData.Y[i];
        for (let k = 0; k < T; k++) xs[b * T + k] = trainData.X[i * T + k];
      }
      const lossTensor = model.loss(X, Y);
      const loss = lossTensor.item();
      if (!(loss <= DIVERGED_LOSS)) {
        divergence = {
          step: this.step,
          loss,
          lr,
          message: divergenceMessage(this.step, loss, lr),
        };
        this.divergence = divergence;
        this.status = 'diverged';
        break;
      }
      optimizer.zeroGrad();
      lossTensor.backward();
      optimizer.step();
      if (ran === losses.length) {
        const grown = new Float32Array(Math.min(budget, 2 * losses.length));
        grown.set(losses);
        losses = grown;
      }
      losses[ran++] = loss;
      this.step++;
      if (this.step % this.config.evalEvery === 0 || this.step === this.config.steps) {
        evaluations.push(this.evaluate());
      }
      if ((ran & 7) === 0 && now() >= deadline) break;
    }
    if (this.status !== 'diverged' && this.step >= this.config.steps) this.status = 'done';
    return { firstStep, losses: losses.subarray(0, ran), evaluations, divergence };
  }

  /** The mean NLL on the dev split and (an estimate of) the training split, at the current step. */
  evaluate(): Evaluation {
    return {
      step: this.step,
      train: evaluate(this.model, this.trainEvalData),
      dev: evaluate(this.model, this.devEvalData),
      devExamples: this.devEvalData.length,
    };
  }

  /** The first two columns of the embedding table `C` (one point per token; y is 0 when nEmbd is 1). */
  embedding(): { x: Float32Array; y: Float32Array } {
    const C = this.model.C.data as Float32Array;
    const d = this.config.nEmbd;
    const V = this.tokenizer.vocabSize;
    const x = new Float32Array(V);
    const y = new Float32Array(V);
    for (let v = 0; v < V; v++) {
      x[v] = C[v * d];
      y[v] = d > 1 ? C[v * d + 1] : 0;
    }
    return { x, y };
  }

  /** Names from the current model, each marked new / in the training split / held out. */
  sample(options: { count: number; temperature: number; seed: number }): MarkedSample[] {
    const { words } = sample(this.model, this.tokenizer, {
      count: options.count,
      temperature: options.temperature,
      generator: new Generator(options.seed),
      maxLength: 40,
    });
    return markSamples(words, this.trainSet, this.allWords);
  }

  /**
   * The lecture's learning-rate sweep (10^-3 … 10^0 over `steps` SGD steps) on a *fresh* model
   * with this configuration and seed, so that the suggestion is for training from the start;
   * the model being trained is left alone.
   */
  findLearningRate(steps = 1000): { lrs: Float64Array; losses: Float64Array; suggestion: number } {
    const generator = new Generator(this.config.seed);
    const fresh: LanguageModel = createModel(this.model.config, { generator });
    return lrFinder(fresh, this.trainData, {
      steps,
      batchSize: this.config.batchSize,
      generator,
    });
  }
}
