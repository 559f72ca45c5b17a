/**
 * The rewritten wasm kernels (wasm/rows.ts's four-rows-at-once sums in layer norm and softmax's
 * backward, softmax's NaN-skipping maximum, the GELU's normal-range exp) against the js kernels on
 * the shapes their new code paths split on: row counts not a multiple of four (the group's
 * repeated last row), row lengths not a multiple of four (the column tails), rows of NaN, ±∞, −∞
 * masks, huge and tiny values. Layer norm and softmax's backward must stay bit-identical to js;
 * softmax within its 3 ulp, the GELU within the js comparison's tolerances.
 */
import { setFlagsFromString } from 'node:v8';
import { describe, expect, it } from 'vitest';
import type { TypedArray } from '../../dtype.js';
import type { Backend } from '../backend.js';
import { unaryContiguous } from '../elementwise.js';
import { layerNorm, layerNormBackward } from '../norm.js';
import { unaryBackward } from '../pointwise.js';
import { softmax, softmaxBackward } from '../softmax.js';
import { expectWithinUlps, rng } from './check.js';
import { allocateInWasm, freeInWasm, loadWasmBackend, wasmFeatures } from './index.js';

// Both builds: plain SIMD and (Node 20: behind a V8 flag) relaxed SIMD.
if (!wasmFeatures().relaxedSimd && wasmFeatures().simd) {
  setFlagsFromString('--experimental-wasm-relaxed-simd');
}
const builds: [string, Backend][] = [];
for (const relaxedSimd of [false, true]) {
  const loaded = loadWasmBackend({ relaxedSimd });
  if (!('error' in loaded)) builds.push([relaxedSimd ? 'relaxed' : 'simd', loaded]);
}

function expectIdentical(got: TypedArray, want: TypedArray, what: string): void {
  expect(got.length, what).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    if (Object.is(got[i], want[i]) || (Number.isNaN(got[i]) && Number.isNaN(want[i]))) continue;
    throw new Error(`${what}: element ${i} is ${got[i]}, js gives ${want[i]}`);
  }
}

/**
 * Values in ±scale; with `specials`, a few ±0, ±∞, NaN, subnormals and ±3e38.
 */
function values(n: number, seed: number, scale: number, specials: boolean): Float32Array {
  const next = rng(seed);
  const pick = [0, -0, Infinity, -Infinity, Number.NaN, 1e-45, -3e38, 3e38];
  return Float32Array.from({ length: n }, () =>
    specials && next() < 0.03 ? pick[Math.floor(next() * pick.length)] : (next() - 0.5) * 2 * scale,
  );
}

/** A copy in the kernel memory (the zero-copy path: no size threshold above 32 elements). */
function resident(x: Float32Array, live: TypedArray[]): Float32Array {
  const r = allocateInWasm('float32', x.length) as Float32Array;
  r.set(x);
  live.push(r);
  return r;
}

/**
 * Values whose magnitudes spread over 2^±24: their float64 sums round (sums of float32 values of
 * similar size are exact in float64 in any order), so a kernel summing in another order than js
 * gives other bits and fails.
 */
function spread(n: number, seed: number): Float32Array {
  const next = rng(seed);
  return Float32Array.from({ length: n }, () => (next() - 0.5) * 2 ** Math.floor(next() * 48 - 24));
}

// [rows, n]: rows 1–3 past a multiple of 4, n with every remainder mod 4, n = 1.
const SHAPES: [number, number][] = [
  [257, 1],
  [86, 3],
  [65, 4],
  [53, 5],
  [33, 8],
  [6, 63],
  [7, 64],
  [5, 65],
  [3, 130],
  [2, 200],
  [1, 301],
];

describe.each(builds)('rewritten wasm kernels (%s build)', (_, backend) => {
  it("layerNorm and its backward: the js kernels' bits on every row/column remainder, with and without weight and bias, specials included", () => {
    let seed = 1;
    for (const [rows, n] of SHAPES) {
      for (const affine of ['weight and bias', 'weight', 'none']) {
        for (const data of ['plain', 'specials', 'spread'] as const) {
          const specials = data === 'specials';
          const live: TypedArray[] = [];
          try {
            const total = rows * n;
            const x =
              data === 'spread' ? spread(total, seed++) : values(total, seed++, 3, specials);
            if (rows > 2) x.fill(Number.NaN, n, 2 * n); // row 1: all NaN
            if (rows > 3) x.fill(1e30, 2 * n, 3 * n); // row 2: constant, variance 0
            const w = affine !== 'none' ? values(n, seed++, 2, false) : null;
            const b = affine === 'weight and bias' ? values(n, seed++, 2, false) : null;
            const dy =
              data === 'spread' ? spread(total, seed++) : values(total, seed++, 1, specials);
            const what = `${rows}x${n}, ${affine}, ${data}`;
            const want = {
              out: new Float32Array(total),
              mean: new Float32Array(rows),
              rstd: new Float32Array(rows),
            };
            layerNorm(x, rows, n, w, b, 1e-5, want.out, want.mean, want.rstd);
            const got = {
              out: resident(new Float32Array(total), live),
              mean: resident(new Float32Array(rows), live),
              rstd: resident(new Float32Array(rows), live),
            };
            const xR = resident(x, live);
            const wR = w && resident(w, live);
            const bR = b && resident(b, live);
            backend.layerNorm(xR, rows, n, wR, bR, 1e-5, got.out, got.mean, got.rstd);
            expectIdentical(got.out, want.out, `layerNorm ${what}`);
            expectIdentical(got.mean, want.mean, `layerNorm mean ${what}`);
            expectIdentical(got.rstd, want.rstd, `layerNorm rstd ${what}`);
            const [dx, dw, db] = [total, n, n].map((k) => new Float32Array(k));
            layerNormBackward(dy, x, want.mean, want.rstd, w, rows, n, dx, dw, db);
            const [gx, gw, gb] = [total, n, n].map((k) => resident(new Float32Array(k), live));
            const dyR = resident(dy, live);
            backend.layerNormBackward(dyR, xR, got.mean, got.rstd, wR, rows, n, gx, gw, gb);
            expectIdentical(gx, dx, `layerNormBackward dx ${what}`);
            expectIdentical(gw, dw, `layerNormBackward dw ${what}`);
            expectIdentical(gb, db, `layerNormBackward dbias ${what}`);
            // dx alone, and the column sums alone (the two halves a threaded call splits into).
            const onlyDx = resident(new Float32Array(total), live);
            backend.layerNormBackward(dyR, xR, got.mean, got.rstd, wR, rows, n, onlyDx, null, null);
            expectIdentical(onlyDx, dx, `layerNormBackward dx only ${what}`);
            const onlyDw = resident(new Float32Array(n), live);
            backend.layerNormBackward(dyR, xR, got.mean, got.rstd, wR, rows, n, null, onlyDw, null);
            expectIdentical(onlyDw, dw, `layerNormBackward dw only ${what}`);
          } finally {
            for (const a of live) freeInWasm(a);
          }
        }
      }
    }
  });

  it("softmax's backward: the js kernel's bits, in place too", () => {
    let seed = 100;
    for (const [rows, size] of SHAPES) {
      const live: TypedArray[] = [];
      try {
        const n = rows * size;
        const y = new Float32Array(n);
        softmax(values(n, seed++, 4, false), 0, y, rows, size, 1, false);
        for (const dy of [values(n, seed++, 2, true), spread(n, seed++)]) {
          const want = new Float32Array(n);
          softmaxBackward(dy, y, want, rows, size, 1, false);
          const got = resident(new Float32Array(n), live);
          backend.softmaxBackward(resident(dy, live), resident(y, live), got, rows, size, 1, false);
          expectIdentical(got, want, `softmaxBackward ${rows}x${size}`);
          const inPlace = resident(dy, live);
          backend.softmaxBackward(inPlace, resident(y, live), inPlace, rows, size, 1, false);
          expectIdentical(inPlace, want, `softmaxBackward in place ${rows}x${size}`);
        }
      } finally {
        for (const a of live) freeInWasm(a);
      }
    }
  });

  it('softmax: within 3 ulp of js with causal −∞ masks, huge spreads, rows of −∞, and NaN wherever js has NaN', () => {
    let seed = 200;
    for (const [rows, size] of [...SHAPES, [1024, 32] as [number, number]]) {
      for (const scale of [1, 30, 1e4]) {
        const live: TypedArray[] = [];
        try {
          const n = rows * size;
          const x = values(n, seed++, scale, scale === 30);
          // Causal mask: row r sees columns ≤ r mod size.
          for (let r = 0; r < rows; r++)
            for (let c = (r % size) + 1; c < size; c++) x[r * size + c] = -Infinity;
          // A NaN in the first, a middle and the last column of three rows (the maximum skips it:
          // the row must still come out all NaN, as js).
          for (const [r, c] of [
            [0, 0],
            [Math.min(1, rows - 1), size >> 1],
            [rows - 1, size - 1],
          ])
            x[r * size + c] = Number.NaN;
          // A row of −∞ (Σe = 0: NaN throughout, as js), unless the shape has no room for it.
          if (rows > 3) x.fill(-Infinity, 2 * size, 3 * size);
          const want = new Float32Array(n);
          softmax(x, 0, want, rows, size, 1, false);
          const got = resident(new Float32Array(n), live);
          backend.softmax(resident(x, live), 0, got, rows, size, 1, false);
          expectWithinUlps(got, want, 3, `softmax ${rows}x${size} scale ${scale}`);
          expect(Number.isNaN(got[0]) && Number.isNaN(got[n - 1])).toBe(true);
        } finally {
          for (const a of live) freeInWasm(a);
        }
      }
    }
  });

  it('tanh (float32 lanes, its polynomials fused in the relaxed build): within 1 ulp of js', () => {
    const live: TypedArray[] = [];
    try {
      const n = 200_003;
      const x = Float32Array.from({ length: n }, (_, i) => -12 + (24 * i) / n);
      const want = new Float32Array(n);
      unaryContiguous('tanh', x, 0, want, n);
      const got = resident(new Float32Array(n), live);
      backend.unaryContiguous('tanh', resident(x, live), 0, got, n);
      expectWithinUlps(got, want, 1, 'tanh');
    } finally {
      for (const a of live) freeInWasm(a);
    }
  });

  it('GELU (tanh) forward and backward: close to js on a dense sweep, the tails, ±∞ and NaN as js', () => {
    const xs: number[] = [];
    for (let v = -12; v <= 12; v += 1 / 64) xs.push(v);
    xs.push(-1e4, -88, -50, -10.5, -10.03, -10, -9.3, 9.3, 10, 10.5, 50, 1e4, 3e38, -3e38);
    xs.push(0, -0, 1e-45, -1e-45, Infinity, -Infinity, Number.NaN);
    for (const n of [xs.length, xs.length - 3]) {
      const live: TypedArray[] = [];
      try {
        const x = Float32Array.from(xs.slice(0, n));
        const dy = values(n, 7, 1, false);
        const want = new Float32Array(n);
        unaryContiguous('geluTanh', x, 0, want, n);
        const got = resident(new Float32Array(n), live);
        const xR = resident(x, live);
        backend.unaryContiguous('geluTanh', xR, 0, got, n);
        const dWant = new Float32Array(n);
        unaryBackward('geluTanh', dy, x, dWant, n);
        const dGot = resident(new Float32Array(n), live);
        backend.unaryBackward('geluTanh', resident(dy, live), xR, dGot, n);
        for (let i = 0; i < n; i++) {
          const [g, w, dg, dw] = [got[i], want[i], dGot[i], dWant[i]];
          const close = (a: number, b: number, atol: number, rtol: number) =>
            Object.is(a, b) ||
            (Number.isNaN(a) && Number.isNaN(b)) ||
            Math.abs(a - b) <= atol + rtol * Math.abs(b);
          if (!close(g, w, 1e-7, 1e-6)) throw new Error(`gelu(${x[i]}) = ${g}, js ${w}`);
          if (!close(dg, dw, 1e-6, 1e-5)) throw new Error(`gelu'(${x[i]})·dy = ${dg}, js ${dw}`);
        }
        if (n === xs.length) {
          // gelu(−∞) = −∞·0 = NaN and gelu'(+∞) = NaN (∞·0), as js and PyTorch; gelu(+∞) = +∞.
          expect(Number.isNaN(got[n - 2])).toBe(true);
          expect(got[n - 3]).toBe(Infinity);
          expect(Number.isNaN(dGot[n - 3])).toBe(true);
        }
      } finally {
        for (const a of live) freeInWasm(a);
      }
    }
  });
});
