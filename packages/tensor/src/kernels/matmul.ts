/**
 * Matrix multiply on typed arrays: C[M×N] (+)= A[M×K] · B[K×N].
 *
 * Both operands are read through arbitrary strides (so `W.T` costs no copy) and packed once into
 * float64 panels: A in strips of 4 rows (k-major), B in strips of 4 columns (k-major). A 4×4 block of
 * C is then accumulated in 16 local variables — registers — reading 8 numbers per 16 multiply-adds.
 * Packing is O(MK + KN) against O(MKN) arithmetic, and it makes every shape (transposed, expanded,
 * sliced) run the same tight loop. Panels are padded with zeros to multiples of 4 and reused across
 * calls, so the hot path allocates nothing.
 */
import type { TypedArray } from '../dtype.js';

let packA: Float64Array = new Float64Array(0);
let packB: Float64Array = new Float64Array(0);

function scratch(current: Float64Array, size: number): Float64Array {
  return current.length >= size ? current : new Float64Array(Math.max(size, current.length * 2));
}

/** Packs op(X)[rows × K] (element (r, k) at offset + r·rs + k·ks) into 4-row strips, k-major. */
function pack(
  X: TypedArray,
  offset: number,
  rs: number,
  ks: number,
  rows: number,
  K: number,
  out: Float64Array,
): void {
  const strips = (rows + 3) >> 2;
  for (let s = 0; s < strips; s++) {
    const base = s * K * 4;
    for (let t = 0; t < 4; t++) {
      const r = s * 4 + t;
      if (r < rows) {
        const x0 = offset + r * rs;
        if (ks === 1) for (let k = 0; k < K; k++) out[base + k * 4 + t] = X[x0 + k];
        else for (let k = 0; k < K; k++) out[base + k * 4 + t] = X[x0 + k * ks];
      } else {
        for (let k = 0; k < K; k++) out[base + k * 4 + t] = 0;
      }
    }
  }
}

/**
 * C (row-major, leading dimension N, at `cOffset`) = A·B, or += when `accumulate`.
 * A's element (i, k) is at aOffset + i·aRowStride + k·aColStride; B's (k, j) at bOffset + k·bRowStride + j·bColStride.
 */
export function matmulKernel(
  M: number,
  N: number,
  K: number,
  A: TypedArray,
  aOffset: number,
  aRowStride: number,
  aColStride: number,
  B: TypedArray,
  bOffset: number,
  bRowStride: number,
  bColStride: number,
  C: TypedArray,
  cOffset: number,
  accumulate: boolean,
): void {
  const Ms = (M + 3) >> 2;
  const Ns = (N + 3) >> 2;
  packA = scratch(packA, Ms * K * 4);
  packB = scratch(packB, Ns * K * 4);
  const pa = packA;
  const pb = packB;
  pack(A, aOffset, aRowStride, aColStride, M, K, pa);
  // B's columns are the "rows" of its packing: column j, step k.
  pack(B, bOffset, bColStride, bRowStride, N, K, pb);
  // One store path: C = A·B is C = 0, then C += A·B. Exact, since the block sums start at +0 and so
  // are never −0 (0 + v is v for every other v, NaN and ±Infinity included).
  if (!accumulate) C.fill(0, cOffset, cOffset + M * N);
  for (let is = 0; is < Ms; is++) {
    const aBase = is * K * 4;
    const i0 = is * 4;
    const rowsHere = Math.min(4, M - i0);
    for (let js = 0; js < Ns; js++) {
      const bBase = js * K * 4;
      let c00 = 0,
        c01 = 0,
        c02 = 0,
        c03 = 0;
      let c10 = 0,
        c11 = 0,
        c12 = 0,
        c13 = 0;
      let c20 = 0,
        c21 = 0,
        c22 = 0,
        c23 = 0;
      let c30 = 0,
        c31 = 0,
        c32 = 0,
        c33 = 0;
      for (let k = 0, a = aBase, b = bBase; k < K; k++, a += 4, b += 4) {
        const a0 = pa[a];
        const a1 = pa[a + 1];
        const a2 = pa[a + 2];
        const a3 = pa[a + 3];
        const b0 = pb[b];
        const b1 = pb[b + 1];
        const b2 = pb[b + 2];
        const b3 = pb[b + 3];
        c00 += a0 * b0;
        c01 += a0 * b1;
        c02 += a0 * b2;
        c03 += a0 * b3;
        c10 += a1 * b0;
        c11 += a1 * b1;
        c12 += a1 * b2;
        c13 += a1 * b3;
        c20 += a2 * b0;
        c21 += a2 * b1;
        c22 += a2 * b2;
        c23 += a2 * b3;
        c30 += a3 * b0;
        c31 += a3 * b1;
        c32 += a3 * b2;
        c33 += a3 * b3;
      }
      const j0 = js * 4;
      const colsHere = Math.min(4, N - j0);
      let c = cOffset + i0 * N + j0;
      if (rowsHere === 4 && colsHere === 4) {
        C[c] += c00;
        C[c + 1] += c01;
        C[c + 2] += c02;
        C[c + 3] += c03;
        c += N;
        C[c] += c10;
        C[c + 1] += c11;
        C[c + 2] += c12;
        C[c + 3] += c13;
        c += N;
        C[c] += c20;
        C[c + 1] += c21;
        C[c + 2] += c22;
        C[c + 3] += c23;
        c += N;
        C[c] += c30;
        C[c + 1] += c31;
        C[c + 2] += c32;
        C[c + 3] += c33;
      } else {
        const block = [
          c00,
          c01,
          c02,
          c03,
          c10,
          c11,
          c12,
          c13,
          c20,
          c21,
          c22,
          c23,
          c30,
          c31,
          c32,
          c33,
        ];
        for (let r = 0; r < rowsHere; r++) {
          for (let t = 0; t < colsHere; t++) {
            C[c + r * N + t] += block[r * 4 + t];
          }
        }
      }
    }
  }
}
