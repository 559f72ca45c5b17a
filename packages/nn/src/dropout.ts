/**
 * `Dropout`: PyTorch's `nn.Dropout`. In training, each element is zeroed with probability `p` and the
 * survivors are scaled by 1/(1 − p), so the expected value is unchanged; in eval it is the identity.
 */
import type { Generator } from '@llm-playground/core';
import { getDefaultGenerator, replayEagerly, type Tensor, zeros } from '@llm-playground/tensor';
import { ConfigError, checkFloatingInput } from './errors.js';
import { Module } from './module.js';
import { pythonFloat } from './python-repr.js';

export interface DropoutOptions {
  /** Where the masks come from (default: the tensor package's default generator). */
  generator?: Generator;
}

/**
 * Randomly zeroes elements in training (PyTorch's `nn.Dropout(p)`): `x · mask / (1 − p)` with
 * `mask ~ Bernoulli(1 − p)`, drawn fresh on every call. `p = 0` and eval mode return the input
 * itself; `p = 1` gives zeros (NaN stays NaN, as `NaN · 0` does in PyTorch).
 *
 * NOTE: the masks are not PyTorch's for the same seed: PyTorch draws them with `bernoulli_`
 * (on CPU builds with MKL, from MKL's own stream seeded by the generator); here element i is kept
 * when the i-th float32 `rand` of the generator is < 1 − p. The statistics are the same.
 * Inside a captured step (`captureStep`, makemore's Trainer) each replay draws a fresh mask from the
 * generator, as an eager step would: the same seed gives the same masks, replayed or eager.
 * NOTE: unlike PyTorch, an int32 input is a `DTypeError` in eval mode too (PyTorch passes it through
 * in eval and fails only in training), so the mistake shows before training starts.
 *
 * @example
 * ```ts
 * const dropout = new Dropout(0.5, { generator: new Generator(42) });
 * const y = dropout.forward(ones([1000]));
 * y.max().item(); // 2
 * y.eq(0).sum().item(); // 476
 * dropout.eval().forward(ones([3])).tolist(); // [1, 1, 1]
 * dropout.toString(); // 'Dropout(p=0.5, inplace=False)'
 * new Dropout(1.5); // throws ConfigError
 * dropout.train().forward(ones([3], { dtype: 'int32' })); // throws DTypeError
 * ```
 */
export class Dropout extends Module<[Tensor], Tensor> {
  readonly p: number;
  readonly generator: Generator | undefined;

  constructor(p = 0.5, options: DropoutOptions = {}) {
    super();
    if (typeof p !== 'number' || !(p >= 0 && p <= 1)) {
      throw new ConfigError(`dropout probability has to be between 0 and 1, but got ${p}`);
    }
    this.p = p;
    this.generator = options.generator;
  }

  forward(input: Tensor): Tensor {
    checkFloatingInput('Dropout', input);
    if (!this.training || this.p === 0) return input;
    // The uniform draws land in a buffer made here and are filled in an eager island: inside a
    // captured step the island re-runs on every replay, so each replay draws a fresh mask from the
    // generator into the same (planned) buffer; eagerly it simply runs once. Element i is the i-th
    // float32 `rand` of the generator, as `rand(input.shape)` would give.
    const draws = zeros(input.shape);
    replayEagerly(() => {
      const g = this.generator ?? getDefaultGenerator();
      const out = draws.data;
      for (let i = 0; i < out.length; i++) out[i] = g.rand();
    });
    if (this.p === 1) return input.mul(draws.lt(0).to(input.dtype));
    // PyTorch's order: noise = bernoulli(1 − p) / (1 − p), then input · noise.
    const noise = draws
      .lt(1 - this.p)
      .to(input.dtype)
      .div(1 - this.p);
    return input.mul(noise);
  }

  override extraRepr(): string {
    return `p=${pythonFloat(this.p)}, inplace=False`;
  }
}
