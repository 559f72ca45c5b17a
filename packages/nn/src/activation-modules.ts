/** Stateless layers as modules, so that they can sit in a `Sequential`: Tanh, ReLU, GELU, Flatten. */
import { customOp, type Tensor, where } from '@llm-playground/tensor';
import { ConfigError, checkFloatingInput } from './errors.js';
import { Module } from './module.js';

/**
 * Elementwise tanh (PyTorch's `nn.Tanh`).
 *
 * @example
 * ```ts
 * new Tanh().forward(tensor([0], { dtype: 'float32' })).tolist(); // [0]
 * ```
 */
export class Tanh extends Module {
  forward(input: Tensor): Tensor {
    return input.tanh();
  }
}

/**
 * Elementwise max(0, x) (PyTorch's `nn.ReLU`).
 *
 * @example
 * ```ts
 * new ReLU().forward(tensor([-1, 2], { dtype: 'float32' })).tolist(); // [0, 2]
 * ```
 */
export class ReLU extends Module {
  forward(input: Tensor): Tensor {
    return input.relu();
  }
}

/**
 * Merges dimensions `startDim..endDim` into one (PyTorch's `nn.Flatten`; by default all but the
 * batch dimension): the lecture's `emb.view(-1, 30)`.
 *
 * @example
 * ```ts
 * new Flatten().forward(zeros([32, 3, 10])).shape; // [32, 30]
 * new Flatten().toString(); // 'Flatten(start_dim=1, end_dim=-1)'
 * ```
 */
export class Flatten extends Module {
  readonly startDim: number;
  readonly endDim: number;

  constructor(startDim = 1, endDim = -1) {
    super();
    this.startDim = startDim;
    this.endDim = endDim;
  }

  forward(input: Tensor): Tensor {
    return input.flatten(this.startDim, this.endDim);
  }

  override extraRepr(): string {
    return `start_dim=${this.startDim}, end_dim=${this.endDim}`;
  }
}

/** Which GELU: the exact x·Φ(x), or the tanh approximation (makemore's `NewGELU`, GPT-2's). */
export type GeluApproximate = 'none' | 'tanh';

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
// Numerical Recipes' erfc (erfcc): t·exp(−z² + P(t)), t = 1/(1 + z/2), relative error < 1.2e-7.
const ERFC = [
  -1.26551223, 1.00002368, 0.37409196, 0.09678418, -0.18628806, 0.27886807, -1.13520398, 1.48851587,
  -0.82215223, 0.17087277,
];

/**
 * The standard normal CDF Φ(x) (no graph): 1 − ½·erfc(|x|/√2) for x ≥ 0, ½·erfc(|x|/√2) below.
 * Tensor ops only, so that a captured step replays it.
 */
function normalCdf(x: Tensor): Tensor {
  const z = x.abs().mul(Math.SQRT1_2);
  const t = z.mul(0.5).add(1).rdiv(1);
  let poly = t.mul(ERFC[9]);
  for (let i = 8; i >= 1; i--) poly = poly.add(ERFC[i]).mul(t);
  const half = t.mul(z.square().neg().add(poly).add(ERFC[0]).exp()).mul(0.5);
  return where(x.ge(0), half.rsub(1), half);
}

/**
 * Gaussian error linear unit (PyTorch's `nn.GELU(approximate=…)`): `'none'` (default) is the exact
 * x·Φ(x) (nanoGPT's `nn.GELU()`); `'tanh'` is ½x(1 + tanh(√(2/π)(x + 0.044715x³))), makemore's
 * `NewGELU` and GPT-2's.
 *
 * NOTE: there is no `erf` op in the tensor package: the exact form evaluates Φ with Numerical
 * Recipes' erfc (relative error < 1.2e-7: float32-accurate, ~1e-7 from PyTorch in float64) and
 * attaches the exact derivative Φ(x) + x·φ(x) as its backward.
 *
 * @example
 * ```ts
 * new GELU().forward(tensor([1], { dtype: 'float64' })).item(); // ≈ 0.841344746
 * new GELU({ approximate: 'tanh' }).forward(tensor([1], { dtype: 'float64' })).item(); // ≈ 0.841191990
 * new GELU({ approximate: 'tanh' }).toString(); // "GELU(approximate='tanh')"
 * new GELU().forward(tensor([1], { dtype: 'int32' })); // throws DTypeError
 * ```
 */
export class GELU extends Module<[Tensor], Tensor> {
  readonly approximate: GeluApproximate;

  constructor(options: { approximate?: GeluApproximate } = {}) {
    super();
    const approximate = options.approximate ?? 'none';
    if (approximate !== 'none' && approximate !== 'tanh') {
      throw new ConfigError(
        `approximate argument must be either none or tanh, got '${approximate}'`,
      );
    }
    this.approximate = approximate;
  }

  forward(input: Tensor): Tensor {
    checkFloatingInput('GELU', input);
    if (this.approximate === 'tanh') {
      const inner = input.add(input.pow(3).mul(0.044715)).mul(SQRT_2_OVER_PI);
      return input.mul(0.5).mul(inner.tanh().add(1));
    }
    const x = input.detach();
    const cdf = normalCdf(x);
    return customOp(x.mul(cdf), 'Gelu', [input], (g) => {
      // d/dx x·Φ(x) = Φ(x) + x·φ(x), φ(x) = exp(−x²/2)/√(2π)
      const pdf = x
        .square()
        .mul(-0.5)
        .exp()
        .mul(1 / Math.sqrt(2 * Math.PI));
      return [g.mul(cdf.add(x.mul(pdf)))];
    });
  }

  override extraRepr(): string {
    return `approximate='${this.approximate}'`;
  }
}
