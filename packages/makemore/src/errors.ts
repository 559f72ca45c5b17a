/** Named errors of `@llm-playground/makemore`. */

/**
 * Training diverged (the one rule, `Trainer`'s): a loss that is NaN or infinite, or a mean loss
 * over the last `patience` steps above the bound derived from the uniform-guess loss. The message names the step, the loss, the
 * learning rate and — when the LR finder could run — a learning rate that works (`suggestedLr`).
 *
 * @example
 * ```ts
 * const error = new TrainingDivergedError('Training diverged at step 12: the loss became NaN', { step: 12, loss: NaN, lr: 100, suggestedLr: 0.3 });
 * error.name; // 'TrainingDivergedError'
 * error.step; // 12
 * error.suggestedLr; // 0.3
 * ```
 */
export class TrainingDivergedError extends Error {
  override readonly name = 'TrainingDivergedError';
  /** The global step (0-based) whose loss broke the rule. */
  readonly step: number;
  /** The offending loss value (NaN, ±Infinity), or the recent mean loss that was above the bound. */
  readonly loss: number;
  /** The learning rate in use at that step. */
  readonly lr: number;
  /** A learning rate found by the LR finder on the initial weights, or undefined if it could not run. */
  readonly suggestedLr: number | undefined;
  /** The bound the loss stayed above (Infinity when the loss was not finite). */
  readonly bound: number;

  constructor(
    message: string,
    details: { step: number; loss: number; lr: number; suggestedLr?: number; bound?: number },
  ) {
    super(message);
    this.step = details.step;
    this.loss = details.loss;
    this.lr = details.lr;
    this.suggestedLr = details.suggestedLr;
    this.bound = details.bound ?? Number.POSITIVE_INFINITY;
  }
}

/**
 * A checkpoint or safetensors file that cannot be read: missing, truncated, foreign, of another
 * format version, or not matching its config. The message names the file and what is wrong.
 *
 * @example
 * ```ts
 * const error = new CheckpointError('no checkpoint in /tmp/none: checkpoint.json is missing');
 * error.name; // 'CheckpointError'
 * error instanceof Error; // true
 * ```
 */
export class CheckpointError extends Error {
  override readonly name = 'CheckpointError';
}

/**
 * A model or training setting that is not allowed: out of range, of the wrong type, unknown, or a
 * size that cannot fit in memory. The message names the setting (and its CLI flag), the value and
 * what is allowed.
 *
 * @example
 * ```ts
 * const error = new ConfigError('mlp config: nHidden (--n-hidden) must be an integer in [1, 100000], got 0');
 * error.name; // 'ConfigError'
 * error instanceof RangeError; // true
 * ```
 */
export class ConfigError extends RangeError {
  override readonly name = 'ConfigError';
}

/**
 * A model or checkpoint of one family handed to code that reads other families (an RNN checkpoint
 * opened on the GPT page, a GPT given to `hiddenStates`). `family` is what it is, `expected` what
 * was wanted; the message says both and what to do.
 *
 * @example
 * ```ts
 * const error = new FamilyMismatchError('this checkpoint is a wavenet model; the GPT page opens gpt or transformer checkpoints', { family: 'wavenet', expected: ['gpt', 'transformer'] });
 * error.name; // 'FamilyMismatchError'
 * error.expected; // ['gpt', 'transformer']
 * ```
 */
export class FamilyMismatchError extends Error {
  override readonly name = 'FamilyMismatchError';
  /** The family of the model or checkpoint (its config's `kind`). */
  readonly family: string;
  /** The families that would have been accepted. */
  readonly expected: readonly string[];

  constructor(message: string, details: { family: string; expected: readonly string[] }) {
    super(message);
    this.family = details.family;
    this.expected = [...details.expected];
  }
}
