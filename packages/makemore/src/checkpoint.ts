/**
 * Checkpoints: a folder with
 *
 *   model.safetensors   the weights (names as in `namedParameters()`: C, W1, …), plus the optimizer's
 *                       buffers as `optimizer.<paramIndex>.<buffer>`; PyTorch loads it directly
 *   checkpoint.json     format + version, model config, tokenizer, step, optimizer hyperparameters,
 *                       generator state, metadata, the data fingerprint, the SHA-256 of
 *                       model.safetensors, and a `checksum` of its own canonical content
 *
 * Saving is crash-safe. Both files are first written to temporary files (flushed to disk); then the
 * old weights are renamed to `model.safetensors.previous`, the new weights and the new JSON are
 * renamed into place, and the previous weights are deleted. Each rename is atomic, and at every
 * moment checkpoint.json names (by hash) a weights file that exists: `loadCheckpoint` uses
 * `model.safetensors.previous` when a crash left the old JSON beside the new weights. A save that
 * fails with an error (rather than a crash) also removes the temporary files it wrote. A process
 * killed during the first save of a folder leaves only temporary files: the next load recovers the
 * checkpoint from them when both are complete and verify, and otherwise says what happened.
 * Temporary files of dead processes are removed on the next save or load.
 *
 * Loading validates everything before it is used: the checksum (an edited field or a swapped
 * tokenizer is caught), every field's type and range (run settings, optimizer, generator state),
 * the model's size against the weights file's header (before allocating it), shapes, and that
 * every weight is finite. Each refusal is a `CheckpointError` that names the file and the field.
 */
import { createHash } from 'node:crypto';
import { readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { GeneratorState } from '@llm-playground/core';
import { CharTokenizer } from '@llm-playground/data';
import type { OptimizerState } from '@llm-playground/nn';
import { type Tensor, tensor } from '@llm-playground/tensor';
import {
  isProcessAlive,
  listTemporaryFiles,
  makeDirectories,
  removeStaleTemporaryFiles,
  type TemporaryFile,
  writeTemporary,
} from './atomic-write.js';
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
import { decodeSafetensors, encodeSafetensors } from './safetensors.js';
import { checkTrainerState, type TrainerState } from './trainer.js';

export { CHECKPOINT_FILE, CHECKPOINT_FORMAT, CHECKPOINT_VERSION, WEIGHTS_FILE };

const PREVIOUS_WEIGHTS_FILE = `${WEIGHTS_FILE}.previous`;
const OPTIMIZER_PREFIX = 'optimizer.';
const CHECKPOINT_FILES = [WEIGHTS_FILE, CHECKPOINT_FILE];

export interface Checkpoint {
  config: ModelConfig;
  tokenizer: CharTokenizer;
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

interface CheckpointJson {
  format: string;
  version: number;
  config: ModelConfig;
  tokenizer: unknown;
  step: number;
  weights: { file: string; bytes: number; sha256: string };
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

function sha256(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
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

/**
 * The file operations of a save, in their crash-safe order. `afterEach` (tests only) runs after
 * each operation with its name, so a test can stop the save between any two of them. On any error
 * the temporary files are removed (and the error rethrown).
 */
export function commitCheckpointFiles(
  dir: string,
  weights: Uint8Array,
  json: string,
  afterEach: (operation: string) => void = () => {},
): void {
  const weightsPath = join(dir, WEIGHTS_FILE);
  const previousPath = join(dir, PREVIOUS_WEIGHTS_FILE);
  const temporaries: string[] = [];
  try {
    const temporaryWeights = writeTemporary(weightsPath, weights);
    temporaries.push(temporaryWeights);
    afterEach('write weights');
    const temporaryJson = writeTemporary(join(dir, CHECKPOINT_FILE), json);
    temporaries.push(temporaryJson);
    afterEach('write json');
    let hadWeights = true;
    try {
      renameSync(weightsPath, previousPath);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      hadWeights = false;
    }
    afterEach('keep previous weights');
    renameSync(temporaryWeights, weightsPath);
    afterEach('rename weights');
    renameSync(temporaryJson, join(dir, CHECKPOINT_FILE));
    afterEach('rename json');
    if (hadWeights) rmSync(previousPath, { force: true });
    afterEach('remove previous weights');
  } catch (error) {
    // A failed save (a full disk, say) removes the temporary files it wrote; those already renamed
    // into place are gone from their temporary paths, so `force` skips them. The checkpoint files
    // are left as the failure found them: every state between two operations loads (see above).
    // A cleanup failure must not hide the error that caused it.
    for (const temporary of temporaries) {
      try {
        rmSync(temporary, { force: true });
      } catch {}
    }
    throw error;
  }
}

/**
 * Saves a model, its tokenizer and its training state to `dir` (created if needed): weights in
 * `model.safetensors` (which PyTorch's `safetensors.torch.load_file` reads), the rest in
 * `checkpoint.json`. Crash-safe: an interrupted save leaves the previous checkpoint loadable.
 * Temporary files that killed saves left in `dir` are removed first. Pass `data` (from
 * `dataFingerprint`) so that later loads can check they use the same data.
 *
 * @example
 * ```ts
 * import { mkdtempSync } from 'node:fs';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * const dir = join(mkdtempSync(join(tmpdir(), 'ckpt-')), 'run');
 * const tokenizer = CharTokenizer.fromWords(['ab', 'ba']);
 * const config: ModelConfig = { kind: 'mlp', vocabSize: 3, blockSize: 2, nEmbd: 2, nHidden: 4 };
 * const model = createModel(config, { generator: new Generator(7) });
 * saveCheckpoint(dir, { config, tokenizer, model, step: 10, metadata: { note: 'demo' } });
 * const loaded = loadCheckpoint(dir);
 * loaded.step; // 10
 * loaded.metadata.note; // 'demo'
 * const W1 = model.stateDict().W1.data;
 * loaded.model.stateDict().W1.data.every((w, i) => w === W1[i]); // true
 * ```
 */
export function saveCheckpoint(
  dir: string,
  checkpoint: Omit<Checkpoint, 'metadata'> & { metadata?: Record<string, string> },
): void {
  const { config, tokenizer, model, step } = checkpoint;
  if (!Number.isInteger(step) || step < 0) {
    throw new RangeError(
      `Argument 'step' passed to 'saveCheckpoint' must be an integer ≥ 0, got ${step}`,
    );
  }
  if (tokenizer.vocabSize !== config.vocabSize) {
    throw new RangeError(
      `saveCheckpoint: the tokenizer has ${tokenizer.vocabSize} tokens but config.vocabSize is ${config.vocabSize}`,
    );
  }
  const trainerState = checkpoint.trainerState;
  if (trainerState) {
    checkTrainerState(trainerState);
    if (trainerState.step !== step) {
      throw new RangeError(
        `saveCheckpoint: step is ${step} but trainerState.step is ${trainerState.step}; save the trainer's own step`,
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
        `saveCheckpoint: a model tensor may not be named '${name}' (reserved prefix '${OPTIMIZER_PREFIX}')`,
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
  const weights = encodeSafetensors(tensors, { format: 'pt', step: String(step) });
  const json: CheckpointJson = {
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
    config: model.config,
    tokenizer: tokenizer.toJSON(),
    step,
    weights: { file: WEIGHTS_FILE, bytes: weights.length, sha256: sha256(weights) },
    optimizer,
    generatorState: generatorState ?? null,
    metadata: { ...(checkpoint.metadata ?? {}) },
    data: checkpoint.data ?? null,
  };
  if (trainerState) {
    const { optimizer: _optimizer, generator: _generator, ...rest } = trainerState;
    json.trainerState = rest;
  }
  // Through JSON first: what is hashed must be what a reader parses (undefined fields dropped).
  const plain = JSON.parse(JSON.stringify(json)) as Record<string, unknown>;
  plain.checksum = checkpointChecksum(plain);
  makeDirectories(dir);
  removeStaleTemporaryFiles(dir, CHECKPOINT_FILES);
  commitCheckpointFiles(dir, weights, `${JSON.stringify(plain, null, 2)}\n`);
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
function parseCheckpointJson(text: string, path: string, warnings: string[]): CheckpointJson {
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

// ---- loading: files ---------------------------------------------------------------------------

/** The weights file whose hash checkpoint.json records (the previous one after an interrupted save). */
function readWeights(
  dir: string,
  expected: CheckpointJson['weights'],
): { tensors: Record<string, Tensor>; path: string } {
  const candidates = [WEIGHTS_FILE, PREVIOUS_WEIGHTS_FILE];
  let found: { path: string; bytes: Uint8Array } | null = null;
  let firstSize: number | null = null;
  for (const name of candidates) {
    const path = join(dir, name);
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(path);
    } catch {
      continue;
    }
    if (firstSize === null) firstSize = bytes.length;
    if (bytes.length === expected.bytes && sha256(bytes) === expected.sha256) {
      found = { path, bytes };
      break;
    }
  }
  if (!found) {
    const path = join(dir, WEIGHTS_FILE);
    if (firstSize === null)
      throw new CheckpointError(`${path} is missing (checkpoint.json refers to it)`);
    throw new CheckpointError(
      `${path} does not match ${CHECKPOINT_FILE} (it has ${firstSize} bytes, the checkpoint recorded ${expected.bytes} bytes with SHA-256 ${expected.sha256.slice(0, 12)}…): truncated, replaced, or from another save`,
    );
  }
  return { tensors: decodeSafetensors(found.bytes, found.path).tensors, path: found.path };
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

// ---- loading: an interrupted first save --------------------------------------------------------

/**
 * `dir` has no checkpoint.json. If a save that was killed left complete, verifying temporary
 * files, rename them into place and return a warning; otherwise throw a `CheckpointError` that
 * says what was found and what to do.
 */
function recoverInterruptedSave(dir: string): string {
  const path = join(dir, CHECKPOINT_FILE);
  const temporaries = listTemporaryFiles(dir).filter((t) => CHECKPOINT_FILES.includes(t.target));
  const alive = temporaries.find((t) => isProcessAlive(t.pid));
  if (alive) {
    throw new CheckpointError(
      `no checkpoint in ${dir} yet: process ${alive.pid} is writing one (${alive.path}) — wait for it to finish and try again`,
    );
  }
  if (temporaries.length === 0) {
    throw new CheckpointError(`no checkpoint in ${dir}: ${CHECKPOINT_FILE} is missing`);
  }
  const jsonTemporaries = temporaries
    .filter((t) => t.target === CHECKPOINT_FILE)
    .sort((a, b) => b.sequence - a.sequence);
  const weightTemporaries = temporaries.filter((t) => t.target === WEIGHTS_FILE);
  const problems: string[] = [];
  for (const candidate of jsonTemporaries) {
    let json: CheckpointJson;
    try {
      json = parseCheckpointJson(readFileSync(candidate.path, 'utf8'), candidate.path, []);
    } catch (error) {
      problems.push((error as Error).message);
      continue;
    }
    const weightCandidates = [
      join(dir, WEIGHTS_FILE),
      join(dir, PREVIOUS_WEIGHTS_FILE),
      ...weightTemporaries.map((t: TemporaryFile) => t.path),
    ];
    const match = weightCandidates.find((weightsPath) => {
      try {
        const bytes = readFileSync(weightsPath);
        return bytes.length === json.weights.bytes && sha256(bytes) === json.weights.sha256;
      } catch {
        return false;
      }
    });
    if (match === undefined) {
      problems.push(`${candidate.path} is complete but no weights file matches its SHA-256`);
      continue;
    }
    try {
      if (match !== join(dir, WEIGHTS_FILE)) renameSync(match, join(dir, WEIGHTS_FILE));
      renameSync(candidate.path, path);
    } catch (error) {
      throw new CheckpointError(
        `${dir} holds a complete checkpoint (step ${json.step}) in the temporary files of an interrupted save, but they cannot be renamed into place (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): rename ${match} to ${WEIGHTS_FILE} and ${candidate.path} to ${CHECKPOINT_FILE}`,
      );
    }
    return `recovered the checkpoint of a save that was interrupted (process ${candidate.pid} stopped before renaming its files into place; step ${json.step}) in ${dir}`;
  }
  const found = temporaries
    .map((t) => {
      let size = '?';
      try {
        size = formatBytes(statSync(t.path).size);
      } catch {}
      return `${t.path} (${size})`;
    })
    .join(', ');
  const why =
    jsonTemporaries.length === 0
      ? `the process was killed while writing the weights, before ${CHECKPOINT_FILE} was written`
      : problems.join('; ');
  throw new CheckpointError(
    `no checkpoint in ${dir}: ${CHECKPOINT_FILE} is missing. The first save into this folder was interrupted and left only temporary files: ${found}. They cannot be recovered (${why}). Start the run again (remove ${dir} or choose another output folder)`,
  );
}

/**
 * Loads and validates a checkpoint saved by `saveCheckpoint`: rebuilds the model from its config,
 * loads the weights, restores the tokenizer and the optimizer's buffers. Throws `CheckpointError`
 * naming the file and the problem: a missing folder or file, truncated or foreign files, a newer
 * format version, a checksum that does not match (an edited field or swapped tokenizer), a field
 * of the wrong type or range (`metadata.train.steps`, `optimizer.groups[0].lr`,
 * `generatorState.mt`…), a config describing more weights than the file holds (refused before
 * allocating), a shape mismatch (PyTorch's "size mismatch for W1: …"), or NaN/Inf weights (the
 * tensor and the first bad index). Also recovers an interrupted first save, and removes the
 * temporary files of dead processes. `warnings` lists what the user should be told once.
 *
 * @example
 * ```ts
 * loadCheckpoint('/nonexistent/run'); // throws CheckpointError
 * ```
 */
export function loadCheckpoint(dir: string): Checkpoint {
  let stat: ReturnType<typeof statSync>;
  try {
    stat = statSync(dir);
  } catch {
    throw new CheckpointError(`no checkpoint at ${dir}: the directory does not exist`);
  }
  if (!stat.isDirectory()) {
    throw new CheckpointError(
      `no checkpoint at ${dir}: it is a file, expected a directory holding ${CHECKPOINT_FILE} and ${WEIGHTS_FILE}`,
    );
  }
  const path = join(dir, CHECKPOINT_FILE);
  const warnings: string[] = [];
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new CheckpointError(`cannot read ${path}: ${(error as Error).message}`);
    }
    warnings.push(recoverInterruptedSave(dir));
    text = readFileSync(path, 'utf8');
  }
  removeStaleTemporaryFiles(dir, CHECKPOINT_FILES);
  const json = parseCheckpointJson(text, path, warnings);
  let tokenizer: CharTokenizer;
  try {
    tokenizer = CharTokenizer.fromJSON(json.tokenizer);
  } catch (error) {
    throw new CheckpointError(`${path}: invalid tokenizer: ${(error as Error).message}`);
  }
  if (tokenizer.vocabSize !== json.config.vocabSize) {
    throw new CheckpointError(
      `${path}: the tokenizer has ${tokenizer.vocabSize} tokens but config.vocabSize is ${json.config.vocabSize}`,
    );
  }
  const { tensors, path: weightsPath } = readWeights(dir, json.weights);
  const modelState: Record<string, Tensor> = {};
  for (const [name, t] of Object.entries(tensors)) {
    if (!name.startsWith(OPTIMIZER_PREFIX)) modelState[name] = t;
  }
  checkModelSize(path, weightsPath, json.config, modelState);
  let model: LanguageModel;
  try {
    model = createModel(json.config, { tokenizer });
  } catch (error) {
    throw new CheckpointError(`${path}: invalid model config: ${(error as Error).message}`);
  }
  try {
    model.loadStateDict(modelState);
  } catch (error) {
    // PyTorch's message is several lines ("Error(s) in loading state_dict for MLP:\n\tsize
    // mismatch for W1: …"); one line, so that a CLI printing the first line shows the tensor too.
    const message = (error as Error).message.replace(/\n\t?/g, ' ');
    throw new CheckpointError(
      `${join(dir, WEIGHTS_FILE)} does not fit the config in ${CHECKPOINT_FILE}: ${message}`,
    );
  }
  checkFinite(weightsPath, tensors);
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
            `${join(dir, WEIGHTS_FILE)} lacks the float tensor '${value?.tensor}' (optimizer buffer ${buffer} of parameter ${index})`,
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
      throw new CheckpointError(`${path}: ${message}`);
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
