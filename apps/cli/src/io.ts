import { resolve } from 'node:path';

/**
 * Where a command writes. Injected so tests run commands in-process and read what they printed;
 * `process.stdout`/`process.stderr` satisfy it in the real binary.
 */
export interface OutputStream {
  write(chunk: string): unknown;
  /** True when a person is watching: enables the progress bar. */
  isTTY?: boolean;
  /** Terminal width in characters, when known. */
  columns?: number;
}

/** The streams and working directory a command runs with. */
export interface CliIO {
  stdout: OutputStream;
  stderr: OutputStream;
  /** Directory that relative `--output`/`--plot` paths resolve against (default: `process.cwd()`). */
  cwd?: string;
}

/**
 * A path as given on the command line, made absolute against `io.cwd` (default `process.cwd()`).
 *
 * @example
 * resolvePath({ cwd: '/data' } as CliIO, 'names.txt'); // '/data/names.txt'
 */
export function resolvePath(io: CliIO, path: string): string {
  return resolve(io.cwd ?? process.cwd(), path);
}

/**
 * An in-memory `CliIO` for tests and programmatic use: everything written is kept as text.
 *
 * @example
 * const io = bufferIO();
 * await run(['--version'], io);
 * io.out(); // '0.0.0\n'
 */
export function bufferIO(options: { isTTY?: boolean; cwd?: string } = {}): CliIO & {
  out(): string;
  err(): string;
} {
  const out: string[] = [];
  const err: string[] = [];
  return {
    stdout: { write: (chunk: string) => out.push(chunk), isTTY: options.isTTY ?? false },
    stderr: {
      write: (chunk: string) => err.push(chunk),
      isTTY: options.isTTY ?? false,
      columns: 80,
    },
    cwd: options.cwd,
    out: () => out.join(''),
    err: () => err.join(''),
  };
}
