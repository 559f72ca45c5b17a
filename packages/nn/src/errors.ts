/**
 * Errors raised by the tensor half of `nn`, worded like PyTorch's so that searches find the same
 * answers. Shape, index and dtype problems in losses reuse the tensor package's `ShapeError`,
 * `IndexError` and `DTypeError`; the classes here are for what only `nn` can get wrong.
 */

import { DTypeError, isFloating, type Tensor } from '@llm-playground/tensor';

/**
 * Throws a `DTypeError` naming `module` when `input` is not floating point (int32): modules whose
 * math only makes sense on floats (GELU, Dropout, LayerNorm, …) say so themselves rather than fail
 * deep inside an op or, worse, compute in integers. (Internal: not exported from the package.)
 */
export function checkFloatingInput(module: string, input: Tensor): void {
  if (!isFloating(input.dtype)) {
    throw new DTypeError(
      `${module}: expected a floating point input (float32 or float64), got ${input.dtype}; cast it first with .to('float32')`,
    );
  }
}

/**
 * A state dict that does not fit a module or an optimizer: missing or unexpected keys, size or
 * dtype mismatches, a foreign optimizer kind.
 *
 * @example
 * ```ts
 * new Linear(2, 3).loadStateDict({}); // throws StateDictError
 * ```
 */
export class StateDictError extends Error {
  override name = 'StateDictError';
  /** Each problem on its own (`size mismatch for W1: …`), for callers that print one line per problem. */
  readonly problems: string[];

  constructor(message: string, problems: string[] = [message]) {
    super(message);
    this.problems = problems;
  }
}

/**
 * A bad constructor argument or hyperparameter (`Invalid learning rate: -1`).
 *
 * @example
 * ```ts
 * new SGD([], { lr: -1 }); // throws ConfigError
 * ```
 */
export class ConfigError extends RangeError {
  override name = 'ConfigError';
}
