/**
 * `tidy(fn)`: frees, when `fn` returns, every tensor made inside it except what it returns (tfjs's
 * `tf.tidy`). See memory.ts for why scopes rather than reference counting.
 */
import { AutogradError } from './errors.js';
import { abandonScope, closeScope, isCurrentGrad, openScope } from './memory.js';
import { Tensor } from './tensor.js';

export { keep, type MemoryInfo, memoryInfo } from './memory.js';

function collect(value: unknown, into: Set<Tensor>): void {
  if (value instanceof Tensor) into.add(value);
  else if (Array.isArray(value)) for (const v of value) collect(v, into);
  else if (
    value !== null &&
    typeof value === 'object' &&
    Object.getPrototypeOf(value) === Object.prototype
  ) {
    for (const v of Object.values(value)) collect(v, into);
  }
}

/**
 * Runs `fn` and disposes every tensor created while it ran, except the tensors it returns (alone, or
 * in arrays and plain objects), tensors marked with `keep`, gradients stored in `.grad`, and leaves
 * that require grad (parameters). Nested scopes hand what they return to the enclosing scope. On the
 * wasm backend disposed tensors' blocks are reused at once, so a training loop whose step runs in
 * `tidy` keeps its memory flat; on the js backend it only marks the tensors disposed (the garbage
 * collector frees plain arrays).
 *
 * Returning a tensor that is still part of an autograd graph is an error: its `backward()` would read
 * tensors this scope frees. Call `backward()` inside the scope, or return `loss.detach()`.
 *
 * NOTE: unlike tfjs, `fn` may return any value (numbers, objects); only tensors in it are spared.
 *
 * @example
 * ```ts
 * const w = tensor([1, 2], { dtype: 'float32', requiresGrad: true });
 * const loss = tidy(() => {
 *   const l = w.mul(w).sum();
 *   l.backward();
 *   return l.detach();
 * });
 * loss.item(); // 5
 * w.grad.tolist(); // [2, 4]
 * ```
 */
export function tidy<T>(fn: () => T): T {
  if (typeof fn !== 'function')
    throw new TypeError(`tidy(): expected a function, got ${typeof fn}`);
  openScope();
  let result: T;
  try {
    result = fn();
  } catch (error) {
    abandonScope();
    throw error;
  }
  const returned = new Set<Tensor>();
  collect(result, returned);
  for (const t of returned) {
    if (t.gradFn !== null) {
      abandonScope();
      throw new AutogradError(
        `tidy(): the returned tensor (shape ${JSON.stringify(t.shape)}, grad_fn ${t.gradFn.name}Backward0) is part of an autograd graph whose backward() would read tensors this scope frees; call backward() inside tidy, or return .detach()`,
      );
    }
  }
  closeScope((t) => {
    const tensor = t as Tensor;
    return (
      returned.has(tensor) ||
      (tensor.isLeaf && tensor.requiresGrad) ||
      isCurrentGrad(tensor) ||
      tensor.isDisposed
    );
  });
  return result;
}
