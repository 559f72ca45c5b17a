/**
 * Differential checks of a backend's float32 matmul against the js kernel, shared by the tests of the
 * plain-SIMD and relaxed-SIMD builds (a test helper: not exported from the package).
 */
import type { TypedArray } from '../../dtype.js';
import type { Backend } from '../backend.js';
import { matmulKernel } from '../matmul.js';

/** mulberry32: a tiny seeded generator, so every case is reproducible. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One operand view: storage plus offset and strides of a rows×cols matrix inside it. */
export interface View {
  data: Float32Array;
  offset: number;
  rowStride: number;
  colStride: number;
}

/**
 * A rows×cols view with random layout: row-major or transposed storage (the backward's Aᵀ and Bᵀ),
 * padding between rows, a leading offset. `value` draws each element.
 */
export function randomView(
  rows: number,
  cols: number,
  next: () => number,
  value: () => number,
): View {
  const transposed = next() < 0.5;
  const pad = next() < 0.3 ? Math.floor(next() * 5) + 1 : 0;
  const offset = next() < 0.5 ? Math.floor(next() * 7) : 0;
  const inner = transposed ? rows : cols;
  const outer = transposed ? cols : rows;
  const lead = inner + pad;
  const data = new Float32Array(offset + outer * lead);
  for (let i = 0; i < data.length; i++) data[i] = value();
  return transposed
    ? { data, offset, rowStride: 1, colStride: lead }
    : { data, offset, rowStride: lead, colStride: 1 };
}

export interface Case {
  M: number;
  N: number;
  K: number;
  A: View;
  B: View;
  C0: Float32Array;
  cOffset: number;
  accumulate: boolean;
}

export function randomCase(next: () => number, value: () => number, maxDim = 70): Case {
  const dim = () => 1 + Math.floor(next() * maxDim);
  const M = dim();
  const N = dim();
  const K = dim();
  const cOffset = Math.floor(next() * 3);
  const C0 = new Float32Array(cOffset + M * N + 2);
  for (let i = 0; i < C0.length; i++) C0[i] = value();
  return {
    M,
    N,
    K,
    A: randomView(M, K, next, value),
    B: randomView(K, N, next, value),
    C0,
    cOffset,
    accumulate: next() < 0.5,
  };
}

export function run(
  kernel: Backend['matmul'],
  c: Case,
  transform?: (x: number) => number,
): Float32Array {
  const map = (v: View) => (transform ? v.data.map(transform) : v.data);
  const C = transform ? c.C0.map(transform) : c.C0.slice();
  kernel(
    c.M,
    c.N,
    c.K,
    map(c.A),
    c.A.offset,
    c.A.rowStride,
    c.A.colStride,
    map(c.B),
    c.B.offset,
    c.B.rowStride,
    c.B.colStride,
    C,
    c.cOffset,
    c.accumulate,
  );
  return C;
}

/**
 * Largest error of `got` against the js kernel, in units of the float32 error bound of a reordered
 * sum: |got − js| ≤ (K + 2)·2⁻²⁴·(Σₖ|a||b| + |c₀|). Below 1 passes.
 */
export function errorInBounds(kernel: Backend['matmul'], c: Case): number {
  const got = run(kernel, c);
  const want = run(matmulKernel, c);
  const magnitude = run(matmulKernel, c, Math.abs);
  let worst = 0;
  for (let i = 0; i < got.length; i++) {
    const bound = (c.K + 2) * 2 ** -24 * magnitude[i] + 1e-30;
    worst = Math.max(worst, Math.abs(got[i] - want[i]) / bound);
  }
  return worst;
}

export const asArray = (x: TypedArray): number[] => Array.from(x);

/** One unit in the last place of the float32 `x` (the spacing of float32s at |x|; 2⁻¹⁴⁹ at 0). */
export function ulp32(x: number): number {
  const a = Math.abs(x);
  if (a < 2 ** -126) return 2 ** -149;
  return 2 ** (Math.floor(Math.log2(a)) - 23);
}

/**
 * Asserts float32 results within `maxUlps` ulp of `want` plus an absolute `slack(i)` (for results
 * formed by cancellation, whose error scales with the operands, not the result). Non-finite values
 * must match exactly (NaN with NaN). Throws naming the first element outside, with both values.
 */
export function expectWithinUlps(
  got: ArrayLike<number>,
  want: ArrayLike<number>,
  maxUlps: number,
  what: string,
  slack: (i: number) => number = () => 0,
): void {
  if (got.length !== want.length) {
    throw new Error(`${what}: ${got.length} results, js gives ${want.length}`);
  }
  for (let i = 0; i < want.length; i++) {
    const g = got[i];
    const w = want[i];
    if (Object.is(g, w) || (Number.isNaN(g) && Number.isNaN(w))) continue;
    const bound = maxUlps * ulp32(w) + slack(i);
    if (!(Number.isFinite(g) && Number.isFinite(w) && Math.abs(g - w) <= bound)) {
      throw new Error(
        `${what}: element ${i} is ${g}, js gives ${w} (${Math.abs(g - w) / ulp32(w)} ulp; bound ${maxUlps} ulp + ${slack(i)})`,
      );
    }
  }
}

/**
 * The absolute slack of log-softmax's backward, dx = dy − exp(y)·Σdy, per element: exp(y) within
 * 1 ulp (2⁻²³ of |exp(y)·Σdy| = |dy − dx|), and Σdy summed in float64 in another order than js's
 * (at most size·2⁻⁵² of the row's Σ|dy|, times exp(y) ≤ 1).
 */
export function logSoftmaxBackwardSlack(
  dy: ArrayLike<number>,
  want: ArrayLike<number>,
  size: number,
): (i: number) => number {
  return (i) => {
    const row = Math.floor(i / size) * size;
    let total = 0;
    for (let c = 0; c < size; c++) total += Math.abs(dy[row + c]);
    return 2 ** -23 * Math.abs(dy[i] - want[i]) + size * 2 ** -52 * total + 1e-45;
  };
}
