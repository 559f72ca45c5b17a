import { describe, expect, it } from 'vitest';
import type { TypedArray } from '../../dtype.js';
import { type BinaryOp, binaryStrided, type UnaryOp, unaryContiguous } from '../elementwise.js';
import { unaryBackward } from '../pointwise.js';
import { reduceDim } from '../reduce.js';
import { rng } from './check.js';
import { ELEMENTWISE_THRESHOLD } from './elementwise.js';
import { allocateInWasm, freeInWasm, loadWasmBackend } from './index.js';
import { loadKernels } from './runtime.js';

const backend = (() => {
  const loaded = loadWasmBackend({ relaxedSimd: false });
  if ('error' in loaded) throw new Error(loaded.error);
  return loaded;
})();

/** Index of the first element where the arrays differ as numbers (NaN equals NaN, +0 ≠ −0), or −1. */
function firstDifference(got: TypedArray, want: TypedArray): number {
  if (got.length !== want.length) return 0;
  for (let i = 0; i < got.length; i++) {
    const same = Object.is(got[i], want[i]) || (Number.isNaN(got[i]) && Number.isNaN(want[i]));
    if (!same) return i;
  }
  return -1;
}

function expectIdentical(got: TypedArray, want: TypedArray, what: string): void {
  const i = firstDifference(got, want);
  if (i >= 0) throw new Error(`${what}: element ${i} is ${got[i]}, js gives ${want[i]}`);
}

/** Float32 values with every special: ±0, ±Infinity, NaN, subnormals, huge, tiny, ordinary. */
function specialValues(n: number, seed: number): Float32Array {
  const next = rng(seed);
  const specials = [0, -0, Infinity, -Infinity, Number.NaN, 1e-45, -1e-45, 3e38, -3e38, 1, -1, 0.5];
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const r = next();
    x[i] =
      r < 0.15
        ? specials[Math.floor(next() * specials.length)]
        : r < 0.3
          ? (next() - 0.5) * 2 ** Math.floor(next() * 200 - 100)
          : (next() - 0.5) * 8;
  }
  return x;
}

const UNARY_OPS: UnaryOp[] = [
  'neg',
  'exp',
  'log',
  'tanh',
  'relu',
  'sigmoid',
  'sqrt',
  'abs',
  'square',
  'reciprocal',
  'sign',
  'copy',
];

/** Float32 bits → integers ordered like the floats: the ulp distance is a difference. */
const ordered = (bits: number): number => (bits < 0 ? -(bits & 0x7fffffff) : bits);

/** Within `ulps` of the js kernel's float32 (NaN = NaN, signs of zero equal). */
function expectWithinUlps(got: Float32Array, want: Float32Array, ulps: number, what: string): void {
  const g = new Int32Array(got.buffer, got.byteOffset, got.length);
  const w = new Int32Array(want.buffer, want.byteOffset, want.length);
  for (let i = 0; i < want.length; i++) {
    if (g[i] === w[i] || (Number.isNaN(got[i]) && Number.isNaN(want[i]))) continue;
    if (!(Math.abs(ordered(g[i]) - ordered(w[i])) <= ulps)) {
      throw new Error(`${what}: element ${i} is ${got[i]}, js gives ${want[i]}`);
    }
  }
}

describe('wasm unaryContiguous gives exactly the js numbers (tanh: within 1 ulp)', () => {
  for (const op of UNARY_OPS) {
    it(op, () => {
      for (const n of [0, 1, 7, ELEMENTWISE_THRESHOLD - 1, ELEMENTWISE_THRESHOLD, 1003, 4096]) {
        for (const offset of [0, 3]) {
          const x = specialValues(n + offset, n * 31 + offset);
          const want = new Float32Array(n);
          unaryContiguous(op, x, offset, want, n);
          const got = new Float32Array(n);
          backend.unaryContiguous(op, x, offset, got, n);
          if (op === 'tanh') expectWithinUlps(got, want, 1, `${op} n=${n} offset=${offset}`);
          else expectIdentical(got, want, `${op} n=${n} offset=${offset}`);
        }
      }
    });
  }

  it('works in place and on wasm-resident arrays', () => {
    const n = 1000;
    const x = specialValues(n, 5);
    const want = new Float32Array(n);
    unaryContiguous('relu', x, 0, want, n);
    const inPlace = x.slice();
    backend.unaryContiguous('relu', inPlace, 0, inPlace, n);
    expectIdentical(inPlace, want, 'relu in place');
    const resident = allocateInWasm('float32', n) as Float32Array;
    resident.set(x);
    const out = allocateInWasm('float32', n) as Float32Array;
    backend.unaryContiguous('relu', resident, 0, out, n);
    expectIdentical(out, want, 'relu in wasm memory');
  });

  it('leaves other dtypes to the js kernel', () => {
    const x = new Float64Array(300).map((_, i) => i - 150.5);
    const got = new Float64Array(300);
    const want = new Float64Array(300);
    backend.unaryContiguous('square', x, 0, got, 300);
    unaryContiguous('square', x, 0, want, 300);
    expectIdentical(got, want, 'float64 square');
  });
});

const BINARY_OPS: BinaryOp[] = [
  'add',
  'sub',
  'mul',
  'div',
  'pow',
  'maximum',
  'minimum',
  'eq',
  'lt',
  'ge',
];

/** Contiguous strides of a shape, with 0 where `broadcast` marks a dimension. */
function strides(shape: number[], broadcast: boolean[] = []): number[] {
  const out = new Array<number>(shape.length).fill(0);
  let step = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    if (broadcast[d]) continue;
    out[d] = step;
    step *= shape[d];
  }
  return out;
}

/** Operand layouts over an output shape: [label, strides of a, strides of b]. */
function layouts(shape: number[]): [string, number[], number[]][] {
  const nd = shape.length;
  const all = new Array<boolean>(nd).fill(true);
  const lead = shape.map((_, d) => d < nd - 1);
  const last = shape.map((_, d) => d === nd - 1);
  const transposed = nd === 2 ? [1, shape[0]] : strides(shape);
  return [
    ['same shape', strides(shape), strides(shape)],
    ['row broadcast (bias)', strides(shape), strides(shape, lead)],
    ['row broadcast on the left', strides(shape, lead), strides(shape)],
    ['column broadcast', strides(shape), strides(shape, last)],
    ['scalar', strides(shape), strides(shape, all)],
    ['scalar on the left', strides(shape, all), strides(shape)],
    ['transposed (js path)', transposed, strides(shape)],
  ];
}

describe('wasm binaryStrided gives exactly the js numbers', () => {
  for (const op of BINARY_OPS) {
    it(op, () => {
      for (const shape of [[300], [7, 50], [64, 27], [2, 3, 130], [1, 1000], [5, 1]]) {
        for (const [label, sa, sb] of layouts(shape)) {
          const n = shape.reduce((p, s) => p * s, 1);
          const a = specialValues(n + 2, n + 1);
          const b = specialValues(n + 2, n + 2);
          const want = new Float32Array(n);
          binaryStrided(op, a, 2, sa, b, 1, sb, want, shape);
          const got = new Float32Array(n);
          backend.binaryStrided(op, a, 2, sa, b, 1, sb, got, shape);
          expectIdentical(got, want, `${op} ${label} ${JSON.stringify(shape)}`);
        }
      }
    });
  }

  it('broadcasts a [3, 1] operand over [4, 3, 100] (3-d, mixed)', () => {
    const shape = [4, 3, 100];
    const a = specialValues(1200, 9);
    const b = specialValues(3, 10);
    const sb = [0, 1, 0];
    const want = new Float32Array(1200);
    binaryStrided('mul', a, 0, strides(shape), b, 0, sb, want, shape);
    const got = new Float32Array(1200);
    backend.binaryStrided('mul', a, 0, strides(shape), b, 0, sb, got, shape);
    expectIdentical(got, want, 'mul [4,3,100] by [3,1]');
  });
});

describe('wasm tanh (a port of V8 Math.tanh)', () => {
  const kernels = loadKernels(false);
  if ('error' in kernels) throw new Error(kernels.error);

  it('is bit-identical to Math.tanh on 300,000 doubles across all exponents and the specials', () => {
    const next = rng(77);
    const bits = new Float64Array(1);
    const words = new Uint32Array(bits.buffer);
    let checked = 0;
    for (let i = 0; i < 300_000; i++) {
      words[0] = Math.floor(next() * 2 ** 32);
      // exponents from 2^-64 to 2^80, both signs
      words[1] =
        (Math.floor(next() * 2 ** 20) | ((0x3bf + Math.floor(next() * 0x90)) << 20)) +
        (next() < 0.5 ? 0x80000000 : 0);
      const x = bits[0];
      const want = Math.tanh(x);
      const got = kernels.tanhF64(x);
      if (!Object.is(got, want)) throw new Error(`tanh(${x}) = ${got}, Math.tanh gives ${want}`);
      checked++;
    }
    for (const x of [0, -0, 1e-300, 2 ** -28, -(2 ** -28), 0.5, 1, -1, 22, -22, 21.99, 1e300]) {
      expect(Object.is(kernels.tanhF64(x), Math.tanh(x))).toBe(true);
    }
    expect(kernels.tanhF64(Infinity)).toBe(1);
    expect(kernels.tanhF64(-Infinity)).toBe(-1);
    expect(kernels.tanhF64(Number.NaN)).toBeNaN();
    expect(checked).toBe(300_000);
  });

  it('is bit-identical two lanes at a time (f64x2), on doubles and through unaryF32 on float32', () => {
    const n = 200_000;
    const x = new Float64Array(n);
    const words = new Uint32Array(x.buffer);
    const next = rng(78);
    for (let i = 0; i < n; i++) {
      words[2 * i] = Math.floor(next() * 2 ** 32);
      words[2 * i + 1] =
        (Math.floor(next() * 2 ** 20) | ((0x3bf + Math.floor(next() * 0x90)) << 20)) +
        (next() < 0.5 ? 0x80000000 : 0);
    }
    x[7] = Number.NaN;
    x[8] = Infinity;
    x[100] = 0;
    const X = allocateInWasm('float64', n) as Float64Array;
    const out = allocateInWasm('float64', n) as Float64Array;
    X.set(x);
    kernels.tanhF64Array(X.byteOffset, out.byteOffset, n);
    for (let i = 0; i < n; i++) {
      const want = Math.tanh(x[i]);
      if (!(Object.is(out[i], want) || (Number.isNaN(out[i]) && Number.isNaN(want)))) {
        throw new Error(`tanh(${x[i]}) = ${out[i]} on two lanes, Math.tanh gives ${want}`);
      }
    }
    // Float32 in, float32 out: the kernel the backend would run (op code 8).
    const m = 100_000;
    const f = allocateInWasm('float32', m) as Float32Array;
    const g = allocateInWasm('float32', m) as Float32Array;
    const bits = new Uint32Array(f.buffer, f.byteOffset, m);
    for (let i = 0; i < m; i++) bits[i] = (i * 42947 + 12345) >>> 0;
    kernels.unaryF32(8, f.byteOffset, g.byteOffset, m);
    for (let i = 0; i < m; i++) {
      const want = Math.fround(Math.tanh(f[i]));
      if (!(Object.is(g[i], want) || (Number.isNaN(g[i]) && Number.isNaN(want)))) {
        throw new Error(`float32 tanh(${f[i]}) = ${g[i]}, js gives ${want}`);
      }
    }
  });

  it('is bit-identical on every 4099th float32', () => {
    const f = new Float32Array(1);
    const u = new Uint32Array(f.buffer);
    for (let b = 0; b < 2 ** 32; b += 4099) {
      u[0] = b;
      const x = f[0];
      const want = Math.tanh(x);
      const got = kernels.tanhF64(x);
      if (!(Object.is(got, want) || (Number.isNaN(got) && Number.isNaN(want)))) {
        throw new Error(`tanh(${x}) = ${got}, Math.tanh gives ${want}`);
      }
    }
  });
});

describe('wasm unaryBackward', () => {
  it('tanh backward equals the js kernel bit for bit; other ops delegate', () => {
    for (const n of [10, 300, 1001]) {
      const dy = specialValues(n, n);
      const y = specialValues(n, n + 1).map(Math.tanh);
      for (const op of ['tanh', 'sigmoid', 'relu', 'sqrtOrZero'] as const) {
        const want = new Float32Array(n);
        unaryBackward(op, dy, y, want, n);
        const got = new Float32Array(n);
        backend.unaryBackward(op, dy, y, got, n);
        expectIdentical(got, want, `${op} backward n=${n}`);
      }
    }
  });
});

describe('wasm reduceDim', () => {
  it('sum gives exactly the js numbers for every [outer, size, inner]; max/min delegate', () => {
    for (const [outer, size, inner] of [
      [1, 32, 200],
      [1, 256, 27],
      [3, 7, 9],
      [2, 100, 1],
      [4, 1, 300],
      [5, 61, 17],
      [1, 300, 8],
    ]) {
      const n = outer * size * inner;
      const x = specialValues(n, n + inner);
      for (const op of ['sum', 'max', 'min'] as const) {
        const want = new Float32Array(outer * inner);
        const wantIdx = new Int32Array(outer * inner);
        reduceDim(op, x, outer, size, inner, want, op === 'sum' ? null : wantIdx);
        const got = new Float32Array(outer * inner);
        const gotIdx = new Int32Array(outer * inner);
        backend.reduceDim(op, x, outer, size, inner, got, op === 'sum' ? null : gotIdx);
        expectIdentical(got, want, `${op} [${outer}, ${size}, ${inner}]`);
        expect(Array.from(gotIdx)).toEqual(Array.from(wantIdx));
      }
      // Ordinary values too (specials make most sums NaN or infinite).
      const y = new Float32Array(n).map((_, i) => Math.sin(i * 0.37) * 1e3);
      const want = new Float32Array(outer * inner);
      reduceDim('sum', y, outer, size, inner, want, null);
      const got = new Float32Array(outer * inner);
      backend.reduceDim('sum', y, outer, size, inner, got, null);
      expectIdentical(got, want, `sum of ordinary values [${outer}, ${size}, ${inner}]`);
    }
  });
});

describe('wasm tanh (float32 lanes), exp, log, sigmoid (float64 lanes)', () => {
  for (const op of ['tanh', 'exp', 'log', 'sigmoid'] as UnaryOp[]) {
    it(`${op}: within 1 ulp of the js kernel (Math.${op === 'sigmoid' ? 'exp' : op} rounded to float32) on every 4099th float32`, () => {
      const n = Math.ceil(2 ** 32 / 4099);
      const x = allocateInWasm('float32', n) as Float32Array;
      const xBits = new Int32Array(x.buffer, x.byteOffset, n);
      for (let i = 0; i < n; i++) xBits[i] = (i * 4099) | 0;
      const got = allocateInWasm('float32', n) as Float32Array;
      const gotBits = new Int32Array(got.buffer, got.byteOffset, n);
      const want = new Float32Array(n);
      const wantBits = new Int32Array(want.buffer);
      backend.unaryContiguous(op, x, 0, got, n);
      unaryContiguous(op, x, 0, want, n);
      let differ = 0;
      for (let i = 0; i < n; i++) {
        if (gotBits[i] === wantBits[i]) continue;
        if (Number.isNaN(got[i]) && Number.isNaN(want[i])) continue;
        differ++;
        const ulps = Math.abs(ordered(gotBits[i]) - ordered(wantBits[i]));
        if (!(ulps <= 1)) throw new Error(`${op}(${x[i]}) = ${got[i]}, js gives ${want[i]}`);
      }
      // Measured: the float64-lane kernels differ from js on 1 input in 44 million (stride 97: an
      // exact value ~1e-13 from a float32 rounding boundary); float32-lane tanh on 0.27% of the
      // float32 in [0, 11) (every one of them checked: at most 1 ulp).
      expect(differ).toBeLessThanOrEqual(n * (op === 'tanh' ? 0.01 : 1e-5));
    });
  }

  it('tanh: within 1 ulp on every float32 in [0.5, 2] and near 0 (both sides of the switch at 1)', () => {
    const from = new Int32Array(Float32Array.of(0.5).buffer)[0];
    const to = new Int32Array(Float32Array.of(2).buffer)[0];
    const n = to - from + 1;
    const x = allocateInWasm('float32', n + 2 ** 20) as Float32Array;
    const bits = new Int32Array(x.buffer, x.byteOffset, x.length);
    for (let i = 0; i < n; i++) bits[i] = from + i;
    // and 2^20 floats from 2^-20 up, where the polynomial's x³ term starts to matter
    const tiny = new Int32Array(Float32Array.of(2 ** -20).buffer)[0];
    for (let i = 0; i < 2 ** 20; i++) bits[n + i] = tiny + i * 64;
    const got = allocateInWasm('float32', x.length) as Float32Array;
    backend.unaryContiguous('tanh', x, 0, got, x.length);
    const want = new Float32Array(x.length);
    unaryContiguous('tanh', x, 0, want, x.length);
    expectWithinUlps(got, want, 1, 'tanh');
    // odd: tanh(−x) = −tanh(x) exactly
    const negated = x.map((v) => -v);
    const gotNegated = new Float32Array(x.length);
    backend.unaryContiguous('tanh', negated, 0, gotNegated, x.length);
    expectIdentical(
      gotNegated,
      got.map((v) => -v),
      'tanh(−x)',
    );
  });

  it('gives the specials exactly: ±0, ±∞, NaN, subnormals, overflow and underflow', () => {
    const cases: [UnaryOp, number, number][] = [
      ['tanh', 0, 0],
      ['tanh', -0, -0],
      ['tanh', Infinity, 1],
      ['tanh', -Infinity, -1],
      ['tanh', Number.NaN, Number.NaN],
      ['tanh', 1e-45, 1e-45],
      ['tanh', -1e-45, -1e-45],
      ['tanh', 9.1, 1],
      ['tanh', -3e38, -1],
      ['exp', 0, 1],
      ['exp', -0, 1],
      ['exp', Infinity, Infinity],
      ['exp', -Infinity, 0],
      ['exp', Number.NaN, Number.NaN],
      ['exp', 89, Infinity],
      ['exp', -104, Math.fround(Math.exp(-104))],
      ['exp', -200, 0],
      ['log', 0, -Infinity],
      ['log', -0, -Infinity],
      ['log', 1, 0],
      ['log', -1, Number.NaN],
      ['log', Infinity, Infinity],
      ['log', -Infinity, Number.NaN],
      ['log', Number.NaN, Number.NaN],
      ['log', 1e-45, Math.log(Math.fround(1e-45))],
      ['sigmoid', 0, 0.5],
      ['sigmoid', -0, 0.5],
      ['sigmoid', Infinity, 1],
      ['sigmoid', -Infinity, 0],
      ['sigmoid', Number.NaN, Number.NaN],
      ['sigmoid', -110, Math.fround(Math.exp(-110))],
    ];
    const n = 300; // above the threshold: the wasm kernel runs
    for (const [op, input, expected] of cases) {
      const x = new Float32Array(n).fill(input);
      const out = new Float32Array(n);
      backend.unaryContiguous(op, x, 0, out, n);
      for (const i of [0, 7, 8, n - 1]) {
        if (
          !(
            Object.is(out[i], Math.fround(expected)) ||
            (Number.isNaN(out[i]) && Number.isNaN(expected))
          )
        ) {
          throw new Error(`${op}(${input}) = ${out[i]} at element ${i}, expected ${expected}`);
        }
      }
    }
  });
});

describe('wasm exp in float32 lanes (softmax and cross-entropy)', () => {
  const kernels = loadKernels(false);
  if ('error' in kernels) throw new Error(kernels.error);

  it('is within 1 ulp of Math.exp rounded to float32 on every 1021st float32 in [−104, 89], subnormals included', () => {
    const xs: number[] = [];
    const f = new Float32Array(1);
    const bits = new Int32Array(f.buffer);
    for (let b = 0; b < 0x42b20000; b += 1021) {
      bits[0] = b; // [0, 89)
      xs.push(f[0]);
      bits[0] = b | 0x80000000; // (−89, −0]
      xs.push(f[0]);
    }
    for (let b = 0x42b20000; b < 0x42d00000; b += 1021) {
      bits[0] = b | 0x80000000; // [−104, −89)
      xs.push(f[0]);
    }
    const n = xs.length;
    const x = allocateInWasm('float32', n) as Float32Array;
    x.set(xs);
    const got = allocateInWasm('float32', n) as Float32Array;
    kernels.expF32(x.byteOffset, got.byteOffset, n);
    const gotBits = new Int32Array(got.buffer, got.byteOffset, n);
    const want = Float32Array.from(x, (v) => Math.exp(v));
    const wantBits = new Int32Array(want.buffer);
    let differ = 0;
    for (let i = 0; i < n; i++) {
      if (gotBits[i] === wantBits[i]) continue;
      differ++;
      if (Math.abs(ordered(gotBits[i]) - ordered(wantBits[i])) > 1) {
        throw new Error(`exp(${x[i]}) = ${got[i]}, Math.exp gives ${want[i]}`);
      }
    }
    // Measured (stride 101, 22 million inputs): 0.8% differ from the correctly rounded float32.
    expect(differ).toBeGreaterThan(0);
    expect(differ).toBeLessThan(0.02 * n);
    freeInWasm(x);
    freeInWasm(got);
  });

  it('gives exact specials: exp(±0) = 1, exp(−∞) = 0 (and below −104), exp(+∞) = ∞, NaN stays NaN', () => {
    const x = allocateInWasm('float32', 9) as Float32Array;
    x.set([0, -0, -Infinity, -104, -1e30, Infinity, 89, 1e30, Number.NaN]);
    const got = allocateInWasm('float32', 9) as Float32Array;
    kernels.expF32(x.byteOffset, got.byteOffset, 9);
    expect(Array.from(got)).toEqual([1, 1, 0, 0, 0, Infinity, Infinity, Infinity, Number.NaN]);
    freeInWasm(x);
    freeInWasm(got);
  });
});
