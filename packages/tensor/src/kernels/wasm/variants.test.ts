// Every build of the kernels: plain SIMD and relaxed SIMD (fused multiply-add), each for a shared and a
// non-shared memory. Node 20 hides relaxed SIMD behind a V8 flag; it is switched on here, at run time,
// before anything is compiled (V8 flags are per process: this file runs in its own worker).
import { setFlagsFromString } from 'node:v8';
import { beforeAll, describe, expect, it } from 'vitest';
import { matmulKernel } from '../matmul.js';
import {
  MAXIMUM_PAGES,
  relaxedShared,
  relaxedUnshared,
  simdShared,
  simdUnshared,
} from './binary.generated.js';
import { errorInBounds, randomCase, rng, run } from './check.js';
import { loadWasmBackend, wasmFeatures } from './index.js';
import type { KernelExports } from './runtime.js';
import { webAssembly } from './webassembly.js';

const api = webAssembly() as NonNullable<ReturnType<typeof webAssembly>>;

beforeAll(() => {
  if (!wasmFeatures().relaxedSimd) setFlagsFromString('--experimental-wasm-relaxed-simd');
});

function decode(base64: string): Uint8Array {
  return Uint8Array.from(atob(base64), (ch) => ch.charCodeAt(0));
}

describe('each kernel binary on its own memory', () => {
  const builds = { simdShared, simdUnshared, relaxedShared, relaxedUnshared };
  for (const [name, base64] of Object.entries(builds)) {
    it(`${name}: a 13×11·11×9 product equals the js kernel on integers`, () => {
      const shared = name.endsWith('Shared') && !name.endsWith('Unshared');
      const memory = new api.Memory({
        initial: 4,
        maximum: MAXIMUM_PAGES,
        shared,
      });
      const instance = new api.Instance(new api.Module(decode(base64)), { env: { memory } });
      const k = instance.exports as unknown as KernelExports;
      expect(memory.buffer instanceof SharedArrayBuffer).toBe(shared);
      const [M, N, K] = [13, 9, 11];
      const heap = new Float32Array(memory.buffer);
      const A = new Float32Array(M * K).map((_, i) => (i % 7) - 3);
      const B = new Float32Array(K * N).map((_, i) => (i % 5) - 2);
      const a = 1024;
      const b = a + 4096;
      const c = b + 4096;
      const pa = c + 4096;
      const pb = pa + k.packASize(M, K) * 4;
      const edge = pb + k.packBSize(N, K) * 4;
      heap.set(A, a / 4);
      heap.set(B, b / 4);
      k.matmulF32(M, N, K, a, K, 1, b, N, 1, c, 0, pa, pb, edge);
      const want = new Float32Array(M * N);
      matmulKernel(M, N, K, A, 0, K, 1, B, 0, N, 1, want, 0, false);
      expect(Array.from(heap.subarray(c / 4, c / 4 + M * N))).toEqual(Array.from(want));
    });
  }
});

describe('relaxed-SIMD backend (fused multiply-add)', () => {
  it('is detected once the runtime allows it', () => {
    expect(wasmFeatures()).toEqual({ simd: true, relaxedSimd: true });
  });

  it('agrees with the js kernel within float32 tolerance on 200 random cases', () => {
    const backend = loadWasmBackend({ relaxedSimd: true });
    if ('error' in backend) throw new Error(backend.error);
    const next = rng(4321);
    const value = () => next() * 2 - 1;
    for (let t = 0; t < 200; t++) {
      const c = randomCase(next, value);
      expect(errorInBounds(backend.matmul, c)).toBeLessThanOrEqual(1);
    }
  });

  it('is exact on small integers and is the default when available', () => {
    const backend = loadWasmBackend();
    if ('error' in backend) throw new Error(backend.error);
    const relaxed = loadWasmBackend({ relaxedSimd: true });
    if ('error' in relaxed) throw new Error(relaxed.error);
    const next = rng(8);
    const value = () => Math.floor(next() * 9) - 4;
    for (let t = 0; t < 50; t++) {
      const c = randomCase(next, value);
      expect(Array.from(run(backend.matmul, c))).toEqual(Array.from(run(matmulKernel, c)));
    }
    // Fused and unfused sums differ in the last bits on random data: the default is the fused one.
    const next2 = rng(3);
    const c = randomCase(next2, () => next2() * 2 - 1, 70);
    const plain = loadWasmBackend({ relaxedSimd: false });
    if ('error' in plain) throw new Error(plain.error);
    const fused = run(relaxed.matmul, c);
    expect(run(backend.matmul, c)).toEqual(fused);
    expect(run(plain.matmul, c)).not.toEqual(fused);
  });
});
