import { isGradEnabled } from '../grad-mode.js';
import { type GradFn, Tensor } from '../tensor.js';

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

/**
 * Gives a composite op's result PyTorch's grad_fn name (`VarBackward0`, …): an identity node named
 * `name` over `out`, sharing its storage. Costs one extra step in the backward sweep.
 */
export function named(out: Tensor, name: string): Tensor {
  if (!out.requiresGrad) return out;
  const alias = new Tensor(out.storage, out.shape, { strides: out.strides, offset: out.offset });
  return record(alias, name, [out], (g) => [g]);
}
