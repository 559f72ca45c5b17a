/**
 * Which run `lmp train` makes, decided before any data is read: a new one or the checkpoint of
 * `--resume` (its flags checked against it), the model family and its flags, the output folder
 * (checked, and never overwritten by accident); then `prepareRun` with the command's settings
 * (the checkpoint's Trainer state, an older checkpoint's metadata, the flags given), sizes
 * checked before anything is allocated.
 */

import { CharTokenizer, type TextSource, type WordList } from '@llm-playground/data';
import {
  type Checkpoint,
  ConfigError,
  checkModelSize,
  describeExistingCheckpoint,
  familyConfig,
  flagOf,
  getFamily,
  type ModelFamily,
  type OptimizerKind,
  type PreparedRun,
  parseConfig,
  prepareRun,
  type RunOverrides,
} from '@llm-playground/makemore';
import type { Tokenizer } from '@llm-playground/tokenizer';
import { UsageError } from '../errors.js';
import { type CliIO, resolvePath } from '../io.js';
import { checkOutputDirectory, checkOutputFile } from '../output-path.js';
import { DEFAULT_FAMILY, familyConfigFromFlags } from './family-flags.js';
import { formatCount, LECTURE_SEED, openCheckpoint, siblingPlotPath } from './makemore-common.js';
import { learningRateFlag } from './schedule-text.js';
import { checkDatasetSize } from './size-check.js';
import type { TrainCommandOptions } from './train.js';

/** The lecture's split: `random.seed(42); random.shuffle(words)`, then 80% / 10% / 10%. */
export const SPLIT_SEED = 42;
const COMMAND = 'train';

/** What the CLI saves in `metadata.train` besides the Trainer's state (seed, batch, eval cadence). */
export interface SavedSettings {
  steps: number;
  batchSize: number;
  /** `--lr` text (`0.1,0.01@15000`), or the scheduler config when it has no text form. */
  lr: string | object;
  optimizer: OptimizerKind;
  weightDecay?: number;
  seed: number;
  evalEvery: number;
}
/** The checkpoint to continue, the family and the output folder, checked before any data is read. */
export interface Target {
  checkpoint?: Checkpoint;
  family: ModelFamily;
  rawConfig: Record<string, string | boolean>;
  outText: string;
  outDir: string;
  saved?: SavedSettings;
}

export function resolveTarget(options: TrainCommandOptions, io: CliIO, plotPath?: string): Target {
  const cwd = io.cwd ?? process.cwd();
  let checkpoint: Checkpoint | undefined;
  let kind = options.model ?? DEFAULT_FAMILY;
  let outText = options.out ?? `lmp-out/${kind}`;
  if (options.resume) {
    if (options.out === undefined && options.model === undefined) {
      throw new UsageError('--resume needs --out DIR (or --model to use lmp-out/<model>)', COMMAND);
    }
    checkpoint = openCheckpoint(outText, io);
    if (options.model !== undefined && options.model !== checkpoint.config.kind) {
      throw new UsageError(
        `--model ${options.model} does not match the checkpoint in ${outText}, a ${checkpoint.config.kind} model`,
        COMMAND,
      );
    }
    kind = checkpoint.config.kind;
    outText = options.out ?? `lmp-out/${kind}`;
  }
  const family = getFamily(kind);
  const rawConfig = familyConfigFromFlags(family, options.modelFlags ?? {}, COMMAND);
  const outDir = resolvePath(io, outText);
  checkOutputDirectory(outDir, 'out', cwd, COMMAND);
  if (checkpoint === undefined && options.force !== true) {
    const existing = describeExistingCheckpoint(outDir);
    if (existing !== undefined) {
      const what =
        existing.kind === undefined
          ? 'a checkpoint'
          : `a ${existing.kind} checkpoint at step ${formatCount(existing.step ?? 0)}`;
      throw new UsageError(
        `--out ${outText} holds ${what} already; continue it with --resume, replace it with --force, or train the ${kind} into another --out`,
        COMMAND,
      );
    }
  }
  // The second picture (the first 2 dimensions of an embedding table `C`) is checked up front too.
  if (plotPath !== undefined && options.plot !== undefined && hasEmbedding(family, rawConfig)) {
    checkOutputFile(siblingPlotPath(plotPath, 'embedding'), 'plot', cwd, COMMAND);
  }
  const saved = checkpoint === undefined ? undefined : readSettings(checkpoint);
  if (checkpoint !== undefined) checkResumeFlags(options, family, checkpoint, saved, outText);
  return { checkpoint, family, rawConfig, outText, outDir, saved };
}

/** Whether the family's model has an embedding table `C` of 2 or more dimensions (from its estimate). */
function hasEmbedding(family: ModelFamily, rawConfig: Record<string, string | boolean>): boolean {
  const config = familyConfig(family.name, rawConfig, { vocabSize: 2 });
  return family.estimate(config).some((t) => t.name === 'C' && (t.shape[1] ?? 0) >= 2);
}
/**
 * `prepareRun` with the command's settings: on `--resume` the checkpoint's Trainer state carries
 * the steps, optimizer and schedule (flags given change them); an older checkpoint without one
 * continues from its step with the settings in its metadata. Sizes are checked before anything
 * is allocated (`checkModelSize`, `checkDatasetSize`), as usage errors naming the flag.
 */
export function prepare(
  options: TrainCommandOptions,
  target: Target,
  input: WordList | TextSource,
  bpe?: Tokenizer,
): PreparedRun {
  const words = 'words' in input ? input.words : undefined;
  const text = 'text' in input ? input.text : undefined;
  const { checkpoint, family, rawConfig, saved } = target;
  const flags: RunOverrides = {
    steps: options.steps,
    batchSize: options.batchSize,
    optimizer: options.optimizer,
    weightDecay: options.weightDecay,
    ...(options.lr === undefined ? {} : learningRateFlag(options.lr, COMMAND)),
  };
  let run: RunOverrides = flags;
  if (checkpoint !== undefined && checkpoint.trainerState === undefined && saved !== undefined) {
    // An older checkpoint: its settings from the metadata, then the flags given.
    const lr = typeof saved.lr === 'string' ? learningRateFlag(saved.lr, COMMAND) : undefined;
    run = {
      steps: saved.steps,
      optimizer: saved.optimizer,
      weightDecay: saved.weightDecay,
      ...(lr ?? {}),
      ...defined(flags),
    };
  }
  if (checkpoint !== undefined && run.batchSize === undefined && saved !== undefined) {
    run = { ...run, batchSize: saved.batchSize };
  }
  let config = checkpoint?.config;
  if (config === undefined) {
    config = familyConfig(family.name, rawConfig, {
      vocabSize: (text === undefined
        ? CharTokenizer.fromWords(words ?? [])
        : (bpe ?? CharTokenizer.fromText(text))
      ).vocabSize,
    });
    try {
      checkModelSize(family, config, { training: family.trainable });
    } catch (error) {
      if (error instanceof ConfigError) throw new UsageError(error.message, COMMAND);
      throw error;
    }
  }
  // Context windows for every word (train, dev and test): one per character plus the end mark.
  // (A text's windows are drawn per batch, never materialised.)
  let examples = 0;
  for (const word of words ?? []) examples += [...word].length + 1;
  if (text === undefined) checkDatasetSize(examples, family.trainsOn(config).blockSize, COMMAND);
  try {
    return prepareRun({
      family: family.name,
      rawConfig,
      ...(text === undefined ? { words, split: { seed: SPLIT_SEED } } : { text }),
      ...(bpe === undefined || checkpoint !== undefined ? {} : { tokenizer: bpe }),
      seed: options.seed ?? saved?.seed ?? LECTURE_SEED,
      run: defined(run),
      // Each line measures the dev split only; its train figure is the mean minibatch loss of the
      // last --eval-every steps (measuring the whole training split costs more than those steps).
      evaluate: 'dev',
      ...(checkpoint === undefined ? {} : { resume: checkpoint }),
    });
  } catch (error) {
    // A setting that does not fit the family (runSettings' "lr (--lr) must be …") is a usage error.
    if (error instanceof ConfigError && /\(--[\w-]+\)/.test(error.message)) {
      throw new UsageError(error.message, COMMAND);
    }
    throw error;
  }
}

/** The entries of `object` that are not undefined. */
function defined<T extends object>(object: T): T {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined)) as T;
}
/**
 * `--resume` continues the saved run: the model's config (every schema field), the optimizer and
 * the random stream come from the checkpoint, so a flag that asks for another one is an error
 * rather than silently ignored. (`--steps`, `--lr`, `--batch-size`, `--weight-decay` and
 * `--eval-every` may change.)
 */
function checkResumeFlags(
  options: TrainCommandOptions,
  family: ModelFamily,
  checkpoint: Checkpoint,
  saved: SavedSettings | undefined,
  outText: string,
): void {
  const given = familyConfigFromFlags(family, options.modelFlags ?? {}, COMMAND);
  const parsed = parseConfig(family.schema, given);
  const fixed: [string, unknown, unknown][] = family.schema
    .filter((field) => given[field.name] !== undefined)
    .map((field) => [flagOf(field), parsed[field.name], checkpoint.config[field.name]]);
  fixed.push(
    ['seed', options.seed, saved?.seed],
    [
      'optimizer',
      options.optimizer,
      checkpoint.trainerState?.optimizerSettings.kind ??
        saved?.optimizer ??
        checkpoint.optimizerState?.kind.toLowerCase(),
    ],
  );
  for (const [flag, value, kept] of fixed) {
    if (value !== undefined && kept !== undefined && value !== kept) {
      throw new UsageError(
        `--${flag} ${value} differs from the checkpoint in ${outText} (${kept}): --resume continues the saved run; train into a new --out to change it`,
        COMMAND,
      );
    }
  }
}

/** The settings of a resumed run, from its checkpoint's metadata (undefined when absent). */
function readSettings(checkpoint: Checkpoint): SavedSettings | undefined {
  if (checkpoint.metadata.train === undefined) return undefined;
  const parsed = JSON.parse(checkpoint.metadata.train) as SavedSettings; // validated on load
  return typeof parsed.steps === 'number' ? parsed : undefined;
}
