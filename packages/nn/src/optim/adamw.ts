import type { Tensor } from '@llm-playground/tensor';
import { AdamBase, type AdamOptions } from './adam.js';

/**
 * AdamW (PyTorch's `torch.optim.AdamW`, Loshchilov & Hutter): Adam with decoupled weight decay,
 * p ← p·(1 − lr·λ) before the Adam step, instead of adding λ·p to the gradient. `weightDecay`
 * defaults to 0.01.
 *
 * @example
 * ```ts
 * const w = tensor([2], { dtype: 'float64', requiresGrad: true });
 * const adamw = new AdamW([w], { lr: 0.1, weightDecay: 0.5 });
 * // a zero gradient: only the decay acts
 * w.mul(0).sum().backward();
 * adamw.step();
 * w.item(); // ≈ 1.9
 * ```
 */
export class AdamW extends AdamBase {
  constructor(params: Iterable<Tensor>, options: AdamOptions = {}) {
    super(params, options, 'AdamW');
  }
}
