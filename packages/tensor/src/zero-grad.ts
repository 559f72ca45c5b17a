import { recordEffect } from './capture-tape.js';
import { noGrad } from './grad-mode.js';
import { markGrad } from './memory.js';
import { optionsArg } from './options.js';
import type { Tensor } from './tensor.js';

/**
 * Resets the gradients of `tensors` before the next backward pass: to `null` (the default, like
 * PyTorch's `zero_grad(set_to_none=True)`: no memory, and a fresh buffer on the next backward) or, with
 * `setToNone: false`, to zeros in place (the buffer is kept).
 *
 * @example
 * ```ts
 * const w = tensor([1, 2], { dtype: 'float32', requiresGrad: true });
 * w.sum().backward();
 * zeroGrad([w], { setToNone: false });
 * w.grad.tolist(); // [0, 0]
 * zeroGrad([w]);
 * w.grad; // null
 * ```
 */
export function zeroGrad(
  tensors: Iterable<Tensor>,
  options: boolean | { setToNone?: boolean } = {},
): void {
  // PyTorch's `zero_grad(False)` passes set_to_none positionally: honoured, not ignored.
  const setToNone =
    typeof options === 'boolean'
      ? options
      : (optionsArg<{ setToNone: boolean }>(options, 'zeroGrad', ['setToNone']).setToNone ?? true);
  for (const t of tensors) {
    if (setToNone || t.grad === null) {
      recordEffect(() => {
        t.grad = null;
      }, 'clearGrad');
      if (t.grad !== null) markGrad(t.grad, false);
      t.grad = null;
    } else {
      const grad = t.grad;
      noGrad(() => grad.zero_());
    }
  }
}
