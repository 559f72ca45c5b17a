import { getBackend, type Tensor } from '@llm-playground/tensor';
import { ConfigError } from '../errors.js';
import { checkHyper, Optimizer, type ParamGroup } from './optimizer.js';

export interface SGDOptions {
  lr: number;
  momentum?: number;
  /** Scales the gradient added to the momentum buffer by 1 − dampening (≥ 0; default 0). */
  dampening?: number;
  /** L2 penalty added to the gradient: g ← g + weightDecay·p. */
  weightDecay?: number;
  /** Nesterov momentum: needs momentum > 0 and dampening 0. */
  nesterov?: boolean;
}

/**
 * Stochastic gradient descent with optional momentum, Nesterov momentum and weight decay, exactly
 * PyTorch's `torch.optim.SGD`:
 *   g ← ∇p + λ·p
 *   b ← g on the first step, else μ·b + (1 − dampening)·g     (when μ ≠ 0)
 *   g ← g + μ·b (Nesterov) or b
 *   p ← p − lr·g
 *
 * @example
 * ```ts
 * const w = tensor([1], { dtype: 'float64', requiresGrad: true });
 * const optimizer = new SGD([w], { lr: 0.1, momentum: 0.9 });
 * for (let i = 0; i < 2; i++) {
 *   optimizer.zeroGrad();
 *   w.sum().backward();
 *   optimizer.step();
 * }
 * w.item(); // ≈ 0.71
 * ```
 */
export class SGD extends Optimizer {
  constructor(params: Iterable<Tensor>, options: SGDOptions) {
    const { lr, momentum = 0, dampening = 0, weightDecay = 0, nesterov = false } = options;
    checkHyper(lr, 'learning rate', typeof lr === 'number' && lr >= 0);
    checkHyper(momentum, 'momentum value', momentum >= 0);
    checkHyper(weightDecay, 'weight_decay value', weightDecay >= 0);
    // PyTorch does not check dampening. A negative one weights each gradient by 1 − dampening > 1
    // and an infinite one by ∓∞, so both are refused, in the words of the other checks.
    checkHyper(
      dampening,
      'dampening value',
      typeof dampening === 'number' && Number.isFinite(dampening) && dampening >= 0,
    );
    if (nesterov && (momentum <= 0 || dampening !== 0)) {
      throw new ConfigError('Nesterov momentum requires a momentum and zero dampening');
    }
    super(params, { lr, momentum, dampening, weightDecay, nesterov });
  }

  get kind(): string {
    return 'SGD';
  }

  protected get bufferNames(): readonly string[] {
    return ['momentumBuffer'];
  }

  protected updateGroup(group: ParamGroup): void {
    const hyper = {
      lr: group.lr,
      momentum: group.momentum as number,
      dampening: group.dampening as number,
      weightDecay: group.weightDecay as number,
      nesterov: group.nesterov as boolean,
    };
    const backend = getBackend();
    for (const p of group.params) {
      if (p.grad === null) continue;
      const w = p.storage;
      const dw = p.grad.data;
      if (hyper.momentum === 0) {
        backend.sgdStep(w, dw, null, w.length, hyper, false);
        continue;
      }
      const s = this.stateOf(p);
      const first = s.momentumBuffer === undefined;
      const b = this.buffer(p, s, 'momentumBuffer');
      backend.sgdStep(w, dw, b, w.length, hyper, first);
    }
  }
}
