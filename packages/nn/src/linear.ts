import type { Generator } from '@llm-playground/core';
import { type DType, type Tensor, zeros } from '@llm-playground/tensor';
import { ConfigError } from './errors.js';
import { uniform_ } from './init.js';
import { Module } from './module.js';

export interface LinearOptions {
  /** Add a learnable bias (default true). */
  bias?: boolean;
  generator?: Generator;
  /** float32 (default) or float64. */
  dtype?: DType;
}

export function checkSize(value: number, what: string, op: string): void {
  if (!Number.isInteger(value) || value <= 0) {
    throw new ConfigError(`${op}: ${what} must be a positive integer, got ${value}`);
  }
}

/**
 * y = x·Wᵀ + b over the last dimension (PyTorch's `nn.Linear`): weight `[out, in]`, bias `[out]`.
 * Initialized like PyTorch: both from U(−1/√in, 1/√in) (kaiming_uniform_ with a = √5), weight
 * first, so `new Linear(3, 2, { generator: new Generator(s) })` holds the same numbers as
 * `torch.manual_seed(s); nn.Linear(3, 2)`.
 *
 * @example
 * ```ts
 * const layer = new Linear(3, 2, { generator: new Generator(42) });
 * layer.weight.shape; // [2, 3]
 * layer.forward(ones([5, 3])).shape; // [5, 2]
 * layer.toString(); // 'Linear(in_features=3, out_features=2, bias=True)'
 * ```
 */
export class Linear extends Module {
  readonly inFeatures: number;
  readonly outFeatures: number;
  weight: Tensor;
  bias: Tensor | null;

  constructor(inFeatures: number, outFeatures: number, options: LinearOptions = {}) {
    super();
    checkSize(inFeatures, 'inFeatures', 'Linear');
    checkSize(outFeatures, 'outFeatures', 'Linear');
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    const dtype = options.dtype ?? 'float32';
    const bound = 1 / Math.sqrt(inFeatures);
    const draw = { a: -bound, b: bound, generator: options.generator };
    this.weight = uniform_(zeros([outFeatures, inFeatures], { dtype }), draw).requiresGrad_();
    this.bias =
      options.bias === false
        ? null
        : uniform_(zeros([outFeatures], { dtype }), draw).requiresGrad_();
  }

  /** `[..., in]` → `[..., out]`. */
  forward(input: Tensor): Tensor {
    const y = input.matmul(this.weight.T);
    return this.bias ? y.add(this.bias) : y;
  }

  override extraRepr(): string {
    return `in_features=${this.inFeatures}, out_features=${this.outFeatures}, bias=${this.bias ? 'True' : 'False'}`;
  }
}
