/**
 * Output paths checked before the work starts: `--plot FILE`, `--output FILE` and `-o/--out DIR`.
 * A run of an hour must not end on "EISDIR" or "EACCES" when it tries to write its picture or its
 * checkpoint, so each path is probed up front (a file is created and removed; a folder gets a probe
 * folder), and every failure is a `UsageError` (exit 2) that names the flag, the path, what is wrong
 * and what to do.
 *
 * NOTE: the probe really creates something, because permission bits do not tell the whole story:
 * root passes every `access()` check, yet cannot create a folder in `/proc` or on a read-only mount.
 * A checkpoint folder is checked by makemore's `checkOutputDirectory` (which also never loops on
 * `/proc/x` as Node's `mkdirSync(…, { recursive: true })` does as root).
 */
import { accessSync, constants, existsSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import {
  checkOutputDirectory as checkCheckpointDirectory,
  OutputDirectoryError,
} from '@llm-playground/makemore';
import { UsageError } from './errors.js';

/** The nearest existing path at or above `path` (the root at worst). */
function nearestExisting(path: string): string {
  let existing = path;
  while (!existsSync(existing) && dirname(existing) !== existing) existing = dirname(existing);
  return existing;
}

/** `'the folder out'`, the way a message refers to a path the user typed relative to `cwd`. */
function shown(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel === '' ? '.' : rel.startsWith('..') ? path : rel;
}

/** The error code of a failed file-system call, if any. */
function codeOf(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

/**
 * Explains a failed write of `path` (given as `--flag text`) in one clause: what the system said,
 * in words, and what to do.
 *
 * @example
 * describeWriteError({ code: 'EACCES' }, '/root/x.png', '/home/me');
 * // "no permission to write '/root/x.png': choose a folder you can write to"
 */
export function describeWriteError(error: unknown, path: string, cwd: string): string {
  const where = `'${shown(path, cwd)}'`;
  switch (codeOf(error)) {
    case 'EACCES':
    case 'EPERM':
      return `no permission to write ${where}: choose a folder you can write to`;
    case 'EROFS':
      return `${where} is on a read-only file system: choose another folder`;
    case 'EISDIR':
      return `${where} is a folder: give a file name inside it`;
    case 'ENOTDIR':
      return `a part of ${where} is a file, not a folder: choose another path`;
    case 'ENOENT':
      return `cannot create ${where} (its folder does not exist or does not accept new files): choose another path`;
    case 'ENOSPC':
      return `no space left on the device to write ${where}`;
    default:
      return `cannot write ${where}: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/**
 * Checks that the file `path` (absolute) can be written, before any work: its folder exists and
 * is a folder, the path itself is not a folder, and a file can be created there (probed, then
 * removed; an existing file is checked for write permission and left alone). Throws a
 * `UsageError` naming `--flag`.
 *
 * @example
 * checkOutputFile('/home/me/plots/loss.png', 'plot', '/home/me', 'train');
 * // throws UsageError: --plot plots/loss.png: the folder 'plots' does not exist; create it first (mkdir -p plots)
 */
export function checkOutputFile(path: string, flag: string, cwd: string, command: string): void {
  const fail = (problem: string): never => {
    throw new UsageError(`--${flag} ${shown(path, cwd)}: ${problem}`, command);
  };
  const folder = dirname(path);
  if (!existsSync(folder)) {
    const existing = nearestExisting(folder);
    if (!statSync(existing).isDirectory()) {
      fail(`'${shown(existing, cwd)}' is a file, not a folder: choose another path`);
    }
    fail(
      `the folder '${shown(folder, cwd)}' does not exist; create it first (mkdir -p ${shown(folder, cwd)})`,
    );
  }
  if (!statSync(folder).isDirectory()) {
    fail(`'${shown(folder, cwd)}' is a file, not a folder: choose another path`);
  }
  if (existsSync(path)) {
    if (statSync(path).isDirectory()) {
      fail(
        `is a folder: give a file name inside it, such as ${join(shown(path, cwd), 'plot.png')}`,
      );
    }
    try {
      accessSync(path, constants.W_OK);
    } catch (error) {
      fail(describeWriteError(error, path, cwd));
    }
    return;
  }
  try {
    writeFileSync(path, '', { flag: 'wx' });
    unlinkSync(path);
  } catch (error) {
    fail(describeWriteError(error, path, cwd));
  }
}

/**
 * Checks that a checkpoint can be saved into the folder `dir` (absolute), before any work:
 * makemore's `checkOutputDirectory` (creates and writes a probe, removes what it created, fails at
 * once on `/proc/x`), its `OutputDirectoryError` turned into a `UsageError` naming `--flag` and
 * the path as the user typed it.
 *
 * @example
 * checkOutputDirectory('/proc/x', 'out', '/root', 'train');
 * // throws UsageError: --out /proc/x: the file system does not allow creating /proc/x (…) — choose a folder on a normal disk
 */
export function checkOutputDirectory(
  dir: string,
  flag: string,
  cwd: string,
  command: string,
): void {
  try {
    checkCheckpointDirectory(dir, { flag: `--${flag}` });
  } catch (error) {
    if (!(error instanceof OutputDirectoryError)) throw error;
    // Paths as the user typed them: relative to the working folder when inside it.
    const message = error.message.split(dir).join(shown(dir, cwd)).split(join(cwd, '/')).join('');
    throw new UsageError(message, command);
  }
}
