import type { Tensor } from '@llm-playground/tensor';
import { checkHyper, Optimizer, type ParamGroup } from './optimizer.js';

export interface AdamOptions {
  /** Default 1e-3. */
  lr?: number;
  /** Decay rates of the first and second moment averages (default [0.9, 0.999]). */
  betas?: [number, number];
  /** Added to √v̂ to keep the step finite (default 1e-8). */
  eps?: number;
  /** Adam: L2 penalty added to the gradient (default 0). AdamW: decoupled decay (default 0.01). */
  weightDecay?: number;
}

function checkAdamOptions(options: AdamOptions, defaultWeightDecay: number) {
  const { lr = 1e-3, betas = [0.9, 0.999], eps = 1e-8, weightDecay = defaultWeightDecay } = options;
  checkHyper(lr, 'learning rate', lr >= 0);
  checkHyper(eps, 'epsilon value', eps >= 0);
  checkHyper(betas[0], 'beta parameter at index 0', betas[0] >= 0 && betas[0] < 1);
  checkHyper(betas[1], 'beta parameter at index 1', betas[1] >= 0 && betas[1] < 1);
  checkHyper(weightDecay, 'weight_decay value', weightDecay >= 0);
  return { lr, betas: [betas[0], betas[1]] as [number, number], eps, weightDecay };
}

/**
 * What Adam and AdamW share: buffers `expAvg` (m) and `expAvgSq` (v), a per-parameter `step` (t),
 * and the update (`kind` selects the weight decay: an L2 term for Adam, AdamW's decoupled decay):
 *   t ← t + 1;  g ← ∇p (+ λ·p for Adam);  p ← p·(1 − lr·λ) for AdamW
 *   m ← β₁·m + (1 − β₁)·g,   v ← β₂·v + (1 − β₂)·g²
 *   p ← p − lr/(1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + ε)      (bias-corrected, PyTorch's arrangement)
 */
export abstract class AdamBase extends Optimizer {
  readonly kind: 'Adam' | 'AdamW';

  protected constructor(params: Iterable<Tensor>, options: AdamOptions, kind: 'Adam' | 'AdamW') {
    super(params, checkAdamOptions(options, kind === 'AdamW' ? 0.01 : 0));
    this.kind = kind;
  }

  protected get bufferNames(): readonly string[] {
    return ['expAvg', 'expAvgSq'];
  }

  protected updateGroup(group: ParamGroup): void {
    const lr = group.lr;
    const [beta1, beta2] = group.betas as [number, number];
    const eps = group.eps as number;
    const weightDecay = group.weightDecay as number;
    const decoupled = this.kind === 'AdamW';
    for (const p of group.params) {
      if (p.grad === null) continue;
      const s = this.stateOf(p);
      const m = this.buffer(p, s, 'expAvg');
      const v = this.buffer(p, s, 'expAvgSq');
      const t = (s.step ?? 0) + 1;
      s.step = t;
      const stepSize = lr / (1 - beta1 ** t);
      const bias2Sqrt = Math.sqrt(1 - beta2 ** t);
      const decay = decoupled ? 1 - lr * weightDecay : 1;
      const l2 = decoupled ? 0 : weightDecay;
      const w = p.storage;
      const dw = p.grad.data;
      for (let i = 0; i < w.length; i++) {
        const g = dw[i] + l2 * w[i];
        if (decoupled) w[i] *= decay;
        m[i] = beta1 * m[i] + (1 - beta1) * g;
        v[i] = beta2 * v[i] + (1 - beta2) * g * g;
        w[i] -= (stepSize * m[i]) / (Math.sqrt(v[i]) / bias2Sqrt + eps);
      }
    }
  }
}

/**
 * Adam (PyTorch's `torch.optim.Adam`): per-parameter steps from bias-corrected running averages of
 * the gradient and its square. `weightDecay` is an L2 term added to the gradient (see `AdamW` for
 * decoupled decay).
 *
 * @example
 * ```ts
 * const w = tensor([1, -1], { dtype: 'float64', requiresGrad: true });
 * const adam = new Adam([w], { lr: 0.1 });
 * w.mul(w).sum().backward();
 * // the first Adam step moves each weight by ≈ lr·sign(grad)
 * adam.step();
 * w.tolist(); // ≈ [0.9, -0.9]
 * ```
 */
export class Adam extends AdamBase {
  constructor(params: Iterable<Tensor>, options: AdamOptions = {}) {
    super(params, options, 'Adam');
  }
}
