/**
 * `named`: gives a composite op's result PyTorch's grad_fn name. (`record` itself lives in
 * `../autograd.ts` with the rest of the graph machinery; it is re-exported here for older imports.)
 */
import { record } from '../autograd.js';
import type { Tensor } from '../tensor-core.js';

export { record };

/**
 * Gives a composite op's result PyTorch's grad_fn name (`VarBackward0`, …): an identity node named
 * `name` over `out`, sharing its storage. Costs one extra step in the backward sweep.
 */
export function named(out: Tensor, name: string): Tensor {
  if (!out.requiresGrad) return out;
  return record(out.detach(), name, [out], (g) => [g]);
}
