/** Named errors of `@llm-playground/makemore`. */

/**
 * Training produced a loss that is NaN or infinite. The message names the step, the loss and the
 * learning rate, and suggests a lower one (the usual cause).
 *
 * @example
 * ```ts
 * const error = new TrainingDivergedError('loss became NaN at step 12', { step: 12, loss: NaN, lr: 100 });
 * error.name; // 'TrainingDivergedError'
 * error.step; // 12
 * ```
 */
export class TrainingDivergedError extends Error {
  override readonly name = 'TrainingDivergedError';
  /** The step (0-based, counted from `startStep`) whose loss was not finite. */
  readonly step: number;
  /** The offending loss value (NaN, Infinity or -Infinity). */
  readonly loss: number;
  /** The learning rate in use at that step. */
  readonly lr: number;

  constructor(message: string, details: { step: number; loss: number; lr: number }) {
    super(message);
    this.step = details.step;
    this.loss = details.loss;
    this.lr = details.lr;
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
