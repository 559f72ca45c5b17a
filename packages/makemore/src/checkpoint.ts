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
import type { Tensor } from '@llm-playground/tensor';
import {
  isProcessAlive,
  listTemporaryFiles,
  makeDirectories,
  removeStaleTemporaryFiles,
  type TemporaryFile,
  writeTemporary,
} from './atomic-write.js';
import {
  type Checkpoint,
  type CheckpointInput,
  type CheckpointJson,
  encodeCheckpoint,
  formatBytes,
  parseCheckpointJson,
  restoreCheckpoint,
} from './checkpoint-codec.js';
import {
  CHECKPOINT_FILE,
  CHECKPOINT_FORMAT,
  CHECKPOINT_VERSION,
  WEIGHTS_FILE,
} from './checkpoint-format.js';
import { CheckpointError } from './errors.js';
import { decodeSafetensors } from './safetensors.js';

export { checkpointChecksum, formatBytes } from './checkpoint-codec.js';
export type { Checkpoint, CheckpointInput };
export { CHECKPOINT_FILE, CHECKPOINT_FORMAT, CHECKPOINT_VERSION, WEIGHTS_FILE };

const PREVIOUS_WEIGHTS_FILE = `${WEIGHTS_FILE}.previous`;
const CHECKPOINT_FILES = [WEIGHTS_FILE, CHECKPOINT_FILE];
/** node:crypto's SHA-256 (the codec's portable one gives the same hex, slower). */
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

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
export function saveCheckpoint(dir: string, checkpoint: CheckpointInput): void {
  const { json, weights } = encodeCheckpoint(checkpoint, 'saveCheckpoint', sha256);
  makeDirectories(dir);
  removeStaleTemporaryFiles(dir, CHECKPOINT_FILES);
  commitCheckpointFiles(dir, weights, json);
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
 */ export function loadCheckpoint(dir: string): Checkpoint {
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
  const { tensors, path: weightsPath } = readWeights(dir, json.weights);
  return restoreCheckpoint(json, tensors, { json: path, weights: weightsPath }, warnings);
}
