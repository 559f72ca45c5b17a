import { describe, expect, it } from 'vitest';
import type { TypedArray } from '../../dtype.js';
import { crossEntropyBackward, crossEntropyForward } from '../cross-entropy.js';
import { gatherRows, scatterAddRows } from '../indexing.js';
import { adamStep, sgdStep } from '../optim.js';
import { type UpdateOp, unaryBackward, update } from '../pointwise.js';
import { softmax, softmaxBackward } from '../softmax.js';
import { expectWithinUlps, logSoftmaxBackwardSlack, rng } from './check.js';
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

/** Ordinary values in ±scale, with a sprinkling of ±0, ±∞, NaN, subnormals and huge values. */
function values(n: number, seed: number, scale = 4, specials = true): Float32Array {
  const next = rng(seed);
  const pick = [0, -0, Infinity, -Infinity, Number.NaN, 1e-45, -3e38, 3e38];
  return Float32Array.from({ length: n }, () =>
    specials && next() < 0.05 ? pick[Math.floor(next() * pick.length)] : (next() - 0.5) * 2 * scale,
  );
}

/** The same data in an ordinary array and in the kernel memory (the zero-copy path). */
function both(x: Float32Array): [Float32Array, Float32Array] {
  const resident = allocateInWasm('float32', x.length) as Float32Array;
  resident.set(x);
  return [x.slice(), resident];
}

const SIZES = [256, 257, 1003, 6400];

describe('wasm unaryBackward', () => {
  it('sigmoid, relu and sqrtOrZero backwards equal js bit for bit (copied and resident)', () => {
    for (const n of SIZES) {
      const dy = values(n, n);
      const y = values(n, n + 1, 1);
      for (const op of ['sigmoid', 'relu', 'sqrtOrZero', 'tanh'] as const) {
        const want = new Float32Array(n);
        unaryBackward(op, dy, y, want, n);
        const [dyC, dyR] = both(dy);
        const [yC, yR] = both(y);
        const got = new Float32Array(n);
        backend.unaryBackward(op, dyC, yC, got, n);
        expectIdentical(got, want, `${op} backward n=${n}`);
        const resident = allocateInWasm('float32', n) as Float32Array;
        backend.unaryBackward(op, dyR, yR, resident, n);
        expectIdentical(resident, want, `${op} backward in wasm memory n=${n}`);
      }
    }
  });
});

describe('wasm update (copy_ add_ mul_ div_, gradient accumulation)', () => {
  it('equals js bit for bit for every op, offset and alpha, copied and resident', () => {
    for (const n of SIZES) {
      for (const op of ['assign', 'add', 'mul', 'div'] as UpdateOp[]) {
        for (const alpha of [1, -0.1, 3.7]) {
          const t = values(n + 3, n + 7);
          const v = values(n + 2, n + 8);
          const want = t.slice();
          update(op, want, 3, v, 2, n, alpha);
          const got = t.slice();
          backend.update(op, got, 3, v, 2, n, alpha);
          expectIdentical(got, want, `${op} alpha=${alpha} n=${n}`);
          const [, tR] = both(t);
          const [, vR] = both(v);
          backend.update(op, tR, 3, vR, 2, n, alpha);
          expectIdentical(tR, want, `${op} resident alpha=${alpha} n=${n}`);
        }
      }
    }
  });

  it('x.add_(x) in place, and overlapping ranges of one array, as js', () => {
    const n = 1000;
    const x = values(n + 5, 3);
    const want = x.slice();
    update('add', want, 0, want, 0, n, 2);
    const got = x.slice();
    backend.update('add', got, 0, got, 0, n, 2);
    expectIdentical(got, want, 'add_ of itself');
    // Shifted by one element: js reads values it has just written; the wasm backend defers to it.
    const want2 = x.slice();
    update('add', want2, 1, want2, 0, n, 1);
    const got2 = x.slice();
    backend.update('add', got2, 1, got2, 0, n, 1);
    expectIdentical(got2, want2, 'overlapping add_');
  });
});

describe('wasm gatherRows and scatterAddRows (embedding lookup and backward)', () => {
  it('equal js for every dtype, repeated rows, offsets, copied and resident', () => {
    const next = rng(11);
    for (const [rowsIn, rowSize, count] of [
      [27, 10, 96],
      [27, 10, 768],
      [50, 3, 400],
      [5, 64, 12],
      [300, 1, 500],
    ]) {
      const rows = Int32Array.from({ length: count }, () => Math.floor(next() * rowsIn));
      const src = values(2 + rowsIn * rowSize, rowsIn + rowSize);
      for (const make of [
        (x: Float32Array) => x,
        (x: Float32Array) => Float64Array.from(x),
        (x: Float32Array) => Int32Array.from(x, (v) => (Number.isFinite(v) ? Math.trunc(v) : 7)),
      ]) {
        const s = make(src);
        const want = new (s.constructor as Float32ArrayConstructor)(count * rowSize);
        gatherRows(s, 2, rows, rowSize, want);
        const got = new (s.constructor as Float32ArrayConstructor)(count * rowSize);
        backend.gatherRows(s, 2, rows, rowSize, got);
        expectIdentical(got, want, `gatherRows ${s.constructor.name} ${rowsIn}x${rowSize}`);
      }
      const g = values(count * rowSize, count);
      const want = values(rowsIn * rowSize, 5);
      const got = want.slice();
      scatterAddRows(g, rows, rowSize, want);
      backend.scatterAddRows(g, rows, rowSize, got);
      expectIdentical(got, want, `scatterAddRows ${rowsIn}x${rowSize} count=${count}`);
      const [, gR] = both(g);
      const [, outR] = both(values(rowsIn * rowSize, 5));
      backend.scatterAddRows(gR, rows, rowSize, outR);
      expectIdentical(outR, want, `scatterAddRows resident ${rowsIn}x${rowSize}`);
    }
  });

  it('gathers a few rows of a large source outside wasm memory without copying it in whole', () => {
    const data = new Int32Array(300_000).map((_, i) => i); // a dataset of 100,000 rows of 3
    const rows = Int32Array.from({ length: 256 }, (_, p) => (p * 7919) % 100_000);
    const want = new Int32Array(768);
    gatherRows(data, 0, rows, 3, want);
    const got = new Int32Array(768);
    backend.gatherRows(data, 0, rows, 3, got);
    expectIdentical(got, want, 'gatherRows from a large js array');
    const resident = allocateInWasm('int32', 300_000) as Int32Array;
    resident.set(data);
    const fromWasm = new Int32Array(768);
    backend.gatherRows(resident, 0, rows, 3, fromWasm);
    expectIdentical(fromWasm, want, 'gatherRows from a large resident array');
    freeInWasm(resident);
  });

  it('defers to js (which defines the result) when a row index is out of range', () => {
    const src = new Float32Array(300).map((_, i) => i);
    const rows = Int32Array.from({ length: 100 }, (_, i) => (i === 50 ? 1000 : i % 100));
    const want = new Float32Array(300);
    const got = new Float32Array(300);
    const out = new Float32Array(30);
    // js's scatter-add writes nothing for an index past the end of a typed array.
    scatterAddRows(src, rows, 3, want);
    backend.scatterAddRows(src, rows, 3, got);
    expectIdentical(got, want, 'scatterAddRows with a bad row');
    expect(out.every((v) => v === 0)).toBe(true);
  });
});

describe('wasm cross-entropy', () => {
  function run(
    b: typeof backend | null,
    x: Float32Array,
    rows: number,
    C: number,
    targets: Int32Array,
    eps: number,
    perRow: boolean,
    dLoss: Float32Array,
  ) {
    const saved = {
      expShifted: new Float32Array(rows * C),
      inverseSum: new Float64Array(rows),
    };
    const losses = new Float32Array(rows);
    const forward = b ? b.crossEntropyForward : crossEntropyForward;
    const backward = b ? b.crossEntropyBackward : crossEntropyBackward;
    const { total, count } = forward(x, rows, C, targets, -100, eps, saved, losses);
    const dx = new Float32Array(rows * C);
    backward(
      perRow ? dLoss : Float64Array.of(0.5),
      perRow,
      count,
      rows,
      C,
      targets,
      -100,
      eps,
      saved,
      dx,
    );
    return { total, count, losses, dx, saved };
  }

  it('matches js within float32 tolerance (the float32-lane exp, within 1 ulp), lecture shapes', () => {
    const next = rng(5);
    for (const [rows, C] of [
      [32, 27],
      [256, 27],
      [10, 100],
      [64, 5],
    ]) {
      for (const eps of [0, 0.1]) {
        for (const perRow of [false, true]) {
          const x = values(rows * C, rows * C + 1, 6, false);
          if (perRow) x[3] = Number.NaN; // a NaN logit makes its row's loss (and the total) NaN
          const targets = Int32Array.from({ length: rows }, (_, i) =>
            i % 7 === 3 ? -100 : Math.floor(next() * C),
          );
          const dLoss = values(rows, rows, 1, false);
          const want = run(null, x, rows, C, targets, eps, perRow, dLoss);
          const got = run(backend, x, rows, C, targets, eps, perRow, dLoss);
          const what = `${rows}x${C} eps=${eps} perRow=${perRow}`;
          expect(got.count, what).toBe(want.count);
          if (perRow) expect(got.total, what).toBeNaN();
          expect(Number.isNaN(want.total), what).toBe(perRow);
          // Each exp within 1 ulp, so Σexp within 2⁻²³ relative and each row's loss (log Σexp +
          // m − x_t) within 1.2e-7 absolute; the total sums `count` of them.
          if (!perRow) {
            expect(Math.abs(got.total - want.total), what).toBeLessThanOrEqual(1.2e-7 * want.count);
          }
          expectWithinUlps(got.losses, want.losses, 1, `losses ${what}`, () => 1.2e-7);
          expectWithinUlps(got.saved.expShifted, want.saved.expShifted, 1, `exp ${what}`);
          // dx = scale·(p − off) (− scale·on at the target): p = e/Σ within 3 ulp, then cancellation.
          const scale = (i: number) =>
            perRow ? Math.abs(dLoss[Math.floor(i / C)]) : 0.5 / want.count;
          expectWithinUlps(got.dx, want.dx, 2, `dx ${what}`, (i) => 4 * 2 ** -24 * scale(i));
          // Measured on these cases: most outputs still equal js bit for bit.
          let same = 0;
          for (let i = 0; i < got.dx.length; i++) if (Object.is(got.dx[i], want.dx[i])) same++;
          expect(same / got.dx.length, what).toBeGreaterThan(0.5);
        }
      }
    }
  });

  it('keeps ignored rows untouched and defers to js for a target out of range', () => {
    const rows = 40;
    const C = 27;
    const x = values(rows * C, 9, 3, false);
    const targets = Int32Array.from({ length: rows }, (_, i) => (i < 20 ? -100 : i % C));
    const saved = {
      expShifted: new Float32Array(rows * C).fill(7),
      inverseSum: new Float64Array(rows).fill(7),
    };
    backend.crossEntropyForward(x, rows, C, targets, -100, 0, saved, null);
    expect(saved.expShifted[0]).toBe(7);
    expect(saved.inverseSum[19]).toBe(7);
    expect(saved.inverseSum[20]).not.toBe(7);
    const bad = targets.slice();
    bad[30] = C; // neither a class nor ignoreIndex
    const want = run(null, x, rows, C, bad, 0, false, new Float32Array(rows));
    const got = run(backend, x, rows, C, bad, 0, false, new Float32Array(rows));
    expect(Number.isNaN(got.total)).toBe(Number.isNaN(want.total));
    expectIdentical(got.dx, want.dx, 'dx with a bad target');
  });
});

describe('wasm sgdStep and adamStep', () => {
  it('equal js bit for bit over several steps, every option, copied and resident', () => {
    for (const n of [256, 1003, 5400]) {
      const w0 = values(n, n, 2, false);
      for (const momentum of [0, 0.9]) {
        for (const nesterov of [false, true]) {
          for (const resident of [false, true]) {
            const hyper = { lr: 0.1, momentum, dampening: 0.1, weightDecay: 0.01, nesterov };
            const [wa, wb] = [w0.slice(), resident ? both(w0)[1] : w0.slice()];
            const [ba, bb] = [
              new Float32Array(n),
              resident ? both(new Float32Array(n))[1] : new Float32Array(n),
            ];
            for (let step = 1; step <= 3; step++) {
              const dw = values(n, n + step, 1, false);
              sgdStep(wa, dw, ba, n, hyper, step === 1);
              backend.sgdStep(wb, resident ? both(dw)[1] : dw, bb, n, hyper, step === 1);
            }
            const what = `sgd n=${n} momentum=${momentum} nesterov=${nesterov} resident=${resident}`;
            expectIdentical(wb, wa, what);
            expectIdentical(bb, ba, `${what} buffer`);
          }
        }
      }
      for (const decoupled of [false, true]) {
        for (const resident of [false, true]) {
          const make = (x: Float32Array) => (resident ? both(x)[1] : x.slice());
          const [wa, ma, va] = [w0.slice(), new Float32Array(n), new Float32Array(n)];
          const [wb, mb, vb] = [make(w0), make(new Float32Array(n)), make(new Float32Array(n))];
          for (let step = 1; step <= 4; step++) {
            const dw = values(n, 3 * n + step, 1, step === 4);
            const hyper = {
              lr: 1e-3,
              beta1: 0.9,
              beta2: 0.999,
              eps: 1e-8,
              weightDecay: 0.01,
              decoupled,
              step,
            };
            adamStep(wa, dw, ma, va, n, hyper);
            backend.adamStep(wb, make(dw), mb, vb, n, hyper);
          }
          const what = `adam n=${n} decoupled=${decoupled} resident=${resident}`;
          expectIdentical(wb, wa, what);
          expectIdentical(mb, ma, `${what} m`);
          expectIdentical(vb, va, `${what} v`);
        }
      }
    }
  });
});

describe('wasm adamStepMulti (multi-tensor Adam)', () => {
  it('equals one js adamStep per tensor bit for bit: resident, copied, tiny, in one call', () => {
    // Sizes around the thresholds (< 32 js, odd tails, a plain array among resident ones).
    const sizes = [1, 31, 33, 255, 256, 1003, 4097];
    for (const decoupled of [false, true]) {
      const ref = sizes.map((n, i) => ({
        w: values(n, 7 * n + i, 2, false),
        m: new Float32Array(n),
        v: new Float32Array(n),
      }));
      const multi = ref.map(({ w, m, v }, i) => {
        const resident = i !== 5; // n = 1003 stays a plain array (copied in and out)
        const make = (x: Float32Array) => (resident ? both(x)[1] : x.slice());
        return { w: make(w), m: make(m), v: make(v), resident };
      });
      for (let step = 1; step <= 4; step++) {
        const hyper = {
          lr: 1e-3,
          beta1: 0.9,
          beta2: 0.99,
          eps: 1e-8,
          weightDecay: 0.01,
          decoupled,
          step,
        };
        const grads = sizes.map((n, i) => values(n, 11 * n + step + i, 1, step === 4));
        sizes.forEach((n, i) => {
          adamStep(ref[i].w, grads[i], ref[i].m, ref[i].v, n, hyper);
        });
        backend.adamStepMulti(
          multi.map((t, i) => ({
            w: t.w,
            dw: t.resident ? both(grads[i])[1] : grads[i].slice(),
            m: t.m,
            v: t.v,
            n: sizes[i],
          })),
          hyper,
        );
      }
      sizes.forEach((n, i) => {
        const what = `adamStepMulti n=${n} decoupled=${decoupled}`;
        expectIdentical(multi[i].w, ref[i].w, what);
        expectIdentical(multi[i].m, ref[i].m, `${what} m`);
        expectIdentical(multi[i].v, ref[i].v, `${what} v`);
      });
    }
  });
});

describe('allocateInWasm / freeInWasm', () => {
  it('reuses a freed block for the next allocation of its size class, zero-filled', () => {
    const a = allocateInWasm('float32', 1000) as Float32Array;
    a.fill(5);
    const at = a.byteOffset;
    freeInWasm(a);
    // 1000 float32 = 4000 bytes → the 4096-byte class; 900 float32 = 3600 bytes → the same class.
    const b = allocateInWasm('float32', 900) as Float32Array;
    expect(b.byteOffset).toBe(at);
    expect(b.every((v) => v === 0)).toBe(true);
    const c = allocateInWasm('float64', 10) as Float64Array;
    expect(c.byteOffset).not.toBe(at);
    freeInWasm(b);
    freeInWasm(c);
  });

  it('size classes: 64·{1, 1.5}·2^k bytes; { zeroed: false } leaves a reused block as it was', () => {
    const a = allocateInWasm('float32', 20) as Float32Array; // 80 bytes → the 96-byte class
    a.fill(3);
    const at = a.byteOffset;
    freeInWasm(a);
    const b = allocateInWasm('float32', 24, { zeroed: false }) as Float32Array; // 96 bytes
    expect(b.byteOffset).toBe(at);
    expect(Array.from(b.subarray(0, 20))).toEqual(new Array(20).fill(3));
    freeInWasm(b);
    const c = allocateInWasm('float32', 25) as Float32Array; // 100 bytes → the 128-byte class
    expect(c.byteOffset).not.toBe(at);
    const d = allocateInWasm('float32', 17) as Float32Array; // 68 bytes → 96 again, zeroed
    expect(d.byteOffset).toBe(at);
    expect(d.every((v) => v === 0)).toBe(true);
    freeInWasm(c);
    freeInWasm(d);
  });

  it('keeps memory flat over a loop that allocates and frees', async () => {
    const { wasmMemoryStats } = await import('./index.js');
    const sizes = [6400, 6400, 200, 27 * 256, 30];
    for (let step = 0; step < 5; step++) {
      const arrays = sizes.map((n) => allocateInWasm('float32', n));
      for (const array of arrays) freeInWasm(array);
    }
    const before = wasmMemoryStats();
    for (let step = 0; step < 200; step++) {
      const arrays = sizes.map((n) => allocateInWasm('float32', n));
      for (const array of arrays) freeInWasm(array);
    }
    const after = wasmMemoryStats();
    expect(after.memoryBytes).toBe(before.memoryBytes);
    expect(after.freeBytes).toBe(before.freeBytes);
    expect(after.liveBytes).toBe(before.liveBytes);
  });

  it('refuses a double free and arrays it did not allocate, saying what to do', () => {
    const a = allocateInWasm('int32', 10);
    freeInWasm(a);
    expect(() => freeInWasm(a)).toThrow(/already freed; free each array from allocateInWasm/);
    expect(() => freeInWasm(new Float32Array(4))).toThrow(
      /does not live in the wasm kernel memory/,
    );
    const b = allocateInWasm('float32', 64) as Float32Array;
    expect(() => freeInWasm(b.subarray(1))).toThrow(/was not returned by allocateInWasm/);
    freeInWasm(b);
  });
});

describe('small operands already in the kernel memory (32 to 255 elements) run in wasm', () => {
  it('give the js numbers (tanh within 1 ulp)', async () => {
    const { binaryStrided, unaryContiguous } = await import('../elementwise.js');
    for (const n of [32, 100, 255]) {
      const [a, aR] = both(values(n, n));
      const [b, bR] = both(values(n, n + 1));
      const want = new Float32Array(n);
      binaryStrided('mul', a, 0, [1], b, 0, [1], want, [n]);
      const got = allocateInWasm('float32', n) as Float32Array;
      backend.binaryStrided('mul', aR, 0, [1], bR, 0, [1], got, [n]);
      expectIdentical(got, want, `mul n=${n}`);
      unaryContiguous('sigmoid', a, 0, want, n);
      backend.unaryContiguous('sigmoid', aR, 0, got, n);
      expectIdentical(got, want, `sigmoid n=${n}`);
      update('add', a, 0, b, 0, n, 0.5);
      backend.update('add', aR, 0, bR, 0, n, 0.5);
      expectIdentical(aR, a, `add_ n=${n}`);
      sgdStep(
        a,
        b,
        null,
        n,
        { lr: 0.1, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false },
        true,
      );
      backend.sgdStep(
        aR,
        bR,
        null,
        n,
        { lr: 0.1, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false },
        true,
      );
      expectIdentical(aR, a, `sgd n=${n}`);
    }
  });
});

describe('wasm softmax and log-softmax over the last dimension', () => {
  it('forward and backward within float32 tolerance of js (copied and resident), NaN and −∞ rows as js', () => {
    for (const [outer, size] of [
      [32, 27],
      [256, 27],
      [8, 100],
      [300, 3],
    ]) {
      for (const log of [false, true]) {
        const n = outer * size;
        const x = values(n + 1, n, 8, false);
        x[5] = Number.NaN; // row 0: all NaN
        for (let c = 0; c < size; c++) x[1 + size + c] = -Infinity; // row 1: all −∞
        const want = new Float32Array(n);
        softmax(x, 1, want, outer, size, 1, log);
        const got = new Float32Array(n);
        backend.softmax(x, 1, got, outer, size, 1, log);
        const what = `${log ? 'log-' : ''}softmax ${outer}x${size}`;
        // softmax: e/Σ, each exp within 1 ulp and Σ within 2⁻²³: 3 ulp. log-softmax: x − log Σ − m,
        // log Σ within 1.2e-7 absolute.
        const check = (out: Float32Array, label: string) =>
          log
            ? expectWithinUlps(out, want, 1, label, () => 1.2e-7)
            : expectWithinUlps(out, want, 3, label);
        check(got, what); // NaN exactly where js has NaN (the NaN row, the −∞ row)
        const [, xR] = both(x);
        const outR = allocateInWasm('float32', n) as Float32Array;
        backend.softmax(xR, 1, outR, outer, size, 1, log);
        check(outR, `${what} resident`);
        expectIdentical(outR, got, `${what}: resident = copied`);
        const y = new Float32Array(n);
        softmax(values(n, n + 3, 4, false), 0, y, outer, size, 1, log);
        const dy = values(n, n + 4, 1, false);
        const dWant = new Float32Array(n);
        softmaxBackward(dy, y, dWant, outer, size, 1, log);
        const dGot = new Float32Array(n);
        backend.softmaxBackward(dy, y, dGot, outer, size, 1, log);
        if (log) {
          // dx = dy − exp(y)·Σdy: exp(y) within 1 ulp, Σdy in another order, a cancellation.
          const slack = logSoftmaxBackwardSlack(dy, dWant, size);
          expectWithinUlps(dGot, dWant, 1, `${what} backward`, slack);
        } else expectIdentical(dGot, dWant, `${what} backward`);
      }
    }
  });

  it('leaves other layouts (inner > 1) to the js kernel', () => {
    const x = values(600, 1, 3, false);
    const want = new Float32Array(600);
    const got = new Float32Array(600);
    softmax(x, 0, want, 2, 30, 10, false);
    backend.softmax(x, 0, got, 2, 30, 10, false);
    expectIdentical(got, want, 'softmax over dim 1 of [2, 30, 10]');
  });
});

describe('kernels whose wasm numbers differ from js pick the same kernel wherever operands live', () => {
  // Else a captured step (tensors in the kernel memory) and the same step run eagerly (plain
  // arrays) would differ: below 256 elements resident operands used to run wasm, plain ones js.
  it('softmax, log-softmax, its backward, cross-entropy and tanh: resident = plain, bit for bit', () => {
    const rows = 5;
    const C = 27;
    const n = rows * C; // between RESIDENT_THRESHOLD (32) and ELEMENTWISE_THRESHOLD (256)
    const x = values(n, 11, 6, false);
    const [xC, xR] = both(x);
    for (const log of [false, true]) {
      const plain = new Float32Array(n);
      const resident = allocateInWasm('float32', n) as Float32Array;
      backend.softmax(xC, 0, plain, rows, C, 1, log);
      backend.softmax(xR, 0, resident, rows, C, 1, log);
      expectIdentical(resident, plain, `${log ? 'log-' : ''}softmax`);
      const [dyC, dyR] = both(values(n, 12, 1, false));
      const dPlain = new Float32Array(n);
      const dResident = allocateInWasm('float32', n) as Float32Array;
      backend.softmaxBackward(dyC, plain, dPlain, rows, C, 1, log);
      backend.softmaxBackward(dyR, resident, dResident, rows, C, 1, log);
      expectIdentical(dResident, dPlain, `${log ? 'log-' : ''}softmax backward`);
    }
    const targets = Int32Array.from({ length: rows }, (_, i) => (i * 7) % C);
    const saved = () => ({
      expShifted: allocateInWasm('float32', n) as Float32Array,
      inverseSum: new Float64Array(rows),
    });
    const plainSaved = { expShifted: new Float32Array(n), inverseSum: new Float64Array(rows) };
    const residentSaved = saved();
    const a = backend.crossEntropyForward(xC, rows, C, targets, -100, 0, plainSaved, null);
    const b = backend.crossEntropyForward(xR, rows, C, targets, -100, 0, residentSaved, null);
    expect(b.total).toBe(a.total);
    expectIdentical(residentSaved.expShifted, plainSaved.expShifted, 'cross-entropy exp');
    const tanhPlain = new Float32Array(n);
    const tanhResident = allocateInWasm('float32', n) as Float32Array;
    backend.unaryContiguous('tanh', xC, 0, tanhPlain, n);
    backend.unaryContiguous('tanh', xR, 0, tanhResident, n);
    expectIdentical(tanhResident, tanhPlain, 'tanh');
  });
});
