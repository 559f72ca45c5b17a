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
