/** Stateless layers as modules, so that they can sit in a `Sequential`. */
import type { Tensor } from '@llm-playground/tensor';
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
