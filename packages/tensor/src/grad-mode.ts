let enabled = true;

/**
 * Whether operations record the graph for `backward()` right now.
 *
 * @example
 * ```ts
 * isGradEnabled(); // true
 * noGrad(() => isGradEnabled()); // false
 * ```
 */
export function isGradEnabled(): boolean {
  return enabled;
}

/**
 * Runs `fn` without recording gradients (PyTorch's `with torch.no_grad():`), for parameter updates and
 * evaluation. Restores the previous mode even if `fn` throws.
 *
 * @example
 * ```ts
 * const w = tensor([1, 2], { dtype: 'float32', requiresGrad: true });
 * w.mul(w).sum().backward();
 * noGrad(() => w.sub_(w.grad, { alpha: 0.1 }));
 * w.tolist(); // ≈ [0.8, 1.6]
 * noGrad(() => w.mul(2)).requiresGrad; // false
 * ```
 */
export function noGrad<T>(fn: () => T): T {
  const previous = enabled;
  enabled = false;
  try {
    return fn();
  } finally {
    enabled = previous;
  }
}

/**
 * Runs `fn` with gradient recording on (PyTorch's `enable_grad`).
 *
 * @example
 * ```ts
 * noGrad(() => enableGrad(() => isGradEnabled())); // true
 * ```
 */
export function enableGrad<T>(fn: () => T): T {
  const previous = enabled;
  enabled = true;
  try {
    return fn();
  } finally {
    enabled = previous;
  }
}
