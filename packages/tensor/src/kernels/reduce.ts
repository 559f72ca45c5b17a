/**
 * Reductions over one dimension of a contiguous buffer viewed as [outer, size, inner]:
 * out[o, i] = reduce over r of x[(o·size + r)·inner + i]. Reducing several dimensions is a sequence of
 * these (the ops layer does that), so one kernel covers every `dim` and `keepdim`.
 */
import type { TypedArray } from '../dtype.js';

export type ReduceOp = 'sum' | 'max' | 'min';

export function reduceDim(
  op: ReduceOp,
  x: TypedArray,
  outer: number,
  size: number,
  inner: number,
  out: TypedArray,
  indices: Int32Array | null,
): void {
  if (op === 'sum') {
    if (inner === 1) {
      for (let o = 0; o < outer; o++) {
        let acc = 0;
        const base = o * size;
        for (let r = 0; r < size; r++) acc += x[base + r];
        out[o] = acc;
      }
      return;
    }
    // Accumulate rows into a float64 scratch so float32 sums round once, like a pairwise-ish sum.
    const acc = new Float64Array(inner);
    for (let o = 0; o < outer; o++) {
      acc.fill(0);
      const base = o * size * inner;
      for (let r = 0; r < size; r++) {
        const row = base + r * inner;
        for (let i = 0; i < inner; i++) acc[i] += x[row + i];
      }
      const ob = o * inner;
      for (let i = 0; i < inner; i++) out[ob + i] = acc[i];
    }
    return;
  }
  // max / min with the index of the first extreme (NaN propagates, as in PyTorch).
  const isMax = op === 'max';
  for (let o = 0; o < outer; o++) {
    const base = o * size * inner;
    for (let i = 0; i < inner; i++) {
      let best = x[base + i];
      let bestIndex = 0;
      if (!Number.isNaN(best)) {
        for (let r = 1; r < size; r++) {
          const v = x[base + r * inner + i];
          if (Number.isNaN(v)) {
            best = v;
            bestIndex = r;
            break;
          }
          if (isMax ? v > best : v < best) {
            best = v;
            bestIndex = r;
          }
        }
      }
      out[o * inner + i] = best;
      if (indices) indices[o * inner + i] = bestIndex;
    }
  }
}
