/**
 * One call from "family name + raw settings + words" to everything a language-model run needs:
 * the validated config, the tokenizer, the lecture's split, the examples, the model (fresh, fitted
 * or from a checkpoint), the run settings, the task and a `Trainer` factory. The CLI's `lmp train`
 * and `pnpm reproduce` both use it, so they prepare a run the same way (the generator that
 * initialises the weights then draws every minibatch, as the lectures do).
 */
import { Generator, type GeneratorState } from '@llm-playground/core';
import { CharTokenizer, splitWords, type WordSplit } from '@llm-playground/data';
import type { OptimizerState } from '@llm-playground/nn';
import { type BackendName, getBackend, setBackend } from '@llm-playground/tensor';
import type { Tokenizer } from '@llm-playground/tokenizer';
import { ConfigError } from './errors.js';
import type { ParseConfigOptions } from './families/config-schema.js';
import { checkModelSize, type ModelFamily, type OptimizerKind } from './families/family.js';
import { familyConfig, getFamily } from './families/registry.js';
import type { SplitFingerprint } from './fingerprint.js';
import type { LanguageModel, ModelConfig } from './model.js';
import { type RunOverrides, type RunSettings, runSettings } from './run-settings.js';
import {
  type LanguageModelTask,
  type LanguageModelTaskOptions,
  languageModelTask,
} from './tasks/language-model.js';
import type { TrainData } from './tasks/minibatch-sampler.js';
import {
  BpeTextTokenizer,
  type ModelTokenizer,
  requireCharTokenizer,
  tokensPerCharacter,
} from './text-tokenizer.js';
import { Trainer, type TrainerOptions, type TrainerState } from './trainer.js';
import { textData, trainingData } from './training-data.js';
import { DEFAULT_SEED } from './util.js';

/** What a loaded checkpoint contributes to a resumed run (a `Checkpoint` fits). */
export interface ResumeFrom {
  config: ModelConfig;
  tokenizer: ModelTokenizer;
  model: LanguageModel;
  step: number;
  trainerState?: TrainerState;
  optimizerState?: OptimizerState;
  generatorState?: GeneratorState;
}

export interface PrepareRunOptions {
  /** The family's name (`config.kind`): `'mlp'`, `'bigram-net'`, `'bigram'`, or a registered one. */
  family: string;
  /** Config values by schema name (`{ nHidden: '300' }`, strings accepted), checked by `familyConfig`. */
  rawConfig?: Readonly<Record<string, unknown>>;
  /** `'strict'` (CLI; default) throws on a bad value, `'clamp'` (web URL parameters) adjusts it. */
  mode?: ParseConfigOptions['mode'];
  onAdjust?: ParseConfigOptions['onAdjust'];
  /** The word list (families that train on contexts or sequences). */
  words?: readonly string[];
  /**
   * The text of a family that trains on a text (`gpt`): character-level, its smallest character
   * (a newline, in a book) as token 0, the first 90% to train on, the rest to validate.
   */
  text?: string;
  /**
   * A byte-level BPE (`@llm-playground/tokenizer`, e.g. `await loadTokenizer('tok')`) to train a
   * text family on tokens instead of characters: `vocabSize` becomes its `vocabSize`, the 90/10
   * split is in tokens. Only with `text`; ignored on resume (the checkpoint's tokenizer is used).
   */
  tokenizer?: Tokenizer;
  /** The split: Python's `random.seed` and the cut points (default the lecture's, 42 and [0.8, 0.9]). */
  split?: { seed?: number; fractions?: [number, number] };
  /** Seeds the generator that initialises the weights and then draws the minibatches (default 2147483647). */
  seed?: number;
  /** `--lr`, `--steps`, `--batch-size`, `--optimizer`, `--weight-decay`, a schedule (see `runSettings`). */
  run?: RunOverrides;
  /** Estimate evaluation losses on this many batches of 1,024 (see `languageModelTask`). */
  evalBatches?: number;
  /**
   * What an evaluation measures: `'train-and-dev'` (default) or `'dev'` (the train figure is the
   * mean minibatch loss of the last `evalEvery` steps: `lmp train`'s lines). See `languageModelTask`.
   */
  evaluate?: LanguageModelTaskOptions['evaluate'];
  /** Refuse a model larger than this, with gradients and optimizer state (default 2e9 bytes). */
  maxBytes?: number;
  /**
   * The tensor backend for the run, set with tensor's `setBackend` before the model is built (it is
   * process-wide: it stays set after the run). Omitted: the current one (`js` unless `LMP_BACKEND`
   * or a `setBackend` call chose otherwise). `'js'` gives the lecture's numbers bit for bit; `'wasm'`
   * is several times faster, its float32 matmul and tanh reorder/round differently (losses within
   * float32 drift of js's). A runtime without WebAssembly SIMD stays on js with one warning.
   */
  backend?: BackendName;
  /**
   * Continue a checkpoint: its config (raw values may not change it), tokenizer, model and state
   * are used instead of fresh ones; `family` must be its kind.
   */
  resume?: ResumeFrom;
}

export interface PreparedRun {
  family: ModelFamily;
  /** The tensor backend the run uses (`getBackend().name` after `backend` was applied). */
  backend: string;
  config: ModelConfig;
  tokenizer: ModelTokenizer;
  /**
   * Tokens per character of the validation part (1 for characters and words): a loss per token
   * times this is the loss per character, comparable across tokenizers.
   */
  tokensPerCharacter: number;
  /**
   * The words of each part, and what `dataFingerprint(words, splitFingerprint)` records. For a
   * text: no words, and the characters of each part (`seed` 0, `fractions` [0.9, 1]).
   */
  split: WordSplit;
  splitFingerprint: SplitFingerprint;
  /** Contexts of the family's block size (train from every word for `allWords` families). */
  data: { train: TrainData; dev: TrainData; test: TrainData };
  model: LanguageModel;
  /** Initialised the weights; the trainer draws the minibatches from it (restored on resume). */
  generator: Generator;
  settings: RunSettings;
  /** The training task (null for a family that is fitted, not trained: the bigram counts). */
  task: LanguageModelTask | null;
  /** The global step the run starts at (the checkpoint's on resume, else 0). */
  startStep: number;
  /**
   * A `Trainer` for this run: `steps`, `optimizer`, `schedule` and `generator` from the run, the
   * rest (callbacks, `evalEvery`, `checkpoint`, `signal`, `maxSeconds`) from `options`. On resume
   * it continues the checkpoint's trainer state bit for bit, or (an older checkpoint without one)
   * starts at its step with its optimizer state. Throws `ConfigError` for a fitted family.
   */
  createTrainer(options?: Partial<TrainerOptions>): Trainer;
}

/**
 * The run settings: the family's defaults, then (on resume) the saved trainer state's steps,
 * optimizer and schedule, then what the user gave. A saved schedule is kept unless the user
 * changes the learning rate, the steps or the schedule (it is then rebuilt from them).
 */
function resolveSettings(
  family: ModelFamily,
  given: RunOverrides,
  saved: TrainerState | undefined,
): RunSettings {
  const defined = Object.fromEntries(
    Object.entries(given).filter(([, value]) => value !== undefined),
  ) as RunOverrides;
  if (!saved) return runSettings(family, defined);
  const settings = runSettings(family, {
    steps: saved.steps,
    lr: saved.optimizerSettings.lr,
    optimizer: saved.optimizerSettings.kind as OptimizerKind,
    weightDecay: saved.optimizerSettings.weightDecay,
    ...defined,
  });
  const rebuilt =
    defined.lr !== undefined || defined.steps !== undefined || defined.schedule !== undefined;
  return rebuilt || !saved.schedule ? settings : { ...settings, schedule: saved.schedule };
}

/**
 * Prepares a language-model run: config, tokenizer, split, examples, model, settings, task.
 *
 * @example
 * ```ts
 * const words = bundledNames().words.slice(0, 400);
 * const run = prepareRun({ family: 'mlp', rawConfig: { nHidden: '50' }, words, run: { steps: 20 } });
 * run.config.nHidden; // 50
 * run.splitFingerprint.train; // 320
 * const progress = run.createTrainer().run();
 * progress.losses.length; // 20
 * prepareRun({ family: 'mlp', rawConfig: { nHidden: 0 }, words }); // throws ConfigError
 * prepareRun({ family: 'bigram', words }).task; // null
 * ```
 */
export function prepareRun(options: PrepareRunOptions): PreparedRun {
  const family = getFamily(options.family);
  if (options.backend !== undefined) {
    if (options.backend !== 'js' && options.backend !== 'wasm') {
      throw new ConfigError(
        `prepareRun: backend must be 'js' or 'wasm', got ${JSON.stringify(options.backend)}`,
      );
    }
    setBackend(options.backend);
  }
  const { resume } = options;
  const examples = examplesOf(family);
  const text = examples === 'text' ? checkText(family.name, options.text) : undefined;
  const words = options.words ?? [];
  if (text === undefined && (!Array.isArray(words) || words.length === 0)) {
    throw new ConfigError(
      options.text !== undefined
        ? `prepareRun: ${family.name} trains on words, not on a text: give words (one per line)`
        : 'prepareRun: the word list is empty: give at least 2 words',
    );
  }
  if (resume && resume.config.kind !== family.name) {
    throw new ConfigError(
      `prepareRun: the checkpoint holds a ${resume.config.kind} model, not ${family.name}`,
    );
  }
  if (options.tokenizer !== undefined && text === undefined) {
    throw new ConfigError(
      `prepareRun: ${family.name} trains on words, which need a character tokenizer: a BPE tokenizer is only for a family that trains on a text (gpt)`,
    );
  }
  const tokenizer: ModelTokenizer =
    resume?.tokenizer ??
    (text === undefined
      ? CharTokenizer.fromWords(words)
      : options.tokenizer !== undefined
        ? new BpeTextTokenizer(options.tokenizer)
        : CharTokenizer.fromText(text));
  let raw = options.rawConfig ?? {};
  // makemore.py's block size for sequence families: the longest word + 1, unless given.
  if (examples === 'sequences' && raw.blockSize === undefined) {
    const longest = words.reduce((n, w) => Math.max(n, Array.from(w).length), 0);
    raw = { ...raw, blockSize: longest + 1 };
  }
  const config =
    resume?.config ??
    familyConfig(family.name, raw, {
      vocabSize: tokenizer.vocabSize,
      mode: options.mode,
      onAdjust: options.onAdjust,
      source: `${family.name} config`,
    });
  if (text !== undefined) {
    const data = textData(text, tokenizer, config.blockSize);
    const [train, dev] = [data.train.length, data.dev.length].map((n) => n + config.blockSize);
    return finish(options, family, config, tokenizer, data, {
      split: { train: [], dev: [], test: [] },
      splitFingerprint: { seed: 0, fractions: [0.9, 1], train, dev, test: 0 },
    });
  }
  const seed = options.split?.seed ?? 42;
  const fractions = options.split?.fractions ?? [0.8, 0.9];
  const split = splitWords(words, { seed, fractions });
  if (split.train.length === 0) {
    throw new ConfigError(
      `the training split is empty: ${words.length} word${words.length === 1 ? '' : 's'} split at ${fractions.join(', ')} leave none to train on; give at least 2 words`,
    );
  }
  const splitFingerprint: SplitFingerprint = {
    seed,
    fractions: [fractions[0], fractions[1]],
    train: split.train.length,
    dev: split.dev.length,
    test: split.test.length,
  };
  const data = trainingData(family, config, split, requireCharTokenizer(tokenizer, family.name));
  return finish(options, family, config, tokenizer, data, { split, splitFingerprint });
}

/** The words of a run's parts (empty for a text) and its split's fingerprint. */
interface RunSplit {
  split: WordSplit;
  splitFingerprint: SplitFingerprint;
}

/** The rest of `prepareRun` once the data is built: model, settings, task, trainer factory. */
function finish(
  options: PrepareRunOptions,
  family: ModelFamily,
  config: ModelConfig,
  tokenizer: ModelTokenizer,
  data: { train: TrainData; dev: TrainData; test: TrainData },
  { split, splitFingerprint }: RunSplit,
): PreparedRun {
  const { resume } = options;
  const settings = resolveSettings(family, options.run ?? {}, resume?.trainerState);
  if (!resume) checkModelSize(family, config, { maxBytes: options.maxBytes, training: true });
  const generator = new Generator(options.seed ?? DEFAULT_SEED);
  let model: LanguageModel;
  if (resume) {
    model = resume.model;
    const state = resume.trainerState?.generator ?? resume.generatorState;
    if (state) generator.setState(state);
  } else if (!family.trainable) {
    if (!family.fit) {
      throw new ConfigError(`${family.name}: the family is neither trainable nor has fit()`);
    }
    const { split: which } = family.trainsOn(config);
    model = family.fit(
      config,
      which === 'all' ? [...split.train, ...split.dev, ...split.test] : split.train,
      requireCharTokenizer(tokenizer, family.name),
    );
  } else {
    model = family.create(
      config,
      tokenizer instanceof CharTokenizer ? { generator, tokenizer } : { generator },
    );
  }
  const task = family.trainable
    ? languageModelTask(model, data.train, {
        batchSize: settings.batchSize,
        dev: data.dev,
        evalBatches: options.evalBatches,
        evaluate: options.evaluate,
      })
    : null;
  const startStep = resume?.trainerState?.step ?? resume?.step ?? 0;

  function createTrainer(extra: Partial<TrainerOptions> = {}): Trainer {
    if (!task) {
      throw new ConfigError(
        `${family.name} is fitted, not trained (prepareRun already fitted it): there is nothing to run`,
      );
    }
    const base: TrainerOptions = {
      steps: settings.steps,
      optimizer: settings.optimizer,
      schedule: settings.schedule,
      ...extra,
      generator,
    };
    if (resume?.trainerState) return Trainer.resume(task, resume.trainerState, base);
    if (resume) {
      return new Trainer(task, {
        ...base,
        startStep: resume.step,
        optimizerState: resume.optimizerState,
      });
    }
    return new Trainer(task, base);
  }

  return {
    family,
    backend: getBackend().name,
    config: model.config,
    tokenizer,
    tokensPerCharacter:
      data.dev.layout === 'windows' ? tokensPerCharacter(tokenizer, data.dev.X) : 1,
    split,
    splitFingerprint,
    data,
    model,
    generator,
    settings,
    task,
    startStep,
    createTrainer,
  };
}

/** What `family` trains on with its default settings (`contexts`, `sequences` or `text`). */
function examplesOf(family: ModelFamily): 'contexts' | 'sequences' | 'text' {
  return family.trainsOn(familyConfig(family.name, {}, { vocabSize: 2 })).examples;
}

/** The text of a text family, checked: a non-empty string without NUL characters. */
function checkText(name: string, text: unknown): string {
  if (typeof text !== 'string') {
    throw new ConfigError(
      `prepareRun: ${name} trains on a text: pass { text } (lmp: -i book.txt), got ${text === undefined ? 'none' : typeof text}`,
    );
  }
  if (text.length === 0)
    throw new ConfigError(`prepareRun: the text is empty: ${name} needs a text to train on`);
  const nul = text.indexOf('\u0000');
  if (nul >= 0) {
    throw new ConfigError(
      `prepareRun: the text holds a NUL character at position ${nul}: is it a binary file? Give a plain-text file (UTF-8)`,
    );
  }
  return text;
}
