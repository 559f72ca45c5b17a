/**
 * Atomic file writes (write a temporary file beside the target, flush it to disk, rename it over),
 * a `mkdir -p` that cannot loop, and the clean-up of temporary files that killed processes left.
 *
 * Temporary files are named `.<target>.tmp-<pid>-<n>`: the PID says whose they are, so a later
 * process can tell the leftovers of a dead writer (safe to remove) from a save in progress (never
 * touched).
 */
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

let counter = 0;

/** A temporary path in the same folder as `path` (rename is only atomic within one filesystem). */
export function temporaryPath(path: string): string {
  counter += 1;
  return join(dirname(path), `.${basename(path)}.tmp-${process.pid}-${counter}`);
}

const TEMPORARY_NAME = /^\.(.+)\.tmp-(\d+)-(\d+)$/;

/** A temporary file found in a folder: whose target, written by which process. */
export interface TemporaryFile {
  /** The temporary file's path. */
  path: string;
  /** The file it was going to replace (its base name, e.g. `model.safetensors`). */
  target: string;
  /** The process that wrote it. */
  pid: number;
  /** Its per-process sequence number (later saves have larger numbers). */
  sequence: number;
}

/** The temporary files `temporaryPath` made in `dir` (any process), or [] when `dir` is unreadable. */
export function listTemporaryFiles(dir: string): TemporaryFile[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const found: TemporaryFile[] = [];
  for (const name of names) {
    const match = TEMPORARY_NAME.exec(name);
    if (!match) continue;
    found.push({
      path: join(dir, name),
      target: match[1],
      pid: Number(match[2]),
      sequence: Number(match[3]),
    });
  }
  return found;
}

/**
 * Whether process `pid` is running: `process.kill(pid, 0)` sends no signal, it only checks.
 * EPERM means the process exists but belongs to someone else: alive.
 */
export function isProcessAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the temporary files in `dir` whose writer is no longer running (a save killed half-way);
 * a live process's files (a save in progress, ours included) are never touched. Returns the paths
 * removed. Best effort: a file that cannot be removed is skipped.
 */
export function removeStaleTemporaryFiles(dir: string, targets?: readonly string[]): string[] {
  const removed: string[] = [];
  for (const file of listTemporaryFiles(dir)) {
    if (targets && !targets.includes(file.target)) continue;
    if (isProcessAlive(file.pid)) continue;
    try {
      rmSync(file.path, { force: true });
      removed.push(file.path);
    } catch {
      // read-only folder or a race with another cleaner: leave it
    }
  }
  return removed;
}

/**
 * `mkdir -p` without Node's loop: `mkdirSync(dir, { recursive: true })` spins forever at 100% CPU
 * when a folder refuses new entries with ENOENT although it exists (`/proc/x` as root, Node 20).
 * This creates each missing level once, from the first existing ancestor down, and rethrows the
 * first error. Returns the folders it created, outermost first (empty when `dir` existed).
 */
export function makeDirectories(dir: string): string[] {
  const missing: string[] = [];
  let current = resolve(dir);
  const notADirectory = (path: string) => {
    const error = new Error(`ENOTDIR: not a directory, mkdir '${dir}'`) as NodeJS.ErrnoException;
    error.code = 'ENOTDIR';
    error.path = path;
    return error;
  };
  for (;;) {
    let code: string | undefined;
    try {
      if (statSync(current).isDirectory()) break;
      throw notADirectory(current);
    } catch (error) {
      code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOTDIR') {
        // A file somewhere above: name it (the first ancestor that exists).
        let above = current;
        while (dirname(above) !== above) {
          try {
            statSync(above);
            break;
          } catch {
            above = dirname(above);
          }
        }
        throw notADirectory(above);
      }
      if (code !== 'ENOENT') throw error;
    }
    missing.push(current);
    const parent = dirname(current);
    if (parent === current) break; // the root itself is missing: mkdir below reports it
    current = parent;
  }
  const created: string[] = [];
  for (const folder of missing.reverse()) {
    try {
      mkdirSync(folder);
    } catch (error) {
      // Another process made it in between: fine; anything else (ENOENT in /proc, EACCES): stop.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    created.push(folder);
  }
  return created;
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
 * Stale temporary files of `path` left by killed processes are removed first.
 */
export function writeFileAtomic(path: string, bytes: Uint8Array | string): void {
  removeStaleTemporaryFiles(dirname(path), [basename(path)]);
  const temporary = writeTemporary(path, bytes);
  try {
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}
