/**
 * makemore's recurrent cells (`RNNCell`, `GRUCell`), as makemore.py writes them: each gate is one
 * `Linear` over the concatenation `[x, h]`, so the parameter names and counts are makemore's
 * (`xh_to_h`, `xh_to_z`, `xh_to_r`, `xh_to_hbar` there; camelCase here).
 */
import type { Generator } from '@llm-playground/core';
import { cat, type DType, ShapeError, type Tensor } from '@llm-playground/tensor';
import { checkSize, Linear } from './linear.js';
import { Module } from './module.js';

export interface CellOptions {
  generator?: Generator;
  /** float32 (default) or float64. */
  dtype?: DType;
}

function checkStep(name: string, xt: Tensor, hprev: Tensor, inputSize: number, hiddenSize: number) {
  if (xt.ndim !== 2 || xt.shape[1] !== inputSize) {
    throw new ShapeError(
      `${name}: expected input of shape [B, ${inputSize}], got [${xt.shape.join(', ')}]`,
    );
  }
  if (hprev.ndim !== 2 || hprev.shape[0] !== xt.shape[0] || hprev.shape[1] !== hiddenSize) {
    throw new ShapeError(
      `${name}: expected hidden state of shape [${xt.shape[0]}, ${hiddenSize}], got [${hprev.shape.join(', ')}]`,
    );
  }
}

/**
 * makemore's vanilla RNN cell: `h_t = tanh(xh_to_h([x_t, h_{t−1}]))`, one `Linear(input + hidden,
 * hidden)`.
 *
 * NOTE: PyTorch's `nn.RNNCell` has two weights (`weight_ih`, `weight_hh`) and two biases; this is
 * makemore's single Linear over the concatenation (the same function class, one bias instead of two,
 * (input + hidden + 1)·hidden parameters).
 *
 * @example
 * ```ts
 * const cell = new RNNCell(64, 64, { generator: new Generator(42) });
 * cell.numParameters(); // 8256
 * cell.forward(zeros([32, 64]), zeros([32, 64])).shape; // [32, 64]
 * ```
 */
export class RNNCell extends Module<[Tensor, Tensor], Tensor> {
  readonly inputSize: number;
  readonly hiddenSize: number;
  xhToH: Linear;

  constructor(inputSize: number, hiddenSize: number, options: CellOptions = {}) {
    super();
    checkSize(inputSize, 'inputSize', 'RNNCell');
    checkSize(hiddenSize, 'hiddenSize', 'RNNCell');
    this.inputSize = inputSize;
    this.hiddenSize = hiddenSize;
    this.xhToH = new Linear(inputSize + hiddenSize, hiddenSize, options);
  }

  /** One step: `xt` `[B, input]`, `hprev` `[B, hidden]` → `[B, hidden]`. */
  forward(xt: Tensor, hprev: Tensor): Tensor {
    checkStep('RNNCell', xt, hprev, this.inputSize, this.hiddenSize);
    return this.xhToH.forward(cat([xt, hprev], 1)).tanh();
  }

  override extraRepr(): string {
    return `${this.inputSize}, ${this.hiddenSize}`;
  }
}

/**
 * makemore's GRU cell:
 * ```
 * r  = σ(xh_to_r([x, h]))            reset gate
 * h̄  = tanh(xh_to_hbar([x, r ⊙ h]))  candidate
 * z  = σ(xh_to_z([x, h]))            update gate
 * h' = (1 − z) ⊙ h + z ⊙ h̄
 * ```
 * Linears built in makemore's order (z, r, hbar), so a seed draws makemore's initial weights.
 *
 * NOTE: this differs from PyTorch's `nn.GRUCell` in three ways: PyTorch resets *after* the hidden
 * matmul, `n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))`, where makemore multiplies `h` by `r`
 * before it; PyTorch blends `h' = (1 − z) ⊙ n + z ⊙ h` (z keeps the old state), makemore
 * `(1 − z) ⊙ h + z ⊙ h̄` (z takes the new one); and PyTorch has separate input and hidden weights
 * and biases (`weight_ih` [3H, I], `weight_hh` [3H, H], two biases: 3H·(I + H + 2) parameters
 * against makemore's 3H·(I + H + 1)).
 *
 * @example
 * ```ts
 * const cell = new GRUCell(64, 64, { generator: new Generator(42) });
 * cell.numParameters(); // 24768
 * cell.forward(zeros([32, 64]), zeros([32, 64])).shape; // [32, 64]
 * ```
 */
export class GRUCell extends Module<[Tensor, Tensor], Tensor> {
  readonly inputSize: number;
  readonly hiddenSize: number;
  xhToZ: Linear;
  xhToR: Linear;
  xhToHbar: Linear;

  constructor(inputSize: number, hiddenSize: number, options: CellOptions = {}) {
    super();
    checkSize(inputSize, 'inputSize', 'GRUCell');
    checkSize(hiddenSize, 'hiddenSize', 'GRUCell');
    this.inputSize = inputSize;
    this.hiddenSize = hiddenSize;
    this.xhToZ = new Linear(inputSize + hiddenSize, hiddenSize, options);
    this.xhToR = new Linear(inputSize + hiddenSize, hiddenSize, options);
    this.xhToHbar = new Linear(inputSize + hiddenSize, hiddenSize, options);
  }

  /** One step: `xt` `[B, input]`, `hprev` `[B, hidden]` → `[B, hidden]`. */
  forward(xt: Tensor, hprev: Tensor): Tensor {
    checkStep('GRUCell', xt, hprev, this.inputSize, this.hiddenSize);
    const xh = cat([xt, hprev], 1);
    const r = this.xhToR.forward(xh).sigmoid();
    const hbar = this.xhToHbar.forward(cat([xt, r.mul(hprev)], 1)).tanh();
    const z = this.xhToZ.forward(xh).sigmoid();
    return z.rsub(1).mul(hprev).add(z.mul(hbar));
  }

  override extraRepr(): string {
    return `${this.inputSize}, ${this.hiddenSize}`;
  }
}
