/**
 * Checkpoints as bytes, without a file system (browser-safe): what `checkpoint.json` and
 * `model.safetensors` hold, their validation, and the model rebuilt from them. `checkpoint.ts`
 * writes and reads them as files (crash-safe); `checkpoint-files.ts` hands them to a web page.
 *
 * `model.safetensors` is self-sufficient: its `__metadata__` holds, under `EMBEDDED_CHECKPOINT_KEY`,
 * the same checkpoint JSON (with its own checksum), whose `weights` field records the SHA-256 of the
 * file's tensor data (the bytes after the header, `part: 'tensor data'`) instead of the whole file
 * (which would have to contain its own hash). So one file opens a model in a page; checkpoint.json
 * stays the directory's authority, and weights files saved before this (no such key) still load
 * with their checkpoint.json.
 */

import type { GeneratorState } from '@llm-playground/core';
import { CharTokenizer } from '@llm-playground/data';
import type { OptimizerState } from '@llm-playground/nn';
import { type Tensor, tensor } from '@llm-playground/tensor';
import { sha256 as sha256Bytes } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import {
  CHECKPOINT_FILE,
  CHECKPOINT_FORMAT,
  CHECKPOINT_VERSION,
  WEIGHTS_FILE,
} from './checkpoint-format.js';
import { createModel } from './create-model.js';
import { CheckpointError } from './errors.js';
import type { TensorEstimate } from './families/family.js';
import { getFamily } from './families/registry.js';
import type { DataFingerprint } from './fingerprint.js';
import type { LanguageModel, ModelConfig } from './model.js';
import { encodeSafetensors } from './safetensors.js';
import { type ModelTokenizer, modelTokenizerFromJSON } from './text-tokenizer.js';
import { checkTrainerState, type TrainerState } from './trainer.js';

const OPTIMIZER_PREFIX = 'optimizer.';
/** The `__metadata__` key of model.safetensors holding the checkpoint JSON. */
export const EMBEDDED_CHECKPOINT_KEY = 'llm-playground.checkpoint';

export interface Checkpoint {
  config: ModelConfig;
  tokenizer: ModelTokenizer;
  model: LanguageModel;
  /** Training steps done (where a resumed run continues). */
  step: number;
  optimizerState?: OptimizerState;
  generatorState?: GeneratorState;
  metadata: Record<string, string>;
  /** The data the model was trained on (`dataFingerprint`); compare with `compareDataFingerprint`. */
  data?: DataFingerprint;
  /**
   * The `Trainer`'s `state()` (step, optimizer, scheduler, generator, divergence window): with it a
   * resumed run (`Trainer.resume(task, checkpoint.trainerState, …)`) continues bit for bit. Its
   * optimizer state is stored like `optimizerState` (buffers in the weights file) and its generator
   * state as `generatorState`, so a checkpoint saved with it also has those two (and `step` must
   * equal its `step`). Checkpoints without it resume through `startStep` + `optimizerState`.
   */
  trainerState?: TrainerState;
  /**
   * Set by `loadCheckpoint`: things the user should hear once (an old format without checksum, a
   * checkpoint recovered from an interrupted first save). Ignored by `saveCheckpoint`.
   */
  warnings?: string[];
}

type SavedBuffer = { tensor: string };

export interface CheckpointJson {
  format: string;
  version: number;
  config: ModelConfig;
  tokenizer: unknown;
  step: number;
  /** The weights file's size and SHA-256; embedded in it: those of its tensor data (`part`). */
  weights: { file: string; bytes: number; sha256: string; part?: 'tensor data' };
  optimizer: {
    kind: string;
    groups: OptimizerState['groups'];
    state: Record<string, Record<string, number | SavedBuffer>>;
  } | null;
  generatorState: GeneratorState | null;
  metadata: Record<string, string>;
  data?: DataFingerprint | null;
  /** The trainer state without `optimizer` and `generator` (stored as `optimizer`, `generatorState`). */
  trainerState?: Omit<TrainerState, 'optimizer' | 'generator'> | null;
  checksum?: string;
}

/** The SHA-256 in hex of bytes, or of a string's UTF-8 (node:crypto's `digest('hex')`, browser-safe). */
export function sha256(bytes: Uint8Array | string): string {
  return bytesToHex(sha256Bytes(typeof bytes === 'string' ? utf8ToBytes(bytes) : bytes));
}

/** JSON with object keys sorted at every level: the same content always gives the same text. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value as object)
      .sort()
      .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
      .map(
        (key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`,
      );
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * The `checksum` of a parsed checkpoint.json: `sha256:` + the SHA-256 of its canonical JSON (keys
 * sorted, the `checksum` field itself left out). It covers every field, the tokenizer and the
 * weights' hash included. Tools that edit checkpoint.json on purpose must recompute it.
 *
 * @example
 * ```ts
 * checkpointChecksum({ b: 1, a: [1, 2], checksum: 'x' }) === checkpointChecksum({ a: [1, 2], b: 1 }); // true
 * checkpointChecksum({ a: 1 }).startsWith('sha256:'); // true
 * ```
 */
export function checkpointChecksum(json: Record<string, unknown>): string {
  const { checksum: _ignored, ...content } = json;
  return `sha256:${sha256(canonicalJson(content))}`;
}

/** What `saveCheckpoint` and `checkpointToFiles` take: a `Checkpoint`, `metadata` optional. */
export type CheckpointInput = Omit<Checkpoint, 'metadata' | 'warnings'> & {
  metadata?: Record<string, string>;
};

/**
 * The two files of a checkpoint as text and bytes (see the file comment: the weights embed the JSON).
 * Throws a `RangeError` for a step, tokenizer or trainer state that does not fit. `hash`: Node
 * passes node:crypto's SHA-256 (8× faster than the portable one on large weights).
 */
export function encodeCheckpoint(
  checkpoint: CheckpointInput,
  caller = 'saveCheckpoint',
  hash: (bytes: Uint8Array) => string = sha256,
): { json: string; weights: Uint8Array } {
  const { config, tokenizer, model, step } = checkpoint;
  if (!Number.isInteger(step) || step < 0) {
    throw new RangeError(
      `Argument 'step' passed to '${caller}' must be an integer ≥ 0, got ${step}`,
    );
  }
  if (tokenizer.vocabSize !== config.vocabSize) {
    throw new RangeError(
      `${caller}: the tokenizer has ${tokenizer.vocabSize} tokens but config.vocabSize is ${config.vocabSize}`,
    );
  }
  const trainerState = checkpoint.trainerState;
  if (trainerState) {
    checkTrainerState(trainerState);
    if (trainerState.step !== step) {
      throw new RangeError(
        `${caller}: step is ${step} but trainerState.step is ${trainerState.step}; save the trainer's own step`,
      );
    }
  }
  // The trainer state's optimizer and generator are saved in the fields old checkpoints use.
  const optimizerState = (trainerState?.optimizer ?? checkpoint.optimizerState) as
    | OptimizerState
    | undefined;
  const generatorState = trainerState?.generator ?? checkpoint.generatorState;
  const tensors: Record<string, Tensor> = { ...model.stateDict() };
  for (const name of Object.keys(tensors)) {
    if (name.startsWith(OPTIMIZER_PREFIX)) {
      throw new RangeError(
        `${caller}: a model tensor may not be named '${name}' (reserved prefix '${OPTIMIZER_PREFIX}')`,
      );
    }
  }
  let optimizer: CheckpointJson['optimizer'] = null;
  if (optimizerState) {
    const { kind, groups, state } = optimizerState;
    const savedState: Record<string, Record<string, number | SavedBuffer>> = {};
    for (const [index, entry] of Object.entries(state)) {
      savedState[index] = {};
      for (const [buffer, value] of Object.entries(entry)) {
        if (value === undefined) continue;
        if (typeof value === 'number') {
          savedState[index][buffer] = value;
        } else {
          const name = `${OPTIMIZER_PREFIX}${index}.${buffer}`;
          tensors[name] = tensor(value, {
            dtype: value instanceof Float64Array ? 'float64' : 'float32',
          });
          savedState[index][buffer] = { tensor: name };
        }
      }
    }
    optimizer = { kind, groups, state: savedState };
  }
  const metadata = { format: 'pt', step: String(step) };
  const data = tensorData(encodeSafetensors(tensors, metadata));
  const json: CheckpointJson = {
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
    config: model.config,
    tokenizer: tokenizer.toJSON(),
    step,
    weights: { file: WEIGHTS_FILE, bytes: data.length, sha256: hash(data), part: 'tensor data' },
    optimizer,
    generatorState: generatorState ?? null,
    metadata: { ...(checkpoint.metadata ?? {}) },
    data: checkpoint.data ?? null,
  };
  if (trainerState) {
    const { optimizer: _optimizer, generator: _generator, ...rest } = trainerState;
    json.trainerState = rest;
  }
  const embedded = withChecksum(json);
  const weights = encodeSafetensors(tensors, {
    ...metadata,
    [EMBEDDED_CHECKPOINT_KEY]: JSON.stringify(embedded),
  });
  json.weights = { file: WEIGHTS_FILE, bytes: weights.length, sha256: hash(weights) };
  return { json: `${JSON.stringify(withChecksum(json), null, 2)}\n`, weights };
}

/** The JSON as a reader parses it (undefined fields dropped), with its `checksum`. */
function withChecksum(json: CheckpointJson): Record<string, unknown> {
  // Through JSON first: what is hashed must be what a reader parses.
  const plain = JSON.parse(JSON.stringify(json)) as Record<string, unknown>;
  plain.checksum = checkpointChecksum(plain);
  return plain;
}

/** The tensor data of safetensors bytes: what follows the 8-byte size and the header. */
export function tensorData(bytes: Uint8Array): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return bytes.subarray(8 + Number(view.getBigUint64(0, true)));
}

// ---- loading: validation ----------------------------------------------------------------------

const describe = (value: unknown): string => {
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 60 ? `${text.slice(0, 60)}…` : text;
};

/** Throws `CheckpointError` "<path>: '<field>' must be <expected>, got <value>". */
function invalid(path: string, field: string, expected: string, value: unknown): never {
  throw new CheckpointError(`${path}: '${field}' must be ${expected}, got ${describe(value)}`);
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** Parses checkpoint text and checks format, version, checksum and every field. */
export function parseCheckpointJson(
  text: string,
  path: string,
  warnings: string[],
): CheckpointJson {
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new CheckpointError(
      `${path} is not valid JSON (truncated or corrupted?): ${(error as Error).message}`,
    );
  }
  if (!isObject(json) || json.format !== CHECKPOINT_FORMAT) {
    throw new CheckpointError(
      `${path} is not an llm-playground makemore checkpoint (expected "format": "${CHECKPOINT_FORMAT}")`,
    );
  }
  const version = json.version as number;
  if (!Number.isInteger(version) || version < 1) {
    throw new CheckpointError(`${path} has an invalid format version ${describe(json.version)}`);
  }
  if (version > CHECKPOINT_VERSION) {
    throw new CheckpointError(
      `${path} has format version ${version}, newer than this version of @llm-playground/makemore reads (${CHECKPOINT_VERSION}); upgrade it`,
    );
  }
  if (version >= 2) {
    if (typeof json.checksum !== 'string') {
      throw new CheckpointError(
        `${path}: 'checksum' is missing (format version ${version} always has one): the file was edited or damaged — restore it, or retrain`,
      );
    }
    const expected = checkpointChecksum(json);
    if (json.checksum !== expected) {
      throw new CheckpointError(
        `${path}: the checksum does not match the content (recorded ${json.checksum.slice(0, 19)}…, content gives ${expected.slice(0, 19)}…): a field (the config, the tokenizer, the run settings…) was edited or damaged after saving — restore the original file, or retrain`,
      );
    }
  } else {
    warnings.push(
      `${path} is a version 1 checkpoint: it has no checksum and no data fingerprint, so edits and a changed word list cannot be detected (saving it again upgrades it)`,
    );
  }
  if (!isObject(json.config)) invalid(path, 'config', 'a model config object', json.config);
  if (!Number.isInteger(json.step) || (json.step as number) < 0)
    invalid(path, 'step', 'an integer ≥ 0', json.step);
  const weights = json.weights as CheckpointJson['weights'];
  if (
    !isObject(weights) ||
    typeof weights.sha256 !== 'string' ||
    !Number.isInteger(weights.bytes) ||
    weights.bytes < 0
  ) {
    invalid(path, 'weights', '{ file, bytes, sha256 }', weights);
  }
  if (!isObject(json.metadata)) invalid(path, 'metadata', 'an object of strings', json.metadata);
  for (const [key, value] of Object.entries(json.metadata as object)) {
    if (typeof value !== 'string') invalid(path, `metadata.${key}`, 'a string', value);
  }
  checkRunSettings(path, (json.metadata as Record<string, string>).train);
  checkOptimizer(path, json.optimizer);
  checkGeneratorState(path, json.generatorState);
  // A training run saves its generator with its optimizer; without it a resumed run would
  // silently draw other minibatches from a fresh generator.
  if (
    (json.generatorState === null || json.generatorState === undefined) &&
    json.optimizer !== null &&
    json.optimizer !== undefined &&
    (json.metadata as Record<string, string>).train !== undefined
  ) {
    invalid(
      path,
      'generatorState',
      "the state of the run's generator (saved with the optimizer state, needed to resume the same run)",
      json.generatorState,
    );
  }
  if (json.data !== undefined && json.data !== null) checkDataFingerprint(path, json.data);
  if (json.trainerState !== undefined && json.trainerState !== null) {
    if (!isObject(json.trainerState))
      invalid(path, 'trainerState', 'null or a Trainer state', json.trainerState);
    if (json.trainerState.step !== json.step)
      invalid(
        path,
        'trainerState.step',
        `the checkpoint's step ${json.step}`,
        json.trainerState.step,
      );
    if (json.optimizer === null || json.optimizer === undefined)
      invalid(path, 'optimizer', "the trainer's optimizer state (trainerState needs it)", null);
  }
  return json as unknown as CheckpointJson;
}

/** The run settings a trainer saved as JSON in `metadata.train` (steps, lr schedule, optimizer…). */
function checkRunSettings(path: string, text: string | undefined): void {
  if (text === undefined) return;
  let settings: unknown;
  try {
    settings = JSON.parse(text);
  } catch {
    invalid(path, 'metadata.train', 'the JSON of the run settings', text);
  }
  if (!isObject(settings)) invalid(path, 'metadata.train', 'a JSON object of run settings', text);
  const s = settings as Record<string, unknown>;
  const integer = (field: string, min: number, required: boolean) => {
    const value = s[field];
    if (value === undefined && !required) return;
    if (!Number.isSafeInteger(value) || (value as number) < min) {
      invalid(path, `metadata.train.${field}`, `an integer ≥ ${min}`, value);
    }
  };
  integer('steps', 1, true);
  integer('batchSize', 1, false);
  integer('evalEvery', 0, false);
  if (s.seed !== undefined && !(Number.isInteger(s.seed) && (s.seed as number) >= 0)) {
    invalid(path, 'metadata.train.seed', 'an integer ≥ 0', s.seed);
  }
  if (s.lr !== undefined) {
    // A number, a schedule string ('0.1,0.01@100000'), or a scheduler config object.
    const ok =
      (typeof s.lr === 'string' && s.lr.trim() !== '') ||
      (typeof s.lr === 'number' && Number.isFinite(s.lr) && s.lr > 0) ||
      isObject(s.lr);
    if (!ok) invalid(path, 'metadata.train.lr', 'a learning rate or schedule', s.lr);
  }
  if (s.optimizer !== undefined) {
    const ok =
      (typeof s.optimizer === 'string' && s.optimizer !== '') ||
      (isObject(s.optimizer) && typeof s.optimizer.kind === 'string');
    if (!ok) invalid(path, 'metadata.train.optimizer', 'an optimizer name', s.optimizer);
  }
  if (s.weightDecay !== undefined && !(typeof s.weightDecay === 'number' && s.weightDecay >= 0)) {
    invalid(path, 'metadata.train.weightDecay', 'a number ≥ 0', s.weightDecay);
  }
}

function checkFiniteHyperparameter(path: string, field: string, value: unknown): void {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) invalid(path, field, 'a finite number', value);
  } else if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      checkFiniteHyperparameter(path, `${field}[${i}]`, value[i]);
    }
  } else if (typeof value !== 'boolean' && typeof value !== 'string' && value !== null) {
    invalid(path, field, 'a number, boolean or string', value);
  }
}

function checkOptimizer(path: string, optimizer: unknown): void {
  if (optimizer === null || optimizer === undefined) return;
  if (!isObject(optimizer))
    invalid(path, 'optimizer', 'null or { kind, groups, state }', optimizer);
  const o = optimizer as Record<string, unknown>;
  if (typeof o.kind !== 'string' || o.kind === '')
    invalid(path, 'optimizer.kind', 'an optimizer name', o.kind);
  if (!Array.isArray(o.groups) || o.groups.length === 0)
    invalid(path, 'optimizer.groups', 'a non-empty array of parameter groups', o.groups);
  (o.groups as unknown[]).forEach((group, g) => {
    const field = `optimizer.groups[${g}]`;
    if (!isObject(group)) invalid(path, field, 'an object', group);
    const params = (group as Record<string, unknown>).params;
    if (!Array.isArray(params) || !params.every((p) => Number.isInteger(p) && p >= 0))
      invalid(path, `${field}.params`, 'an array of parameter indices', params);
    const lr = (group as Record<string, unknown>).lr;
    if (lr !== undefined && !(typeof lr === 'number' && Number.isFinite(lr) && lr >= 0))
      invalid(path, `${field}.lr`, 'a finite number ≥ 0', lr);
    for (const [key, value] of Object.entries(group as object)) {
      if (key !== 'params') checkFiniteHyperparameter(path, `${field}.${key}`, value);
    }
  });
  if (!isObject(o.state)) invalid(path, 'optimizer.state', 'an object', o.state);
  for (const [index, entry] of Object.entries(o.state as object)) {
    if (!isObject(entry)) invalid(path, `optimizer.state.${index}`, 'an object', entry);
    for (const [buffer, value] of Object.entries(entry as object)) {
      const field = `optimizer.state.${index}.${buffer}`;
      if (typeof value === 'number') {
        if (!Number.isFinite(value)) invalid(path, field, 'a finite number', value);
      } else if (!isObject(value) || typeof value.tensor !== 'string') {
        invalid(path, field, 'a number or { tensor: name }', value);
      }
    }
  }
}

function checkGeneratorState(path: string, state: unknown): void {
  if (state === null || state === undefined) return;
  if (!isObject(state))
    invalid(path, 'generatorState', 'null or a state from Generator.getState()', state);
  const s = state as Record<string, unknown>;
  const mt = s.mt;
  if (
    !Array.isArray(mt) ||
    mt.length !== 624 ||
    !mt.every((w) => Number.isInteger(w) && w >= 0 && w < 2 ** 32)
  ) {
    invalid(path, 'generatorState.mt', '624 unsigned 32-bit integers', mt);
  }
  if (!Number.isInteger(s.mti) || (s.mti as number) < 0 || (s.mti as number) > 624)
    invalid(path, 'generatorState.mti', 'an integer from 0 to 624', s.mti);
  if (typeof s.seed !== 'number' || !Number.isFinite(s.seed))
    invalid(path, 'generatorState.seed', 'a number', s.seed);
  if (s.nextNormal !== null && !(typeof s.nextNormal === 'number' && Number.isFinite(s.nextNormal)))
    invalid(path, 'generatorState.nextNormal', 'null or a finite number', s.nextNormal);
}

function checkDataFingerprint(path: string, data: unknown): void {
  if (!isObject(data)) invalid(path, 'data', 'null or a data fingerprint', data);
  const d = data as Record<string, unknown>;
  if (!Number.isSafeInteger(d.words) || (d.words as number) < 0)
    invalid(path, 'data.words', 'an integer ≥ 0', d.words);
  if (typeof d.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(d.sha256))
    invalid(path, 'data.sha256', 'a SHA-256 in hex', d.sha256);
  if (d.split !== undefined) {
    const s = d.split as Record<string, unknown>;
    if (!isObject(s)) invalid(path, 'data.split', 'a split fingerprint', s);
    for (const key of ['train', 'dev', 'test']) {
      if (!Number.isSafeInteger(s[key]) || (s[key] as number) < 0)
        invalid(path, `data.split.${key}`, 'an integer ≥ 0', s[key]);
    }
    if (typeof s.seed !== 'number') invalid(path, 'data.split.seed', 'a number', s.seed);
    if (!Array.isArray(s.fractions) || s.fractions.length !== 2)
      invalid(path, 'data.split.fractions', '[a, b]', s.fractions);
  }
}

function formatCount(n: number): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: 0 });
}

/** `1234567` → `'1.2 MB'`. */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB', 'PB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return unit === 0 ? `${bytes} bytes` : `${value.toFixed(1)} ${units[unit]}`;
}

/** Allocations above this are checked against the weights file before they are made. */
const LARGE_ALLOCATION_BYTES = 64 * 2 ** 20;

/**
 * Refuses a config whose model does not fit the weights file, before the model is allocated: the
 * shapes the config's family gives each tensor (`family.estimate`) against the shapes in the
 * file's header, in PyTorch's words ("size mismatch for W1: …"), with the bytes the config would
 * allocate when that is large (an edited `nHidden: 1e8`).
 */
function checkModelSize(
  path: string,
  weightsPath: string,
  config: ModelConfig,
  modelTensors: Record<string, Tensor>,
): void {
  let inFile = 0;
  for (const t of Object.values(modelTensors)) inFile += t.numel();
  const sizeFields = Object.entries(config).filter(
    ([key, value]) => typeof value === 'number' && /^(n[A-Z]|vocabSize$|blockSize$)/.test(key),
  ) as [string, number][];
  for (const [key, value] of sizeFields) {
    if (!Number.isSafeInteger(value) || value < 1)
      invalid(path, `config.${key}`, 'a positive integer', value);
  }
  let estimate: TensorEstimate[] | undefined;
  try {
    estimate = getFamily(String(config.kind)).estimate(config);
  } catch {
    estimate = undefined; // an unknown kind: createModel names it below
  }
  const settings = sizeFields.map(([k, v]) => `${k} ${formatCount(v)}`).join(', ');
  if (estimate !== undefined) {
    let bytes = 0;
    let needed = 0;
    const mismatches: string[] = [];
    for (const t of estimate) {
      bytes += t.bytes;
      needed += t.shape.reduce((a, b) => a * b, 1);
      const saved = modelTensors[t.name];
      if (saved === undefined) continue;
      const same =
        saved.shape.length === t.shape.length && saved.shape.every((d, i) => d === t.shape[i]);
      if (!same) {
        mismatches.push(
          `size mismatch for ${t.name}: copying a param with shape [${saved.shape.join(', ')}] from checkpoint, the shape in current model is [${t.shape.join(', ')}].`,
        );
      }
    }
    const large = needed > inFile && bytes > LARGE_ALLOCATION_BYTES;
    if (mismatches.length > 0 || large) {
      const allocation = large
        ? ` The config (${settings}) describes a model of ${formatCount(needed)} weights (${formatBytes(bytes)} to allocate) but the file holds ${formatCount(inFile)}: it was edited or belongs to other weights — restore it, or retrain.`
        : '';
      throw new CheckpointError(
        `${weightsPath} does not fit the config in ${CHECKPOINT_FILE}: ${mismatches.join(' ')}${allocation}`.replace(
          ':  ',
          ': ',
        ),
      );
    }
    return;
  }
  // No family to ask: a size field larger than all the weights in the file cannot be right.
  const [key, value] =
    sizeFields.find(([, value]) => value > inFile && value * 4 > LARGE_ALLOCATION_BYTES) ?? [];
  if (key === undefined) return;
  throw new CheckpointError(
    `${path}: config.${key} is ${formatCount(value as number)}, but ${weightsPath} holds only ${formatCount(inFile)} weights in all: the config was edited or belongs to other weights — restore it, or retrain`,
  );
}

/** Throws if a float tensor holds NaN or ±Infinity, naming it and the first bad index. */
function checkFinite(weightsPath: string, tensors: Record<string, Tensor>): void {
  for (const [name, t] of Object.entries(tensors)) {
    if (t.dtype === 'int32') continue;
    const data = t.data;
    for (let i = 0; i < data.length; i++) {
      if (Number.isFinite(data[i])) continue;
      const index: number[] = [];
      let rest = i;
      for (let d = t.shape.length - 1; d >= 0; d--) {
        index.unshift(rest % t.shape[d]);
        rest = Math.floor(rest / t.shape[d]);
      }
      const role = name.startsWith(OPTIMIZER_PREFIX) ? 'optimizer buffer' : 'tensor';
      throw new CheckpointError(
        `${weightsPath}: ${role} '${name}' holds ${data[i]} at index [${index.join(', ')}] (element ${i} of ${t.numel()}): the run diverged before this checkpoint was saved — it cannot be evaluated or resumed; retrain (with a lower learning rate) or use an earlier checkpoint`,
      );
    }
  }
}

/**
 * The checkpoint that validated JSON and decoded weights describe: the tokenizer, the model rebuilt
 * from its config (its size checked against the weights first), its weights loaded and checked
 * finite, the optimizer's buffers and the trainer state. `paths` name the files in messages.
 */
export function restoreCheckpoint(
  json: CheckpointJson,
  tensors: Record<string, Tensor>,
  paths: { json: string; weights: string },
  warnings: string[],
): Checkpoint {
  let tokenizer: ModelTokenizer;
  try {
    tokenizer = modelTokenizerFromJSON(json.tokenizer);
  } catch (error) {
    throw new CheckpointError(`${paths.json}: invalid tokenizer: ${(error as Error).message}`);
  }
  if (tokenizer.vocabSize !== json.config.vocabSize) {
    throw new CheckpointError(
      `${paths.json}: the tokenizer has ${tokenizer.vocabSize} tokens but config.vocabSize is ${json.config.vocabSize}`,
    );
  }
  const modelState: Record<string, Tensor> = {};
  for (const [name, t] of Object.entries(tensors)) {
    if (!name.startsWith(OPTIMIZER_PREFIX)) modelState[name] = t;
  }
  checkModelSize(paths.json, paths.weights, json.config, modelState);
  let model: LanguageModel;
  try {
    model = createModel(json.config, tokenizer instanceof CharTokenizer ? { tokenizer } : {});
  } catch (error) {
    throw new CheckpointError(`${paths.json}: invalid model config: ${(error as Error).message}`);
  }
  try {
    model.loadStateDict(modelState);
  } catch (error) {
    // PyTorch's message is several lines ("Error(s) in loading state_dict for MLP:\n\tsize
    // mismatch for W1: …"); one line, so that a CLI printing the first line shows the tensor too.
    const message = (error as Error).message.replace(/\n\t?/g, ' ');
    throw new CheckpointError(
      `${paths.weights} does not fit the config in ${CHECKPOINT_FILE}: ${message}`,
    );
  }
  checkFinite(paths.weights, tensors);
  let optimizerState: OptimizerState | undefined;
  if (json.optimizer) {
    const state: OptimizerState['state'] = {};
    for (const [index, entry] of Object.entries(json.optimizer.state ?? {})) {
      state[index] = {};
      for (const [buffer, value] of Object.entries(entry)) {
        if (typeof value === 'number') {
          state[index][buffer] = value;
          continue;
        }
        const saved = tensors[value?.tensor];
        if (!saved || saved.dtype === 'int32') {
          throw new CheckpointError(
            `${paths.weights} lacks the float tensor '${value?.tensor}' (optimizer buffer ${buffer} of parameter ${index})`,
          );
        }
        state[index][buffer] = saved.storage as Float32Array | Float64Array;
      }
    }
    optimizerState = { kind: json.optimizer.kind, groups: json.optimizer.groups, state };
  }
  let trainerState: TrainerState | undefined;
  if (json.trainerState) {
    trainerState = {
      ...json.trainerState,
      optimizer: optimizerState,
      generator: json.generatorState,
    } as TrainerState;
    try {
      checkTrainerState(trainerState);
    } catch (error) {
      // "trainer state: divergence must be …" → "<path>: 'trainerState.divergence' must be …"
      const message = (error as Error).message.replace(
        /^trainer state: (\S+)/,
        "'trainerState.$1'",
      );
      throw new CheckpointError(`${paths.json}: ${message}`);
    }
  }
  return {
    config: model.config,
    tokenizer,
    model,
    step: json.step,
    optimizerState,
    generatorState: json.generatorState ?? undefined,
    metadata: { ...json.metadata },
    data: json.data ?? undefined,
    trainerState,
    warnings,
  };
}
