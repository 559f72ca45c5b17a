/**
 * Errors raised by the tensor half of `nn`, worded like PyTorch's so that searches find the same
 * answers. Shape, index and dtype problems in losses reuse the tensor package's `ShapeError`,
 * `IndexError` and `DTypeError`; the classes here are for what only `nn` can get wrong.
 */

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
