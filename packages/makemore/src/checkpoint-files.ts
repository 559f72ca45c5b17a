/**
 * Checkpoints in a web page (browser-safe): the same two files `lmp train` saves, as a string and
 * bytes to download, and a checkpoint opened from the bytes of uploaded files with every check of
 * `loadCheckpoint`. A model saved by the CLI opens in the page and the reverse.
 */
import {
  type Checkpoint,
  type CheckpointInput,
  type CheckpointJson,
  EMBEDDED_CHECKPOINT_KEY,
  encodeCheckpoint,
  parseCheckpointJson,
  restoreCheckpoint,
  sha256,
  tensorData,
} from './checkpoint-codec.js';
import { CHECKPOINT_FILE, WEIGHTS_FILE } from './checkpoint-format.js';
import { CheckpointError, FamilyMismatchError } from './errors.js';
import type { ModelConfig } from './model.js';
import { decodeSafetensors } from './safetensors.js';

/** A checkpoint's files by name: the JSON as text, the weights as bytes. */
export interface CheckpointFiles {
  'checkpoint.json': string;
  'model.safetensors': Uint8Array;
}

/**
 * The files `saveCheckpoint` would write, in memory: `checkpoint.json`'s text and
 * `model.safetensors`'s bytes (which also embed the JSON, so that file alone opens again).
 *
 * @example
 * ```ts
 * const tokenizer = CharTokenizer.fromText('hello world\n');
 * const settings = { blockSize: 4, nEmbd: 8, nHead: 2, nLayer: 1 };
 * const config = familyConfig('gpt', settings, { vocabSize: tokenizer.vocabSize });
 * const files = checkpointToFiles({ config, tokenizer, model: createModel(config), step: 500 });
 * typeof files['checkpoint.json']; // 'string'
 * checkpointFromFiles(files).step; // 500
 * checkpointFromFiles(files['model.safetensors']).tokenizer.itos.join(''); // '\n dehlorw'
 * ```
 */
export function checkpointToFiles(checkpoint: CheckpointInput): CheckpointFiles {
  const { json, weights } = encodeCheckpoint(checkpoint, 'checkpointToFiles');
  return { [CHECKPOINT_FILE]: json, [WEIGHTS_FILE]: weights };
}

/**
 * Opens a checkpoint from the bytes of its files, validated as `loadCheckpoint` does (format
 * version, checksum, every field, the weights' SHA-256, shapes against the config, finite
 * weights; a `CheckpointError` naming the file and the field). Pass both files, or
 * `model.safetensors` alone (or its bytes): its embedded copy of checkpoint.json is used then.
 * Weights saved before the copy was embedded need their checkpoint.json.
 *
 * @example
 * ```ts
 * // in a page: const bytes = new Uint8Array(await file.arrayBuffer()) from an <input type="file">
 * checkpointFromFiles(new Uint8Array(16)); // throws CheckpointError
 * checkpointFromFiles({ 'model.safetensors': new Uint8Array(16), 'checkpoint.json': '{}' }); // throws CheckpointError
 * ```
 */
export function checkpointFromFiles(
  files: Uint8Array | { 'checkpoint.json'?: string | Uint8Array; 'model.safetensors': Uint8Array },
): Checkpoint {
  const given = files instanceof Uint8Array ? { [WEIGHTS_FILE]: files } : files;
  const weights = given?.[WEIGHTS_FILE];
  if (!(weights instanceof Uint8Array)) {
    throw new CheckpointError(
      `checkpointFromFiles: pass the bytes of ${WEIGHTS_FILE} (a Uint8Array, alone or as { '${WEIGHTS_FILE}': bytes, '${CHECKPOINT_FILE}': text }), got ${weights === undefined ? 'none' : Object.prototype.toString.call(weights)}`,
    );
  }
  const warnings: string[] = [];
  const text = (given as { [CHECKPOINT_FILE]?: string | Uint8Array })[CHECKPOINT_FILE];
  let json: CheckpointJson;
  let jsonName = CHECKPOINT_FILE;
  let decoded: ReturnType<typeof decodeSafetensors> | undefined;
  if (text === undefined) {
    decoded = decodeSafetensors(weights, WEIGHTS_FILE);
    const embedded = decoded.metadata[EMBEDDED_CHECKPOINT_KEY];
    if (embedded === undefined) {
      throw new CheckpointError(
        `${WEIGHTS_FILE} holds weights but no checkpoint (saved before checkpoints were embedded in it, or by another tool): open it together with its ${CHECKPOINT_FILE}`,
      );
    }
    jsonName = `${WEIGHTS_FILE} (its embedded ${CHECKPOINT_FILE})`;
    json = parseCheckpointJson(embedded, jsonName, warnings);
    checkHash(tensorData(weights), json, `the tensor data of ${WEIGHTS_FILE}`, jsonName);
  } else {
    json = parseCheckpointJson(utf8(text), CHECKPOINT_FILE, warnings);
    checkHash(weights, json, WEIGHTS_FILE, CHECKPOINT_FILE);
  }
  decoded ??= decodeSafetensors(weights, WEIGHTS_FILE);
  return restoreCheckpoint(
    json,
    decoded.tensors,
    { json: jsonName, weights: WEIGHTS_FILE },
    warnings,
  );
}

/**
 * Throws a `FamilyMismatchError` unless the checkpoint's model is of one of `families` — for a
 * page or command that reads only some (the GPT page: `['gpt', 'transformer']`). `opener` names
 * it in the message. Returns the checkpoint.
 *
 * @example
 * ```ts
 * expectFamily({ config: { kind: 'gpt' } }, ['gpt', 'transformer']).config.kind; // 'gpt'
 * // "this checkpoint is a wavenet model; the GPT page opens gpt or transformer checkpoints":
 * expectFamily({ config: { kind: 'wavenet' } }, ['gpt', 'transformer'], 'the GPT page'); // throws FamilyMismatchError
 * ```
 */
export function expectFamily<T extends { config: ModelConfig }>(
  checkpoint: T,
  families: readonly string[],
  opener = 'this page',
): T {
  const family = String(checkpoint.config.kind);
  if (families.includes(family)) return checkpoint;
  const list =
    families.length > 1
      ? `${families.slice(0, -1).join(', ')} or ${families.at(-1)}`
      : String(families[0]);
  throw new FamilyMismatchError(
    `this checkpoint is a ${family} model; ${opener} opens ${list} checkpoints`,
    { family, expected: families },
  );
}

function utf8(text: string | Uint8Array): string {
  if (typeof text === 'string') return text;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(text);
  } catch {
    throw new CheckpointError(`${CHECKPOINT_FILE} is not UTF-8 text (a binary file?)`);
  }
}

function checkHash(bytes: Uint8Array, json: CheckpointJson, what: string, jsonName: string): void {
  const { bytes: size, sha256: hash } = json.weights;
  if (bytes.length === size && sha256(bytes) === hash) return;
  throw new CheckpointError(
    `${what} does not match ${jsonName} (${bytes.length} bytes, the checkpoint recorded ${size} bytes with SHA-256 ${hash.slice(0, 12)}…): truncated, replaced, or from another save`,
  );
}
