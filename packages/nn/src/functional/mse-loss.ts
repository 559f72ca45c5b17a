import { ShapeError, type Tensor } from '@llm-playground/tensor';
import { checkReduction, type Reduction } from './reduction.js';

/**
 * Mean squared error (PyTorch's `F.mse_loss`): (input − target)², averaged (default), summed, or
 * elementwise. Composed from tensor ops, so its backward is 2·(input − target)·dℓ (÷ n for 'mean').
 * NOTE: unlike PyTorch, which warns and broadcasts, different shapes are an error (it is nearly
 * always a bug, such as `[N]` against `[N, 1]`).
 *
 * @example
 * ```ts
 * mseLoss(tensor([1, 2, 3], { dtype: 'float32' }), tensor([1, 0, 0], { dtype: 'float32' })).item(); // ≈ 4.3333333
 * mseLoss(tensor([1, 2], { dtype: 'float32' }), tensor([0, 0], { dtype: 'float32' }), { reduction: 'sum' }).item(); // 5
 * ```
 */
export function mseLoss(
  input: Tensor,
  target: Tensor,
  options: { reduction?: Reduction } = {},
): Tensor {
  const reduction = checkReduction(options.reduction ?? 'mean', 'mseLoss');
  if (input.shape.join(',') !== target.shape.join(',')) {
    throw new ShapeError(
      `mseLoss: input [${input.shape.join(', ')}] and target [${target.shape.join(', ')}] must have the same shape`,
    );
  }
  const squared = input.sub(target).square();
  if (reduction === 'none') return squared;
  return reduction === 'sum' ? squared.sum() : squared.mean();
}
