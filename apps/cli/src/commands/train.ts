/**
 * `lmp train`: train a model of any registered family on a word list and save a checkpoint.
 *
 * This file parses flags, prints and handles signals; the run itself is makemore's: `prepareRun`
 * (the family's validated config, the lecture's split, the examples, the model, the settings) and
 * its one `Trainer` (`runAsync`, which yields to the event loop between slices so that SIGINT,
 * SIGTERM and SIGHUP are noticed between two steps). The Trainer's checkpoint callback saves every
 * `--save-every` steps / `--save-minutes` minutes, on a stop signal and when the run completes —
 * always before the final evaluation and sampling, so a crash there loses nothing. The model's
 * flags come from its family's schema (`family-flags.ts`); nothing here names a family but
 * `--preset` (the gpt family's named settings). A family whose `trainsOn` is `'text'` gets a text
 * (`-i` read with data's `loadText`, else the bundled book); the others a word list.
 */
import { Generator } from '@llm-playground/core';
import { loadText, type TextSource, type WordList } from '@llm-playground/data';
import {
  BpeTextTokenizer,
  compareDataFingerprint,
  dataFingerprint,
  evaluate,
  familyConfig,
  flagOf,
  type GptPreset,
  getFamily,
  gptPresets,
  type LanguageModel,
  type OptimizerKind,
  requireCharTokenizer,
  sample,
  saveCheckpoint,
  type Trainer,
  type TrainerState,
} from '@llm-playground/makemore';
import { loadTokenizer, type Tokenizer } from '@llm-playground/tokenizer';
import {
  type CommandSpec,
  type OptionValues,
  readNumber,
  readString,
  switchOption,
  valueOption,
} from '../command.js';
import { UsageError } from '../errors.js';
import { type CliIO, resolvePath } from '../io.js';
import { formatDuration } from '../render/progress.js';
import {
  BACKEND_OPTIONS,
  type BackendOptions,
  readBackendOptions,
  withBackend,
} from './backend-flag.js';
import {
  collectFamilyFlags,
  DEFAULT_FAMILY,
  familyConfigFromFlags,
  familyNames,
  familyOptionGroups,
  readFamilyName,
} from './family-flags.js';
import {
  checkNoBoundary,
  formatCount,
  formatLoss,
  formatSamples,
  INPUT_LIMIT_OPTIONS,
  INPUT_OPTION,
  type InputLimits,
  LECTURE_SEED,
  loadInput,
  readInputLimits,
  readSeed,
  resolveInput,
  samplesOption,
  siblingPlotPath,
} from './makemore-common.js';
import { checkPlotPath } from './plot-file.js';
import { listenForStop, type StopSignal, signalExitCode } from './run-control.js';
import { learningRateFlag, scheduleText } from './schedule-text.js';
import { createRunDiagnostics, writeDiagnostics } from './train-diagnostics.js';
import { writePlots } from './train-plots.js';
import { driveTrainer } from './train-session.js';
import { prepare, resolveTarget, type SavedSettings, SPLIT_SEED } from './train-target.js';

const COMMAND = 'train';
const OPTIMIZERS: readonly OptimizerKind[] = ['sgd', 'adam', 'adamw'];

export { SPLIT_SEED } from './train-target.js';
/** Part 2 samples with `torch.Generator().manual_seed(2147483647 + 10)`: so do `train` and `sample`. */
export const SAMPLE_SEED = LECTURE_SEED + 10;
/** Default number of steps of the MLP (its family's default): about 20 s here on the bundled names. */
export const DEFAULT_MLP_STEPS = 30_000;

/** Options of `lmp train` as parsed from its flags (`undefined` = the family's default). */
export interface TrainCommandOptions extends BackendOptions {
  /** Model family; `undefined` = `mlp`, or the checkpoint's with `--resume`. */
  model?: string;
  /** The model flags given (`{ 'n-hidden': '300' }`), checked against the family's schema. */
  modelFlags?: Record<string, string | boolean>;
  input?: string;
  /**
   * A byte-level BPE written by `lmp tokenize train` (its folder or `.model` file): the gpt family
   * then trains on its tokens instead of characters.
   */
  tokenizer?: string;
  /**
   * A named setting of the `gpt` family (`gptPresets`: `bigram`, `cpu`, `lecture`, …): its model
   * fields and run settings (lr, steps, batch size), under the flags given.
   */
  preset?: string;
  /** Limits of reading `-i` (`--max-input-mb`, `--timeout`). */
  inputLimits?: InputLimits;
  /** Checkpoint directory (default `lmp-out/<model>`). */
  out?: string;
  steps?: number;
  batchSize?: number;
  lr?: string;
  seed?: number;
  optimizer?: OptimizerKind;
  weightDecay?: number;
  evalEvery?: number;
  resume: boolean;
  maxSeconds?: number;
  plot?: string;
  /** Where to write the lecture's four diagnostics pictures (`.svg` or `.png`). */
  diagnostics?: string;
  /** Names sampled at the end (default 20). */
  samples: number;
  /** Save a checkpoint every this many steps during the run (default: none, see `saveMinutes`). */
  saveEvery?: number;
  /** Save a checkpoint every this many minutes during the run (default 5; 0 = never on the way). */
  saveMinutes?: number;
  /** Replace a checkpoint already in `out` instead of refusing. */
  force?: boolean;
  /**
   * Stops the run as Ctrl-C does (for programmatic use; the CLI listens to SIGINT, SIGTERM and
   * SIGHUP itself). An abort reason that is a signal name (`'SIGTERM'`) picks the exit code.
   */
  signal?: AbortSignal;
}

/**
 * Reads the command's flags, with a `UsageError` for any bad value.
 *
 * @example
 * parseTrainOptions({ model: 'mlp', steps: '1000', 'n-hidden': '300', lr: '0.1,0.01@500' });
 */
export function parseTrainOptions(values: OptionValues): TrainCommandOptions {
  const positive = (name: string) =>
    values[name] === undefined
      ? undefined
      : readNumber(values, name, 0, { integer: true, min: 1 }, COMMAND);
  const optional = (name: string, bounds: Parameters<typeof readNumber>[3]) =>
    values[name] === undefined ? undefined : readNumber(values, name, 0, bounds, COMMAND);
  const model = readFamilyName(readString(values, 'model'), COMMAND);
  const optimizer = readString(values, 'optimizer');
  if (optimizer !== undefined && !OPTIMIZERS.includes(optimizer as OptimizerKind)) {
    throw new UsageError(
      `--optimizer must be one of ${OPTIMIZERS.join(', ')}, got '${optimizer}'`,
      COMMAND,
    );
  }
  const lr = readString(values, 'lr');
  if (lr !== undefined) learningRateFlag(lr, COMMAND); // validate now, use later
  const preset = readString(values, 'preset');
  if (preset !== undefined && !Object.hasOwn(gptPresets, preset)) {
    throw new UsageError(
      `--preset must be one of ${Object.keys(gptPresets).join(', ')}, got '${preset}'`,
      COMMAND,
    );
  }
  if (preset !== undefined && model !== 'gpt') {
    throw new UsageError(
      `--preset names settings of the gpt family: add --model gpt (got --model ${model ?? `${DEFAULT_FAMILY} (the default)`})`,
      COMMAND,
    );
  }
  if (preset !== undefined && values.resume === true) {
    throw new UsageError(
      '--preset starts a new run; --resume continues the settings saved in the checkpoint',
      COMMAND,
    );
  }
  const modelFlags = collectFamilyFlags(values);
  // A model named by --model has its flags checked now (with --resume, against the checkpoint later).
  if (model !== undefined) familyConfigFromFlags(getFamily(model), modelFlags, COMMAND);
  return {
    model,
    modelFlags,
    ...(preset === undefined ? {} : { preset }),
    input: readString(values, 'input'),
    tokenizer: readString(values, 'tokenizer'),
    inputLimits: readInputLimits(values, COMMAND),
    out: readString(values, 'out'),
    steps: positive('steps'),
    batchSize: positive('batch-size'),
    lr,
    seed: values.seed === undefined ? undefined : readSeed(values, LECTURE_SEED, COMMAND),
    optimizer: optimizer as OptimizerKind | undefined,
    weightDecay: optional('weight-decay', { min: 0 }),
    evalEvery: positive('eval-every'),
    resume: values.resume === true,
    maxSeconds: optional('max-seconds', { min: 0, exclusiveMin: true }),
    plot: readString(values, 'plot'),
    diagnostics: readString(values, 'diagnostics'),
    samples: readNumber(values, 'samples', 20, { integer: true, min: 0 }, COMMAND),
    saveEvery: positive('save-every'),
    saveMinutes: optional('save-minutes', { min: 0 }),
    force: values.force === true,
    ...readBackendOptions(values, COMMAND),
  };
}

/** `resume with: …` — the command line that continues a run saved in `out`. */
function resumeCommand(out: string, input: string | undefined, extra = ''): string {
  const quote = (text: string) => (/^[\w@%+=:,./-]+$/.test(text) ? text : `'${text}'`);
  return `lmp train --resume --out ${quote(out)}${input === undefined ? '' : ` -i ${quote(input)}`}${extra}`;
}

/** `[27, 10]` */
function shapeText(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/**
 * The model in one line: its family, tensor shapes and parameter count (a fitted model: its
 * buffers and settings).
 */
export function describeModel(model: LanguageModel): string {
  const { config } = model;
  const parameters = model.namedParameters();
  if (parameters.length === 0) {
    const buffers = model.namedBuffers().map(([name, t]) => `${name} ${shapeText(t.shape)}`);
    const settings = getFamily(String(config.kind)).schema.map(
      (field) => `${flagOf(field)} ${String(config[field.name])}`,
    );
    return `${config.kind}: ${[...buffers, ...settings].join(', ')} (fitted, not trained)`;
  }
  const shapes = parameters.map(([name, tensor]) => `${name} ${shapeText(tensor.shape)}`);
  return `${config.kind}: ${shapes.join(', ')} = ${formatCount(model.numParameters())} parameters`;
}

/**
 * `--plot` and `--diagnostics` must write different files: `--plot FILE` also writes
 * `FILE-embedding` (for a model with an embedding table), so neither may be `--diagnostics`'s
 * (compared as resolved paths: `a.png` and `./a.png` are one file). A `UsageError` naming both.
 *
 * @example
 * checkDistinctPictures({ plot: 'a.png', diagnostics: './a.png' }, '/w/a.png', '/w/a.png');
 * // throws UsageError: --plot a.png and --diagnostics ./a.png name the same file …
 */
function checkDistinctPictures(
  options: Pick<TrainCommandOptions, 'plot' | 'diagnostics'>,
  plotPath: string | undefined,
  diagnosticsPath: string | undefined,
): void {
  if (plotPath === undefined || diagnosticsPath === undefined) return;
  const flags = `--plot ${options.plot} and --diagnostics ${options.diagnostics}`;
  const rename = 'give --diagnostics another file name';
  if (diagnosticsPath === plotPath) {
    throw new UsageError(
      `${flags} name the same file: one picture would replace the other; ${rename}`,
      COMMAND,
    );
  }
  if (diagnosticsPath === siblingPlotPath(plotPath, 'embedding')) {
    throw new UsageError(
      `${flags}: --plot also writes the embedding picture to ${siblingPlotPath(String(options.plot), 'embedding')}; ${rename}`,
      COMMAND,
    );
  }
}

/**
 * Runs `lmp train` with parsed options, writing to `io`; returns the exit code: 0, or 128 + the
 * signal's number when stopped by a signal after saving the checkpoint (130 Ctrl-C/SIGINT,
 * 143 SIGTERM, 129 SIGHUP). Divergence throws (exit 1) after saving the last good state.
 */
export async function runTrain(given: TrainCommandOptions, io: CliIO): Promise<number> {
  return withBackend(given, io, (backend) => trainModel(given, io, backend));
}

async function trainModel(given: TrainCommandOptions, io: CliIO, backend: string): Promise<number> {
  const options = withPreset(given);
  const plotPath = checkPlotPath(options.plot, io, COMMAND);
  const diagnosticsPath = checkPlotPath(options.diagnostics, io, COMMAND, 'diagnostics');
  checkDistinctPictures(options, plotPath, diagnosticsPath);
  const out = (line: string) => io.stdout.write(`${line}\n`);
  const target = resolveTarget(options, io, plotPath);
  if (options.preset !== undefined) {
    // The preset's model fields, under the flags given.
    const { config } = gptPresets[options.preset] as GptPreset;
    const fields = Object.fromEntries(Object.entries(config).map(([k, v]) => [k, String(v)]));
    target.rawConfig = { ...fields, ...target.rawConfig };
  }
  const { checkpoint, family, outText, outDir, saved } = target;
  if (diagnosticsPath !== undefined && !family.trainable) {
    throw new UsageError(
      `--diagnostics watches a trained model's layers and gradients; the ${family.name} model is counted, not trained (choose a trained family: ${familyNames()
        .filter((name) => getFamily(name).trainable)
        .join(', ')})`,
      COMMAND,
    );
  }

  // ---- data: the words (or a text), the lecture's split, context windows ----
  const inputText = options.input ?? (checkpoint?.metadata.input || undefined);
  const trainsOnText =
    family.trainsOn(checkpoint?.config ?? familyConfig(family.name, {}, { vocabSize: 2 }))
      .examples === 'text';
  let book: TextSource | undefined;
  let list: WordList;
  if (trainsOnText) {
    book = await loadText(resolveInput(inputText, io), options.inputLimits);
    list = {
      words: [],
      source: book.source,
      dropped: { empty: 0, duplicates: 0 },
      summary: book.summary,
    };
  } else {
    list = await loadInput(inputText, io, options.inputLimits);
  }
  out(list.summary);
  const bpe = await readBpeFlag(options, book !== undefined, checkpoint !== undefined, io);
  if (checkpoint !== undefined && book === undefined)
    checkNoBoundary(
      list.words,
      requireCharTokenizer(checkpoint.tokenizer, 'lmp train'),
      inputText ?? list.source,
    );
  if (book === undefined && list.words.length < 2) {
    const n = list.words.length;
    throw new Error(
      `the training split is empty: ${n} word${n === 1 ? '' : 's'} split 80/10/10 leaves none to train on; give at least 2 words`,
    );
  }
  // The words behind a resumed checkpoint must be its own (a split is compared once made).
  // A text is fingerprinted as one item: its characters (so --resume refuses another text).
  const words = dataFingerprint(book === undefined ? list.words : [book.text]);
  if (checkpoint !== undefined) {
    const comparison = compareDataFingerprint(checkpoint.data, words);
    if (!comparison.same) throw new Error(`--resume: ${comparison.message}`);
  }
  const run = prepare(options, target, book ?? list, bpe);
  const { data, model, settings, tokenizer } = run;
  const fingerprint = { ...words, split: run.splitFingerprint };
  if (checkpoint !== undefined) {
    const comparison = compareDataFingerprint(checkpoint.data, fingerprint);
    if (!comparison.same) throw new Error(`--resume: ${comparison.message}`);
  }
  const blockSize = family.trainsOn(run.config).blockSize;
  if (book !== undefined) {
    const { train, dev } = run.splitFingerprint;
    const unit = tokenizer instanceof BpeTextTokenizer ? 'token' : 'character';
    if (tokenizer instanceof BpeTextTokenizer) {
      out(
        `tokenizer: byte-level BPE of ${formatCount(tokenizer.vocabSize)} tokens, ${(1 / run.tokensPerCharacter).toFixed(2)} characters per token on the validation part`,
      );
    }
    out(
      `split: ${formatCount(train)} / ${formatCount(dev)} ${unit}s (the first 90% to train on, the rest to validate): ` +
        `random windows of ${blockSize} ${unit}${blockSize === 1 ? '' : 's'}`,
    );
  } else {
    out(
      `split ${formatCount(run.split.train.length)} / ${formatCount(run.split.dev.length)} / ${formatCount(run.split.test.length)} words ` +
        `(shuffled with seed ${SPLIT_SEED}): ${formatCount(data.train.length)} / ${formatCount(data.dev.length)} / ` +
        `${formatCount(data.test.length)} examples of ${blockSize} character${blockSize === 1 ? '' : 's'} of context`,
    );
  }
  out(`model ${describeModel(model)}`);

  // ---- what is saved, and how ----
  const seed = options.seed ?? saved?.seed ?? LECTURE_SEED;
  const batchSize = Number.isFinite(settings.batchSize)
    ? Math.min(settings.batchSize, data.train.length)
    : data.train.length;
  const evalEvery =
    options.evalEvery ?? saved?.evalEvery ?? Math.max(1, Math.ceil(settings.steps / 10));
  const runSettings: SavedSettings = {
    steps: settings.steps,
    batchSize,
    lr: scheduleText(settings.optimizer.lr, settings.schedule) ?? settings.schedule,
    optimizer: settings.optimizer.kind as OptimizerKind,
    ...(settings.optimizer.weightDecay === undefined
      ? {}
      : { weightDecay: settings.optimizer.weightDecay }),
    seed,
    evalEvery,
  };
  const metadata: Record<string, string> = {
    input: resolveInput(inputText, io) ?? '',
    source: list.source,
    split_seed: String(SPLIT_SEED),
    ...(family.trainable ? { train: JSON.stringify(runSettings) } : {}),
  };
  let trainer: Trainer | undefined;
  let savedStep = -1;
  const save = (state?: TrainerState, final?: Record<string, number>) => {
    const step = state?.step ?? run.startStep;
    saveCheckpoint(outDir, {
      config: run.config,
      tokenizer,
      model,
      step,
      ...(state === undefined ? {} : { trainerState: state }),
      metadata: final === undefined ? metadata : { ...metadata, final: JSON.stringify(final) },
      data: fingerprint,
    });
    savedStep = step;
  };

  // ---- training ----
  const diagnostics =
    diagnosticsPath === undefined ? undefined : createRunDiagnostics(model, evalEvery);
  const losses: number[] = [];
  const devPoints: { step: number; loss: number }[] = [];
  let lastMetrics: { step: number; metrics: Record<string, number> } | undefined;
  let stopped: 'done' | 'time' | 'aborted' | 'diverged' = 'done';
  let stopSignal: StopSignal = 'SIGINT';
  const started = performance.now();
  if (family.trainable) {
    const controller = new AbortController();
    const stop = (signal: StopSignal) => {
      stopSignal = signal;
      trainer?.requestCheckpoint(); // saved now, between two steps, before anything else
      controller.abort(signal);
    };
    // SIGINT, SIGTERM and SIGHUP stop the run between two steps; the listener stays until the
    // checkpoint is saved, so a second Ctrl-C cannot cut the save in half.
    const stopListening = listenForStop(stop);
    const onAbort = () => {
      const reason = options.signal?.reason;
      stop(reason === 'SIGTERM' || reason === 'SIGHUP' ? reason : 'SIGINT');
    };
    options.signal?.addEventListener('abort', onAbort);
    try {
      const result = await driveTrainer({
        run,
        io,
        options,
        evalEvery,
        batchSize,
        seed,
        backend,
        signal: controller.signal,
        save,
        savedStep: () => savedStep,
        observer: diagnostics,
        losses,
        devPoints,
        onTrainer: (created) => {
          trainer = created;
        },
        onMetrics: (metrics) => {
          lastMetrics = metrics;
        },
      });
      stopped = result;
    } finally {
      stopListening();
      options.signal?.removeEventListener('abort', onAbort);
    }
  } else {
    save(); // a fitted model: counted already, saved before evaluating
  }
  const seconds = (performance.now() - started) / 1000;
  const step = trainer?.step ?? run.startStep;
  if (stopped === 'diverged' && trainer?.diverged) {
    const error = trainer.diverged;
    const suggestion = error.suggestedLr === undefined ? '' : ` --lr ${error.suggestedLr}`;
    if (savedStep < 0) throw error;
    out(`saved the last good state (step ${formatCount(savedStep)}) to ${outText}`);
    throw new Error(
      `${error.message}; continue from step ${formatCount(savedStep)} with: ${resumeCommand(outText, options.input, suggestion)}`,
    );
  }

  // ---- interrupted: say how to continue ----
  if (stopped === 'aborted') {
    out(
      `interrupted (${stopSignal}) at step ${formatCount(step)} of ${formatCount(settings.steps)}: saved a checkpoint to ${outText}`,
    );
    out(`resume with: ${resumeCommand(outText, options.input)}`);
    return signalExitCode(stopSignal);
  }

  // ---- final losses, samples, plots (the checkpoint is safe already) ----
  const latest = lastMetrics?.step === step ? lastMetrics.metrics : undefined;
  const final: Record<string, number> = {
    train: evaluate(model, data.train),
    dev: latest?.dev ?? evaluate(model, data.dev),
    test: evaluate(model, data.test),
  };
  const finalText = Object.entries(final)
    .map(([name, loss]) => `${name} ${Number.isNaN(loss) ? '– (empty split)' : formatLoss(loss)}`)
    .join(', ');
  out(
    `${stopped === 'time' ? `stopped by --max-seconds at step ${formatCount(step)}` : `done`}` +
      `${family.trainable ? ` in ${formatDuration(seconds * 1000)}` : ''}: loss ${finalText}`,
  );
  save(trainer?.state(), final); // again, with the final losses in its metadata
  if (book !== undefined) {
    out(lossPerCharacterLine(final.dev, run.tokensPerCharacter));
    out(`continue a text with: lmp generate --from ${outText} --prompt "…"`);
  } else if (options.samples > 0) {
    const drawn = sample(model, tokenizer, {
      count: options.samples,
      generator: new Generator(SAMPLE_SEED),
      exclude: new Set(list.words),
    });
    for (const line of formatSamples(drawn.words, drawn.isNew)) out(line);
  }
  out(
    `saved ${outText}/model.safetensors and ${outText}/checkpoint.json (step ${formatCount(step)})`,
  );
  if (stopped === 'time') out(`continue with: ${resumeCommand(outText, options.input)}`);
  if (plotPath !== undefined && options.plot !== undefined) {
    writePlots({
      model,
      run,
      list,
      plot: options.plot,
      plotPath,
      losses,
      devPoints,
      finalText,
      out,
    });
  }
  if (diagnostics !== undefined && diagnosticsPath !== undefined) {
    writeDiagnostics({
      diagnostics,
      path: diagnosticsPath,
      shown: options.diagnostics ?? diagnosticsPath,
      title: `Diagnostics of ${String(model.config.kind)}`,
      subtitle: `${formatCount(model.numParameters())} parameters · ${formatCount(step)} steps · ${finalText}`,
      out,
    });
  }
  return 0;
}

/**
 * `options` with a `--preset`'s run settings (lr, steps, batch size) under the flags given; its
 * model fields are applied to the target's config in `runTrain`.
 */
function withPreset(options: TrainCommandOptions): TrainCommandOptions {
  if (options.preset === undefined) return options;
  const { run } = gptPresets[options.preset] as GptPreset;
  return {
    ...options,
    steps: options.steps ?? run.steps,
    batchSize: options.batchSize ?? run.batchSize,
    lr: options.lr ?? (typeof run.lr === 'number' ? String(run.lr) : undefined),
  };
}

/** The command-table entry for `lmp train`. */
export const trainCommand: CommandSpec = {
  name: COMMAND,
  summary: 'train a language model of any family (bigram, bigram-net, mlp, …); save a checkpoint',
  description:
    'Trains a makemore model on a word list (default: the bundled names), or a family that trains on a text (gpt) on a ' +
    "text (-i FILE|URL; default: the bundled book), its first 90% to train on, the rest to validate (--preset NAME picks gpt's named settings). The words are shuffled as the lectures' " +
    'random.seed(42) does and split 80/10/10 into train/dev/test. --seed initialises the weights and then draws ' +
    'every minibatch. Prints a progress bar (on a terminal) and a line with the training and dev loss every ' +
    '--eval-every steps, then the final train/dev/test loss and --samples new names, and saves the ' +
    'model, its vocabulary, the trainer state (optimizer, schedule, generator) and a fingerprint of the data to --out (saved before the final evaluation and ' +
    'sampling, and every --save-minutes/--save-every on the way, so a kill loses at most one interval). ' +
    'It refuses to replace a checkpoint already in --out: --resume continues it, --force replaces it. ' +
    'Ctrl-C (SIGINT), SIGTERM and SIGHUP stop cleanly: the checkpoint is saved, the command that resumes is ' +
    'printed (--resume continues with the same settings and data) and the exit code is 128 + the signal number ' +
    '(130, 143, 129). A run that diverges stops with the step, the loss and a learning rate the learning-rate finder ' +
    "suggests, and saves its last good state. --lr is a number (the family's schedule is rebuilt from it: the mlp decays ×0.1 " +
    "halfway) or a step decay 'LR,LR@STEP,…': '0.1,0.01@100000' is 0.1 until step 99,999 then 0.01, as in the lecture. " +
    'Each model family has its own flags (below); a fitted family (bigram counts) is counted, not trained.',
  get options() {
    const family = "the family's";
    return [
      {
        ...valueOption(
          'model',
          'NAME',
          `model family: ${familyNames().join(', ')}`,
          DEFAULT_FAMILY,
        ),
        short: 'm',
      },
      INPUT_OPTION,
      ...INPUT_LIMIT_OPTIONS,
      valueOption(
        'tokenizer',
        'DIR',
        'train a text model (gpt) on the tokens of a BPE written by lmp tokenize train, not on characters',
      ),
      valueOption(
        'preset',
        'NAME',
        `named settings of the gpt family (model fields, lr, steps, batch size; the flags given win): ${Object.keys(gptPresets).join(', ')}`,
      ),
      ...BACKEND_OPTIONS,
      {
        ...valueOption('out', 'DIR', 'checkpoint directory (model.safetensors + checkpoint.json)'),
        short: 'o',
        defaultText: 'lmp-out/<model>',
      },
      valueOption(
        'steps',
        'N',
        'total optimization steps (with --resume: the step to reach)',
        family,
      ),
      valueOption(
        'batch-size',
        'N',
        'examples per step, drawn with randint like the lecture',
        family,
      ),
      valueOption('lr', 'LR', "a number or a step decay such as '0.1,0.01@100000'", family),
      valueOption(
        'seed',
        'N',
        'generator seed: initial weights, then minibatches',
        `${LECTURE_SEED}`,
      ),
      valueOption('optimizer', 'NAME', OPTIMIZERS.join(', '), `${family} (sgd)`),
      valueOption('weight-decay', 'W', 'weight decay of the optimizer', 'sgd/adam 0, adamw 0.01'),
      valueOption('eval-every', 'N', 'print the train and dev loss every N steps', 'steps/10'),
      switchOption(
        'resume',
        'continue the checkpoint in --out (same data, settings, trainer state)',
      ),
      valueOption(
        'max-seconds',
        'S',
        'stop after S seconds of training (saved; --resume continues)',
      ),
      samplesOption('20', 'new names to sample at the end'),
      valueOption('save-every', 'N', 'also save the checkpoint every N steps during the run'),
      valueOption('save-minutes', 'M', 'also save every M minutes (0: only at the end)', '5'),
      switchOption(
        'force',
        'replace a checkpoint already in --out (without it, lmp train refuses)',
      ),
      valueOption(
        'plot',
        'FILE',
        'write the log10 loss curve to FILE.svg|.png (a model with an embedding C: also FILE-embedding.svg|.png, its first 2 dims; a fitted bigram model: the count heatmap)',
      ),
      valueOption(
        'diagnostics',
        'FILE',
        "write the lecture's four diagnostics to FILE.svg|.png (activation, gradient and weight-gradient histograms of the last step, update:data ratio over time) and print them",
      ),
    ];
  },
  get optionGroups() {
    return familyOptionGroups();
  },
  examples: [
    'lmp train',
    'lmp train --model mlp --steps 200000 --plot loss.png',
    'lmp train --model bigram-net --steps 200 --lr 50',
    'lmp train --model mlp --n-embd 2 --steps 20000 --plot mlp.png',
    'lmp train --model mlp --steps 20000 --diagnostics vitals.png',
    'lmp train --resume --out lmp-out/mlp --steps 60000',
    'lmp train --model gpt --preset bigram --steps 2000   # the bundled book, character by character',
    'lmp train --model gpt -i shakespeare.txt --preset nanogpt-cpu',
    'lmp tokenize train -i book.txt --vocab-size 512 -o tok && lmp train -m gpt -i book.txt --tokenizer tok   # on BPE tokens',
    'lmp train --backend wasm   # several times faster (FMA, every core up to 4); losses within float32 drift of js',
    'lmp train -m gpt --preset cpu --backend wasm --threads 2   # the same numbers for any --threads',
    'LMP_BACKEND=wasm LMP_THREADS=1 lmp train --no-fma   # one thread, plain SIMD (no fused multiply-add)',
  ],
  run: (values, io) => runTrain(parseTrainOptions(values), io),
};

/**
 * The validation loss per character beside the loss per token: `loss/char = loss/token × tokens /
 * characters` of the dev split, so char-level and BPE runs of a text compare fairly (for a char
 * model both are the same number).
 *
 * @example
 * lossPerCharacterLine(4.2, 0.5); // 'dev loss per character 2.1000 (per token 4.2000 × 0.5000 tokens per character)'
 */
export function lossPerCharacterLine(devLoss: number, tokensPerCharacter: number): string {
  return `dev loss per character ${formatLoss(devLoss * tokensPerCharacter)} (per token ${formatLoss(devLoss)} × ${tokensPerCharacter.toFixed(4)} tokens per character)`;
}

/** Loads `--tokenizer DIR` (only for a fresh run of a family that trains on a text). */
async function readBpeFlag(
  options: TrainCommandOptions,
  trainsOnText: boolean,
  resuming: boolean,
  io: CliIO,
): Promise<Tokenizer | undefined> {
  if (options.tokenizer === undefined) return undefined;
  if (!trainsOnText) {
    throw new UsageError(
      '--tokenizer is for a model that trains on a text (--model gpt): the word models read characters',
      COMMAND,
    );
  }
  if (resuming) {
    throw new UsageError(
      "--resume continues with the checkpoint's own tokenizer: drop --tokenizer",
      COMMAND,
    );
  }
  return loadTokenizer(resolvePath(io, options.tokenizer));
}
