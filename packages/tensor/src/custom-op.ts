import { record } from './ops/record.js';
import type { Tensor } from './tensor.js';

/**
 * Makes a fused op differentiable (PyTorch's `torch.autograd.Function`, in one call): compute `out`
 * on typed arrays however you like, then attach `backward`, which receives d(out) and returns
 * d(input) for each input (shaped like that input; `null` where none is needed). Nothing is recorded
 * in `noGrad` or when no input requires grad. Used by `nn`'s fused `crossEntropy`.
 *
 * @example
 * ```ts
 * const x = tensor([1, 2, 3], { dtype: 'float64', requiresGrad: true });
 * // cube(x) with its own backward 3x²
 * const out = customOp(new Tensor(x.data.map((v) => v ** 3), x.shape), 'Cube', [x], (g) => [g.mul(x.square().mul(3))]);
 * out.sum().backward();
 * x.grad.tolist(); // [3, 12, 27]
 * ```
 */
export function customOp(
  out: Tensor,
  name: string,
  inputs: readonly Tensor[],
  backward: (grad: Tensor) => (Tensor | null)[],
): Tensor {
  return record(out, name, inputs, backward);
}
