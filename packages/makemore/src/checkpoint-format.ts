/**
 * The value of `format` in checkpoint.json; `CHECKPOINT_VERSION` is the version written.
 *
 * @example
 * ```ts
 * [CHECKPOINT_VERSION, WEIGHTS_FILE, CHECKPOINT_FILE]; // [2, 'model.safetensors', 'checkpoint.json']
 * CHECKPOINT_FORMAT; // 'llm-playground/makemore checkpoint'
 * ```
 */
export const CHECKPOINT_FORMAT = 'llm-playground/makemore checkpoint';
/**
 * The checkpoint format version written; loading accepts versions up to it. Version 2 adds the
 * `checksum` of checkpoint.json's own content and the `data` fingerprint; version 1 checkpoints
 * (neither) still load, with a warning.
 */
export const CHECKPOINT_VERSION = 2;
export const WEIGHTS_FILE = 'model.safetensors';
export const CHECKPOINT_FILE = 'checkpoint.json';
