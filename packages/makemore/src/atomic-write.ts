/** Atomic file writes: write a temporary file beside the target, flush it to disk, rename it over. */
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

let counter = 0;

/** A temporary path in the same folder as `path` (rename is only atomic within one filesystem). */
export function temporaryPath(path: string): string {
  counter += 1;
  return join(dirname(path), `.${basename(path)}.tmp-${process.pid}-${counter}`);
}

/** Writes `bytes` to a temporary file in `path`'s folder and fsyncs it; returns the temporary path. */
export function writeTemporary(path: string, bytes: Uint8Array | string): string {
  const temporary = temporaryPath(path);
  const fd = openSync(temporary, 'w');
  try {
    const buffer = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
    let written = 0;
    while (written < buffer.length) {
      written += writeSync(fd, buffer, written, buffer.length - written);
    }
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(temporary, { force: true });
    throw error;
  }
  closeSync(fd);
  return temporary;
}

/**
 * Replaces `path` with `bytes` atomically: readers see the old file or the new one, never a part.
 */
export function writeFileAtomic(path: string, bytes: Uint8Array | string): void {
  const temporary = writeTemporary(path, bytes);
  try {
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}
