import type { Tensor } from '../tensor.js';

export interface CloseOptions {
  /** Absolute tolerance (default 1e-5). */
  atol?: number;
  /** Relative tolerance (default 1e-4). */
  rtol?: number;
}

type Numeric = Tensor | number | readonly unknown[] | ArrayLike<number>;

function flatten(x: Numeric): { values: number[]; shape: number[] | null } {
  if (typeof x === 'number') return { values: [x], shape: [] };
  if (typeof (x as Tensor).tolist === 'function' && (x as Tensor).shape) {
    const t = x as Tensor;
    return { values: Array.from(t.data), shape: [...t.shape] };
  }
  if (Array.isArray(x)) {
    const values: number[] = [];
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(walk);
      else values.push(v as number);
    };
    walk(x);
    return { values, shape: null };
  }
  return { values: Array.from(x as ArrayLike<number>), shape: null };
}

/**
 * Asserts `actual` ≈ `expected` elementwise: |a − e| ≤ atol + rtol·|e| (NaN equals NaN, infinities
 * must match). Throws an error naming the first mismatching index and both values.
 *
 * @example
 * expectClose(tensor([0.1 + 0.2]), [0.3]);
 */
export function expectClose(actual: Numeric, expected: Numeric, options: CloseOptions = {}): void {
  const atol = options.atol ?? 1e-5;
  const rtol = options.rtol ?? 1e-4;
  const a = flatten(actual);
  const e = flatten(expected);
  if (a.shape && e.shape && a.shape.join(',') !== e.shape.join(',')) {
    throw new Error(
      `expectClose: shape mismatch: actual [${a.shape.join(', ')}] vs expected [${e.shape.join(', ')}]`,
    );
  }
  if (a.values.length !== e.values.length) {
    throw new Error(
      `expectClose: size mismatch: actual has ${a.values.length} elements, expected ${e.values.length}`,
    );
  }
  for (let i = 0; i < a.values.length; i++) {
    const x = a.values[i];
    const y = e.values[i];
    if (Number.isNaN(x) && Number.isNaN(y)) continue;
    if (x === y) continue;
    if (!(Math.abs(x - y) <= atol + rtol * Math.abs(y))) {
      throw new Error(
        `expectClose: element ${i} differs: actual ${x}, expected ${y} (|diff| ${Math.abs(x - y)} > atol ${atol} + rtol ${rtol}·|expected|)`,
      );
    }
  }
}
