/**
 * `lmp train`: train one of the makemore models on a word list and save a checkpoint.
 *
 * The run follows the lectures: the words are shuffled with Python's `random.seed(42)` and split
 * 80/10/10; one `Generator(--seed)` initialises the weights and then draws every minibatch (as
 * `torch_mlp.py` does); the default learning rate decays ×0.1 halfway, as `0.1 if i < 100000 else
 * 0.01` does for 200,000 steps. The loop runs in slices of a fraction of a second so that Ctrl-C
 * (SIGINT) is noticed between two steps: the run then stops, saves a checkpoint and says how to
 * resume. Dev loss is measured on the whole dev split every `--eval-every` steps.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Generator } from '@llm-playground/core';
import {
  buildContexts,
  CharTokenizer,
  type ContextDataset,
  splitWords,
  type WordList,
} from '@llm-playground/data';
import {
  BigramCounts,
  type Checkpoint,
  createModel,
  evaluate,
  type LanguageModel,
  loadCheckpoint,
  type ModelConfig,
  type ModelKind,
  sample,
  saveCheckpoint,
  train,
} from '@llm-playground/makemore';
import type { OptimizerState } from '@llm-playground/nn';
import { type CommandSpec, type OptionValues, readNumber, readString } from '../command.js';
import { UsageError } from '../errors.js';
import { type CliIO, resolvePath } from '../io.js';
import { checkOutputDirectory, checkOutputFile, makeDirectory } from '../output-path.js';
import { bigramHeatmapSvg } from '../render/bigram-heatmap.js';
import { embeddingScatterSvg } from '../render/embedding-scatter.js';
import { lossCurveSvg } from '../render/loss-curve.js';
import { formatDuration, ProgressBar } from '../render/progress.js';
import {
  describeLearningRate,
  type LearningRateSchedule,
  parseLearningRate,
} from './learning-rate.js';
import {
  checkNoBoundary,
  formatCount,
  formatLoss,
  formatSamples,
  INPUT_OPTION,
  LECTURE_SEED,
  loadInput,
  readSeed,
  resolveInput,
  samplesOption,
  siblingPlotPath,
} from './makemore-common.js';
import { checkPlotPath, writePlot } from './plot-file.js';
import {
  DEFAULT_SAVE_MINUTES,
  listenForStop,
  SaveSchedule,
  type StopSignal,
  signalExitCode,
} from './run-control.js';
import { checkDatasetSize, checkModelSize } from './size-check.js';

const COMMAND = 'train';
const MODELS: readonly ModelKind[] = ['bigram', 'bigram-net', 'mlp'];
const OPTIMIZERS = ['sgd', 'adam', 'adamw'] as const;
type OptimizerName = (typeof OPTIMIZERS)[number];

/** The lecture's split: `random.seed(42); random.shuffle(words)`, then 80% / 10% / 10%. */
export const SPLIT_SEED = 42;
/** Part 2 samples with `torch.Generator().manual_seed(2147483647 + 10)`: so do `train` and `sample`. */
export const SAMPLE_SEED = LECTURE_SEED + 10;
/** Default number of steps of the MLP: about 20 s here on the bundled names. */
export const DEFAULT_MLP_STEPS = 30_000;

/** Options of `lmp train` as parsed from its flags (`undefined` = the model's default). */
export interface TrainCommandOptions {
  /** Model kind; `undefined` = `mlp`, or the checkpoint's with `--resume`. */
  model?: ModelKind;
  input?: string;
  /** Checkpoint directory (default `lmp-out/<model>`). */
  out?: string;
  steps?: number;
  batchSize?: number;
  lr?: string;
  blockSize?: number;
  nEmbd?: number;
  nHidden?: number;
  smoothing?: number;
  regularization?: number;
  seed?: number;
  optimizer?: OptimizerName;
  weightDecay?: number;
  evalEvery?: number;
  resume: boolean;
  maxSeconds?: number;
  plot?: string;
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

/** The training settings saved in the checkpoint's metadata so that `--resume` continues the same run. */
interface RunSettings {
  steps: number;
  batchSize: number;
  lr: string;
  optimizer: OptimizerName;
  weightDecay?: number;
  seed: number;
  evalEvery: number;
}

/**
 * Reads the command's flags, with a `UsageError` for any bad value.
 *
 * @example
 * parseTrainOptions({ model: 'mlp', steps: '1000', lr: '0.1,0.01@500' });
 */
export function parseTrainOptions(values: OptionValues): TrainCommandOptions {
  const positive = (name: string) =>
    values[name] === undefined
      ? undefined
      : readNumber(values, name, 0, { integer: true, min: 1 }, COMMAND);
  const model = readString(values, 'model');
  if (model !== undefined && !MODELS.includes(model as ModelKind)) {
    throw new UsageError(`--model must be one of ${MODELS.join(', ')}, got '${model}'`, COMMAND);
  }
  const optimizer = readString(values, 'optimizer');
  if (optimizer !== undefined && !OPTIMIZERS.includes(optimizer as OptimizerName)) {
    throw new UsageError(
      `--optimizer must be one of ${OPTIMIZERS.join(', ')}, got '${optimizer}'`,
      COMMAND,
    );
  }
  const lr = readString(values, 'lr');
  if (lr !== undefined) parseLearningRate(lr, COMMAND); // validate now, use later
  const optional = (name: string, bounds: Parameters<typeof readNumber>[3]) =>
    values[name] === undefined ? undefined : readNumber(values, name, 0, bounds, COMMAND);
  return {
    model: model as ModelKind | undefined,
    input: readString(values, 'input'),
    out: readString(values, 'out'),
    steps: positive('steps'),
    batchSize: positive('batch-size'),
    lr,
    blockSize: positive('block-size'),
    nEmbd: positive('n-embd'),
    nHidden: positive('n-hidden'),
    smoothing: optional('smoothing', { min: 0 }),
    regularization: optional('regularization', { min: 0 }),
    seed: values.seed === undefined ? undefined : readSeed(values, LECTURE_SEED, COMMAND),
    optimizer: optimizer as OptimizerName | undefined,
    weightDecay: optional('weight-decay', { min: 0 }),
    evalEvery: positive('eval-every'),
    resume: values.resume === true,
    maxSeconds: optional('max-seconds', { min: 0, exclusiveMin: true }),
    plot: readString(values, 'plot'),
    samples: readNumber(values, 'samples', 20, { integer: true, min: 0 }, COMMAND),
    saveEvery: positive('save-every'),
    saveMinutes: optional('save-minutes', { min: 0 }),
    force: values.force === true,
  };
}

/** `resume with: …` — the command line that continues a run saved in `out`. */
function resumeCommand(out: string, input: string | undefined): string {
  const quote = (text: string) => (/^[\w@%+=:,./-]+$/.test(text) ? text : `'${text}'`);
  return `lmp train --resume --out ${quote(out)}${input === undefined ? '' : ` -i ${quote(input)}`}`;
}

/** `[27, 10]` */
function shapeText(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/** The model in one line: kind, parameter shapes, count. */
export function describeModel(model: LanguageModel): string {
  const { config } = model;
  if (config.kind === 'bigram') {
    return `bigram counts N ${shapeText([config.vocabSize, config.vocabSize])}, smoothing ${config.smoothing ?? 1}`;
  }
  const shapes = model
    .namedParameters()
    .map(([name, tensor]) => `${name} ${shapeText(tensor.shape)}`)
    .join(', ');
  return `${config.kind}: ${shapes} = ${formatCount(model.numParameters())} parameters`;
}

/**
 * Runs `lmp train` with parsed options, writing to `io`; returns the exit code: 0, or 128 + the
 * signal's number when stopped by a signal after saving the checkpoint (130 Ctrl-C/SIGINT,
 * 143 SIGTERM, 129 SIGHUP).
 */
export async function runTrain(options: TrainCommandOptions, io: CliIO): Promise<number> {
  const plotPath = checkPlotPath(options.plot, io, COMMAND);
  const out = (line: string) => io.stdout.write(`${line}\n`);
  const cwd = io.cwd ?? process.cwd();

  // ---- checkpoint to resume, if asked ----
  let checkpoint: Checkpoint | undefined;
  let kind: ModelKind = options.model ?? 'mlp';
  let outText = options.out ?? `lmp-out/${kind}`;
  if (options.resume) {
    if (options.out === undefined && options.model === undefined) {
      throw new UsageError('--resume needs --out DIR (or --model to use lmp-out/<model>)', COMMAND);
    }
    checkpoint = loadCheckpoint(resolvePath(io, outText));
    if (options.model !== undefined && options.model !== checkpoint.config.kind) {
      throw new UsageError(
        `--model ${options.model} does not match the checkpoint in ${outText}, a ${checkpoint.config.kind} model`,
        COMMAND,
      );
    }
    kind = checkpoint.config.kind;
    outText = options.out ?? `lmp-out/${kind}`;
  }
  const outDir = resolvePath(io, outText);
  checkOutputDirectory(outDir, 'out', cwd, COMMAND);
  if (checkpoint === undefined && options.force !== true) refuseToOverwrite(outDir, outText, kind);
  if (plotPath !== undefined && options.plot !== undefined && kind === 'mlp') {
    checkOutputFile(siblingPlotPath(plotPath, 'embedding'), 'plot', cwd, COMMAND);
  }
  const saved = checkpoint === undefined ? undefined : readSettings(checkpoint);
  if (checkpoint !== undefined) checkResumeFlags(options, checkpoint, saved, outText);

  // ---- data: the words, the lecture's split, context windows ----
  const inputText = options.input ?? (checkpoint?.metadata.input || undefined);
  const list: WordList = await loadInput(inputText, io);
  out(list.summary);
  const tokenizer = checkpoint?.tokenizer ?? CharTokenizer.fromWords(list.words);
  if (checkpoint !== undefined) checkNoBoundary(list.words, tokenizer, inputText ?? list.source);
  const split = splitWords(list.words, { seed: SPLIT_SEED });
  const blockSize = kind === 'mlp' ? (checkpoint?.config.blockSize ?? options.blockSize ?? 3) : 1;
  if (kind !== 'mlp' && options.blockSize !== undefined && options.blockSize !== 1) {
    throw new UsageError(
      `--block-size applies to the mlp only (the ${kind} model sees 1 character)`,
      COMMAND,
    );
  }
  if (split.train.length === 0) {
    const n = list.words.length;
    throw new Error(
      `the training split is empty: ${n} word${n === 1 ? '' : 's'} split 80/10/10 leaves none to train on; give at least 2 words`,
    );
  }
  // Context windows for every word (train, dev and test): one per character plus the end mark.
  let examples = 0;
  for (const word of list.words) examples += [...word].length + 1;
  checkDatasetSize(examples, blockSize, COMMAND);
  const trainData = buildContexts(split.train, tokenizer, blockSize);
  const devData = buildContexts(split.dev, tokenizer, blockSize);
  const testData = buildContexts(split.test, tokenizer, blockSize);
  out(
    `split ${formatCount(split.train.length)} / ${formatCount(split.dev.length)} / ${formatCount(split.test.length)} words ` +
      `(shuffled with seed ${SPLIT_SEED}): ${formatCount(trainData.length)} / ${formatCount(devData.length)} / ` +
      `${formatCount(testData.length)} examples of ${blockSize} character${blockSize === 1 ? '' : 's'} of context`,
  );

  // ---- the model: counted (bigram) or trained ----
  const settings: RunSettings = {
    steps: options.steps ?? saved?.steps ?? (kind === 'mlp' ? DEFAULT_MLP_STEPS : 200),
    batchSize: options.batchSize ?? saved?.batchSize ?? (kind === 'mlp' ? 32 : trainData.length),
    optimizer: options.optimizer ?? saved?.optimizer ?? 'sgd',
    weightDecay: options.weightDecay ?? saved?.weightDecay,
    seed: options.seed ?? saved?.seed ?? LECTURE_SEED,
    lr: '',
    evalEvery: 0,
  };
  settings.lr = options.lr ?? saved?.lr ?? defaultLearningRate(kind, settings);
  settings.evalEvery =
    options.evalEvery ?? saved?.evalEvery ?? Math.max(1, Math.ceil(settings.steps / 10));
  const schedule = parseLearningRate(settings.lr, COMMAND);

  const generator = new Generator(settings.seed);
  let model: LanguageModel;
  if (checkpoint !== undefined) {
    model = checkpoint.model;
    if (checkpoint.generatorState !== undefined) generator.setState(checkpoint.generatorState);
  } else if (kind === 'bigram') {
    model = BigramCounts.fromWords(split.train, tokenizer, { smoothing: options.smoothing ?? 1 });
  } else {
    const config: ModelConfig = {
      kind,
      vocabSize: tokenizer.vocabSize,
      blockSize,
      ...(kind === 'mlp' ? { nEmbd: options.nEmbd ?? 10, nHidden: options.nHidden ?? 200 } : {}),
      ...(kind === 'bigram-net' ? { regularization: options.regularization ?? 0.01 } : {}),
    };
    checkModelSize(config, settings.batchSize, COMMAND);
    model = createModel(config, { generator });
  }
  out(`model ${describeModel(model)}`);

  const startStep = checkpoint?.step ?? 0;
  const metadata = {
    input: resolveInput(inputText, io) ?? '',
    source: list.source,
    split_seed: String(SPLIT_SEED),
    train: JSON.stringify(settings),
  };
  const metadataFor = (final?: Record<string, number>) =>
    final === undefined ? metadata : { ...metadata, final: JSON.stringify(final) };

  // ---- saving: on the way (periodic), on a stop signal, and at the end before evaluating ----
  const saveAt = (
    savedStep: number,
    savedOptimizer: OptimizerState | undefined,
    final?: Record<string, number>,
  ) => {
    makeDirectory(outDir);
    saveCheckpoint(outDir, {
      config: model.config,
      tokenizer,
      model,
      step: savedStep,
      optimizerState: savedOptimizer,
      generatorState: generator.getState(),
      metadata: metadataFor(final),
    });
  };

  // ---- training ----
  const losses: number[] = [];
  const devPoints: { step: number; loss: number }[] = [];
  let step = startStep;
  let stopped: 'done' | 'time' | 'aborted' = 'done';
  let stopSignal: StopSignal = 'SIGINT';
  let optimizerState: OptimizerState | undefined = checkpoint?.optimizerState;
  const started = performance.now();
  // SIGINT, SIGTERM and SIGHUP stop the run between two steps; the listener stays until the
  // checkpoint is saved, so a second Ctrl-C cannot cut the save in half.
  const controller = new AbortController();
  const stopListening = listenForStop((signal) => {
    stopSignal = signal;
    controller.abort(signal);
  });
  const onAbort = () => {
    const reason = options.signal?.reason;
    if (reason === 'SIGTERM' || reason === 'SIGHUP' || reason === 'SIGINT') stopSignal = reason;
    controller.abort(reason);
  };
  options.signal?.addEventListener('abort', onAbort);
  try {
    if (kind !== 'bigram') {
      if (step >= settings.steps) {
        out(
          `the checkpoint is at step ${formatCount(step)} already: nothing to train (raise --steps)`,
        );
      } else {
        out(
          `training ${checkpoint === undefined ? '' : `from step ${formatCount(step)} to `}${formatCount(settings.steps)} steps, ` +
            `batch ${settings.batchSize === trainData.length ? `${formatCount(settings.batchSize)} (all)` : settings.batchSize}, ` +
            `${settings.optimizer}${settings.weightDecay === undefined ? '' : ` (weight decay ${settings.weightDecay})`}, ` +
            `${describeLearningRate(schedule)}, seed ${settings.seed}`,
        );
        const saveSchedule = new SaveSchedule(
          { steps: options.saveEvery, minutes: options.saveMinutes ?? DEFAULT_SAVE_MINUTES },
          startStep,
        );
        const result = await trainLoop({
          model,
          trainData,
          devData,
          settings,
          schedule,
          generator,
          startStep,
          optimizerState,
          signal: controller.signal,
          maxSeconds: options.maxSeconds,
          io,
          losses,
          devPoints,
          onSliceEnd: (reached, reachedOptimizer) => {
            if (!saveSchedule.due(reached)) return;
            saveAt(reached, reachedOptimizer);
            saveSchedule.saved(reached);
          },
        });
        step = result.step;
        stopped = result.stopped;
        optimizerState = result.optimizerState;
      }
    }
    // ---- save before anything else can fail or be interrupted (evaluation, sampling, plots) ----
    saveAt(step, optimizerState);
  } finally {
    stopListening();
    options.signal?.removeEventListener('abort', onAbort);
  }
  const seconds = (performance.now() - started) / 1000;

  // ---- interrupted: say how to continue ----
  if (stopped === 'aborted') {
    out(
      `interrupted (${stopSignal}) at step ${formatCount(step)} of ${formatCount(settings.steps)}: saved a checkpoint to ${outText}`,
    );
    out(`resume with: ${resumeCommand(outText, options.input)}`);
    return signalExitCode(stopSignal);
  }

  // ---- final losses, samples, plots (the checkpoint is safe already) ----
  const final: Record<string, number> = {
    train: evaluate(model, trainData),
    dev: evaluate(model, devData),
    test: evaluate(model, testData),
  };
  const finalText = Object.entries(final)
    .map(([name, loss]) => `${name} ${Number.isNaN(loss) ? '– (empty split)' : formatLoss(loss)}`)
    .join(', ');
  out(
    `${stopped === 'time' ? `stopped by --max-seconds at step ${formatCount(step)}` : `done`}` +
      `${kind === 'bigram' ? '' : ` in ${formatDuration(seconds * 1000)}`}: loss ${finalText}`,
  );
  saveAt(step, optimizerState, final); // again, with the final losses in its metadata
  if (options.samples > 0) {
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
    if (model instanceof BigramCounts) {
      // Counted, not trained: no loss curve; the picture of a count model is its count matrix.
      const svg = bigramHeatmapSvg({
        counts: model.counts.data,
        itos: tokenizer.itos,
        title: 'Bigram counts of the training split',
        subtitle: `${list.summary} · ${finalText}`,
      });
      out(`wrote ${options.plot} (${writePlot(plotPath, svg)})`);
    } else if (losses.length === 0) {
      out(`no --plot: no training steps were run`);
    } else {
      const svg = lossCurveSvg({
        losses,
        firstStep: startStep,
        dev: devPoints,
        title: `${kind} on ${list.source.startsWith('bundled') ? 'the bundled names' : list.source}`,
        subtitle: `${describeLearningRate(schedule)} · batch ${settings.batchSize} · ${finalText}`,
      });
      out(`wrote ${options.plot} (${writePlot(plotPath, svg)})`);
      const embedding = model.namedParameters().find(([name]) => name === 'C')?.[1];
      if (kind === 'mlp' && embedding !== undefined && embedding.shape[1] >= 2) {
        const C = embedding.data;
        const width = embedding.shape[1];
        const points = tokenizer.itos.map(
          (_, i) => [C[i * width], C[i * width + 1]] as [number, number],
        );
        const embeddingSvg = embeddingScatterSvg({
          points,
          labels: tokenizer.itos,
          title: 'Character embeddings C',
          subtitle:
            width === 2
              ? `n-embd 2 · after ${formatCount(step)} steps`
              : `first 2 of ${width} dimensions · after ${formatCount(step)} steps`,
        });
        const second = siblingPlotPath(options.plot, 'embedding');
        out(`wrote ${second} (${writePlot(siblingPlotPath(plotPath, 'embedding'), embeddingSvg)})`);
      }
    }
  }
  return 0;
}

/** The learning rate when `--lr` is not given: the lecture's ×0.1 decay halfway through. */
function defaultLearningRate(kind: ModelKind, settings: RunSettings): string {
  if (kind === 'bigram-net') return '50';
  const half = Math.floor(settings.steps / 2);
  const [high, low] = settings.optimizer === 'sgd' ? [0.1, 0.01] : [0.01, 0.001];
  return half > 0 ? `${high},${low}@${half}` : String(high);
}

/**
 * Refuses to train a new model into a folder that holds a checkpoint already (it would be
 * replaced at the first save): the way out is `--resume` (continue it), `--force` (replace it) or
 * another `--out`.
 */
function refuseToOverwrite(outDir: string, outText: string, kind: ModelKind): void {
  const jsonPath = join(outDir, 'checkpoint.json');
  if (!existsSync(jsonPath) && !existsSync(join(outDir, 'model.safetensors'))) return;
  let what = 'a checkpoint';
  try {
    const json = JSON.parse(readFileSync(jsonPath, 'utf8')) as {
      config?: { kind?: unknown };
      step?: unknown;
    };
    const savedKind = typeof json.config?.kind === 'string' ? json.config.kind : undefined;
    const savedStep = typeof json.step === 'number' ? json.step : undefined;
    if (savedKind !== undefined) {
      what = `a ${savedKind} checkpoint${savedStep === undefined ? '' : ` at step ${formatCount(savedStep)}`}`;
    }
  } catch {
    // unreadable: still a checkpoint folder, described generically
  }
  throw new UsageError(
    `--out ${outText} holds ${what} already; continue it with --resume, replace it with --force, or train the ${kind} into another --out`,
    COMMAND,
  );
}

/**
 * `--resume` continues the saved run: the model's shape, the optimizer (its buffers) and the random
 * stream (the saved generator state) come from the checkpoint, so a flag that asks for another one
 * is an error rather than silently ignored. (`--steps`, `--lr`, `--batch-size`, `--weight-decay`
 * and `--eval-every` may change.)
 */
function checkResumeFlags(
  options: TrainCommandOptions,
  checkpoint: Checkpoint,
  saved: RunSettings | undefined,
  outText: string,
): void {
  const { config } = checkpoint;
  const fixed: [string, number | string | undefined, number | string | undefined][] = [
    ['block-size', options.blockSize, config.blockSize],
    ['n-embd', options.nEmbd, config.nEmbd],
    ['n-hidden', options.nHidden, config.nHidden],
    ['smoothing', options.smoothing, config.smoothing],
    ['regularization', options.regularization, config.regularization],
    ['seed', options.seed, saved?.seed],
    [
      'optimizer',
      options.optimizer,
      saved?.optimizer ?? checkpoint.optimizerState?.kind.toLowerCase(),
    ],
  ];
  for (const [flag, given, kept] of fixed) {
    if (given !== undefined && kept !== undefined && given !== kept) {
      throw new UsageError(
        `--${flag} ${given} differs from the checkpoint in ${outText} (${kept}): --resume continues the saved run; train into a new --out to change it`,
        COMMAND,
      );
    }
  }
}

/** The settings of a resumed run, from its checkpoint's metadata (undefined when absent). */
function readSettings(checkpoint: Checkpoint): RunSettings | undefined {
  try {
    const parsed = JSON.parse(checkpoint.metadata.train ?? '') as RunSettings;
    return typeof parsed.steps === 'number' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

interface LoopInput {
  model: LanguageModel;
  trainData: ContextDataset;
  devData: ContextDataset;
  settings: RunSettings;
  schedule: LearningRateSchedule;
  generator: Generator;
  startStep: number;
  optimizerState: OptimizerState | undefined;
  signal: AbortSignal;
  maxSeconds: number | undefined;
  io: CliIO;
  losses: number[];
  devPoints: { step: number; loss: number }[];
  /** Called after every slice with the step reached (the periodic save hooks in here). */
  onSliceEnd?: (step: number, optimizerState: OptimizerState | undefined) => void;
}

/**
 * The training loop in slices: each slice is one call of makemore's `train` for at most ~0.2 s of
 * steps, ending at the next `--eval-every` boundary; between slices the event loop runs, so a
 * SIGINT handler can set the abort flag. Slicing does not change the run: the generator, the step
 * count (`startStep`) and the optimizer state carry over from slice to slice.
 */
async function trainLoop(input: LoopInput): Promise<{
  step: number;
  stopped: 'done' | 'time' | 'aborted';
  optimizerState: OptimizerState | undefined;
}> {
  const { model, trainData, devData, settings, schedule, generator, io, losses, devPoints } = input;
  const out = (line: string) => io.stdout.write(`${line}\n`);
  const total = settings.steps;
  const bar =
    io.stderr.isTTY === true ? new ProgressBar(io.stderr, total - input.startStep) : undefined;
  let step = input.startStep;
  let optimizerState = input.optimizerState;
  let sliceSteps = 50;
  const started = performance.now();
  const elapsed = () => (performance.now() - started) / 1000;
  // Steps per second over the whole run (a slice's own rate restarts at every slice).
  const overallRate = (reached: number) => (reached - input.startStep) / Math.max(1e-9, elapsed());

  const report = () => {
    const recent = losses.slice(-Math.min(settings.evalEvery, losses.length));
    const mean = recent.reduce((a, b) => a + b, 0) / Math.max(1, recent.length);
    const dev = devData.length > 0 ? evaluate(model, devData) : Number.NaN;
    if (!Number.isNaN(dev)) devPoints.push({ step, loss: dev });
    const rate = overallRate(step);
    bar?.clear();
    const parts = [
      `step ${formatCount(step).padStart(formatCount(total).length)}/${formatCount(total)}`,
      recent.length === 0 ? 'loss      –' : `loss ${formatLoss(mean)}`,
      `dev ${Number.isNaN(dev) ? '–' : formatLoss(dev)}`,
      `lr ${schedule.at(Math.max(0, step - 1))}`,
    ];
    if (step > input.startStep)
      parts.push(`${formatCount(Math.round(rate))} steps/s`, formatDuration(elapsed() * 1000));
    out(parts.join('  '));
  };

  report(); // the starting point (the MLP's initial loss is far above log(27) = 3.30)
  let nextReport = Math.min(
    total,
    (Math.floor(step / settings.evalEvery) + 1) * settings.evalEvery,
  );
  while (step < total) {
    if (input.signal.aborted) return { step, stopped: 'aborted', optimizerState };
    const remaining = input.maxSeconds === undefined ? undefined : input.maxSeconds - elapsed();
    if (remaining !== undefined && remaining <= 0) {
      bar?.clear();
      return { step, stopped: 'time', optimizerState };
    }
    const end = Math.min(nextReport, step + sliceSteps);
    const sliceStart = performance.now();
    const result = train(model, trainData, {
      steps: end, // the global step to reach
      startStep: step,
      batchSize: settings.batchSize,
      lr: (k: number) => schedule.at(k),
      optimizer: settings.optimizer,
      ...(settings.weightDecay === undefined ? {} : { weightDecay: settings.weightDecay }),
      generator,
      signal: input.signal,
      ...(remaining === undefined ? {} : { maxSeconds: remaining }),
      ...(optimizerState === undefined ? {} : { optimizerState }),
      onProgress: (progress) => {
        if (bar !== undefined && Number.isFinite(progress.loss)) {
          bar.update(
            progress.step - input.startStep,
            `loss ${formatLoss(progress.loss)}  ${formatCount(Math.round(overallRate(progress.step)))} steps/s`,
          );
        }
      },
    });
    for (const loss of result.losses) losses.push(loss);
    // `result.steps` is the global step reached; this slice did `result.steps - step` of them.
    const sliceDone = result.steps - step;
    step = result.steps;
    optimizerState = result.optimizerState;
    // Aim each slice at ~0.2 s so Ctrl-C answers quickly without slowing the loop.
    const sliceSeconds = (performance.now() - sliceStart) / 1000;
    if (sliceDone > 0 && sliceSeconds > 0) {
      sliceSteps = Math.max(1, Math.min(50_000, Math.round((sliceDone / sliceSeconds) * 0.2)));
    }
    if (result.stoppedBecause === 'aborted') {
      bar?.clear();
      return { step, stopped: 'aborted', optimizerState };
    }
    if (step >= nextReport || result.stoppedBecause === 'time') {
      report();
      nextReport = Math.min(total, nextReport + settings.evalEvery);
    }
    if (result.stoppedBecause === 'time') return { step, stopped: 'time', optimizerState };
    input.onSliceEnd?.(step, optimizerState);
    await new Promise((resolveTick) => setImmediate(resolveTick));
  }
  bar?.clear();
  return { step, stopped: 'done', optimizerState };
}

/** The command-table entry for `lmp train`. */
export const trainCommand: CommandSpec = {
  name: COMMAND,
  summary: 'train a bigram, bigram-net or MLP language model; save a checkpoint',
  description:
    "Trains a makemore model on a word list (default: the bundled names). The words are shuffled as the lectures' " +
    'random.seed(42) does and split 80/10/10 into train/dev/test. --seed initialises the weights and then draws ' +
    'every minibatch. Prints a progress bar (on a terminal) and a line with the mean training loss and the dev ' +
    'loss every --eval-every steps, then the final train/dev/test loss and --samples new names, and saves the ' +
    'model, its vocabulary, the optimizer and the generator to --out (saved before the final evaluation and ' +
    'sampling, and every --save-minutes/--save-every on the way, so a kill loses at most one interval). ' +
    'It refuses to replace a checkpoint already in --out: --resume continues it, --force replaces it. ' +
    'Ctrl-C (SIGINT), SIGTERM and SIGHUP stop cleanly: the checkpoint is saved, the command that resumes is ' +
    'printed (--resume continues with the same settings) and the exit code is 128 + the signal number ' +
    "(130, 143, 129). --lr is a number or a step decay 'LR,LR@STEP,…': '0.1,0.01@100000' is 0.1 until step 99,999 then " +
    '0.01, as in the lecture. The bigram model is counted, not trained (no steps).',
  options: [
    {
      name: 'model',
      type: 'string',
      short: 'm',
      valueName: 'KIND',
      defaultText: 'mlp',
      description: 'bigram (counts), bigram-net (one-hot · W) or mlp (Bengio et al. 2003)',
    },
    INPUT_OPTION,
    {
      name: 'out',
      type: 'string',
      short: 'o',
      valueName: 'DIR',
      defaultText: 'lmp-out/<model>',
      description: 'checkpoint directory (model.safetensors + checkpoint.json)',
    },
    {
      name: 'steps',
      type: 'string',
      valueName: 'N',
      defaultText: `mlp ${formatCount(DEFAULT_MLP_STEPS)}, bigram-net 200`,
      description: 'total optimization steps (with --resume: the step to reach)',
    },
    {
      name: 'batch-size',
      type: 'string',
      valueName: 'N',
      defaultText: 'mlp 32, bigram-net all',
      description: 'examples per step, drawn with randint like the lecture',
    },
    {
      name: 'lr',
      type: 'string',
      valueName: 'LR',
      defaultText: 'sgd 0.1→0.01 halfway, adam 0.01→0.001, bigram-net 50',
      description: "learning rate: a number or a step decay such as '0.1,0.01@100000'",
    },
    {
      name: 'block-size',
      type: 'string',
      valueName: 'N',
      defaultText: '3',
      description: 'mlp: characters of context',
    },
    {
      name: 'n-embd',
      type: 'string',
      valueName: 'N',
      defaultText: '10',
      description: 'mlp: embedding dimensions per character',
    },
    {
      name: 'n-hidden',
      type: 'string',
      valueName: 'N',
      defaultText: '200',
      description: 'mlp: hidden tanh units',
    },
    {
      name: 'smoothing',
      type: 'string',
      valueName: 'K',
      defaultText: '1',
      description: 'bigram: pseudo-count added to every pair',
    },
    {
      name: 'regularization',
      type: 'string',
      valueName: 'L',
      defaultText: '0.01',
      description: 'bigram-net: weight of L·mean(W²)',
    },
    {
      name: 'seed',
      type: 'string',
      valueName: 'N',
      defaultText: String(LECTURE_SEED),
      description: 'generator seed: initial weights, then minibatches',
    },
    {
      name: 'optimizer',
      type: 'string',
      valueName: 'NAME',
      defaultText: 'sgd',
      description: 'sgd, adam or adamw',
    },
    {
      name: 'weight-decay',
      type: 'string',
      valueName: 'W',
      defaultText: 'sgd/adam 0, adamw 0.01',
      description: 'weight decay of the optimizer',
    },
    {
      name: 'eval-every',
      type: 'string',
      valueName: 'N',
      defaultText: 'steps/10',
      description: 'measure the dev loss and print a line every N steps',
    },
    {
      name: 'resume',
      type: 'boolean',
      description: 'continue the checkpoint in --out (same data, settings and generator state)',
    },
    {
      name: 'max-seconds',
      type: 'string',
      valueName: 'S',
      description: 'stop after S seconds of training (the checkpoint is saved; --resume continues)',
    },
    samplesOption('20', 'new names to sample at the end'),
    {
      name: 'save-every',
      type: 'string',
      valueName: 'N',
      description: 'also save the checkpoint every N steps during the run',
    },
    {
      name: 'save-minutes',
      type: 'string',
      valueName: 'M',
      defaultText: String(DEFAULT_SAVE_MINUTES),
      description: 'also save the checkpoint every M minutes during the run (0: only at the end)',
    },
    {
      name: 'force',
      type: 'boolean',
      description: 'replace a checkpoint already in --out (without it, lmp train refuses)',
    },
    {
      name: 'plot',
      type: 'string',
      valueName: 'FILE',
      description:
        'write the log10 loss curve to FILE.svg|.png (mlp: also FILE-embedding.svg|.png, the first 2 dims of C; bigram: the count heatmap)',
    },
  ],
  examples: [
    'lmp train',
    'lmp train --model mlp --steps 200000 --plot loss.png',
    'lmp train --model bigram-net --steps 200 --lr 50',
    'lmp train --model mlp --n-embd 2 --steps 20000 --plot mlp.png',
    'lmp train --resume --out lmp-out/mlp --steps 60000',
  ],
  run: (values, io) => runTrain(parseTrainOptions(values), io),
};
