/**
 * `Dropout`: PyTorch's `nn.Dropout`. In training, each element is zeroed with probability `p` and the
 * survivors are scaled by 1/(1 − p), so the expected value is unchanged; in eval it is the identity.
 */
import type { Generator } from '@llm-playground/core';
import { rand, type Tensor } from '@llm-playground/tensor';
import { ConfigError } from './errors.js';
import { Module } from './module.js';

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
 * NOTE: inside a captured step (`captureStep`) the mask is drawn once, when capturing, and replays
 * reuse it; draw training steps eagerly, or pass masks in as inputs, when that matters.
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
    if (!this.training || this.p === 0) return input;
    const draws = rand(input.shape, { generator: this.generator });
    if (this.p === 1) return input.mul(draws.lt(0).to(input.dtype));
    // PyTorch's order: noise = bernoulli(1 − p) / (1 − p), then input · noise.
    const noise = draws
      .lt(1 - this.p)
      .to(input.dtype)
      .div(1 - this.p);
    return input.mul(noise);
  }

  override extraRepr(): string {
    return `p=${Number.isInteger(this.p) ? this.p.toFixed(1) : this.p}, inplace=False`;
  }
}
