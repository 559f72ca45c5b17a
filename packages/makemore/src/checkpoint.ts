/**
 * Checkpoints: a folder with
 *
 *   model.safetensors   the weights (names as in `namedParameters()`: C, W1, …), plus the optimizer's
 *                       buffers as `optimizer.<paramIndex>.<buffer>`; PyTorch loads it directly
 *   checkpoint.json     format + version, model config, tokenizer, step, optimizer hyperparameters,
 *                       generator state, metadata, and the SHA-256 of model.safetensors
 *
 * Saving is crash-safe. Both files are first written to temporary files (flushed to disk); then the
 * old weights are renamed to `model.safetensors.previous`, the new weights and the new JSON are
 * renamed into place, and the previous weights are deleted. Each rename is atomic, and at every
 * moment checkpoint.json names (by hash) a weights file that exists: `loadCheckpoint` uses
 * `model.safetensors.previous` when a crash left the old JSON beside the new weights. A save that
 * fails with an error (rather than a crash) also removes the temporary files it wrote.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { GeneratorState } from '@llm-playground/core';
import { CharTokenizer } from '@llm-playground/data';
import type { OptimizerState } from '@llm-playground/nn';
import { type Tensor, tensor } from '@llm-playground/tensor';
import { writeTemporary } from './atomic-write.js';
import {
  CHECKPOINT_FILE,
  CHECKPOINT_FORMAT,
  CHECKPOINT_VERSION,
  WEIGHTS_FILE,
} from './checkpoint-format.js';
import { createModel } from './create-model.js';
import { CheckpointError } from './errors.js';
import type { LanguageModel, ModelConfig } from './model.js';
import { decodeSafetensors, encodeSafetensors } from './safetensors.js';

export { CHECKPOINT_FILE, CHECKPOINT_FORMAT, CHECKPOINT_VERSION, WEIGHTS_FILE };

const PREVIOUS_WEIGHTS_FILE = `${WEIGHTS_FILE}.previous`;
const OPTIMIZER_PREFIX = 'optimizer.';

export interface Checkpoint {
  config: ModelConfig;
  tokenizer: CharTokenizer;
  model: LanguageModel;
  /** Training steps done (where a resumed run continues). */
  step: number;
  optimizerState?: OptimizerState;
  generatorState?: GeneratorState;
  metadata: Record<string, string>;
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
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
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
  const tensors: Record<string, Tensor> = { ...model.stateDict() };
  for (const name of Object.keys(tensors)) {
    if (name.startsWith(OPTIMIZER_PREFIX)) {
      throw new RangeError(
        `saveCheckpoint: a model tensor may not be named '${name}' (reserved prefix '${OPTIMIZER_PREFIX}')`,
      );
    }
  }
  let optimizer: CheckpointJson['optimizer'] = null;
  if (checkpoint.optimizerState) {
    const { kind, groups, state } = checkpoint.optimizerState;
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
    generatorState: checkpoint.generatorState ?? null,
    metadata: { ...(checkpoint.metadata ?? {}) },
  };
  mkdirSync(dir, { recursive: true });
  commitCheckpointFiles(dir, weights, `${JSON.stringify(json, null, 2)}\n`);
}

/** Reads checkpoint.json and checks its format, version and fields. */
function readCheckpointJson(dir: string): CheckpointJson {
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
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new CheckpointError(`no checkpoint in ${dir}: ${CHECKPOINT_FILE} is missing`);
  }
  let json: Partial<CheckpointJson>;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new CheckpointError(
      `${path} is not valid JSON (truncated or corrupted?): ${(error as Error).message}`,
    );
  }
  if (json === null || typeof json !== 'object' || json.format !== CHECKPOINT_FORMAT) {
    throw new CheckpointError(
      `${path} is not an llm-playground makemore checkpoint (expected "format": "${CHECKPOINT_FORMAT}")`,
    );
  }
  if (!Number.isInteger(json.version) || (json.version as number) < 1) {
    throw new CheckpointError(
      `${path} has an invalid format version ${JSON.stringify(json.version)}`,
    );
  }
  if ((json.version as number) > CHECKPOINT_VERSION) {
    throw new CheckpointError(
      `${path} has format version ${json.version}, newer than this version of @llm-playground/makemore reads (${CHECKPOINT_VERSION}); upgrade it`,
    );
  }
  const bad = (field: string, expected: string): never => {
    throw new CheckpointError(
      `${path}: '${field}' must be ${expected}, got ${JSON.stringify((json as Record<string, unknown>)[field])}`,
    );
  };
  if (json.config === null || typeof json.config !== 'object')
    bad('config', 'a model config object');
  if (!Number.isInteger(json.step) || (json.step as number) < 0) bad('step', 'an integer ≥ 0');
  const weights = json.weights;
  if (!weights || typeof weights.sha256 !== 'string' || !Number.isInteger(weights.bytes)) {
    bad('weights', '{ file, bytes, sha256 }');
  }
  if (json.metadata === null || typeof json.metadata !== 'object')
    bad('metadata', 'an object of strings');
  return json as CheckpointJson;
}

/** The weights file whose hash checkpoint.json records (the previous one after an interrupted save). */
function readWeights(dir: string, expected: CheckpointJson['weights']): Record<string, Tensor> {
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
  return decodeSafetensors(found.bytes, found.path).tensors;
}

/**
 * Loads and validates a checkpoint saved by `saveCheckpoint`: rebuilds the model from its config,
 * loads the weights, restores the tokenizer and the optimizer's buffers. Throws `CheckpointError`
 * naming the file and the problem (missing folder or file, truncated or foreign file, newer
 * format version, weights that do not fit the config).
 *
 * @example
 * ```ts
 * loadCheckpoint('/nonexistent/run'); // throws CheckpointError
 * ```
 */
export function loadCheckpoint(dir: string): Checkpoint {
  const json = readCheckpointJson(dir);
  const path = join(dir, CHECKPOINT_FILE);
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
  let model: LanguageModel;
  try {
    model = createModel(json.config, { tokenizer });
  } catch (error) {
    throw new CheckpointError(`${path}: invalid model config: ${(error as Error).message}`);
  }
  const tensors = readWeights(dir, json.weights);
  const modelState: Record<string, Tensor> = {};
  for (const [name, t] of Object.entries(tensors)) {
    if (!name.startsWith(OPTIMIZER_PREFIX)) modelState[name] = t;
  }
  try {
    model.loadStateDict(modelState);
  } catch (error) {
    throw new CheckpointError(
      `${join(dir, WEIGHTS_FILE)} does not fit the config in ${CHECKPOINT_FILE}: ${(error as Error).message}`,
    );
  }
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
  return {
    config: model.config,
    tokenizer,
    model,
    step: json.step,
    optimizerState,
    generatorState: json.generatorState ?? undefined,
    metadata: { ...json.metadata },
  };
}
