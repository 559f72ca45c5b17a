/**
 * Checks done before any training, so that a run never ends in an error about where to save it:
 * `checkOutputDirectory` proves a checkpoint folder can be created and written (and removes what the
 * check created), `describeExistingCheckpoint` tells what a folder already holds so that a command
 * can refuse to overwrite it.
 */
import { closeSync, openSync, readFileSync, rmdirSync, rmSync, statSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { makeDirectories } from './atomic-write.js';
import { CHECKPOINT_FILE, WEIGHTS_FILE } from './checkpoint-format.js';

/**
 * An output path that cannot be used: the message names the path (and the flag, when given), says
 * why (a file in the way, a missing or read-only parent, no permission) and what to do.
 *
 * @example
 * ```ts
 * const error = new OutputDirectoryError('--out /proc/x: cannot create the folder', 'ENOENT');
 * error.name; // 'OutputDirectoryError'
 * error.code; // 'ENOENT'
 * ```
 */
export class OutputDirectoryError extends Error {
  override readonly name = 'OutputDirectoryError';
  /** The system error code behind it (`EACCES`, `ENOTDIR`, …), when there was one. */
  readonly code?: string;

  constructor(message: string, code?: string) {
    super(message);
    this.code = code;
  }
}

function explain(code: string | undefined, path: string): string {
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return `permission denied at ${path} — choose a folder you can write to`;
    case 'EROFS':
      return `${path} is on a read-only file system — choose another folder`;
    case 'ENOTDIR':
    case 'EEXIST':
      return `${path} is a file, not a folder — remove it or choose another path`;
    case 'EISDIR':
      return `${path} is a folder where a file was expected — choose another path`;
    case 'ENOENT':
      return `the file system does not allow creating ${path} (a virtual file system such as /proc, or a parent that vanished) — choose a folder on a normal disk`;
    case 'ENOSPC':
      return `no space left on the device of ${path} — free some space or choose another folder`;
    case 'ENAMETOOLONG':
      return `the path ${path} is too long — choose a shorter one`;
    default:
      return `cannot write to ${path}${code ? ` (${code})` : ''} — choose another folder`;
  }
}

/**
 * Checks up front that `dir` can hold a checkpoint: it is (or can be created as) a folder and a
 * file can be written in it. Folders created for the check are removed again, so nothing is left
 * behind if the run then stops early. Throws `OutputDirectoryError` with one line such as
 * `--out /proc/x: the file system does not allow creating /proc/x (…) — choose a folder on a normal
 * disk`; `flag` (e.g. `'--out'`) prefixes the message. Never loops (`/proc/x` fails at once).
 *
 * @example
 * ```ts
 * import { mkdtempSync } from 'node:fs';
 * import { tmpdir } from 'node:os';
 * import { dirname, join } from 'node:path';
 * // Passes, and leaves nothing behind:
 * checkOutputDirectory(join(mkdtempSync(join(tmpdir(), 'out-')), 'run'));
 * checkOutputDirectory('/proc/x', { flag: '--out' }); // throws OutputDirectoryError
 * ```
 */
export function checkOutputDirectory(dir: string, options: { flag?: string } = {}): void {
  const prefix = options.flag ? `${options.flag} ${dir}: ` : '';
  if (typeof dir !== 'string' || dir === '') {
    throw new OutputDirectoryError(`${prefix}the output folder must be a non-empty path`);
  }
  const fail = (error: unknown, at: string): never => {
    const code = (error as NodeJS.ErrnoException).code;
    throw new OutputDirectoryError(`${prefix}${explain(code, at)}`, code);
  };
  let created: string[] = [];
  try {
    created = makeDirectories(dir);
  } catch (error) {
    fail(error, (error as NodeJS.ErrnoException).path ?? dir);
  }
  const probe = join(dir, `.lmp-write-check-${process.pid}`);
  try {
    const fd = openSync(probe, 'w');
    try {
      writeSync(fd, 'ok');
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    fail(error, dir);
  } finally {
    try {
      rmSync(probe, { force: true });
    } catch {}
    for (const folder of created.reverse()) {
      try {
        rmdirSync(folder);
      } catch {}
    }
  }
}

/**
 * Checks up front that a file (a `--plot` image, an `--output` report) can be written at `path`:
 * its folder can be created and written (as `checkOutputDirectory`), and `path` is not a folder.
 * Creates nothing that stays. Throws `OutputDirectoryError`, prefixed with `flag` when given.
 *
 * @example
 * ```ts
 * checkOutputFile('/proc/x/loss.svg', { flag: '--plot' }); // throws OutputDirectoryError
 * ```
 */
export function checkOutputFile(path: string, options: { flag?: string } = {}): void {
  const prefix = options.flag ? `${options.flag} ${path}: ` : '';
  if (typeof path !== 'string' || path === '') {
    throw new OutputDirectoryError(`${prefix}the output file must be a non-empty path`);
  }
  try {
    if (statSync(path).isDirectory()) {
      throw new OutputDirectoryError(`${prefix}${explain('EISDIR', path)}`, 'EISDIR');
    }
  } catch (error) {
    if (error instanceof OutputDirectoryError) throw error;
    // missing: fine, it will be created
  }
  try {
    checkOutputDirectory(dirname(path));
  } catch (error) {
    const inner = error as OutputDirectoryError;
    throw new OutputDirectoryError(`${prefix}${inner.message}`, inner.code);
  }
}

/** What `describeExistingCheckpoint` found. */
export interface ExistingCheckpoint {
  /** The training steps it records (undefined when checkpoint.json is unreadable). */
  step?: number;
  /** The model kind (`mlp`, …; undefined when unreadable). */
  kind?: string;
  /** `"lmp-out/mlp holds a 300-step mlp checkpoint"` */
  summary: string;
  /** The summary plus the ways out: `--resume` to continue, `--force` or another `--out` to replace. */
  message: string;
}

/**
 * What `dir` already holds, so that a command can refuse to overwrite it: undefined when there is
 * no checkpoint (no folder, an empty one, or one without checkpoint.json and model.safetensors),
 * else a summary and a message with the two ways out. Cheap (reads only checkpoint.json) and
 * tolerant: a damaged checkpoint.json still counts as a checkpoint.
 *
 * @example
 * ```ts
 * describeExistingCheckpoint('/nonexistent/run'); // undefined
 * ```
 */
export function describeExistingCheckpoint(dir: string): ExistingCheckpoint | undefined {
  try {
    if (!statSync(dir).isDirectory()) return undefined;
  } catch {
    return undefined;
  }
  let text: string | undefined;
  try {
    text = readFileSync(join(dir, CHECKPOINT_FILE), 'utf8');
  } catch {
    text = undefined;
  }
  if (text === undefined) {
    try {
      statSync(join(dir, WEIGHTS_FILE));
    } catch {
      return undefined;
    }
  }
  let step: number | undefined;
  let kind: string | undefined;
  try {
    const json = JSON.parse(text ?? '');
    if (Number.isInteger(json?.step)) step = json.step;
    if (typeof json?.config?.kind === 'string') kind = json.config.kind;
  } catch {}
  const what =
    step !== undefined && kind !== undefined
      ? `a ${step}-step ${kind} checkpoint`
      : 'a checkpoint (its checkpoint.json is missing or unreadable)';
  const summary = `${dir} holds ${what}`;
  return {
    step,
    kind,
    summary,
    message: `${summary}: use --resume to continue it, or --force / another --out to replace it`,
  };
}
