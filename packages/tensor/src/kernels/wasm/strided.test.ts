/**
 * The wasm strided copies (gather32 / scatter32) against the js kernels: random views of 1–6 dims
 * (permuted, sliced, broadcast with stride 0, size-1 dims), float32 and int32, in the kernel memory.
 */
import { describe, expect, it } from 'vitest';
import type { TypedArray } from '../../dtype.js';
import { gatherStrided, scatterStrided } from '../elementwise.js';
import { rng } from './check.js';
import { allocateInWasm, freeInWasm, loadWasmBackend } from './index.js';

const backend = (() => {
  const loaded = loadWasmBackend({ relaxedSimd: false });
  if ('error' in loaded) throw new Error(loaded.error);
  return loaded;
})();

/** A random view: shape, strides (a permutation of contiguous strides, some zeroed), offset, span. */
function randomView(next: () => number) {
  const ndim = 1 + Math.floor(next() * 6);
  const shape = Array.from({ length: ndim }, () => 1 + Math.floor(next() * 5));
  const order = shape.map((_, d) => d).sort(() => next() - 0.5);
  const strides = new Array<number>(ndim);
  let step = 1 + Math.floor(next() * 2); // 2: every other element (a slice)
  for (const d of order) {
    strides[d] = next() < 0.15 ? 0 : step;
    step *= shape[d] + (next() < 0.3 ? 1 : 0); // a gap: a slice of a longer dim
  }
  const offset = Math.floor(next() * 3);
  return { shape, strides, offset, span: offset + step + 1 };
}

describe('wasm gatherStrided / scatterStrided', () => {
  for (const dtype of ['float32', 'int32'] as const) {
    it(`gives the js kernels' elements on 300 random views (${dtype})`, () => {
      const next = rng(dtype === 'float32' ? 11 : 12);
      for (let c = 0; c < 300; c++) {
        const { shape, strides, offset, span } = randomView(next);
        const n = shape.reduce((a, b) => a * b, 1);
        const x = allocateInWasm(dtype, span) as TypedArray;
        for (let i = 0; i < span; i++) x[i] = Math.floor((next() - 0.5) * 1000) / 8;
        const got = allocateInWasm(dtype, n) as TypedArray;
        const want = new (x.constructor as Float32ArrayConstructor)(n);
        backend.gatherStrided(x, offset, strides, shape, got);
        gatherStrided(x, offset, strides, shape, want);
        expect(Array.from(got), `gather ${shape} ${strides}`).toEqual(Array.from(want));
        // Scatter back into two copies of x (stride-0 dims: the last write wins in both).
        const src = allocateInWasm(dtype, n) as TypedArray;
        for (let i = 0; i < n; i++) src[i] = i + 0.5 * (dtype === 'float32' ? 1 : 0);
        const y = allocateInWasm(dtype, span) as TypedArray;
        y.set(x);
        const yJs = x.slice();
        backend.scatterStrided(src, y, offset, strides, shape);
        scatterStrided(src, yJs, offset, strides, shape);
        expect(Array.from(y), `scatter ${shape} ${strides}`).toEqual(Array.from(yJs));
        for (const a of [x, got, src, y]) freeInWasm(a);
      }
    });
  }
});
