/** Reading and writing `.safetensors` files (Node only; the format itself is in `safetensors.ts`). */
import { readFileSync } from 'node:fs';
import type { Tensor } from '@llm-playground/tensor';
import { writeFileAtomic } from './atomic-write.js';
import { CheckpointError } from './errors.js';
import { decodeSafetensors, encodeSafetensors } from './safetensors.js';

/**
 * Writes tensors to a `.safetensors` file that PyTorch (`safetensors.torch.load_file`) reads.
 * The file is written to a temporary file in the same folder and renamed over `path`, so a crash
 * never leaves a half-written file behind.
 *
 * @example
 * ```ts
 * import { mkdtempSync } from 'node:fs';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * const path = join(mkdtempSync(join(tmpdir(), 'st-')), 'weights.safetensors');
 * writeSafetensors(path, { b: tensor([0.5, -1], { dtype: 'float32' }) }, { note: 'hello' });
 * const { tensors, metadata } = readSafetensors(path);
 * tensors.b.tolist(); // [0.5, -1]
 * metadata.note; // 'hello'
 * ```
 */
export function writeSafetensors(
  path: string,
  tensors: Record<string, Tensor>,
  metadata?: Record<string, string>,
): void {
  writeFileAtomic(path, encodeSafetensors(tensors, metadata));
}

/**
 * Reads a `.safetensors` file (F32, F64 and I32 tensors). Throws `CheckpointError` naming the file
 * when it is missing, truncated, or not safetensors.
 *
 * @example
 * ```ts
 * readSafetensors('/nonexistent/model.safetensors'); // throws CheckpointError
 * ```
 */
export function readSafetensors(path: string): {
  tensors: Record<string, Tensor>;
  metadata: Record<string, string>;
} {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new CheckpointError(`${path} does not exist`);
    if (code === 'EISDIR')
      throw new CheckpointError(`${path} is a directory, not a safetensors file`);
    throw new CheckpointError(`cannot read ${path}: ${(error as Error).message}`);
  }
  return decodeSafetensors(bytes, path);
}
