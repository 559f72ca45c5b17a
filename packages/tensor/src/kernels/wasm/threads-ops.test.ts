/**
 * Every kernel the pool splits gives the same bits on 1, 2 and 3 threads, on shapes that split
 * unevenly (rows, entries and lengths that are not multiples of the thread count, of 4 or of 64),
 * with operands in the kernel memory and in ordinary arrays; and a part whose worker has not started
 * it is taken back by the caller with the same bits.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { TypedArray } from '../../dtype.js';
import type { BinaryOp, UnaryOp } from '../elementwise.js';
import { layerNorm as jsLayerNorm } from '../norm.js';
import type { UnaryBackwardOp } from '../pointwise.js';
import { rng } from './check.js';
import { allocateInWasm, loadWasmBackend, startWasmThreads, stopWasmThreads } from './index.js';
import { loadKernels } from './runtime.js';
import {
  cuts,
  parallel,
  pieces,
  setGenerationForTests,
  splitCalls,
  startThreads,
  stolenParts,
} from './threads.js';

const backend = (() => {
  const loaded = loadWasmBackend({ relaxedSimd: false });
  if ('error' in loaded) throw new Error(loaded.error);
  return loaded;
})();

/** The build the workers mirror (the plain one, as `backend`'s). */
const builds = (() => {
  const kernels = loadKernels(false);
  if ('error' in kernels) throw new Error(kernels.error);
  return [kernels];
})();

afterAll(async () => {
  await stopWasmThreads();
});

/** An output's value before the kernel runs: an element no part writes keeps it and differs. */
const UNWRITTEN = 7777;

/** Builds arrays in the kernel memory (`resident`) or ordinary ones, from seeded values. */
function arrays(resident: boolean) {
  const make = (n: number): Float32Array =>
    resident ? (allocateInWasm('float32', n) as Float32Array) : new Float32Array(n);
  return {
    input(n: number, seed: number, scale = 3): Float32Array {
      const next = rng(seed);
      const x = make(n);
      for (let i = 0; i < n; i++) x[i] = (next() - 0.5) * 2 * scale;
      return x;
    },
    output(n: number): Float32Array {
      return make(n).fill(UNWRITTEN);
    },
  };
}

type Arrays = ReturnType<typeof arrays>;

/** A kernel call on fresh seeded operands; returns copies of its outputs. */
interface OpCase {
  name: string;
  run: (a: Arrays) => Float32Array[];
  /** The wasm kernel runs only on operands in the kernel memory (strided copies). */
  residentOnly?: boolean;
}

const copy = (...outputs: TypedArray[]): Float32Array[] => outputs.map((o) => Float32Array.from(o));

function batchedCase(
  name: string,
  batch: number[],
  M: number,
  N: number,
  K: number,
  bBroadcast: boolean,
): OpCase {
  return {
    name,
    run: (a) => {
      const count = batch.reduce((p, s) => p * s, 1);
      // A: [batch, M, K] after an offset of 3; B: [batch, N, K] read transposed as K × N, its first
      // batch dim broadcast (stride 0) when asked.
      const A = a.input(3 + count * M * K, 1);
      const bCount = bBroadcast ? count / batch[0] : count;
      const B = a.input(bCount * N * K, 2);
      const C = a.output(count * M * N + 2);
      const aBatch = batch.map((_, d) => batch.slice(d + 1).reduce((p, s) => p * s, M * K));
      const bBatch = batch.map((_, d) =>
        bBroadcast && d === 0 ? 0 : batch.slice(d + 1).reduce((p, s) => p * s, N * K),
      );
      backend.matmulBatched(batch, M, N, K, A, 3, aBatch, K, 1, B, 0, bBatch, 1, K, C, 1);
      // The element before and after C's entries must keep their value too.
      expect([C[0], C[C.length - 1]]).toEqual([UNWRITTEN, UNWRITTEN]);
      return copy(C.subarray(1, 1 + count * M * N));
    },
  };
}

const softmaxCase = (log: boolean): OpCase => ({
  name: `${log ? 'log-' : ''}softmax 101 × 37, forward and backward`,
  run: (a) => {
    const x = a.input(2 + 101 * 37, 3, 6);
    const y = a.output(101 * 37);
    backend.softmax(x, 2, y, 101, 37, 1, log);
    const dy = a.input(101 * 37, 4);
    const dx = a.output(101 * 37);
    backend.softmaxBackward(dy, y, dx, 101, 37, 1, log);
    return copy(y, dx);
  },
});

const layerNormCase = (affine: boolean, sums: boolean): OpCase => ({
  name: `layer norm 67 × 45${affine ? ', weight and bias' : ''}${sums ? ', their gradients' : ''}`,
  run: (a) => {
    const rows = 67;
    const n = 45;
    const x = a.input(rows * n, 5);
    const w = affine ? a.input(n, 6) : null;
    const b = affine ? a.input(n, 7) : null;
    const out = a.output(rows * n);
    const mean = a.output(rows);
    const rstd = a.output(rows);
    backend.layerNorm(x, rows, n, w, b, 1e-5, out, mean, rstd);
    // The backward from the js kernel's statistics (the same inputs for every thread count).
    const m = new Float32Array(rows);
    const r = new Float32Array(rows);
    jsLayerNorm(x, rows, n, w, b, 1e-5, new Float32Array(rows * n), m, r);
    const dy = a.input(rows * n, 8);
    const dx = a.output(rows * n);
    const dw = sums && affine ? a.output(n) : null;
    const db = sums && affine ? a.output(n) : null;
    backend.layerNormBackward(dy, x, m, r, w, rows, n, dx, dw, db);
    return copy(out, mean, rstd, dx, ...(dw && db ? [dw, db] : []));
  },
});

const unaryCase = (op: UnaryOp): OpCase => ({
  name: `${op} over 1,013 elements`,
  run: (a) => {
    const x = a.input(1 + 1013, 9);
    const out = a.output(1013);
    backend.unaryContiguous(op, x, 1, out, 1013);
    return copy(out);
  },
});

const unaryBackwardCase = (op: UnaryBackwardOp): OpCase => ({
  name: `${op} backward over 1,013 elements`,
  run: (a) => {
    const dy = a.input(1013, 10);
    const y = a.input(1013, 11, 0.9);
    const dx = a.output(1013);
    backend.unaryBackward(op, dy, y, dx, 1013);
    return copy(dx);
  },
});

const binaryCase = (
  op: BinaryOp,
  shape: number[],
  aStrides: number[],
  bStrides: number[],
): OpCase => ({
  name: `${op} ${JSON.stringify(shape)}, strides ${JSON.stringify(aStrides)} and ${JSON.stringify(bStrides)}`,
  run: (a) => {
    const n = shape.reduce((p, s) => p * s, 1);
    const span = (strides: number[]) => 1 + shape.reduce((p, s, d) => p + (s - 1) * strides[d], 0);
    const x = a.input(1 + span(aStrides), 12);
    const y = a.input(span(bStrides), 13);
    const out = a.output(n);
    backend.binaryStrided(op, x, 1, aStrides, y, 0, bStrides, out, shape);
    return copy(out);
  },
});

const gatherCase = (shape: number[], strides: number[]): OpCase => ({
  name: `strided copy ${JSON.stringify(shape)}, strides ${JSON.stringify(strides)}`,
  residentOnly: true,
  run: (a) => {
    const n = shape.reduce((p, s) => p * s, 1);
    const x = a.input(2 + shape.reduce((p, s, d) => p + (s - 1) * strides[d], 1), 14);
    const out = a.output(n);
    backend.gatherStrided(x, 2, strides, shape, out);
    return copy(out);
  },
});

const adamCase = (decoupled: boolean): OpCase => ({
  name: `${decoupled ? 'AdamW' : 'Adam'} over tensors of 1,000, 37, 4,097 and 64 elements`,
  residentOnly: true,
  run: (a) => {
    const tensors = [1000, 37, 4097, 64].map((n, i) => ({
      w: a.input(n, 20 + i),
      dw: a.input(n, 30 + i),
      m: a.input(n, 40 + i, 0.1),
      v: a.input(n, 50 + i, 0.1),
      n,
    }));
    const hyper = {
      lr: 0.01,
      beta1: 0.9,
      beta2: 0.99,
      eps: 1e-8,
      weightDecay: 0.1,
      decoupled,
      step: 3,
    };
    backend.adamStepMulti(tensors, hyper);
    return copy(...tensors.flatMap((t) => [t.w, t.m, t.v]));
  },
});

const CASES: OpCase[] = [
  // 33·17·29 multiply-adds per entry: one packed product per entry, the 15 entries cut by entry.
  batchedCase(
    'batched matmul [3, 5] of 33×29 · 29×17 (per-entry products)',
    [3, 5],
    33,
    17,
    29,
    false,
  ),
  batchedCase('the same with B broadcast over the first batch dim', [3, 5], 33, 17, 29, true),
  // Small entries: one smallBatchedF32 call per run of entries (partial rows of the second dim).
  batchedCase('batched matmul [3, 7] of 13×11 · 11×9 (one-call kernel)', [3, 7], 13, 9, 11, false),
  batchedCase('batched matmul [23] of 16×16 · 16×16 (one-call kernel)', [23], 16, 16, 16, false),
  softmaxCase(false),
  softmaxCase(true),
  layerNormCase(true, true),
  layerNormCase(true, false),
  layerNormCase(false, false),
  unaryCase('relu'),
  unaryCase('geluTanh'),
  unaryCase('exp'),
  unaryCase('tanh'),
  unaryBackwardCase('geluTanh'),
  unaryBackwardCase('tanh'),
  unaryBackwardCase('sigmoid'),
  unaryBackwardCase('relu'),
  binaryCase('add', [7, 13, 37], [481, 37, 1], [481, 37, 1]),
  binaryCase('mul', [7, 13, 37], [481, 37, 1], [0, 0, 1]),
  binaryCase('sub', [7, 13, 37], [481, 37, 1], [13, 1, 0]),
  binaryCase('div', [3, 1000], [1000, 1], [0, 1]),
  gatherCase([37, 45], [1, 37]),
  gatherCase([3, 1013], [1013, 1]),
  gatherCase([5, 7, 4, 9], [252, 9, 63, 1]),
  adamCase(true),
  adamCase(false),
];

function expectSameBits(got: Float32Array[], want: Float32Array[], what: string): void {
  expect(got.length).toBe(want.length);
  want.forEach((w, o) => {
    expect(got[o].length).toBe(w.length);
    for (let i = 0; i < w.length; i++) {
      if (!Object.is(got[o][i], w[i])) {
        throw new Error(
          `${what}: output ${o} element ${i} is ${got[o][i]}, one thread gives ${w[i]}`,
        );
      }
    }
  });
}

describe('kernels split over the wasm thread pool', () => {
  it('cut a grid into runs at aligned columns and cover each run with at most three rectangles', () => {
    expect(cuts(1, 1013, 2, 64)).toEqual([0, 512, 1013]);
    expect(cuts(1, 1013, 3, 64)).toEqual([0, 320, 704, 1013]);
    expect(cuts(101, 1, 2, 1)).toEqual([0, 51, 101]);
    expect(cuts(7, 37, 2, 1)).toEqual([0, 130, 259]);
    expect(pieces(130, 259, 37)).toEqual([
      [3, 19, 1, 18],
      [4, 0, 3, 37],
    ]);
    expect(pieces(20, 30, 37)).toEqual([[0, 20, 1, 10]]);
    expect(pieces(30, 120, 37)).toEqual([
      [0, 30, 1, 7],
      [1, 0, 2, 37],
      [3, 0, 1, 9],
    ]);
  });

  it('give the same bits on 1, 2 and 3 threads, operands resident or not, every part written', async () => {
    await stopWasmThreads();
    const single = CASES.map((c) => [c.run(arrays(true)), c.run(arrays(false))]);
    for (const [resident, plain] of single) expectSameBits(plain, resident, 'plain vs resident');
    for (const [threads, takeBack] of [
      [2, true],
      [3, true],
      [2, false],
      [3, false],
    ] as const) {
      // takeBack false: every part runs on its worker (the caller never computes it instead).
      const started = await startThreads(threads, builds, { minMacs: 0, minElements: 0, takeBack });
      expect(started).toBe(threads);
      const stolenBefore = stolenParts();
      CASES.forEach((c, i) => {
        [true, false].forEach((resident, r) => {
          if (!resident && c.residentOnly) return;
          const before = splitCalls();
          const got = c.run(arrays(resident));
          expect(splitCalls() - before, `${c.name}: calls split`).toBeGreaterThan(0);
          expectSameBits(got, single[i][r], `${threads} threads, ${c.name}`);
        });
      });
      if (!takeBack) expect(stolenParts()).toBe(stolenBefore);
    }
    // Outputs were written whole (no sentinel survives) and are the ops' values: softmax rows sum
    // to 1 within float32 rounding.
    const [y] = single[4][0];
    expect(Array.from(single.flat(2)).every((o) => !o.includes(UNWRITTEN))).toBe(true);
    for (let r = 0; r < 101; r++) {
      let sum = 0;
      for (let c = 0; c < 37; c++) sum += y[r * 37 + c];
      expect(Math.abs(sum - 1)).toBeLessThan(1e-5);
    }
    await stopWasmThreads();
  });

  it('keep the workers past 2³¹ generations (a negative one would tell them to stop)', async () => {
    await stopWasmThreads();
    const a = arrays(true);
    const [x, want, got] = [a.input(3737, 11), a.output(3737), a.output(3737)];
    backend.softmax(x, 0, want, 101, 37, 1, false);
    // takeBack false: a worker that stopped would leave its part undone and the caller waiting.
    expect(await startThreads(2, builds, { minMacs: 0, minElements: 0, takeBack: false })).toBe(2);
    setGenerationForTests(2 ** 31 - 3);
    const before = splitCalls();
    for (let i = 0; i < 8; i++) {
      got.fill(Number.NaN);
      backend.softmax(x, 0, got, 101, 37, 1, false);
      expectSameBits([got], [want], `call ${i} after the wrap`);
    }
    expect(splitCalls() - before).toBeGreaterThanOrEqual(8);
    await stopWasmThreads();
  });

  it('run thousands of split calls back to back without a hang, with the same bits', async () => {
    // Preallocated operands, the kernels in turn: parts claimed call by call (softmax, gelu), whole
    // (both batched paths), and layer norm's backward (the caller's sums beside the workers' dx).
    await stopWasmThreads();
    const a = arrays(true);
    const [x, y, dx, m, r, w, dw, db] = [a.input(3737, 1), a.output(3737), a.output(3737)]
      .concat([a.input(101, 2), a.input(101, 3, 0.5).map(Math.abs), a.input(37, 4)])
      .concat([a.output(37), a.output(37)]);
    const [A, B, C] = [a.input(15 * 957, 5), a.input(15 * 493, 6), a.output(15 * 561)];
    const [A2, B2, C2] = [a.input(21 * 143, 7), a.input(21 * 99, 8), a.output(21 * 117)];
    const step = (i: number) => {
      if (i % 5 === 0) backend.softmax(x, 0, y, 101, 37, 1, false);
      if (i % 5 === 1) backend.unaryContiguous('geluTanh', x, 0, dx, 3737);
      if (i % 5 === 2) backend.layerNormBackward(x, y, m, r, w, 101, 37, dx, dw, db);
      if (i % 5 === 3)
        backend.matmulBatched(
          [3, 5],
          33,
          17,
          29,
          A,
          0,
          [4785, 957],
          29,
          1,
          B,
          0,
          [2465, 493],
          17,
          1,
          C,
          0,
        );
      if (i % 5 === 4)
        backend.matmulBatched(
          [3, 7],
          13,
          9,
          11,
          A2,
          0,
          [1001, 143],
          11,
          1,
          B2,
          0,
          [693, 99],
          9,
          1,
          C2,
          0,
        );
    };
    for (let i = 0; i < 5; i++) step(i);
    const want = copy(y, dx, dw, db, C, C2);
    expect(await startThreads(3, builds, { minMacs: 0, minElements: 0 })).toBe(3);
    for (let i = 0; i < 5000; i++) step(i);
    expectSameBits(copy(y, dx, dw, db, C, C2), want, 'after 5,000 split calls');
    await stopWasmThreads();
  });

  it('keep calls below the threshold on the calling thread', async () => {
    expect(await startWasmThreads(2)).toBe(2);
    const before = splitCalls();
    unaryCase('relu').run(arrays(true));
    softmaxCase(false).run(arrays(true));
    expect(splitCalls()).toBe(before);
    await stopWasmThreads();
    await expect(startWasmThreads(2, { minElements: -1 })).rejects.toThrow(
      /minElements must be a non-negative number, got -1/,
    );
  });

  it('report a call that traps on a worker, and keep working', async () => {
    const kernels = loadKernels(false);
    if ('error' in kernels) throw new Error(kernels.error);
    expect(await startWasmThreads(2, { minMacs: 0, minElements: 0 })).toBe(2);
    const x = allocateInWasm('float32', 1 << 16) as Float32Array;
    const long = { kernel: 'unaryF32' as const, args: [0, x.byteOffset, x.byteOffset, 1 << 16] };
    // Out of the memory's bounds: a trap wherever it runs (on the caller when it takes it back).
    const bad = { kernel: 'unaryF32' as const, args: [0, 0x7ffffff0, 0x7ffffff0, 64] };
    let onWorker = 0;
    for (let i = 0; i < 20 && onWorker === 0; i++) {
      expect(() => parallel(kernels, [[long], [bad]])).toThrow(
        /unaryF32 threw on worker 1|out of bounds/,
      );
      // A long part here (~1 ms) leaves the worker time to claim its part, even on a busy machine.
      try {
        parallel(kernels, [new Array(50).fill(long), [bad]]);
      } catch (error) {
        if (/threw on worker 1/.test(String(error))) onWorker++;
      }
    }
    expect(onWorker).toBeGreaterThan(0);
    const c = softmaxCase(false);
    await stopWasmThreads();
    const want = c.run(arrays(true));
    expect(await startWasmThreads(2, { minMacs: 0, minElements: 0 })).toBe(2);
    expectSameBits(c.run(arrays(true)), want, 'softmax after a worker trapped');
    await stopWasmThreads();
  });

  it("take back a sleeping worker's part, with the same bits", async () => {
    await stopWasmThreads();
    const c = layerNormCase(true, true);
    const want = c.run(arrays(true));
    expect(await startWasmThreads(2, { minMacs: 0, minElements: 0 })).toBe(2);
    const pause = new Int32Array(new SharedArrayBuffer(4));
    const before = stolenParts();
    for (let i = 0; i < 30; i++) {
      Atomics.wait(pause, 0, 0, 3); // let the worker fall asleep
      expectSameBits(c.run(arrays(true)), want, `layer norm after a pause, round ${i}`);
    }
    expect(stolenParts() - before).toBeGreaterThan(0);
    await stopWasmThreads();
  });
});
