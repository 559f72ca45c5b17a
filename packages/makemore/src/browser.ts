/**
 * The browser build of `@llm-playground/makemore` (picked by bundlers through the `browser` export
 * condition): the same exports, but checkpoints and safetensors files, which need Node's file
 * system, explain themselves instead of pulling `node:fs` into a page. In a browser, turn weights
 * into bytes with `encodeSafetensors` / `decodeSafetensors`.
 */
import type { Tensor } from '@llm-playground/tensor';
import type { Checkpoint } from './checkpoint.js';
import { CheckpointError } from './errors.js';

export {
  CHECKPOINT_FILE,
  CHECKPOINT_FORMAT,
  CHECKPOINT_VERSION,
  WEIGHTS_FILE,
} from './checkpoint-format.js';
export * from './portable.js';
export type { Checkpoint };

function nodeOnly(name: string): never {
  throw new CheckpointError(
    `${name} needs Node.js (files); in a browser use encodeSafetensors/decodeSafetensors on bytes`,
  );
}

export function saveCheckpoint(
  _dir: string,
  _checkpoint: Omit<Checkpoint, 'metadata'> & { metadata?: Record<string, string> },
): void {
  nodeOnly('saveCheckpoint');
}

export function loadCheckpoint(_dir: string): Checkpoint {
  return nodeOnly('loadCheckpoint');
}

export function writeSafetensors(
  _path: string,
  _tensors: Record<string, Tensor>,
  _metadata?: Record<string, string>,
): void {
  nodeOnly('writeSafetensors');
}

export function readSafetensors(_path: string): {
  tensors: Record<string, Tensor>;
  metadata: Record<string, string>;
} {
  return nodeOnly('readSafetensors');
}
