/** Stateless layers as modules, so that they can sit in a `Sequential`: Tanh, ReLU, GELU, Flatten. */
import { type GeluApproximate, gelu, type Tensor } from '@llm-playground/tensor';
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
export type { GeluApproximate };

/**
 * Gaussian error linear unit (PyTorch's `nn.GELU(approximate=…)`): `'none'` (default) is the exact
 * x·Φ(x) (nanoGPT's `nn.GELU()`); `'tanh'` is ½x(1 + tanh(√(2/π)(x + 0.044715x³))), makemore's
 * `NewGELU` and GPT-2's.
 *
 * One fused kernel forward and backward (the tensor package's `gelu`).
 * NOTE: the exact form evaluates Φ with Numerical Recipes' erfc (relative error < 1.2e-7:
 * float32-accurate, ~1e-7 from PyTorch in float64).
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
    return gelu(input, { approximate: this.approximate });
  }

  override extraRepr(): string {
    return `approximate='${this.approximate}'`;
  }
}
