import { type AdamTensors, getBackend, type Tensor } from '@llm-playground/tensor';
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
    const [beta1, beta2] = group.betas as [number, number];
    // One multi-tensor update per step number (PyTorch's foreach Adam): usually every parameter
    // shares it, so the whole group is one backend call (one wasm kernel call) instead of one each.
    const byStep = new Map<number, AdamTensors[]>();
    for (const p of group.params) {
      if (p.grad === null) continue;
      const s = this.stateOf(p);
      const m = this.buffer(p, s, 'expAvg');
      const v = this.buffer(p, s, 'expAvgSq');
      const t = (s.step ?? 0) + 1;
      s.step = t;
      const tensors = byStep.get(t) ?? [];
      if (tensors.length === 0) byStep.set(t, tensors);
      tensors.push({ w: p.storage, dw: p.grad.data, m, v, n: p.numel() });
    }
    const backend = getBackend();
    for (const [t, tensors] of byStep) {
      backend.adamStepMulti(tensors, {
        lr: group.lr,
        beta1,
        beta2,
        eps: group.eps as number,
        weightDecay: group.weightDecay as number,
        decoupled: this.kind === 'AdamW',
        step: t,
      });
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
