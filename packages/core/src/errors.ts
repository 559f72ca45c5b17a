/**
 * Named errors of `@llm-playground/core`. Argument errors use the built-in `TypeError` (wrong kind
 * of value) and `RangeError` (right kind, bad value), worded "Argument 'x' passed to 'op' must be …".
 */

import type { GradcheckResult } from './numeric.js';

/**
 * Thrown by `assertGradcheck` when analytic and numerical gradients disagree; carries the full
 * comparison in `result`.
 *
 * @example
 * ```ts
 * let caught: unknown;
 * try {
 *   assertGradcheck(([x]) => x.relu(), [0]); // relu has a kink at 0
 * } catch (error) {
 *   caught = error;
 * }
 * caught instanceof GradcheckError; // true
 * (caught as GradcheckError).result.numeric; // [0.5]
 * ```
 */
export class GradcheckError extends Error {
  override readonly name = 'GradcheckError';
  readonly result: GradcheckResult;

  constructor(message: string, result: GradcheckResult) {
    super(message);
    this.result = result;
  }
}

/**
 * A syntax or name error in a `buildExpression` program, with the 1-based `line` and `column`
 * where it is. The message ends with the position: `at column 16` for a one-line program, `at line
 * 2, column 9` when the program spans several lines, then `; hint` when there is one.
 *
 * @example
 * ```ts
 * let caught: unknown;
 * try {
 *   buildExpression('a = 2\nb = a + q');
 * } catch (error) {
 *   caught = error;
 * }
 * caught instanceof ExpressionError; // true
 * (caught as ExpressionError).message; // "unknown name 'q' at line 2, column 9"
 * (caught as ExpressionError).column; // 9
 * ```
 */
export class ExpressionError extends Error {
  override readonly name = 'ExpressionError';
  /** 1-based line of the offending token. */
  readonly line: number;
  /** 1-based column of the offending token (a tab counts as one column). */
  readonly column: number;

  /**
   * @param multiline whether the program has several lines (then the message names the line).
   * @param hint an extra sentence after the position, such as how to write what was meant.
   */
  constructor(
    message: string,
    line: number,
    column: number,
    { multiline = false, hint = '' }: { multiline?: boolean; hint?: string } = {},
  ) {
    const where = `at ${multiline ? `line ${line}, ` : ''}column ${column}`;
    super(`${message} ${where}${hint === '' ? '' : `; ${hint}`}`);
    this.line = line;
    this.column = column;
  }
}
