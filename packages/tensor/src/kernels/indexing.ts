/**
 * Row gathers and scatter-adds: the embedding lookup `C[X]` and its backward, `gather` and `index`
 * (rows of one element), and the backward of `max(dim)`. Rows may repeat in a scatter-add, so it
 * accumulates; the order of accumulation is the order of `rows`, which keeps results deterministic.
 */
import type { TypedArray } from '../dtype.js';

/** out[p·rowSize + c] = src[srcOffset + rows[p]·rowSize + c] for p < rows.length, c < rowSize. */
export function gatherRows(
  src: TypedArray,
  srcOffset: number,
  rows: Int32Array,
  rowSize: number,
  out: TypedArray,
): void {
  const count = rows.length;
  const base = srcOffset;
  if (rowSize === 1) for (let p = 0; p < count; p++) out[p] = src[base + rows[p]];
  else {
    for (let p = 0; p < count; p++) {
      const from = base + rows[p] * rowSize;
      out.set(src.subarray(from, from + rowSize), p * rowSize);
    }
  }
}

/** out[rows[p]·rowSize + c] += src[p·rowSize + c] (the backward of `gatherRows`; `out` starts at 0). */
export function scatterAddRows(
  src: TypedArray,
  rows: Int32Array,
  rowSize: number,
  out: TypedArray,
): void {
  const count = rows.length;
  if (rowSize === 1) for (let p = 0; p < count; p++) out[rows[p]] += src[p];
  else {
    for (let p = 0; p < count; p++) {
      const to = rows[p] * rowSize;
      const from = p * rowSize;
      for (let c = 0; c < rowSize; c++) out[to + c] += src[from + c];
    }
  }
}

/**
 * The backward of a reduction that picked one element per lane (`max(dim)`, `min(dim)`): with `out`
 * viewed as [outer, size, inner] and `src`/`indices` as [outer, inner],
 * out[o, indices[o, i], i] += src[o, i].
 */
export function scatterAddDim(
  src: TypedArray,
  indices: TypedArray,
  outer: number,
  size: number,
  inner: number,
  out: TypedArray,
): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const k = o * inner + i;
      out[(o * size + indices[k]) * inner + i] += src[k];
    }
  }
}
