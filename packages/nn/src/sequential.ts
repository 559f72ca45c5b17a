import type { Tensor } from '@llm-playground/tensor';
import { formatTree, Module } from './module.js';

/**
 * Runs modules in order, each on the previous one's output (PyTorch's `nn.Sequential`).
 * NOTE: unlike PyTorch (`0.weight`), parameter names carry the field: `layers.0.weight`.
 *
 * @example
 * ```ts
 * const model = new Sequential(new Embedding(27, 10), new Flatten(), new Linear(30, 64), new Tanh(), new Linear(64, 27));
 * model.forward(tensor([[0, 0, 5]])).shape; // [1, 27]
 * model.numParameters(); // 4009
 * ```
 */
export class Sequential extends Module {
  readonly layers: Module[];

  constructor(...modules: Module[]) {
    super();
    modules.forEach((m, i) => {
      if (!(m instanceof Module)) {
        throw new TypeError(`Sequential: argument ${i} is not a Module (got ${String(m)})`);
      }
    });
    this.layers = modules;
  }

  forward(input: Tensor): Tensor {
    let x = input;
    for (const layer of this.layers) x = layer.forward(x);
    return x;
  }

  /** PyTorch's layout: `(0): Linear(…)` straight under `Sequential(`. */
  override toString(): string {
    return formatTree(
      this.constructor.name,
      '',
      this.layers.map((layer, i) => `(${i}): ${layer.toString()}`),
    );
  }
}
