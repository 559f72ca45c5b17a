/**
 * What a model family is: everything the CLI, the web app and checkpoints need to know about one
 * kind of model, in one object. A family lives in its own folder (`families/<name>/`: the
 * `nn.Module` subclass and this description); `registerFamily` makes it known by name.
 */
import type { Generator } from '@llm-playground/core';
import type { CharTokenizer } from '@llm-playground/data';
import type { SchedulerConfig } from '@llm-playground/nn';
import { ConfigError } from '../errors.js';
import type { LanguageModel, ModelConfig } from '../model.js';
import type { ConfigSchema, ConfigValue } from './config-schema.js';
import { flagOf } from './config-schema.js';

/** The optimizers a run can use (nn's `SGD`, `Adam`, `AdamW`). */
export type OptimizerKind = 'sgd' | 'adam' | 'adamw';

/** How a family trains when the caller does not say otherwise. */
export interface TrainingDefaults {
  optimizer: OptimizerKind;
  /** The starting learning rate. */
  lr: number;
  /** Steps of a default run. */
  steps: number;
  /** Examples per step; `Infinity` = full batch. */
  batchSize: number;
  /** The schedule for a run of `steps` steps from `lr` (nn scheduler config). */
  schedule(settings: { lr: number; steps: number }): SchedulerConfig;
  /** Adam/AdamW's betas when not PyTorch's (0.9, 0.999): makemore.py's (0.9, 0.99). */
  betas?: [number, number];
  /** Weight decay when not the optimizer's default (AdamW 0.01). */
  weightDecay?: number;
}

/**
 * What a family trains on: `contexts` of `blockSize` tokens with the next token (bigram families
 * use `blockSize` 1), from the training split or from every word (`split: 'all'`, the bigram
 * lecture's 228,146 bigrams); `sequences`, one per word with a target at every position
 * (makemore.py's `CharDataset`: x = [0, w…], y = [w…, 0], padded with −1; `blockSize` ≥ the
 * longest word + 1); or `text`, random windows of `blockSize` characters of one long text with the
 * targets shifted by one (the GPT lecture's `get_batch`, a 90/10 split of the text).
 */
export interface TrainingExamples {
  examples: 'contexts' | 'sequences' | 'text';
  blockSize: number;
  split: 'train' | 'all';
}

/** One tensor a config allocates, for memory estimates. */
export interface TensorEstimate {
  name: string;
  shape: number[];
  /** Bytes of its data (4 per float32 / int32 element). */
  bytes: number;
  /** Schema fields its size grows with (named in "lower --n-hidden"). */
  dependsOn: string[];
  /** Whether it is trained (its gradient and optimizer state cost memory too). */
  trainable: boolean;
}

/** Options of `ModelFamily.create`. */
export interface CreateModelOptions {
  /** Draws the initial weights (default: a new generator seeded 2147483647, the lecture's seed). */
  generator?: Generator;
  /** For families with word-level methods (the count model's `nll`, `topPairs`). */
  tokenizer?: CharTokenizer;
}

/**
 * A model family without its model code: name, title, config schema, what it trains on, training
 * defaults and size estimates — everything a page's controls, a CLI's flags and a run's settings
 * need. `@llm-playground/makemore/schemas` serves these (`getFamilyInfo`) without loading a model;
 * a `ModelFamily` is one of these plus the factory.
 *
 * @example
 * ```ts
 * getFamilyInfo('wavenet').schema.map((field) => field.name); // ['blockSize', 'nEmbd', 'nHidden', 'flatten']
 * ```
 */
export interface FamilyInfo {
  /** The registered name, also `config.kind` (kebab-case: `bigram-net`). */
  readonly name: string;
  /** A short human title (`'MLP (Bengio et al. 2003)'`). */
  readonly title: string;
  /** Settings beyond `vocabSize` (which comes from the tokenizer). */
  readonly schema: ConfigSchema;
  /** False for models fit by counting (no optimizer): `BigramCounts`. */
  readonly trainable: boolean;
  readonly defaults: TrainingDefaults;
  /** What the model trains on, given its full config. */
  trainsOn(config: ModelConfig): TrainingExamples;
  /** The tensors a config allocates (to refuse sizes that cannot fit before allocating). */
  estimate(config: ModelConfig): TensorEstimate[];
  /**
   * A rule across settings that one field's range cannot say (the WaveNet's `blockSize` must be a
   * power of `flatten`): returns the offending field, the nearest allowed value and a message, or
   * undefined when the config is fine. `familyConfig` throws the message in strict mode and uses
   * the value in clamp mode (calling `onAdjust`).
   */
  constrain?(config: ModelConfig): ConfigProblem | undefined;
}

/** What `FamilyInfo.constrain` reports: the field, the value to use instead, and why. */
export interface ConfigProblem {
  field: string;
  value: ConfigValue;
  message: string;
}

/**
 * A model family: its `FamilyInfo` (name, config schema, what it trains on, training defaults)
 * and a factory.
 *
 * @example
 * ```ts
 * const mlp = getFamily('mlp');
 * mlp.schema.map((field) => field.name); // ['blockSize', 'nEmbd', 'nHidden']
 * mlp.create(familyConfig('mlp', {}, { vocabSize: 27 })).numParameters(); // 11897
 * ```
 */
export interface ModelFamily extends FamilyInfo {
  /** A fresh model for a full config (see `familyConfig`). */
  create(config: ModelConfig, options?: CreateModelOptions): LanguageModel;
  /**
   * For a family that is not trained by gradient descent (`trainable: false`): the model fitted
   * to `words` (the bigram counts: counted). `prepareRun` calls it instead of training.
   */
  fit?(config: ModelConfig, words: readonly string[], tokenizer: CharTokenizer): LanguageModel;
}

/**
 * A description of a family's size: parameter count and bytes, with the largest tensor.
 *
 * @example
 * ```ts
 * const size = estimateSize(getFamily('mlp'), { kind: 'mlp', vocabSize: 27, blockSize: 3, nEmbd: 10, nHidden: 200 });
 * size.parameters; // 11897
 * size.bytes; // 47588
 * ```
 */
export function estimateSize(
  family: FamilyInfo,
  config: ModelConfig,
): {
  parameters: number;
  bytes: number;
  largest: TensorEstimate | null;
  tensors: TensorEstimate[];
} {
  const tensors = family.estimate(config);
  let parameters = 0;
  let bytes = 0;
  let largest: TensorEstimate | null = null;
  for (const t of tensors) {
    const n = t.shape.reduce((a, b) => a * b, 1);
    if (t.trainable) parameters += n;
    bytes += t.bytes;
    if (!largest || t.bytes > largest.bytes) largest = t;
  }
  return { parameters, bytes, largest, tensors };
}

/** `8.0 GB`, `47.6 kB`. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/**
 * Throws a `ConfigError` when a config's tensors need more than `maxBytes`, before anything is
 * allocated. Training needs the weights about four times over (weights, gradients, two optimizer
 * buffers for Adam), so `training: true` counts trainable tensors ×4. The message names the
 * largest tensor and the flags that shrink it: "needs 8.0 GB for W1 [100000, 100000]: lower
 * --block-size, --n-embd or --n-hidden (the limit is 2.0 GB)".
 *
 * @example
 * ```ts
 * const config = { kind: 'mlp', vocabSize: 27, blockSize: 3, nEmbd: 10, nHidden: 100_000_000 };
 * checkModelSize(getFamily('mlp'), config, { maxBytes: 2e9 }); // throws ConfigError
 * ```
 */
export function checkModelSize(
  family: FamilyInfo,
  config: ModelConfig,
  options: { maxBytes?: number; training?: boolean } = {},
): void {
  const maxBytes = options.maxBytes ?? 2e9;
  const tensors = family.estimate(config);
  const factor = (t: TensorEstimate) => (options.training && t.trainable ? 4 : 1);
  const total = tensors.reduce((sum, t) => sum + t.bytes * factor(t), 0);
  const tooBigForArray = tensors.find((t) => t.bytes / 4 > 2 ** 31 - 1);
  if (total <= maxBytes && !tooBigForArray) return;
  const largest = tensors.reduce((a, b) => (b.bytes > a.bytes ? b : a));
  const flags = largest.dependsOn
    .map((name) => family.schema.find((f) => f.name === name))
    .filter((f) => f !== undefined)
    .map((f) => `--${flagOf(f)}`);
  const lower =
    flags.length === 0
      ? 'use a smaller vocabulary'
      : `lower ${flags.length === 1 ? flags[0] : `${flags.slice(0, -1).join(', ')} or ${flags.at(-1)}`}`;
  throw new ConfigError(
    `${family.name}: needs ${formatBytes(total)} for ${largest.name} [${largest.shape.join(', ')}]${tensors.length > 1 ? ' and the other tensors' : ''}${options.training ? ' (with gradients and optimizer state)' : ''}: ${lower} (the limit is ${formatBytes(maxBytes)})`,
  );
}

/** Bytes of a float32/int32 tensor of this shape. */
export function bytesOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1) * 4;
}
