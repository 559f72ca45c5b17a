/** Small internal helpers shared by the models and the training loop. */
import { Generator } from '@llm-playground/core';
import type { Tensor } from '@llm-playground/tensor';

/** The lecture's seed: the default when no generator is given (never a global generator). */
export const DEFAULT_SEED = 2147483647;

export function defaultGenerator(): Generator {
  return new Generator(DEFAULT_SEED);
}

/** The last token of each context (`[B, blockSize]` → `[B]`); 1-d input is taken as is. */
export function lastToken(contexts: Tensor): Tensor {
  return contexts.ndim === 2 ? contexts.select(1, contexts.shape[1] - 1) : contexts;
}
