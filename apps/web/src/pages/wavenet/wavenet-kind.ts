/**
 * The WaveNet page's session kind (makemore part 5): two models of the `wavenet` family trained
 * side by side by two of makemore's `Trainer`s, step for step on the same minibatches — the
 * hierarchy (`FlattenConsecutive(flatten)` per level) and the flat model of the lecture's
 * baseline (one level, `flatten = blockSize`) whose hidden layer is sized to the same parameter
 * count. Per step the slice carries both losses (`loss`: the hierarchy, `flat`); its events are
 * the dev losses of both every `evalEvery` steps (on the first 4,096 dev examples).
 */
import { Generator } from '@llm-playground/core';
import { CharTokenizer, type ContextDataset, splitWords } from '@llm-playground/data';
import {
  checkModelSize,
  createModel,
  estimateSize,
  evaluate,
  familyConfig,
  getFamily,
  type LanguageModel,
  languageModelTask,
  type ModelConfig,
  runSettings,
  Trainer,
  trainingData,
} from '@llm-playground/makemore';
import type {
  Packed,
  SessionTrainer,
  Slice,
  SliceLimit,
  Stop,
  TrainerKind,
} from '../../session/protocol.js';
import { stopOf } from '../../session/trainer-session.js';
import type { WavenetEvaluation, WavenetInfo, WavenetSettings } from './wavenet-types.js';

const FAMILY = 'wavenet';
/** The dev loss during training averages over (at most) this many dev examples. */
export const DEV_EXAMPLES = 4096;
const MAX_MODEL_BYTES = 5e8;

/**
 * The flat model (one level: `flatten = blockSize`) with the hidden size whose parameter count is
 * nearest `target`: `V·E + (B·E)·H + 2H + H·V + V = target` solved for H.
 *
 * @example
 * ```ts
 * flatConfig({ kind: 'wavenet', vocabSize: 27, blockSize: 8, nEmbd: 24, nHidden: 128, flatten: 2 }, 76_579).nHidden; // 343
 * ```
 */
export function flatConfig(config: ModelConfig, target: number): ModelConfig {
  const V = config.vocabSize;
  const E = config.nEmbd as number;
  const B = config.blockSize;
  const hidden = Math.max(1, Math.round((target - V * E - V) / (B * E + 2 + V)));
  return { ...config, flatten: B, nHidden: hidden };
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

export interface WavenetInit {
  words: readonly string[];
  settings: WavenetSettings;
}

/** One of the two runs: its model and trainer, and its dev losses not yet sent. */
interface Run {
  model: LanguageModel;
  trainer: Trainer;
  devs: { step: number; dev: number }[];
}

export class WavenetSessionTrainer implements SessionTrainer {
  info!: WavenetInfo;
  hier!: Run;
  flat!: Run;
  private readonly words: readonly string[];
  private readonly tokenizer: CharTokenizer;
  private settings: WavenetSettings;

  constructor(init: WavenetInit) {
    if (init.words.length < 3) {
      throw new RangeError(
        `Argument 'words' passed to the WaveNet trainer must hold at least 3 words (for an 80/10/10 split), got ${init.words.length}`,
      );
    }
    this.words = init.words;
    this.tokenizer = CharTokenizer.fromWords(init.words);
    this.settings = { ...init.settings };
    this.build();
  }

  private build(): void {
    const s = this.settings;
    const family = getFamily(FAMILY);
    const config = familyConfig(FAMILY, s.model, {
      vocabSize: this.tokenizer.vocabSize,
      mode: 'clamp',
    });
    const flat = familyConfig(FAMILY, flatConfig(config, estimateSize(family, config).parameters), {
      vocabSize: this.tokenizer.vocabSize,
      mode: 'clamp',
    });
    for (const c of [config, flat]) {
      checkModelSize(family, c, { maxBytes: MAX_MODEL_BYTES, training: true });
    }
    const split = splitWords(this.words, { seed: s.splitSeed });
    const data = trainingData(family, config, split, this.tokenizer);
    const dev = prefix(data.dev, DEV_EXAMPLES);
    const run = runSettings(family, { lr: s.lr, steps: s.steps, batchSize: s.batchSize });
    // Each model gets the seed for its weights; both draw the same minibatches (seed + 1).
    const start = (modelConfig: ModelConfig): Run => {
      const model = createModel(modelConfig, {
        generator: new Generator(s.seed),
        tokenizer: this.tokenizer,
      });
      const devs: Run['devs'] = [];
      const task = languageModelTask(model, data.train, { batchSize: s.batchSize });
      const trainer = new Trainer(
        { ...task, evaluate: () => ({ dev: evaluate(model, dev) }) },
        {
          steps: run.steps,
          optimizer: run.optimizer,
          schedule: run.schedule,
          generator: new Generator((s.seed + 1) % 4294967296),
          evalEvery: s.evalEvery,
          onEval: ({ step, metrics }) => devs.push({ step, dev: metrics.dev }),
        },
      );
      return { model, trainer, devs };
    };
    this.hier = start(config);
    this.flat = start(flat);
    this.info = {
      config,
      flatConfig: flat,
      vocabSize: this.tokenizer.vocabSize,
      chars: [...this.tokenizer.itos],
      parameters: this.hier.model.numParameters(),
      flatParameters: this.flat.model.numParameters(),
      trainExamples: data.train.length,
      devExamples: dev.length,
    };
  }

  get step(): number {
    return this.hier.trainer.step;
  }

  /** Done when both are; diverged as soon as one is (its message names which). */
  get stop(): Stop | null {
    const hier = stopOf(this.hier.trainer);
    const flat = stopOf(this.flat.trainer);
    if (hier?.reason === 'diverged') return { ...hier, message: `Hierarchy: ${hier.message}` };
    if (flat?.reason === 'diverged') return { ...flat, message: `Flat model: ${flat.message}` };
    return hier && flat ? hier : null;
  }

  /** The hierarchy runs within half the time, then the flat model the same number of steps. */
  runSlice(limit: SliceLimit): Slice {
    const firstStep = this.step;
    const hier = this.hier.trainer.runSlice({
      maxSteps: Number.isFinite(limit.maxSteps) ? limit.maxSteps : undefined,
      maxMillis: limit.maxMillis / 2,
    });
    const count = hier.losses.length;
    const flat = new Float32Array(count).fill(Number.NaN);
    if (count > 0 && !this.flat.trainer.diverged) {
      const ran = this.flat.trainer.runSlice({
        maxSteps: count,
        maxMillis: Number.POSITIVE_INFINITY,
      });
      flat.set(ran.losses.subarray(0, count));
    }
    const events: WavenetEvaluation[] = this.hier.devs.map((e) => ({
      step: e.step,
      hier: e.dev,
      flat: this.flat.devs.find((f) => f.step === e.step)?.dev ?? Number.NaN,
    }));
    this.hier.devs.length = 0; // emptied in place: the trainers' onEval push into these arrays
    this.flat.devs.length = 0;
    return {
      firstStep,
      series: { loss: Float32Array.from(hier.losses), flat },
      events,
    };
  }

  snapshot(): Packed<null> {
    return { value: null };
  }

  extra(): Record<string, unknown> {
    return { lr: this.hier.trainer.lr, steps: this.hier.trainer.steps };
  }

  /** Any change of settings starts both over; the same settings change nothing. */
  configure(config: unknown): 'live' | 'restart' {
    if (JSON.stringify(config) === JSON.stringify(this.settings)) return 'live';
    this.settings = { ...(config as WavenetSettings) };
    this.build();
    return 'restart';
  }

  reset(): void {
    this.build();
  }
}

export const wavenetKind: TrainerKind<WavenetInit> = {
  create: (init) => new WavenetSessionTrainer(init),
};
