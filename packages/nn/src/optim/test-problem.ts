// A shared objective for the optimizer tests (not exported by the package):
// loss(w) = ½·Σ w³ + Σ cᵢ·wᵢ with c = [1, 2, 3], so ∇ = 1.5·w² + c.
import { type Tensor, tensor } from '@llm-playground/tensor';
import type { Optimizer } from './optimizer.js';

export const START = [1.0, -2.0, 0.5];

export function makeWeight(dtype: 'float32' | 'float64' = 'float64'): Tensor {
  return tensor(START, { dtype, requiresGrad: true });
}

export function lossOf(w: Tensor): Tensor {
  return w
    .pow(3)
    .sum()
    .mul(0.5)
    .add(w.mul(tensor([1, 2, 3], { dtype: w.dtype })).sum());
}

/** Runs `steps` optimizer steps and returns the weights after each. */
export function trajectory(w: Tensor, optimizer: Optimizer, steps = 3): number[][] {
  const out: number[][] = [];
  for (let s = 0; s < steps; s++) {
    optimizer.zeroGrad();
    lossOf(w).backward();
    optimizer.step();
    out.push(w.tolist() as number[]);
  }
  return out;
}
