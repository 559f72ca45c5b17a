import { describe, expect, it } from 'vitest';
import type { DType, TypedArray } from '../../dtype.js';
import { cast, fill } from '../pointwise.js';
import { allocateInWasm, freeInWasm, loadWasmBackend } from './index.js';

const backend = (() => {
  const loaded = loadWasmBackend({ relaxedSimd: false });
  if ('error' in loaded) throw new Error(loaded.error);
  return loaded;
})();

function expectIdentical(got: TypedArray, want: TypedArray, what: string): void {
  expect(got.length, what).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const same = Object.is(got[i], want[i]) || (Number.isNaN(got[i]) && Number.isNaN(want[i]));
    if (!same) throw new Error(`${what}: element ${i} is ${got[i]}, js gives ${want[i]}`);
  }
}

const DTYPES: DType[] = ['float32', 'float64', 'int32'];
const make = (dtype: DType, n: number): TypedArray =>
  dtype === 'float32'
    ? new Float32Array(n)
    : dtype === 'float64'
      ? new Float64Array(n)
      : new Int32Array(n);

/** Values that exercise every conversion: fractions, halves, ±0, ±∞, NaN, beyond int32 and float32. */
const SOURCE = [
  0,
  -0,
  0.5,
  -0.5,
  1.5,
  -2.5,
  2.7,
  -2.7,
  1e-40,
  3.4e38,
  1e39,
  -1e39,
  Infinity,
  -Infinity,
  Number.NaN,
  2147483647,
  2147483648,
  -2147483649,
  4294967296 + 5,
  -(2 ** 40) - 3,
  2 ** 53 + 2,
  1 / 3,
  16777217,
];

describe('wasm fill and cast on arrays in the kernel memory', () => {
  it('fill equals js for every dtype and value (resident); plain arrays stay on js', () => {
    for (const dtype of DTYPES) {
      for (const value of [
        0,
        -0,
        1.5,
        -2.7,
        Number.NaN,
        Infinity,
        3e38,
        1e39,
        2 ** 31 + 3,
        1 / 3,
      ]) {
        for (const [offset, n] of [
          [0, 1000],
          [3, 77],
          [5, 10],
        ]) {
          const want = make(dtype, 1100);
          fill(want, offset, n, value);
          const got = allocateInWasm(dtype, 1100);
          backend.fill(got, offset, n, value);
          expectIdentical(got, want, `fill ${dtype} ${value} at ${offset}+${n}`);
          freeInWasm(got);
        }
      }
    }
  });

  it('cast equals js for every pair of dtypes, resident on either side or both', () => {
    const n = 1000;
    for (const from of DTYPES) {
      const x = make(from, n + 2);
      for (let i = 0; i < n + 2; i++) x[i] = SOURCE[i % SOURCE.length] * (i % 7 === 6 ? 3 : 1);
      for (const to of DTYPES) {
        const want = make(to, n);
        cast(x, 2, want, n);
        for (const [inX, inOut] of [
          [true, true],
          [true, false],
          [false, true],
        ]) {
          const xs = inX ? allocateInWasm(from, n + 2) : make(from, n + 2);
          xs.set(x);
          const got = inOut ? allocateInWasm(to, n) : make(to, n);
          backend.cast(xs, 2, got, n);
          expectIdentical(got, want, `cast ${from} → ${to} (resident: ${inX}, ${inOut})`);
        }
      }
    }
  });

  it('allocateInWasm zeroes a reused block through wasm (as before: all zero)', () => {
    const a = allocateInWasm('float64', 5000) as Float64Array;
    a.fill(Number.NaN);
    freeInWasm(a);
    const b = allocateInWasm('float64', 4500) as Float64Array; // the same 49,152-byte class
    expect(b.byteOffset).toBe(a.byteOffset);
    expect(b.every((v) => Object.is(v, 0))).toBe(true);
    freeInWasm(b);
  });
});
