/**
 * Differential fuzzing: every kernel family of the wasm backend against the js reference, on random
 * shapes, strides (transposed, stepped, broadcast, offset), dtypes and values. Families the wasm
 * backend runs with the js kernel still go through here, so a family accelerated later is covered
 * the day it lands. Exact equality (NaN = NaN) everywhere except where a wasm kernel may reorder
 * float32 sums (matmul; sums, softmax, cross-entropy and transcendental functions if accelerated),
 * which are held to float32's rounding-error bound instead. A second block repeats the families
 * above the wasm thresholds, with operands plain or resident in the kernel memory, on both SIMD builds.
 */
import { setFlagsFromString } from 'node:v8';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocate, type DType, type TypedArray } from '../dtype.js';
import { contiguousStrides, numel } from '../shape.js';
import { type Backend, type BinaryOp, jsBackend, type UnaryOp } from './backend.js';
import { expectWithinUlps, logSoftmaxBackwardSlack } from './wasm/check.js';
import { allocateInWasm, freeInWasm, loadWasmBackend, wasmFeatures } from './wasm/index.js';

const loaded = loadWasmBackend();
const reason = 'error' in loaded ? loaded.error : null;
if (reason) console.log(`backend-diff: skipped, the wasm backend cannot load here (${reason})`);
const wasm = ('error' in loaded ? jsBackend : loaded) as Backend;

const RUNS = { numRuns: 60 };
const FLOATS: DType[] = ['float32', 'float64'];
const EPS32 = 2 ** -23;

/** Equal element by element, NaN equal to NaN; or within |a − b| ≤ bound[i] when bounds are given. */
function expectSame(actual: TypedArray, expected: TypedArray, bound?: ArrayLike<number>): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const e = expected[i];
    if (Object.is(a, e) || (a === e && !bound) || (Number.isNaN(a) && Number.isNaN(e))) continue;
    if (bound && Math.abs(a - e) <= bound[i]) continue;
    expect.fail(`element ${i}: wasm ${a} vs js ${e}${bound ? ` (bound ${bound[i]})` : ''}`);
  }
}

/** Exact when the family is the js kernel itself or the dtype is float64; else a float32 bound. */
function boundFor(family: keyof Backend, out: TypedArray, scale: ArrayLike<number>, terms: number) {
  if (wasm[family] === jsBackend[family] || !(out instanceof Float32Array)) return undefined;
  return Array.from(scale, (s) => 4 * (terms + 2) * EPS32 * s + 1e-30);
}

const values = fc.double({ min: -8, max: 8, noNaN: true });
const special = fc.oneof(
  { weight: 8, arbitrary: values },
  { weight: 1, arbitrary: fc.constantFrom(0, -0, Number.NaN, Infinity, -Infinity) },
);

function filled(dtype: DType, n: number, xs: readonly number[]): TypedArray {
  const out = allocate(dtype, n);
  for (let i = 0; i < n; i++)
    out[i] = dtype === 'int32' ? Math.trunc(xs[i % xs.length] || 0) : xs[i % xs.length];
  return out;
}

/** A random strided view: shape, strides (permuted, stepped, some broadcast) and an offset. */
const view = fc
  .record({
    shape: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 0, maxLength: 4 }),
    perm: fc.array(fc.nat(), { minLength: 4, maxLength: 4 }),
    steps: fc.array(fc.integer({ min: 1, max: 2 }), { minLength: 4, maxLength: 4 }),
    broadcast: fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
    offset: fc.integer({ min: 0, max: 3 }),
  })
  .map(({ shape, perm, steps, broadcast, offset }) => {
    const order = shape.map((_, i) => i).sort((a, b) => (perm[a] % 7) - (perm[b] % 7) || a - b);
    const base = order.map((d) => shape[d] * steps[d]);
    const baseStrides = contiguousStrides(base);
    const strides = shape.map((_, d) => baseStrides[order.indexOf(d)] * steps[d]);
    return {
      shape,
      offset,
      strides,
      // Reading may broadcast (stride 0); writing may not.
      readStrides: strides.map((s, d) => (broadcast[d] && shape[d] > 1 ? 0 : s)),
      storage: offset + numel(base),
    };
  });

const UNARY: UnaryOp[] = [
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
const BINARY: BinaryOp[] = [
  'add',
  'sub',
  'mul',
  'div',
  'pow',
  'maximum',
  'minimum',
  'eq',
  'ne',
  'lt',
  'le',
  'gt',
  'ge',
];

describe.skipIf(reason !== null)('wasm backend = js backend, family by family', () => {
  it('unaryContiguous', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...UNARY),
        fc.constantFrom<DType>('float32', 'float64', 'int32'),
        fc.array(special, { minLength: 1, maxLength: 40 }),
        fc.nat(3),
        (op, dtype, xs, offset) => {
          if (dtype === 'int32' && !['neg', 'abs', 'square', 'sign', 'copy', 'relu'].includes(op))
            return;
          const x = filled(dtype, xs.length + offset, [...Array(offset).fill(0), ...xs]);
          const [a, e] = [allocate(dtype, xs.length), allocate(dtype, xs.length)];
          wasm.unaryContiguous(op, x, offset, a, xs.length);
          jsBackend.unaryContiguous(op, x, offset, e, xs.length);
          expectSame(a, e, boundFor('unaryContiguous', e, Array.from(e, Math.abs), 1));
        },
      ),
      RUNS,
    );
  });

  it('binaryStrided with broadcasting and every dtype pairing', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...BINARY),
        view,
        view,
        fc.constantFrom(...FLOATS, 'int32' as DType),
        fc.array(special, { minLength: 1, maxLength: 30 }),
        (op, va, vb, dtype, xs) => {
          // b reads a's shape through its own strides where they fit, else broadcasts it entirely.
          const shape = va.shape;
          const bStrides =
            vb.shape.length === shape.length && vb.shape.every((s, i) => s === shape[i])
              ? vb.readStrides
              : shape.map(() => 0);
          const a = filled(dtype, va.storage, xs);
          const b = filled(dtype === 'int32' ? 'float32' : dtype, vb.storage, xs.slice().reverse());
          const outType: DType = ['eq', 'ne', 'lt', 'le', 'gt', 'ge'].includes(op)
            ? 'int32'
            : dtype === 'int32'
              ? 'float32'
              : dtype;
          const [o1, o2] = [allocate(outType, numel(shape)), allocate(outType, numel(shape))];
          wasm.binaryStrided(op, a, va.offset, va.readStrides, b, vb.offset, bStrides, o1, shape);
          jsBackend.binaryStrided(
            op,
            a,
            va.offset,
            va.readStrides,
            b,
            vb.offset,
            bStrides,
            o2,
            shape,
          );
          expectSame(o1, o2, boundFor('binaryStrided', o2, Array.from(o2, Math.abs), 1));
        },
      ),
      RUNS,
    );
  });

  it('gatherStrided, scatterStrided, cast, fill', () => {
    fc.assert(
      fc.property(
        view,
        fc.constantFrom<DType>('float32', 'float64', 'int32'),
        fc.constantFrom<DType>('float32', 'float64', 'int32'),
        fc.array(special, { minLength: 1, maxLength: 30 }),
        (v, from, to, xs) => {
          const src = filled(from, v.storage, xs);
          const n = numel(v.shape);
          const [g1, g2] = [allocate(from, n), allocate(from, n)];
          wasm.gatherStrided(src, v.offset, v.readStrides, v.shape, g1);
          jsBackend.gatherStrided(src, v.offset, v.readStrides, v.shape, g2);
          expectSame(g1, g2);
          const [s1, s2] = [allocate(from, v.storage), allocate(from, v.storage)];
          wasm.scatterStrided(g2, s1, v.offset, v.strides, v.shape);
          jsBackend.scatterStrided(g2, s2, v.offset, v.strides, v.shape);
          expectSame(s1, s2);
          const [c1, c2] = [allocate(to, n), allocate(to, n)];
          const finite = filled(
            from,
            v.storage,
            xs.map((x) => (Number.isFinite(x) ? x : 0)),
          );
          wasm.cast(finite, v.offset, c1, Math.min(n, v.storage - v.offset));
          jsBackend.cast(finite, v.offset, c2, Math.min(n, v.storage - v.offset));
          expectSame(c1, c2);
          wasm.fill(c1, 0, n, xs[0]);
          jsBackend.fill(c2, 0, n, xs[0]);
          expectSame(c1, c2);
        },
      ),
      RUNS,
    );
  });

  it('clamp, clampBackward, maskedFill, update, unaryBackward', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...FLOATS),
        fc.array(special, { minLength: 1, maxLength: 40 }),
        values,
        values,
        fc.constantFrom('assign', 'add', 'mul', 'div' as const),
        fc.constantFrom('tanh', 'sigmoid', 'relu', 'sqrtOrZero' as const),
        (dtype, xs, lo, alpha, op, back) => {
          const n = xs.length;
          const x = filled(dtype, n, xs);
          const dy = filled(dtype, n, xs.slice().reverse());
          const pair = () => [allocate(dtype, n), allocate(dtype, n)];
          let [a, e] = pair();
          wasm.clamp(x, a, n, lo, lo + 3);
          jsBackend.clamp(x, e, n, lo, lo + 3);
          expectSame(a, e);
          [a, e] = pair();
          wasm.clampBackward(x, dy, a, n, lo, lo + 3);
          jsBackend.clampBackward(x, dy, e, n, lo, lo + 3);
          expectSame(a, e);
          const mask = Int32Array.from(xs, (v) => (v > 0 ? 1 : 0));
          [a, e] = [x.slice(), x.slice()];
          wasm.maskedFill(a, mask, n, alpha);
          jsBackend.maskedFill(e, mask, n, alpha);
          expectSame(a, e);
          [a, e] = [x.slice(), x.slice()];
          wasm.update(op, a, 0, dy, 0, n, alpha);
          jsBackend.update(op, e, 0, dy, 0, n, alpha);
          expectSame(a, e);
          [a, e] = pair();
          wasm.unaryBackward(back, dy, x, a, n);
          jsBackend.unaryBackward(back, dy, x, e, n);
          expectSame(a, e, boundFor('unaryBackward', e, Array.from(e, Math.abs), 2));
        },
      ),
      RUNS,
    );
  });

  it('reduceDim (sum with its float32 bound; max and min exact, with indices)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('sum', 'max', 'min' as const),
        fc.constantFrom(...FLOATS),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 5 }),
        fc.array(special, { minLength: 1, maxLength: 50 }),
        (op, dtype, outer, size, inner, xs) => {
          const x = filled(dtype, outer * size * inner, xs);
          const [a, e] = [allocate(dtype, outer * inner), allocate(dtype, outer * inner)];
          const [ia, ie] = [new Int32Array(outer * inner), new Int32Array(outer * inner)];
          wasm.reduceDim(op, x, outer, size, inner, a, op === 'sum' ? null : ia);
          jsBackend.reduceDim(op, x, outer, size, inner, e, op === 'sum' ? null : ie);
          const scale = new Float64Array(outer * inner);
          for (let k = 0; k < x.length; k++)
            scale[Math.floor(k / (size * inner)) * inner + (k % inner)] += Math.abs(x[k]);
          expectSame(a, e, op === 'sum' ? boundFor('reduceDim', e, scale, size) : undefined);
          expectSame(ia, ie);
        },
      ),
      RUNS,
    );
  });

  it('matmul: every transposition, offsets, accumulate; float32 within its error bound', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...FLOATS),
        fc.integer({ min: 1, max: 19 }),
        fc.integer({ min: 1, max: 19 }),
        fc.integer({ min: 1, max: 33 }),
        fc.boolean(),
        fc.boolean(),
        fc.nat(3),
        fc.boolean(),
        fc.array(values, { minLength: 1, maxLength: 64 }),
        (dtype, M, N, K, ta, tb, offset, accumulate, xs) => {
          const A = filled(dtype, offset + M * K, xs);
          const B = filled(dtype, offset + K * N, xs.slice().reverse());
          const [ars, acs] = ta ? [1, M] : [K, 1];
          const [brs, bcs] = tb ? [1, K] : [N, 1];
          const c0 = filled(
            dtype,
            offset + M * N,
            xs.map((v) => v / 2),
          );
          const [c1, c2] = [c0.slice(), c0.slice()];
          wasm.matmul(M, N, K, A, offset, ars, acs, B, offset, brs, bcs, c1, offset, accumulate);
          jsBackend.matmul(
            M,
            N,
            K,
            A,
            offset,
            ars,
            acs,
            B,
            offset,
            brs,
            bcs,
            c2,
            offset,
            accumulate,
          );
          // |error| ≤ (K + 2)·ε·Σ_k |a_ik|·|b_kj| (+ |c| when accumulating), per element.
          const scale = new Float64Array(c0.length);
          for (let i = 0; i < M; i++)
            for (let j = 0; j < N; j++) {
              let s = accumulate ? Math.abs(c0[offset + i * N + j]) : 0;
              for (let k = 0; k < K; k++)
                s += Math.abs(A[offset + i * ars + k * acs] * B[offset + k * brs + j * bcs]);
              scale[offset + i * N + j] = s;
            }
          expectSame(c1, c2, boundFor('matmul', c2, scale, K));
        },
      ),
      RUNS,
    );
  });

  it('softmax and log-softmax, forward and backward', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...FLOATS),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 3 }),
        fc.boolean(),
        fc.array(values, { minLength: 1, maxLength: 60 }),
        (dtype, outer, size, inner, log, xs) => {
          const n = outer * size * inner;
          const x = filled(dtype, n + 1, [0, ...xs]);
          const [a, e] = [allocate(dtype, n), allocate(dtype, n)];
          wasm.softmax(x, 1, a, outer, size, inner, log);
          jsBackend.softmax(x, 1, e, outer, size, inner, log);
          const scale = Array.from(e, (v) => Math.max(1, Math.abs(v)));
          expectSame(a, e, boundFor('softmax', e, scale, size));
          const dy = filled(dtype, n, xs.slice().reverse());
          const [da, de] = [allocate(dtype, n), allocate(dtype, n)];
          wasm.softmaxBackward(dy, e, da, outer, size, inner, log);
          jsBackend.softmaxBackward(dy, e, de, outer, size, inner, log);
          expectSame(
            da,
            de,
            boundFor(
              'softmaxBackward',
              de,
              Array.from(de, () => 8 * size),
              size,
            ),
          );
        },
      ),
      RUNS,
    );
  });

  it('gatherRows, scatterAddRows, scatterAddDim', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...FLOATS, 'int32' as DType),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.nat(), { minLength: 0, maxLength: 12 }),
        fc.array(values, { minLength: 1, maxLength: 40 }),
        (dtype, rowsIn, rowSize, picks, xs) => {
          const src = filled(dtype, 2 + rowsIn * rowSize, xs);
          const rows = Int32Array.from(picks, (p) => p % rowsIn);
          const [a, e] = [
            allocate(dtype, rows.length * rowSize),
            allocate(dtype, rows.length * rowSize),
          ];
          wasm.gatherRows(src, 2, rows, rowSize, a);
          jsBackend.gatherRows(src, 2, rows, rowSize, e);
          expectSame(a, e);
          const [sa, se] = [allocate(dtype, rowsIn * rowSize), allocate(dtype, rowsIn * rowSize)];
          wasm.scatterAddRows(e, rows, rowSize, sa);
          jsBackend.scatterAddRows(e, rows, rowSize, se);
          expectSame(sa, se);
          const inner = rowSize;
          const size = rowsIn;
          const outer = 2;
          const g = filled(dtype, outer * inner, xs);
          const idx = Int32Array.from({ length: outer * inner }, (_, k) => (picks[k] ?? k) % size);
          const [da, de] = [
            allocate(dtype, outer * size * inner),
            allocate(dtype, outer * size * inner),
          ];
          wasm.scatterAddDim(g, idx, outer, size, inner, da);
          jsBackend.scatterAddDim(g, idx, outer, size, inner, de);
          expectSame(da, de);
        },
      ),
      RUNS,
    );
  });

  it('crossEntropy forward and backward', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...FLOATS),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 9 }),
        fc.constantFrom(0, 0.1),
        fc.boolean(),
        fc.array(fc.nat(), { minLength: 6, maxLength: 6 }),
        fc.array(values, { minLength: 1, maxLength: 54 }),
        (dtype, rows, C, eps, perRow, picks, xs) => {
          const x = filled(dtype, rows * C, xs);
          const targets = Int32Array.from({ length: rows }, (_, i) =>
            picks[i] % (C + 1) === C ? -100 : picks[i] % C,
          );
          const run = (b: Backend) => {
            const saved = {
              expShifted: allocate(dtype, rows * C),
              inverseSum: new Float64Array(rows),
            };
            const losses = allocate(dtype, rows);
            const { total, count } = b.crossEntropyForward(
              x,
              rows,
              C,
              targets,
              -100,
              eps,
              saved,
              losses,
            );
            const dLoss = perRow ? filled(dtype, rows, xs) : Float64Array.of(0.5);
            const dx = allocate(dtype, rows * C);
            b.crossEntropyBackward(dLoss, perRow, count, rows, C, targets, -100, eps, saved, dx);
            return { total, count, losses, dx };
          };
          const [a, e] = [run(wasm), run(jsBackend)];
          expect(a.count).toBe(e.count);
          expectSame(
            Float64Array.of(a.total),
            Float64Array.of(e.total),
            boundFor('crossEntropyForward', e.losses, [Math.abs(e.total) + 16 * rows], C),
          );
          expectSame(
            a.losses,
            e.losses,
            boundFor(
              'crossEntropyForward',
              e.losses,
              Array.from(e.losses, (v) => Math.abs(v) + 16),
              C,
            ),
          );
          expectSame(
            a.dx,
            e.dx,
            boundFor(
              'crossEntropyBackward',
              e.dx,
              Array.from(e.dx, () => 8),
              C,
            ),
          );
        },
      ),
      RUNS,
    );
  });

  it('sgdStep and adamStep', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...FLOATS),
        fc.array(values, { minLength: 1, maxLength: 30 }),
        fc.constantFrom(0, 0.9),
        fc.boolean(),
        fc.boolean(),
        fc.integer({ min: 1, max: 5 }),
        (dtype, xs, momentum, nesterov, decoupled, step) => {
          const n = xs.length;
          const w = filled(dtype, n, xs);
          const dw = filled(
            dtype,
            n,
            xs.map((v) => v / 3 - 1),
          );
          const sgd = {
            lr: 0.1,
            momentum,
            dampening: 0,
            weightDecay: 0.01,
            nesterov: nesterov && momentum > 0,
          };
          const run = (b: Backend) => {
            const [w1, buf, w2, m, v] = [
              w.slice(),
              filled(dtype, n, xs),
              w.slice(),
              filled(
                dtype,
                n,
                xs.map((x) => x / 10),
              ),
              filled(
                dtype,
                n,
                xs.map((x) => x * x),
              ),
            ];
            b.sgdStep(w1, dw, buf, n, sgd, step === 1);
            b.adamStep(w2, dw, m, v, n, {
              lr: 1e-3,
              beta1: 0.9,
              beta2: 0.999,
              eps: 1e-8,
              weightDecay: 0.01,
              decoupled,
              step,
            });
            return [w1, buf, w2, m, v];
          };
          const [a, e] = [run(wasm), run(jsBackend)];
          const fams: (keyof Backend)[] = [
            'sgdStep',
            'sgdStep',
            'adamStep',
            'adamStep',
            'adamStep',
          ];
          a.forEach((arr, k) => {
            expectSame(
              arr,
              e[k],
              boundFor(
                fams[k],
                e[k],
                Array.from(e[k], (x) => Math.abs(x) + 1),
                4,
              ),
            );
          });
        },
      ),
      RUNS,
    );
  });

  it('adamStepMulti equals one js adamStep per tensor, bit for bit (resident or copied)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...FLOATS),
        fc.array(fc.tuple(fc.integer({ min: 1, max: 700 }), fc.boolean()), {
          minLength: 1,
          maxLength: 4,
        }),
        fc.array(values, { minLength: 1, maxLength: 30 }),
        fc.boolean(),
        fc.integer({ min: 1, max: 5 }),
        (dtype, tensors, xs, decoupled, step) => {
          const hyper = {
            lr: 1e-3,
            beta1: 0.9,
            beta2: 0.99,
            eps: 1e-8,
            weightDecay: 0.01,
            decoupled,
            step,
          };
          const make = (n: number, k: number, inWasm: boolean) => ({
            w: placed(dtype, n, xs, inWasm),
            dw: placed(
              dtype,
              n,
              xs.map((v) => v / 3 - k),
              inWasm,
            ),
            m: placed(dtype, n, [0.5 * k], inWasm),
            v: placed(dtype, n, [0.25 * k], inWasm),
            n,
          });
          const got = tensors.map(([n, inWasm], k) => make(n, k, inWasm));
          const want = tensors.map(([n], k) => make(n, k, false));
          wasm.adamStepMulti(got, hyper);
          for (const t of want) jsBackend.adamStep(t.w, t.dw, t.m, t.v, t.n, hyper);
          got.forEach((t, k) => {
            for (const key of ['w', 'm', 'v'] as const)
              expect(Array.from(t[key]), `${key} of tensor ${k}`).toEqual(Array.from(want[k][key]));
          });
          freeResident();
        },
      ),
      RUNS,
    );
  });

  it('covers every family of the Backend interface', () => {
    const tested = [
      'unaryContiguous',
      'binaryStrided',
      'gatherStrided',
      'scatterStrided',
      'cast',
      'fill',
      'clamp',
      'clampBackward',
      'maskedFill',
      'update',
      'unaryBackward',
      'reduceDim',
      'matmul',
      'softmax',
      'softmaxBackward',
      'gatherRows',
      'scatterAddRows',
      'scatterAddDim',
      'crossEntropyForward',
      'crossEntropyBackward',
      'sgdStep',
      'adamStep',
      'adamStepMulti',
      'layerNorm',
      'layerNormBackward',
      'matmulBatched',
    ];
    const families = Object.keys(jsBackend).filter((k) => k !== 'name');
    expect(families.sort()).toEqual(tested.sort());
  });
});

// ── Above the wasm thresholds, operands resident or plain, both SIMD builds ──────────────────────
// The properties above use arrays under 256 elements (ELEMENTWISE_THRESHOLD) in plain memory, so
// they mostly exercise the js fall-backs. These run sizes in the hundreds to thousands, each operand
// either a plain array (copied through the scratch arena) or allocated in the kernel memory (used
// in place), on the plain-SIMD build and, where the runtime has it, the relaxed one.

// Node 20 hides relaxed SIMD behind a V8 flag: switched on here, before the relaxed build is first
// compiled, as variants.test.ts does (Chromium has it on).
if (!wasmFeatures().relaxedSimd && wasmFeatures().simd) {
  setFlagsFromString('--experimental-wasm-relaxed-simd');
}
const builds: [string, Backend][] = [];
for (const relaxedSimd of [false, true]) {
  const b = loadWasmBackend({ relaxedSimd });
  if (!('error' in b)) builds.push([relaxedSimd ? 'relaxed' : 'simd', b]);
}
/** Runs per property; `DIFF_RUNS=1500` for a longer hunt (passed 3 × 1500 when written). */
const LARGE = { numRuns: Number(process.env.DIFF_RUNS ?? 25) };

/** The arrays a property run allocated in the kernel memory, freed after it. */
const resident: TypedArray[] = [];
function freeResident(): void {
  for (const a of resident.splice(0)) freeInWasm(a);
}

/** `n` elements from `xs` (cycled), in the kernel memory when `inWasm`, else a plain array. */
function placed(dtype: DType, n: number, xs: readonly number[], inWasm: boolean): TypedArray {
  const plain = filled(dtype, n, xs);
  if (!inWasm) return plain;
  const array = allocateInWasm(dtype, n);
  array.set(plain);
  resident.push(array);
  return array;
}

/** A float32 bound like `boundFor`, for backend `b`; exact for float64 and js-run families. */
function boundOf(
  b: Backend,
  family: keyof Backend,
  out: TypedArray,
  scale: ArrayLike<number>,
  terms: number,
) {
  if (b[family] === jsBackend[family] || !(out instanceof Float32Array)) return undefined;
  return Array.from(scale, (s) => 4 * (terms + 2) * EPS32 * s + 1e-30);
}

const where = fc.array(fc.boolean(), { minLength: 4, maxLength: 4 });
const big = fc.integer({ min: 256, max: 3000 });

describe.skipIf(reason !== null)(
  'wasm backend = js backend above the thresholds, resident or plain',
  () => {
    for (const [label, b] of builds) {
      it(`unaryContiguous, unaryBackward, update (${label})`, () => {
        fc.assert(
          fc.property(
            fc.constantFrom(...UNARY),
            fc.constantFrom(...FLOATS),
            big,
            fc.array(special, { minLength: 1, maxLength: 64 }),
            fc.constantFrom('tanh', 'sigmoid', 'relu', 'sqrtOrZero' as const),
            fc.constantFrom('assign', 'add', 'mul', 'div' as const),
            where,
            (op, dtype, n, xs, back, upd, at) => {
              try {
                const x = placed(dtype, n, xs, at[0]);
                const [a, e] = [placed(dtype, n, [0], at[1]), allocate(dtype, n)];
                b.unaryContiguous(op, x, 0, a, n);
                jsBackend.unaryContiguous(op, x, 0, e, n);
                expectSame(a, e, boundOf(b, 'unaryContiguous', e, Array.from(e, Math.abs), 1));
                const dy = placed(dtype, n, xs.slice().reverse(), at[2]);
                const [da, de] = [placed(dtype, n, [0], at[3]), allocate(dtype, n)];
                b.unaryBackward(back, dy, x, da, n);
                jsBackend.unaryBackward(back, dy, x, de, n);
                expectSame(da, de);
                const [ua, ue] = [placed(dtype, n, xs, at[1]), filled(dtype, n, xs)];
                b.update(upd, ua, 0, dy, 0, n, 0.5);
                jsBackend.update(upd, ue, 0, dy, 0, n, 0.5);
                expectSame(ua, ue);
              } finally {
                freeResident();
              }
            },
          ),
          LARGE,
        );
      });

      it(`binaryStrided: same shape, row, column and scalar broadcast, strided views (${label})`, () => {
        fc.assert(
          fc.property(
            fc.constantFrom(...BINARY),
            fc.constantFrom(...FLOATS),
            fc.integer({ min: 8, max: 60 }),
            fc.integer({ min: 32, max: 80 }),
            fc.constantFrom('same', 'row', 'column', 'scalar', 'transposed' as const),
            fc.array(special, { minLength: 1, maxLength: 64 }),
            where,
            (op, dtype, rows, cols, kind, xs, at) => {
              try {
                const shape = [rows, cols];
                const a = placed(dtype, rows * cols, xs, at[0]);
                const bLength = {
                  same: rows * cols,
                  row: cols,
                  column: rows,
                  scalar: 1,
                  transposed: rows * cols,
                }[kind];
                const bStrides = {
                  same: [cols, 1],
                  row: [0, 1],
                  column: [1, 0],
                  scalar: [0, 0],
                  transposed: [1, rows],
                }[kind];
                const other = placed(dtype, bLength, xs.slice().reverse(), at[1]);
                const outType: DType = ['eq', 'ne', 'lt', 'le', 'gt', 'ge'].includes(op)
                  ? 'int32'
                  : dtype;
                const [o1, o2] = [
                  placed(outType, rows * cols, [0], at[2]),
                  allocate(outType, rows * cols),
                ];
                b.binaryStrided(op, a, 0, [cols, 1], other, 0, bStrides, o1, shape);
                jsBackend.binaryStrided(op, a, 0, [cols, 1], other, 0, bStrides, o2, shape);
                expectSame(o1, o2, boundOf(b, 'binaryStrided', o2, Array.from(o2, Math.abs), 1));
              } finally {
                freeResident();
              }
            },
          ),
          LARGE,
        );
      });

      it(`reduceDim sum over a non-last dimension, gatherRows, scatterAddRows, fill, cast (${label})`, () => {
        fc.assert(
          fc.property(
            fc.constantFrom(...FLOATS),
            fc.integer({ min: 16, max: 300 }),
            fc.integer({ min: 16, max: 64 }),
            fc.array(fc.nat(), { minLength: 20, maxLength: 300 }),
            fc.array(values, { minLength: 1, maxLength: 64 }),
            where,
            (dtype, rowsIn, rowSize, picks, xs, at) => {
              try {
                const x = placed(dtype, rowsIn * rowSize, xs, at[0]);
                const [s1, s2] = [placed(dtype, rowSize, [0], at[1]), allocate(dtype, rowSize)];
                b.reduceDim('sum', x, 1, rowsIn, rowSize, s1, null);
                jsBackend.reduceDim('sum', x, 1, rowsIn, rowSize, s2, null);
                const scale = new Float64Array(rowSize);
                for (let k = 0; k < x.length; k++) scale[k % rowSize] += Math.abs(x[k]);
                expectSame(s1, s2, boundOf(b, 'reduceDim', s2, scale, rowsIn));
                const rows = Int32Array.from(picks, (p) => p % rowsIn);
                const n = rows.length * rowSize;
                const [g1, g2] = [placed(dtype, n, [0], at[2]), allocate(dtype, n)];
                b.gatherRows(x, 0, rows, rowSize, g1);
                jsBackend.gatherRows(x, 0, rows, rowSize, g2);
                expectSame(g1, g2);
                const [a1, a2] = [
                  placed(dtype, rowsIn * rowSize, [0], at[3]),
                  allocate(dtype, rowsIn * rowSize),
                ];
                b.scatterAddRows(g2, rows, rowSize, a1);
                jsBackend.scatterAddRows(g2, rows, rowSize, a2);
                expectSame(a1, a2);
                b.fill(g1, 0, n, xs[0]);
                jsBackend.fill(g2, 0, n, xs[0]);
                expectSame(g1, g2);
                for (const to of ['float32', 'float64', 'int32'] as DType[]) {
                  const [c1, c2] = [placed(to, n, [0], at[1]), allocate(to, n)];
                  b.cast(g2, 0, c1, n);
                  jsBackend.cast(g2, 0, c2, n);
                  expectSame(c1, c2);
                }
              } finally {
                freeResident();
              }
            },
          ),
          LARGE,
        );
      });

      it(`matmul at the lecture's shapes and beyond: every transposition, A in place or packed (${label})`, () => {
        fc.assert(
          fc.property(
            fc.integer({ min: 1, max: 300 }),
            fc.integer({ min: 1, max: 140 }),
            fc.integer({ min: 1, max: 300 }),
            fc.boolean(),
            fc.boolean(),
            fc.boolean(),
            fc.array(values, { minLength: 1, maxLength: 97 }),
            where,
            (M, N, K, ta, tb, accumulate, xs, at) => {
              fc.pre(M * N * K <= 2_000_000);
              try {
                const A = placed('float32', M * K, xs, at[0]);
                const B = placed('float32', K * N, xs.slice().reverse(), at[1]);
                const [ars, acs] = ta ? [1, M] : [K, 1];
                const [brs, bcs] = tb ? [1, K] : [N, 1];
                const c0 = filled(
                  'float32',
                  M * N,
                  xs.map((v) => v / 2),
                );
                const c1 = placed('float32', M * N, Array.from(c0), at[2]);
                const c2 = c0.slice();
                b.matmul(M, N, K, A, 0, ars, acs, B, 0, brs, bcs, c1, 0, accumulate);
                jsBackend.matmul(M, N, K, A, 0, ars, acs, B, 0, brs, bcs, c2, 0, accumulate);
                const scale = new Float64Array(M * N);
                for (let i = 0; i < M; i++)
                  for (let j = 0; j < N; j++) {
                    let s = accumulate ? Math.abs(c0[i * N + j]) : 0;
                    for (let k = 0; k < K; k++)
                      s += Math.abs(A[i * ars + k * acs] * B[k * brs + j * bcs]);
                    scale[i * N + j] = s;
                  }
                expectSame(c1, c2, boundOf(b, 'matmul', c2, scale, K));
              } finally {
                freeResident();
              }
            },
          ),
          LARGE,
        );
      });

      it(`softmax, log-softmax and cross-entropy over rows, forward and backward (${label})`, () => {
        fc.assert(
          fc.property(
            fc.integer({ min: 8, max: 300 }),
            fc.integer({ min: 2, max: 60 }),
            fc.boolean(),
            fc.constantFrom(0, 0.1),
            fc.array(fc.nat(), { minLength: 300, maxLength: 300 }),
            fc.array(values, { minLength: 1, maxLength: 97 }),
            where,
            (rows, C, log, eps, picks, xs, at) => {
              fc.pre(rows * C >= 256);
              try {
                const n = rows * C;
                const x = placed(
                  'float32',
                  n,
                  xs.map((v) => v * 2),
                  at[0],
                );
                const [y1, y2] = [placed('float32', n, [0], at[1]), new Float32Array(n)];
                b.softmax(x, 0, y1, rows, C, 1, log);
                jsBackend.softmax(x, 0, y2, rows, C, 1, log);
                // Each exp within 1 ulp, Σexp within 2⁻²³ (nn.test.ts has the derivation).
                if (log) expectWithinUlps(y1, y2, 1, 'log-softmax', () => 1.2e-7);
                else expectWithinUlps(y1, y2, 3, 'softmax');
                const dy = placed('float32', n, xs.slice().reverse(), at[2]);
                const [d1, d2] = [placed('float32', n, [0], at[3]), new Float32Array(n)];
                b.softmaxBackward(dy, y2, d1, rows, C, 1, log);
                jsBackend.softmaxBackward(dy, y2, d2, rows, C, 1, log);
                const slack = logSoftmaxBackwardSlack(dy, d2, C);
                if (log) expectWithinUlps(d1, d2, 1, 'log-softmax backward', slack);
                else expectSame(d1, d2);
                const targets = Int32Array.from({ length: rows }, (_, i) =>
                  picks[i] % (C + 1) === C ? -100 : picks[i] % C,
                );
                const run = (k: Backend, inWasm: boolean) => {
                  const saved = {
                    expShifted: placed('float32', n, [0], inWasm),
                    inverseSum: new Float64Array(rows),
                  };
                  const losses = placed('float32', rows, [0], inWasm);
                  const r = k.crossEntropyForward(x, rows, C, targets, -100, eps, saved, losses);
                  const dx = placed('float32', n, [0], inWasm);
                  k.crossEntropyBackward(
                    Float64Array.of(0.5),
                    false,
                    r.count,
                    rows,
                    C,
                    targets,
                    -100,
                    eps,
                    saved,
                    dx,
                  );
                  return { ...r, losses, dx };
                };
                const [got, want] = [run(b, at[3]), run(jsBackend, false)];
                expect(got.count).toBe(want.count);
                expect(Math.abs(got.total - want.total)).toBeLessThanOrEqual(
                  1.2e-7 * want.count + 1e-30,
                );
                expectWithinUlps(got.losses, want.losses, 1, 'cross-entropy losses', () => 1.2e-7);
                expectWithinUlps(
                  got.dx,
                  want.dx,
                  2,
                  'cross-entropy dx',
                  () => (2 * 2 ** -24) / Math.max(1, want.count),
                );
              } finally {
                freeResident();
              }
            },
          ),
          LARGE,
        );
      });

      it(`maskedFill with a repeating (broadcast) mask, resident or plain (${label})`, () => {
        fc.assert(
          fc.property(
            fc.integer({ min: 1, max: 300 }),
            fc.integer({ min: 1, max: 9 }),
            fc.integer({ min: 0, max: 3 }),
            fc.array(fc.integer({ min: 0, max: 1 }), { minLength: 1, maxLength: 40 }),
            fc.constantFrom(Number.NEGATIVE_INFINITY, 0, 2.5, Number.NaN),
            where,
            (period, repeats, offset, bits, value, at) => {
              try {
                const n = period * repeats;
                const mask = placed('int32', period + offset, [0, ...bits], at[0]);
                const x = placed('float32', n, [1.5, -2, 3], at[1]);
                const e = filled('float32', n, [1.5, -2, 3]);
                b.maskedFill(x, mask, n, value, period, offset);
                jsBackend.maskedFill(e, mask, n, value, period, offset);
                expectSame(x, e);
              } finally {
                freeResident();
              }
            },
          ),
          LARGE,
        );
      });

      it(`layerNorm forward and backward, with and without weight and bias (${label})`, () => {
        fc.assert(
          fc.property(
            fc.constantFrom(...FLOATS),
            fc.integer({ min: 1, max: 40 }),
            fc.integer({ min: 1, max: 130 }),
            fc.array(special, { minLength: 1, maxLength: 64 }),
            fc.boolean(),
            where,
            (dtype, rows, n, xs, affine, at) => {
              try {
                const total = rows * n;
                const x = placed(dtype, total, xs, at[0]);
                const w = affine ? placed(dtype, n, xs.slice().reverse(), at[1]) : null;
                const bias = affine ? placed(dtype, n, xs.slice(1).concat([0.5]), at[2]) : null;
                const run = (k: Backend, resident: boolean) => {
                  const out = placed(dtype, total, [0], resident);
                  const mean = placed(dtype, rows, [0], resident);
                  const rstd = placed(dtype, rows, [0], resident);
                  k.layerNorm(x, rows, n, w, bias, 1e-5, out, mean, rstd);
                  const dy = placed(dtype, total, xs.slice().reverse(), at[2]);
                  const dx = placed(dtype, total, [0], resident);
                  const dw = placed(dtype, n, [0], resident);
                  const db = placed(dtype, n, [0], resident);
                  k.layerNormBackward(dy, x, mean, rstd, w, rows, n, dx, dw, db);
                  return [out, mean, rstd, dx, dw, db];
                };
                const got = run(b, at[3]);
                const want = run(jsBackend, false);
                for (let i = 0; i < got.length; i++) expectSame(got[i], want[i]);
              } finally {
                freeResident();
              }
            },
          ),
          LARGE,
        );
      });

      it(`matmulBatched: 0–3 batch dims, transposed and broadcast operands (${label})`, () => {
        fc.assert(
          fc.property(
            fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 0, maxLength: 3 }),
            fc.integer({ min: 1, max: 70 }),
            fc.integer({ min: 1, max: 70 }),
            fc.integer({ min: 1, max: 70 }),
            fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
            fc.array(fc.double({ min: -4, max: 4, noNaN: true }), { minLength: 1, maxLength: 50 }),
            (batch, M, N, K, flags, xs) => {
              try {
                const count = batch.reduce((p, q) => p * q, 1);
                // A [..., M, K] row-major or transposed; B likewise; a batch dim of B broadcast.
                const aRow = flags[0] ? K : 1;
                const aCol = flags[0] ? 1 : M;
                const bRow = flags[1] ? N : 1;
                const bCol = flags[1] ? 1 : K;
                const aBatch = contiguousStrides(batch).map((st) => st * M * K);
                const bBatch = contiguousStrides(batch).map((st, d) =>
                  flags[2] && d === 0 ? 0 : st * K * N,
                );
                const A = placed('float32', count * M * K + 1, xs, flags[3]);
                const B = placed('float32', count * K * N + 1, xs.slice().reverse(), flags[4]);
                const got = placed('float32', count * M * N + 2, [7], flags[5]);
                const want = filled('float32', count * M * N + 2, [7]);
                const args = [M, N, K] as const;
                b.matmulBatched(
                  batch,
                  ...args,
                  A,
                  1,
                  aBatch,
                  aRow,
                  aCol,
                  B,
                  1,
                  bBatch,
                  bRow,
                  bCol,
                  got,
                  1,
                );
                jsBackend.matmulBatched(
                  batch,
                  ...args,
                  A,
                  1,
                  aBatch,
                  aRow,
                  aCol,
                  B,
                  1,
                  bBatch,
                  bRow,
                  bCol,
                  want,
                  1,
                );
                const absA = Float64Array.from(A, Math.abs);
                const absB = Float64Array.from(B, Math.abs);
                const scale = new Float64Array(want.length);
                jsBackend.matmulBatched(
                  batch,
                  ...args,
                  absA,
                  1,
                  aBatch,
                  aRow,
                  aCol,
                  absB,
                  1,
                  bBatch,
                  bRow,
                  bCol,
                  scale,
                  1,
                );
                expectSame(got, want, boundOf(b, 'matmulBatched', want, scale, K));
              } finally {
                freeResident();
              }
            },
          ),
          LARGE,
        );
      });

      it(`sgdStep and adamStep on resident parameters (${label})`, () => {
        fc.assert(
          fc.property(
            big,
            fc.array(values, { minLength: 1, maxLength: 64 }),
            fc.constantFrom(0, 0.9),
            fc.boolean(),
            where,
            (n, xs, momentum, decoupled, at) => {
              try {
                const dw = placed(
                  'float32',
                  n,
                  xs.map((v) => v / 3 - 1),
                  at[0],
                );
                const run = (k: Backend, inWasm: boolean) => {
                  const w1 = placed('float32', n, xs, inWasm);
                  const buf = placed('float32', n, xs, inWasm);
                  const w2 = placed('float32', n, xs, inWasm);
                  const m = placed(
                    'float32',
                    n,
                    xs.map((x) => x / 10),
                    inWasm,
                  );
                  const v = placed(
                    'float32',
                    n,
                    xs.map((x) => x * x),
                    inWasm,
                  );
                  k.sgdStep(
                    w1,
                    dw,
                    buf,
                    n,
                    { lr: 0.1, momentum, dampening: 0, weightDecay: 0.01, nesterov: false },
                    false,
                  );
                  k.adamStep(w2, dw, m, v, n, {
                    lr: 1e-3,
                    beta1: 0.9,
                    beta2: 0.999,
                    eps: 1e-8,
                    weightDecay: 0.01,
                    decoupled,
                    step: 3,
                  });
                  return [w1, buf, w2, m, v];
                };
                const [got, want] = [run(b, at[1]), run(jsBackend, false)];
                for (const [k, arr] of got.entries()) expectSame(arr, want[k]);
              } finally {
                freeResident();
              }
            },
          ),
          LARGE,
        );
      });
    }
  },
);
