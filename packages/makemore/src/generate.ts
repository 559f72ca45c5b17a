/**
 * Autoregressive generation for sequence models ("let's build GPT"'s `generate`, nanoGPT's
 * `model.generate`): feed the last `blockSize` tokens, take the logits of the last position,
 * divide by the temperature, optionally keep the `topK` largest, softmax, draw one token with
 * `multinomial` from the seeded generator, append it, repeat. Works for any model whose forward
 * maps ids `[B, T]` to logits `[B, T, V]` (GPT, transformer, bigram-as-a-table); a model that
 * predicts only the next token (`logits` `[B, V]`, the MLP) uses `sample` instead.
 */
import type { Generator } from '@llm-playground/core';
import { multinomial, noGrad, Tensor } from '@llm-playground/tensor';
import { inEvalMode } from './evaluate.js';
import { defaultGenerator } from './util.js';

/** A model `generate` can drive: ids `[B, T]` (int32) → logits `[B, T, V]`. */
export interface GenerateModel {
  forward(ids: Tensor): Tensor;
  /** The context length; `generate` crops the context to it unless `blockSize` is given. */
  readonly config?: { blockSize?: number };
}

export interface GenerateOptions {
  /** How many tokens to add (required; 0 returns the prompt). */
  maxNewTokens: number;
  /** Divide the logits by this before the softmax: < 1 sharper, > 1 flatter, 0 = argmax (default 1). */
  temperature?: number;
  /** Keep only the k largest logits at each step (default: all; larger than the vocabulary = all). */
  topK?: number;
  /** The random stream (default: a new generator seeded 2147483647). */
  generator?: Generator;
  /** Context length fed to the model (default `model.config.blockSize`; required without it). */
  blockSize?: number;
  /** Called with each new token id as soon as it is drawn (for streaming). */
  onToken?: (id: number) => void;
}

/**
 * The prompt followed by `maxNewTokens` generated ids (an `Int32Array`). Each step runs the model
 * on the last `blockSize` ids, in eval mode (dropout off) and without gradients.
 *
 * NOTE: unlike PyTorch's `logits / temperature`, `temperature: 0` is allowed and means greedy
 * decoding (the argmax, the first one on ties) instead of a division by zero. Top-k keeps every
 * logit equal to the k-th largest, as nanoGPT's `logits[logits < v[:, [-1]]] = -inf` does.
 *
 * @example
 * ```ts
 * // A "model" whose logits at every position prefer token (id + 1) mod 5.
 * const model = {
 *   forward: (ids) => {
 *     const logits = [];
 *     for (const id of ids.data) for (let v = 0; v < 5; v++) logits.push(v === (id + 1) % 5 ? 10 : 0);
 *     return tensor(logits, { dtype: 'float32' }).view(ids.shape[0], ids.shape[1], 5);
 *   },
 * };
 * generate(model, [3], { maxNewTokens: 4, temperature: 0, blockSize: 2 }); // [3, 4, 0, 1, 2]
 * generate(model, [3], { maxNewTokens: 4, topK: 1, blockSize: 2 }); // [3, 4, 0, 1, 2]
 * generate(model, [], { maxNewTokens: 1, blockSize: 2 }); // throws RangeError
 * ```
 */
export function generate(
  model: GenerateModel,
  promptIds: ArrayLike<number>,
  options: GenerateOptions,
): Int32Array {
  const { maxNewTokens, temperature = 1, topK = Number.POSITIVE_INFINITY, onToken } = options;
  if (typeof model?.forward !== 'function') {
    throw new TypeError(
      "Argument 'model' passed to 'generate' must have a forward(ids) method returning logits [B, T, V]",
    );
  }
  if (!Number.isInteger(maxNewTokens) || maxNewTokens < 0) {
    throw new RangeError(
      `Argument 'maxNewTokens' passed to 'generate' must be an integer ≥ 0, got ${maxNewTokens}`,
    );
  }
  if (!(temperature >= 0) || !Number.isFinite(temperature)) {
    throw new RangeError(
      `Argument 'temperature' passed to 'generate' must be a finite number ≥ 0, got ${temperature}`,
    );
  }
  if (!(topK >= 1) || (Number.isFinite(topK) && !Number.isInteger(topK))) {
    throw new RangeError(
      `Argument 'topK' passed to 'generate' must be an integer ≥ 1, got ${topK}`,
    );
  }
  const blockSize = options.blockSize ?? model.config?.blockSize;
  if (!Number.isInteger(blockSize) || (blockSize as number) < 1) {
    throw new RangeError(
      `Argument 'blockSize' passed to 'generate' must be an integer ≥ 1, got ${blockSize}${options.blockSize === undefined ? ' (the model has no config.blockSize: pass { blockSize })' : ''}`,
    );
  }
  const prompt = Int32Array.from(promptIds ?? []);
  if (prompt.length === 0) {
    throw new RangeError(
      "Argument 'promptIds' passed to 'generate' must hold at least one token — start from [0] as the lecture's torch.zeros((1, 1)) does",
    );
  }
  prompt.forEach((id, i) => {
    if (id < 0 || id !== promptIds[i]) {
      throw new RangeError(
        `Argument 'promptIds' passed to 'generate' must hold token ids (integers ≥ 0), got ${promptIds[i]} at index ${i}`,
      );
    }
  });
  const ids = new Int32Array(prompt.length + maxNewTokens);
  ids.set(prompt);
  const generator = options.generator ?? defaultGenerator();
  return inEvalMode(model, () =>
    noGrad(() => {
      for (let length = prompt.length; length < ids.length; length++) {
        const start = Math.max(0, length - (blockSize as number));
        const context = new Tensor(ids.slice(start, length), [1, length - start]);
        const next = nextToken(lastLogits(model.forward(context), length - start), {
          temperature,
          topK,
          generator,
        });
        ids[length] = next;
        onToken?.(next);
      }
      return ids;
    }),
  );
}

/** The logits of the last position of `[1, T, V]` logits, as a float32 row. */
function lastLogits(logits: Tensor, T: number): Float32Array {
  const shape = logits.shape;
  if (shape.length !== 3 || shape[0] !== 1 || shape[1] !== T) {
    throw new RangeError(
      `generate: the model's forward must return logits [B, T, V] for ids [B, T]; got [${shape.join(', ')}] for ids [1, ${T}] — for a model that predicts only the next token ([B, V]) use sample()`,
    );
  }
  const V = shape[2];
  return Float32Array.from(logits.data.subarray((T - 1) * V, T * V));
}

/** One draw from softmax(top-k(row / temperature)); the argmax for temperature 0. */
function nextToken(
  row: Float32Array,
  settings: { temperature: number; topK: number; generator: Generator },
): number {
  let max = Number.NEGATIVE_INFINITY;
  let argmax = 0;
  for (let i = 0; i < row.length; i++) {
    if (row[i] > max) {
      max = row[i];
      argmax = i;
    }
  }
  if (settings.temperature === 0 || settings.topK === 1) return argmax;
  // softmax((x − max) / T) = softmax(x / T), but x / T alone overflows for a tiny T.
  for (let i = 0; i < row.length; i++) row[i] = (row[i] - max) / settings.temperature;
  if (settings.topK < row.length) {
    const threshold = Float32Array.from(row).sort()[row.length - settings.topK];
    for (let i = 0; i < row.length; i++) if (row[i] < threshold) row[i] = Number.NEGATIVE_INFINITY;
  }
  const probs = new Tensor(row, [row.length]).softmax(0);
  return multinomial(probs, 1, { generator: settings.generator }).storage[0];
}
