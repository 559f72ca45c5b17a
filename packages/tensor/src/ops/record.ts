import { isGradEnabled } from '../grad-mode.js';
import type { GradFn, Tensor } from '../tensor.js';

/**
 * Attaches a backward to `out` when grad mode is on and any input requires grad; returns `out`.
 * `backward` receives d(out) and returns d(input) for each input, already reduced to its shape.
 */
export function record(
  out: Tensor,
  name: string,
  inputs: readonly Tensor[],
  backward: (grad: Tensor) => (Tensor | null)[],
): Tensor {
  if (!isGradEnabled()) return out;
  let needed = false;
  for (const t of inputs) if (t.requiresGrad) needed = true;
  if (!needed) return out;
  const fn: GradFn = { name, inputs, backward };
  out.gradFn = fn;
  (out as { requiresGrad: boolean }).requiresGrad = true;
  return out;
}
