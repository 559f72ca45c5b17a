import { afterEach, describe, expect, it, vi } from 'vitest';
import { jsBackend } from '../backend.js';
import { matmulKernel } from '../matmul.js';
import { errorInBounds, randomCase, randomView, rng, run } from './check.js';
import { allocateInWasm, loadWasmBackend, wasmFeatures, wasmMemory } from './index.js';
import { type WasmMemory, webAssembly } from './webassembly.js';

function load(relaxedSimd = false) {
  const backend = loadWasmBackend({ relaxedSimd });
  if ('error' in backend) throw new Error(backend.error);
  return backend;
}

describe('wasm backend loading', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('detects SIMD in Node and builds a backend over the js one', () => {
    expect(wasmFeatures().simd).toBe(true);
    const backend = load();
    expect(backend.name).toBe('wasm');
    expect(backend.matmul).not.toBe(jsBackend.matmul);
    // Families it does not accelerate are the js kernels themselves.
    expect(backend.clamp).toBe(jsBackend.clamp);
    expect(backend.scatterAddDim).toBe(jsBackend.scatterAddDim);
    expect(wasmMemory()).toBeInstanceOf(webAssembly()?.Memory as new () => unknown);
    expect(wasmMemory()?.buffer).toBeInstanceOf(SharedArrayBuffer);
  });

  it('returns an error, never throws, without WebAssembly', () => {
    vi.stubGlobal('WebAssembly', undefined);
    expect(wasmFeatures()).toEqual({ simd: false, relaxedSimd: false });
    expect(loadWasmBackend()).toEqual({ error: 'this runtime has no WebAssembly' });
  });

  it('returns an error, never throws, with WebAssembly but without SIMD', () => {
    const real = webAssembly() as NonNullable<ReturnType<typeof webAssembly>>;
    // (The namespace's members are not enumerable: copy the ones the backend uses.)
    const { Module, Instance, Memory } = real;
    vi.stubGlobal('WebAssembly', { Module, Instance, Memory, validate: () => false });
    expect(wasmFeatures()).toEqual({ simd: false, relaxedSimd: false });
    expect(loadWasmBackend()).toEqual({ error: 'this runtime has WebAssembly but not SIMD128' });
  });

  it('returns an error when relaxed SIMD is asked for and missing', () => {
    if (wasmFeatures().relaxedSimd) return; // this runtime has it: covered in relaxed.test.ts
    const result = loadWasmBackend({ relaxedSimd: true });
    expect(result).toHaveProperty('error');
    expect((result as { error: string }).error).toMatch(/--experimental-wasm-relaxed-simd/);
  });
});

describe('wasm float32 matmul vs the js kernel', () => {
  const backend = load();

  it('agrees within float32 tolerance on 300 random shapes, layouts and accumulate flags', () => {
    const next = rng(1234);
    const value = () => next() * 2 - 1;
    for (let t = 0; t < 300; t++) {
      const c = randomCase(next, value);
      const worst = errorInBounds(backend.matmul, c);
      if (!(worst <= 1)) {
        throw new Error(
          `case ${t} ${JSON.stringify({ M: c.M, N: c.N, K: c.K })}: error ${worst}×bound`,
        );
      }
    }
  });

  it('crosses the K (256) and M (128) blocks', () => {
    const next = rng(99);
    const value = () => next() * 2 - 1;
    for (const [M, N, K] of [
      [130, 17, 300],
      [257, 9, 513],
      [5, 260, 600],
    ]) {
      for (let t = 0; t < 2; t++) {
        const c = { ...randomCase(next, value), M, N, K };
        c.A = randomView(M, K, next, value);
        c.B = randomView(K, N, next, value);
        c.C0 = new Float32Array(c.cOffset + M * N + 2).map(value);
        expect(errorInBounds(backend.matmul, c)).toBeLessThanOrEqual(1);
      }
    }
  });

  it('is exact on small integers (every partial sum representable)', () => {
    const next = rng(7);
    const value = () => Math.floor(next() * 9) - 4;
    for (let t = 0; t < 100; t++) {
      const c = randomCase(next, value);
      expect(Array.from(run(backend.matmul, c))).toEqual(Array.from(run(matmulKernel, c)));
    }
  });

  it('computes a known product, overwriting or accumulating', () => {
    // [[1,2,3],[4,5,6]] · [[7,8],[9,10],[11,12]] = [[58,64],[139,154]]
    const A = new Float32Array([1, 2, 3, 4, 5, 6]);
    const B = new Float32Array([7, 8, 9, 10, 11, 12]);
    const C = new Float32Array([1, 1, 1, 1]);
    backend.matmul(2, 2, 3, A, 0, 3, 1, B, 0, 2, 1, C, 0, false);
    expect(Array.from(C)).toEqual([58, 64, 139, 154]);
    backend.matmul(2, 2, 3, A, 0, 3, 1, B, 0, 2, 1, C, 0, true);
    expect(Array.from(C)).toEqual([116, 128, 278, 308]);
    // Aᵀ·B through strides only: Aᵀ is 3×2 with row stride 1, column stride 3.
    const D = new Float32Array(9);
    backend.matmul(3, 3, 2, A, 0, 1, 3, new Float32Array([1, 0, 2, 0, 1, 3]), 0, 3, 1, D, 0, false);
    // Aᵀ = [[1,4],[2,5],[3,6]], B = [[1,0,2],[0,1,3]]
    expect(Array.from(D)).toEqual([1, 4, 14, 2, 5, 19, 3, 6, 24]);
  });

  it('handles K = 0 (C = 0, or unchanged when accumulating) and empty outputs', () => {
    const C = new Float32Array([5, 6, 7]);
    backend.matmul(1, 3, 0, new Float32Array(0), 0, 0, 1, new Float32Array(0), 0, 3, 1, C, 0, true);
    expect(Array.from(C)).toEqual([5, 6, 7]);
    backend.matmul(
      1,
      2,
      0,
      new Float32Array(0),
      0,
      0,
      1,
      new Float32Array(0),
      0,
      2,
      1,
      C,
      1,
      false,
    );
    expect(Array.from(C)).toEqual([5, 0, 0]);
    backend.matmul(
      0,
      3,
      4,
      new Float32Array(0),
      0,
      4,
      1,
      new Float32Array(12),
      0,
      3,
      1,
      C,
      0,
      false,
    );
    expect(Array.from(C)).toEqual([5, 0, 0]);
  });

  it('propagates NaN and Infinity like the js kernel', () => {
    const A = new Float32Array([1, Number.NaN, 2, 3, Number.POSITIVE_INFINITY, 0]);
    const B = new Float32Array([1, 2, 3, 4, 5, 6]);
    const got = new Float32Array(9);
    const want = new Float32Array(9);
    // (3×2)·(2×3)
    backend.matmul(3, 3, 2, A, 0, 2, 1, B, 0, 3, 1, got, 0, false);
    matmulKernel(3, 3, 2, A, 0, 2, 1, B, 0, 3, 1, want, 0, false);
    expect(Array.from(got)).toEqual(Array.from(want));
    // Row 0 has a NaN, row 2 an Infinity times 1…3 plus 0 times 4…6 (= Infinity).
    expect(got.slice(0, 3).every(Number.isNaN)).toBe(true);
    expect(Array.from(got.slice(6))).toEqual([Infinity, Infinity, Infinity]);
  });

  it('delegates float64 and int32 to the js kernel (bit-identical)', () => {
    const next = rng(5);
    const A = new Float64Array(35).map(() => next() - 0.5);
    const B = new Float64Array(35).map(() => next() - 0.5);
    const got = new Float64Array(25);
    const want = new Float64Array(25);
    backend.matmul(5, 5, 7, A, 0, 7, 1, B, 0, 5, 1, got, 0, false);
    matmulKernel(5, 5, 7, A, 0, 7, 1, B, 0, 5, 1, want, 0, false);
    expect(Array.from(got)).toEqual(Array.from(want));
    const Ai = new Int32Array([1, 2, 3, 4]);
    const Ci = new Int32Array(4);
    backend.matmul(2, 2, 2, Ai, 0, 2, 1, Ai, 0, 2, 1, Ci, 0, false);
    expect(Array.from(Ci)).toEqual([7, 10, 15, 22]);
  });
});

describe('wasm-resident operands (zero copy)', () => {
  const backend = load();

  it('reads and writes views on the kernel memory in place, with the same numbers', () => {
    const next = rng(11);
    const value = () => Math.floor(next() * 9) - 4;
    for (let t = 0; t < 20; t++) {
      const c = randomCase(next, value);
      const want = run(matmulKernel, c);
      const A = allocateInWasm('float32', c.A.data.length) as Float32Array;
      const B = allocateInWasm('float32', c.B.data.length) as Float32Array;
      const C = allocateInWasm('float32', c.C0.length) as Float32Array;
      expect(A.buffer).toBeInstanceOf(SharedArrayBuffer);
      A.set(c.A.data);
      B.set(c.B.data);
      C.set(c.C0);
      backend.matmul(
        c.M,
        c.N,
        c.K,
        A,
        c.A.offset,
        c.A.rowStride,
        c.A.colStride,
        B,
        c.B.offset,
        c.B.rowStride,
        c.B.colStride,
        C,
        c.cOffset,
        c.accumulate,
      );
      expect(Array.from(C)).toEqual(Array.from(want));
    }
  });

  it('stays correct when C overlaps an operand in the kernel memory', () => {
    // X (2×2) ← X·X, X in wasm memory: the kernel must not read the half-written C.
    const X = allocateInWasm('float32', 4) as Float32Array;
    X.set([1, 2, 3, 4]);
    backend.matmul(2, 2, 2, X, 0, 2, 1, X, 0, 2, 1, X, 0, false);
    expect(Array.from(X)).toEqual([7, 10, 15, 22]);
  });

  it('keeps allocated views valid when the memory grows (shared memory)', () => {
    const first = allocateInWasm('float32', 8) as Float32Array;
    first.set([1, 2, 3, 4, 5, 6, 7, 8]);
    const pages = (wasmMemory() as WasmMemory).buffer.byteLength / 65536;
    allocateInWasm('float32', pages * 65536); // forces growth
    expect(Array.from(first)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const C = new Float32Array(4);
    backend.matmul(2, 2, 2, first, 0, 2, 1, first, 4, 2, 1, C, 0, false);
    // [[1,2],[3,4]]·[[5,6],[7,8]]
    expect(Array.from(C)).toEqual([19, 22, 43, 50]);
  });

  it('rejects a bad length and names the limit when memory runs out', () => {
    const kept = allocateInWasm('float32', 3) as Float32Array;
    kept.set([1, 2, 3]);
    expect(() => allocateInWasm('float32', -1)).toThrow(/non-negative integer, got -1/);
    expect(() => allocateInWasm('float64', 2 ** 30)).toThrow(
      /out of memory: a float64 tensor of 1073741824 elements .*4294967296 bytes/,
    );
    // Existing arrays are untouched by the failed allocation.
    expect(Array.from(kept)).toEqual([1, 2, 3]);
  });
});

describe('wasm matmul: A read in place (narrow C) or packed by transposes (row-major A)', () => {
  // A row-major A is read unpacked when N ≤ 128 (tileDirect), else packed by 4×4 transposes; the
  // same A stored transposed is packed by vector copies. Same products in the same order: the
  // results must be the same bits, for both builds.
  const builds = wasmFeatures().relaxedSimd ? [false, true] : [false];
  for (const relaxed of builds) {
    it(`gives the same bits for every layout of A (lecture shapes, partial tiles, K blocks, accumulate)${relaxed ? ', relaxed' : ''}`, () => {
      const backend = load(relaxed);
      const next = rng(77);
      for (const [M, N, K] of [
        [256, 27, 200],
        [257, 30, 300],
        [3, 5, 7],
        [130, 128, 31],
        // Wider C: A packed, a row-major A by 4×4 transposes (K not a multiple of 4, K blocks).
        [70, 200, 37],
        [129, 136, 300],
      ]) {
        const A = Float32Array.from({ length: M * K }, () => next() * 2 - 1);
        const At = new Float32Array(M * K);
        for (let i = 0; i < M; i++) for (let k = 0; k < K; k++) At[k * M + i] = A[i * K + k];
        const B = Float32Array.from({ length: K * N }, () => next() * 2 - 1);
        for (const accumulate of [false, true]) {
          const C0 = Float32Array.from({ length: M * N }, () => next());
          const direct = C0.slice();
          const packed = C0.slice();
          backend.matmul(M, N, K, A, 0, K, 1, B, 0, N, 1, direct, 0, accumulate);
          backend.matmul(M, N, K, At, 0, 1, M, B, 0, N, 1, packed, 0, accumulate);
          expect(Array.from(direct), `${M}×${K}·${K}×${N} accumulate=${accumulate}`).toEqual(
            Array.from(packed),
          );
          const c = {
            M,
            N,
            K,
            A: { data: A, offset: 0, rowStride: K, colStride: 1 },
            B: { data: B, offset: 0, rowStride: N, colStride: 1 },
            C0,
            cOffset: 0,
            accumulate,
          };
          expect(errorInBounds(backend.matmul, c)).toBeLessThanOrEqual(1);
        }
      }
    });
  }
});
