/**
 * The MLP page's session kind: a makemore language-model family (the `mlp` by default) trained by
 * the one `Trainer` on `languageModelTask` — the CLI's run: `familyConfig` → `createModel` with
 * the generator that then draws the minibatches, `runSettings` for the optimizer and the schedule
 * (lr, then lr/10 from half the run), the Trainer's divergence rule. The per-step series is
 * `loss`, the events are evaluations (train on the first 8,192 training examples, dev on the dev
 * split), the snapshot is the embedding's first two columns, the calls are `sample` and
 * `lr-finder`.
 */
import { Generator } from '@llm-playground/core';
import { CharTokenizer, type ContextDataset, splitWords } from '@llm-playground/data';
import {
  type ConfigValue,
  checkModelSize,
  createModel,
  evaluate,
  familyConfig,
  getFamily,
  type LanguageModel,
  languageModelTask,
  lrFinder,
  type MLP,
  type ModelConfig,
  runSettings,
  sample,
  Trainer,
  type TrainingTask,
  trainingData,
} from '@llm-playground/makemore';
import type {
  Packed,
  ProgressEvent,
  RunStatus,
  Stop,
  TrainerKind,
} from '../../session/protocol.js';
import { TrainerSession } from '../../session/trainer-session.js';
import { type MarkedSample, markSamples } from './samples.js';

/** The page's settings: the family's model config (by field name) and the run's. */
export interface MlpSettings {
  /** Raw config values by schema field name (`{ nHidden: 200 }`), clamped by `familyConfig`. */
  model: Readonly<Record<string, ConfigValue>>;
  batchSize: number;
  lr: number;
  /** `step`: the family's schedule from `runSettings`; `constant`: lr at every step. */
  schedule: 'step' | 'constant';
  optimizer: 'sgd' | 'adam';
  /** Training stops (done) when the global step reaches this. */
  steps: number;
  /** Seeds the weights and the minibatch draws (the lecture's 2147483647 by default). */
  seed: number;
  /** Seed of Python's `random.seed(…)` before the 80/10/10 shuffle (42 in the lecture). */
  splitSeed: number;
  /** Train on only the first N words of the training split (0 = all): makes overfitting visible. */
  trainWords: number;
  /** Evaluate every this many steps (and when training finishes). */
  evalEvery: number;
}

export interface MlpInit {
  words: readonly string[];
  settings: MlpSettings;
  /** The family (default `'mlp'`). */
  family?: string;
}

export interface MlpInfo {
  /** The validated model config. */
  config: ModelConfig;
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

export interface Evaluation {
  step: number;
  /** Mean NLL over (up to) the first `TRAIN_EVAL_EXAMPLES` training examples. */
  train: number;
  /** Mean NLL over the dev split (its first `devExamples` examples when evaluating often). */
  dev: number;
  /** How many dev examples `dev` averages over. */
  devExamples: number;
}

/** The embedding snapshot. */
export interface MlpSnapshot {
  x: Float32Array;
  y: Float32Array;
}

/** The answer to `call('lr-finder', { steps })`. */
export interface LrFinderResult {
  lrs: Float64Array;
  losses: Float64Array;
  suggestion: number;
  seconds: number;
}

/** The answer to `call('sample', { count, temperature, seed })`. */
export interface SamplesResult {
  step: number;
  samples: MarkedSample[];
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

/** A browser tab refuses models whose weights, gradients and optimizer state pass this. */
export const MAX_MODEL_BYTES = 1e9;

/** The dev examples an evaluation every `evalEvery` steps averages over. */
export function devEvalExamples(evalEvery: number, devExamples: number): number {
  return evalEvery < FREQUENT_EVAL ? Math.min(devExamples, FREQUENT_DEV_EXAMPLES) : devExamples;
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

/** Settings that change the model, its data or its random stream: changing one starts over. */
export function needsRestart(a: MlpSettings, b: MlpSettings): boolean {
  return (
    JSON.stringify(a.model) !== JSON.stringify(b.model) ||
    a.optimizer !== b.optimizer ||
    a.seed !== b.seed ||
    a.splitSeed !== b.splitSeed ||
    a.trainWords !== b.trainWords
  );
}

export class MlpSessionTrainer extends TrainerSession {
  info!: MlpInfo;
  model!: LanguageModel;
  protected trainer!: Trainer;
  /** The training words (the first `trainWords` of the split) and every word, for marking samples. */
  trainSet!: ReadonlySet<string>;
  readonly allWords: ReadonlySet<string>;
  private readonly words: readonly string[];
  private readonly tokenizer: CharTokenizer;
  private readonly familyName: string;
  private settings: MlpSettings;
  private trainData!: ContextDataset;
  private trainEvalData!: ContextDataset;
  private devData!: ContextDataset;
  private devEvalData!: ContextDataset;

  constructor(init: MlpInit) {
    super();
    if (init.words.length < 3) {
      throw new RangeError(
        `Argument 'words' passed to the MLP trainer must hold at least 3 words (for an 80/10/10 split), got ${init.words.length}`,
      );
    }
    this.words = init.words;
    this.familyName = init.family ?? 'mlp';
    // The vocabulary comes from the whole list so that dev and test words encode too.
    this.tokenizer = CharTokenizer.fromWords(init.words);
    this.allWords = new Set(init.words);
    this.settings = { ...init.settings };
    this.build();
  }

  /** A fresh model, data and trainer for the current settings (step 0). */
  private build(): void {
    const s = this.settings;
    const family = getFamily(this.familyName);
    const config = familyConfig(family.name, s.model, {
      vocabSize: this.tokenizer.vocabSize,
      mode: 'clamp',
    });
    checkModelSize(family, config, { maxBytes: MAX_MODEL_BYTES, training: true });
    const split = splitWords(this.words, { seed: s.splitSeed });
    const train = s.trainWords > 0 ? split.train.slice(0, s.trainWords) : split.train;
    const data = trainingData(family, config, { ...split, train }, this.tokenizer);
    this.trainSet = new Set(train);
    this.trainData = data.train;
    this.trainEvalData = prefix(data.train, TRAIN_EVAL_EXAMPLES);
    this.devData = data.dev;
    // The generator initialises the weights, then draws every minibatch (as the lecture does).
    const generator = new Generator(s.seed);
    this.model = createModel(config, { generator, tokenizer: this.tokenizer });
    this.info = {
      config,
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
    this.clearRecords();
    this.trainer = this.createTrainer(generator);
  }

  /** The task with the page's evaluation (a prefix of train, dev or its first 4,096). */
  private task(): TrainingTask {
    this.devEvalData = prefix(
      this.devData,
      devEvalExamples(this.settings.evalEvery, this.devData.length),
    );
    const task = languageModelTask(this.model, this.trainData, {
      batchSize: this.settings.batchSize,
    });
    return {
      ...task,
      evaluate: () => ({
        train: evaluate(this.model, this.trainEvalData),
        dev: evaluate(this.model, this.devEvalData),
        devExamples: this.devEvalData.length,
      }),
    };
  }

  /** A trainer with the current settings; continuing `previous` (its step, optimizer, stream). */
  private createTrainer(generator: Generator, previous?: Trainer): Trainer {
    const s = this.settings;
    const run = runSettings(getFamily(this.familyName), {
      lr: s.lr,
      steps: s.steps,
      batchSize: s.batchSize,
      optimizer: s.optimizer,
      ...(s.schedule === 'constant' ? { schedule: { kind: 'ConstantLR', factor: 1 } } : {}),
    });
    return new Trainer(this.task(), {
      steps: run.steps,
      optimizer: run.optimizer,
      schedule: run.schedule,
      generator,
      evalEvery: s.evalEvery,
      onEval: this.onEval,
      onStep: this.onStep,
      ...(previous
        ? { startStep: previous.step, optimizerState: previous.optimizer.stateDict() }
        : {}),
    });
  }

  snapshot(): Packed<MlpSnapshot> {
    const { x, y } = this.embedding();
    return { value: { x, y }, transfer: [x.buffer, y.buffer] };
  }

  /** The first two columns of the embedding table `C` (one point per token; y is 0 when nEmbd is 1). */
  embedding(): MlpSnapshot {
    const C = (this.model as MLP).C.data as Float32Array;
    const d = this.info.config.nEmbd ?? 1;
    const V = this.info.vocabSize;
    const x = new Float32Array(V);
    const y = new Float32Array(V);
    for (let v = 0; v < V; v++) {
      x[v] = C[v * d];
      y[v] = d > 1 ? C[v * d + 1] : 0;
    }
    return { x, y };
  }

  /**
   * Structural settings (see `needsRestart`) start over; the rest (learning rate, schedule,
   * batch size, steps, evaluation interval) continue the run from its step. A diverged run keeps
   * its stop until reset.
   */
  configure(config: unknown): 'live' | 'restart' {
    const next = config as MlpSettings;
    const previous = this.settings;
    this.settings = { ...next };
    if (needsRestart(previous, next)) {
      this.build();
      return 'restart';
    }
    if (JSON.stringify(previous) !== JSON.stringify(next) && !this.trainer.diverged) {
      this.trainer = this.createTrainer(this.trainer.generator, this.trainer);
    }
    return 'live';
  }

  reset(): void {
    this.build();
  }

  call(name: string, args: unknown): Packed {
    if (name === 'sample') {
      const options = args as { count: number; temperature: number; seed: number };
      const { words } = sample(this.model, this.tokenizer, {
        count: options.count,
        temperature: options.temperature,
        generator: new Generator(options.seed),
        maxLength: 40,
      });
      const value: SamplesResult = {
        step: this.trainer.step,
        samples: markSamples(words, this.trainSet, this.allWords),
      };
      return { value };
    }
    if (name === 'lr-finder') {
      const started = performance.now();
      // The lecture's sweep (10^-3 … 10^0) on a *fresh* model with this config and seed, so the
      // suggestion is for training from the start; the model being trained is left alone.
      const generator = new Generator(this.settings.seed);
      const fresh = createModel(this.info.config, { generator, tokenizer: this.tokenizer });
      const { lrs, losses, suggestion } = lrFinder(fresh, this.trainData, {
        steps: (args as { steps: number }).steps,
        batchSize: this.settings.batchSize,
        generator,
      });
      const value: LrFinderResult = {
        lrs,
        losses,
        suggestion,
        seconds: (performance.now() - started) / 1000,
      };
      return { value, transfer: [lrs.buffer, losses.buffer] };
    }
    throw new RangeError(`The MLP trainer has no '${name}': expected 'sample' or 'lr-finder'`);
  }
}

export const mlpKind: TrainerKind<MlpInit> = {
  create: (init) => new MlpSessionTrainer(init),
};

/** What the MLP page shows of a progress event. */
export interface MlpProgress {
  status: RunStatus;
  step: number;
  /** Planned steps. */
  steps: number;
  /** The rate the next step uses. */
  lr: number;
  /** The global step of `losses[0]`. */
  firstStep: number;
  losses: Float32Array;
  evaluations: Evaluation[];
  stepsPerSecond: number;
  runningSeconds: number;
  /** The Trainer's divergence (message, step, loss, suggested rate), once it fired. */
  divergence?: Stop;
}

/** A session progress event in the MLP page's terms. */
export function toMlpProgress(event: ProgressEvent): MlpProgress {
  const losses = event.slice.series.loss;
  const stop = event.stop;
  return {
    status: event.status,
    step: event.step,
    steps: Number(event.extra.steps),
    lr: Number(event.extra.lr),
    firstStep: event.slice.firstStep,
    losses: losses instanceof Float32Array ? losses : Float32Array.from(losses ?? []),
    evaluations: event.slice.events as Evaluation[],
    stepsPerSecond: event.stats.stepsPerSecond,
    runningSeconds: event.stats.runningSeconds,
    divergence: stop?.reason === 'diverged' ? stop : undefined,
  };
}
