/**
 * The two kinds of failure the CLI distinguishes. A `UsageError` is the user's to fix (a wrong flag,
 * a bad value, a syntax error in `--expr`): it prints one line and exits with code 2, like `getopt`
 * tools. Anything else is unexpected: one line, exit code 1. Neither ever prints a stack trace.
 */

/**
 * A mistake in how `lmp` was called; `command` names the help page that explains the fix.
 *
 * @example
 * throw new UsageError("--steps must be a positive integer, got '-3'", 'micrograd moons');
 * // lmp: error: --steps must be a positive integer, got '-3' (see 'lmp micrograd moons --help')
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  /** The command path whose `--help` to point at (`'micrograd moons'`), or `''` for `lmp --help`. */
  readonly command: string;

  constructor(message: string, command = '') {
    super(message);
    this.command = command;
  }
}

/**
 * The one line printed for a usage error.
 *
 * @example
 * formatUsageError(new UsageError('unknown command \'foo\''));
 * // "lmp: error: unknown command 'foo' (see 'lmp --help')"
 */
export function formatUsageError(error: UsageError): string {
  const help = error.command === '' ? 'lmp --help' : `lmp ${error.command} --help`;
  return `lmp: error: ${error.message} (see '${help}')`;
}
