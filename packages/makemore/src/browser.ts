/**
 * The browser build of `@llm-playground/makemore` (picked by bundlers through the `browser` export
 * condition): the same exports, but checkpoints and safetensors files, which need Node's file
 * system, explain themselves instead of pulling `node:fs` into a page. In a browser, a checkpoint
 * is bytes: `checkpointToFiles` / `checkpointFromFiles`.
 */
import type { Tensor } from '@llm-playground/tensor';
import type { Checkpoint, CheckpointInput } from './checkpoint-codec.js';
import { CheckpointError } from './errors.js';

export * from './portable.js';

function nodeOnly(name: string): never {
  throw new CheckpointError(
    `${name} needs Node.js (files); in a browser use checkpointToFiles / checkpointFromFiles on bytes (and encodeSafetensors / decodeSafetensors for bare tensors)`,
  );
}

export function saveCheckpoint(_dir: string, _checkpoint: CheckpointInput): void {
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
