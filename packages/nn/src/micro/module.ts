import type { Value } from '@llm-playground/core';

/**
 * The base of every micrograd model: something that owns parameters (`Value` leaves that training
 * updates). Mirrors micrograd's `Module` and PyTorch's `nn.Module.parameters()` / `zero_grad()`.
 *
 * @example
 * ```ts
 * const model = new MLP(2, [16, 16, 1]);
 * console.log(model.numParameters()); // 337
 * model.zeroGrad(); // every parameter's grad is 0 again
 * ```
 */
export abstract class Module {
  /** Every trainable `Value` of this module, in a fixed order (the same order on every call). */
  abstract parameters(): Value[];

  /**
   * Sets every parameter's `grad` to 0. NOTE: gradients accumulate across `backward()` calls, as in
   * micrograd and PyTorch, so call this before each backward pass.
   */
  zeroGrad(): void {
    for (const p of this.parameters()) p.grad = 0;
  }

  /** How many scalar parameters the module has. */
  numParameters(): number {
    return this.parameters().length;
  }
}
