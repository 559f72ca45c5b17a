/**
 * The bigram-net page's session kind: makemore's `bigram-net` family (one-hot · W, λ·mean(W²))
 * trained full batch on every bigram of the words by the one `Trainer` (`languageModelTask` with
 * `batchSize: Infinity`, which uses the net's pair-count objective). Series `loss` and `dataLoss`
 * (float64) per step; the snapshot is W (none after a divergence: those weights blew up and are
 * not worth drawing); the run stops by itself at `MAX_STEPS`. lr and λ apply live: the trainer
 * continues from the current step and weights with the new setting.
 *
 * A step's loss is the one *before* its update and the step counter counts updates, so the loss
 * of step index k is shown against "k + 1 steps done". The divergence rule stops *before* the
 * update of the step that diverged, so the message names the update count the status shows.
 */
import { Generator } from '@llm-playground/core';
import { buildBigrams, CharTokenizer } from '@llm-playground/data';
import {
  type BigramNet,
  createModel,
  familyConfig,
  type LanguageModelTask,
  languageModelTask,
  Trainer,
  type TrainingTask,
} from '@llm-playground/makemore';
import type { Packed, TrainerKind } from '../../session/protocol.js';
import { TrainerSession } from '../../session/trainer-session.js';
import { meanSquare, smoothedCountLoss } from './bigram-net-math.js';

/** Training pauses by itself here: the loss has long flattened out. */
export const MAX_STEPS = 20000;

/** Steps per second: 'max' runs as fast as the worker can. */
export const SPEEDS = ['10', '60', '600', 'max'] as const;
export type Speed = (typeof SPEEDS)[number];

/** The `pace` a speed asks for (null: as fast as possible). */
export function stepsPerSecond(speed: Speed): number | null {
  return speed === 'max' ? null : Number(speed);
}

export interface BigramNetSettings {
  seed: number;
  /** Learning rate of plain gradient descent (the lecture's 50). */
  lr: number;
  /** λ of the λ·mean(W²) penalty (the lecture's 0.01). */
  lambda: number;
}

export interface BigramNetInit extends BigramNetSettings {
  words: readonly string[];
}

export interface BigramNetInfo {
  V: number;
  itos: string[];
  /** The count model's NLL on the data, unsmoothed: the lowest data loss a bigram model can reach. */
  countLoss: number;
  /** The pair counts N (float64, row-major V×V). */
  counts: Float64Array;
}

/** The language-model task, with the data loss (the loss without λ·mean(W²)) as a per-step metric. */
function withDataLoss(task: LanguageModelTask, lambda: number): TrainingTask {
  const W = (task.model as BigramNet).W;
  return {
    ...task,
    forward(generator) {
      const penalty = lambda * meanSquare(W.data);
      const out = task.forward(generator);
      return { ...out, metrics: { dataLoss: out.loss - penalty } };
    },
  };
}

export class BigramNetSessionTrainer extends TrainerSession {
  readonly info: BigramNetInfo;
  protected trainer!: Trainer;
  private readonly tokenizer: CharTokenizer;
  private readonly data: { X: Int32Array; Y: Int32Array; length: number; blockSize: number };
  private model!: BigramNet;
  private settings: BigramNetSettings;

  constructor(init: BigramNetInit) {
    super(['dataLoss']);
    this.tokenizer = CharTokenizer.fromWords(init.words);
    const V = this.tokenizer.vocabSize;
    const { xs, ys, length } = buildBigrams(init.words, this.tokenizer);
    this.data = { X: xs, Y: ys, length, blockSize: 1 };
    const counts = new Float64Array(V * V);
    for (let i = 0; i < length; i++) counts[xs[i] * V + ys[i]] += 1;
    this.info = {
      V,
      itos: [...this.tokenizer.itos],
      countLoss: smoothedCountLoss(counts, V, 0),
      counts,
    };
    this.settings = { seed: init.seed, lr: init.lr, lambda: init.lambda };
    this.reset();
  }

  /** A net with λ = `lambda`: fresh weights from `Generator(seed)`, or `weights` carried over. */
  private createNet(lambda: number, weights?: BigramNet['W']): BigramNet {
    // The lecture trains on the bigrams of every word (`allWords`), as this page does.
    const config = familyConfig(
      'bigram-net',
      { regularization: lambda, allWords: true },
      { vocabSize: this.info.V },
    );
    const net = createModel(config, {
      generator: new Generator(this.settings.seed),
    }) as BigramNet;
    if (weights) net.loadStateDict({ W: weights.detach() });
    return net;
  }

  /** A trainer for the current net and settings, from `startStep` (continuing `previous`). */
  private createTrainer(previous?: Trainer): Trainer {
    const task = languageModelTask(this.model, this.data, { batchSize: Number.POSITIVE_INFINITY });
    return new Trainer(withDataLoss(task, this.settings.lambda), {
      steps: MAX_STEPS,
      optimizer: { kind: 'sgd', lr: this.settings.lr },
      onStep: this.onStep,
      ...(previous
        ? {
            startStep: previous.step,
            optimizerState: previous.optimizer.stateDict(),
            generator: previous.generator,
          }
        : {}),
    });
  }

  snapshot(): Packed<{ W: Float32Array | null }> {
    if (this.trainer.diverged) return { value: { W: null } };
    const W = Float32Array.from(this.model.W.data);
    return { value: { W }, transfer: [W.buffer] };
  }

  override extra() {
    return { lr: this.settings.lr, lambda: this.settings.lambda };
  }

  /**
   * A new seed starts over; lr and λ apply from the next step (a diverged run keeps its stop
   * until reset).
   */
  configure(config: unknown): 'live' | 'restart' {
    const next = config as BigramNetSettings;
    const previous = this.settings;
    this.settings = { ...next };
    if (next.seed !== previous.seed) {
      this.reset();
      return 'restart';
    }
    if (this.trainer.diverged || (next.lr === previous.lr && next.lambda === previous.lambda)) {
      return 'live';
    }
    if (next.lambda !== previous.lambda) this.model = this.createNet(next.lambda, this.model.W);
    this.trainer = this.createTrainer(this.trainer);
    return 'live';
  }

  reset(): void {
    this.model = this.createNet(this.settings.lambda);
    this.trainer = this.createTrainer();
    this.clearRecords();
  }
}

export const bigramNetKind: TrainerKind<BigramNetInit> = {
  create: (init) => new BigramNetSessionTrainer(init),
};
