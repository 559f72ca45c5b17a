/**
 * Reverse-mode autograd, apart from the `Tensor` class and the ops: the graph record an op leaves on
 * its output (`record`), the backward sweep in reverse topological order (`runBackward`), and the
 * accumulation of gradients into leaves. It touches numbers only through the backend's kernels and
 * imports `Tensor` as a type only: the ops import this module, and it imports none of them, so the
 * graph machinery sits below the ops rather than in a circle with them.
 */
import { getBackend } from './backend.js';
import { recordEffect } from './capture-tape.js';
import { allocate, promoteTypes, type TypedArray } from './dtype.js';
import { AutogradError } from './errors.js';
import { isGradEnabled, noGrad } from './grad-mode.js';
import { markGrad } from './memory.js';
import { formatShape, numel, type Shape, shapesEqual } from './shape.js';
import type { Tensor } from './tensor.js';

/** The backward of one op: given d(out), returns d(input) for each input (null where not needed). */
export interface GradFn {
  readonly name: string;
  readonly inputs: readonly Tensor[];
  /**
   * `pending(t)` is the gradient summed so far for input `t` in this sweep. A backward may write its
   * contribution into that tensor in place and return it (the sweep then adds nothing): `split`'s
   * pieces fill one gradient buffer this way instead of one zero-filled buffer each and their sum.
   */
  backward(grad: Tensor, pending?: (input: Tensor) => Tensor | undefined): (Tensor | null)[];
}

/** Builds a tensor over a fresh contiguous buffer (the `Tensor` constructor, passed in by tensor.ts). */
export type MakeTensor = (storage: TypedArray, shape: Shape) => Tensor;

/**
 * Attaches a backward to `out` when grad mode is on and any input requires grad; returns `out`.
 * `backward` receives d(out) and returns d(input) for each input, already reduced to its shape.
 */
export function record(
  out: Tensor,
  name: string,
  inputs: readonly Tensor[],
  backward: GradFn['backward'],
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
 * Reverse-mode sweep from `root` with the seed gradient `seed` (same shape as `root`): every node's
 * incoming gradients are summed before its backward runs, and leaves (and `retainGrad()` tensors)
 * accumulate theirs into `.grad`. Runs under `noGrad`, so backward closures record nothing.
 */
export function runBackward(root: Tensor, seed: Tensor, make: MakeTensor): void {
  // Iterative topological order over grad_fn inputs (no recursion: deep graphs are fine).
  const order: Tensor[] = [];
  const visited = new Set<Tensor>([root]);
  const stack: Tensor[] = [root];
  const next: number[] = [0];
  while (stack.length > 0) {
    const top = stack.length - 1;
    const node = stack[top];
    const inputs = node.gradFn ? node.gradFn.inputs : [];
    const k = next[top];
    if (k < inputs.length) {
      next[top] = k + 1;
      const child = inputs[k];
      if (child.requiresGrad && !visited.has(child)) {
        visited.add(child);
        stack.push(child);
        next.push(0);
      }
    } else {
      order.push(node);
      stack.pop();
      next.pop();
    }
  }
  const grads = new Map<Tensor, Tensor>();
  grads.set(root, seed);
  const pending = (t: Tensor) => grads.get(t);
  noGrad(() => {
    for (let i = order.length - 1; i >= 0; i--) {
      const node = order[i];
      const grad = grads.get(node);
      if (!grad) continue;
      grads.delete(node);
      if (node.isLeaf || node.retainsGrad) accumulateGrad(node, grad, make);
      if (!node.gradFn) continue;
      const inputGrads = node.gradFn.backward(grad, pending);
      const inputs = node.gradFn.inputs;
      for (let j = 0; j < inputs.length; j++) {
        const input = inputs[j];
        const g = inputGrads[j];
        if (!g || !input.requiresGrad) continue;
        // Compared as numbers on every edge (formatting shapes to strings here was a hot-path cost).
        if (!shapesEqual(g.shape, input.shape)) {
          throw new AutogradError(
            `Function ${node.gradFn.name}Backward returned an invalid gradient at index ${j} - got ${formatShape(g.shape)} but expected shape compatible with ${formatShape(input.shape)}`,
          );
        }
        const previous = grads.get(input);
        // The same tensor back: the backward accumulated into the pending gradient in place.
        if (previous === g) continue;
        grads.set(input, previous ? addGrads(previous, g, make) : g);
      }
    }
  });
}

/** a + b for two gradients of the same shape (any strides), in their promoted dtype. */
function addGrads(a: Tensor, b: Tensor, make: MakeTensor): Tensor {
  const out = allocate(promoteTypes(a.dtype, b.dtype), numel(a.shape));
  getBackend().binaryStrided(
    'add',
    a.storage,
    a.offset,
    a.strides,
    b.storage,
    b.offset,
    b.strides,
    out,
    a.shape,
  );
  return make(out, a.shape);
}

/** A contiguous copy of `x` in `like`'s dtype (the kernel converts while it copies). */
function contiguousAs(x: Tensor, like: Tensor): TypedArray {
  const out = allocate(like.dtype, numel(x.shape));
  getBackend().gatherStrided(x.storage, x.offset, x.strides, x.shape, out);
  return out;
}

/** node.grad += grad (a fresh, owned buffer in node's dtype the first time). */
function accumulateGrad(node: Tensor, grad: Tensor, make: MakeTensor): void {
  const backend = getBackend();
  if (node.grad === null) {
    // Own the buffer: the incoming gradient may be shared with other nodes or be a broadcast view.
    const fresh = make(allocate(node.dtype, numel(node.shape)), node.shape);
    // A replay of a captured step re-assigns the same gradient tensor (its buffer is refilled by the
    // recorded kernels), so `.grad` after a replay is what the eager step left.
    recordEffect(() => {
      node.grad = fresh;
    }, 'setGrad');
    getBackend().gatherStrided(grad.storage, grad.offset, grad.strides, grad.shape, fresh.storage);
    node.grad = fresh;
    markGrad(fresh, true);
    return;
  }
  const target = node.grad;
  if (!shapesEqual(target.shape, grad.shape)) {
    throw new AutogradError(
      `the existing .grad of shape ${formatShape(target.shape)} does not match the incoming gradient of shape ${formatShape(grad.shape)}; reset it (grad = null) before backward()`,
    );
  }
  const n = numel(grad.shape);
  const direct = grad.dtype === target.dtype && grad.isContiguous();
  const values = direct ? grad.storage : contiguousAs(grad, target);
  const valuesOffset = direct ? grad.offset : 0;
  if (target.isContiguous()) {
    backend.update('add', target.storage, target.offset, values, valuesOffset, n, 1);
    return;
  }
  // A strided .grad (set by the user): read it, add, write it back.
  const current = contiguousAs(target, target);
  backend.update('add', current, 0, values, valuesOffset, n, 1);
  backend.scatterStrided(current, target.storage, target.offset, target.strides, target.shape);
}
