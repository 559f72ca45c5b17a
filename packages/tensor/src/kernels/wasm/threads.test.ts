import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { matmulKernel } from '../matmul.js';
import { type Case, randomCase, randomView, rng, run } from './check.js';
import { loadWasmBackend, startWasmThreads, stopWasmThreads, wasmThreadCount } from './index.js';
import { browserThreadsUnavailable, stolenParts } from './threads.js';

const backend = (() => {
  const loaded = loadWasmBackend({ relaxedSimd: false });
  if ('error' in loaded) throw new Error(loaded.error);
  return loaded;
})();

afterAll(async () => {
  await stopWasmThreads();
});

function cases(): Case[] {
  const next = rng(2024);
  const value = () => next() * 2 - 1;
  const out: Case[] = [];
  for (let t = 0; t < 40; t++) out.push(randomCase(next, value));
  // Larger ones crossing the M (128) and K (256) blocks.
  for (const [M, N, K] of [
    [300, 40, 300],
    [129, 70, 513],
    [1000, 9, 20],
  ]) {
    const c = randomCase(next, value);
    out.push({
      ...c,
      M,
      N,
      K,
      A: randomView(M, K, next, value),
      B: randomView(K, N, next, value),
      C0: new Float32Array(c.cOffset + M * N + 2).map(value),
    });
  }
  return out;
}

describe('wasm matmul on worker threads', () => {
  it('gives bit-identical results on 1, 2 and 3 threads', async () => {
    const all = cases();
    const single = all.map((c) => run(backend.matmul, c));
    expect(wasmThreadCount()).toBe(1);
    for (const threads of [2, 3]) {
      expect(await startWasmThreads(threads, { minMacs: 0 })).toBe(threads);
      expect(wasmThreadCount()).toBe(threads);
      all.forEach((c, i) => {
        const got = run(backend.matmul, c);
        const want = single[i];
        for (let j = 0; j < got.length; j++) {
          if (!Object.is(got[j], want[j])) {
            throw new Error(
              `${threads} threads, case ${i} (${c.M}×${c.K}·${c.K}×${c.N}): element ${j} is ${got[j]}, one thread gives ${want[j]}`,
            );
          }
        }
      });
    }
    // And the threaded product is still the product (exact on integers).
    const next = rng(5);
    const c = randomCase(next, () => Math.floor(next() * 9) - 4);
    expect(Array.from(run(backend.matmul, c))).toEqual(Array.from(run(matmulKernel, c)));
    await stopWasmThreads();
    expect(wasmThreadCount()).toBe(1);
  });

  it('takes back the part of a worker that has not started it, with the same bits', async () => {
    // The worker sleeps in Atomics.wait once its polling ends (~120 µs); a wake-up takes longer
    // than the caller's share of a tiny product, so the caller takes the worker's part back.
    const next = rng(9);
    const value = () => Math.floor(next() * 9) - 4;
    const c = {
      ...randomCase(next, value),
      M: 16,
      N: 8,
      K: 8,
      A: randomView(16, 8, next, value),
      B: randomView(8, 8, next, value),
      C0: new Float32Array(16 * 8 + 4).map(value),
      cOffset: 1,
    };
    const want = run(matmulKernel, c); // small integers: exact in any order
    expect(await startWasmThreads(2, { minMacs: 0 })).toBe(2);
    const pause = new Int32Array(new SharedArrayBuffer(4));
    const before = stolenParts();
    for (let i = 0; i < 40; i++) {
      Atomics.wait(pause, 0, 0, 3); // let the worker fall asleep
      expect(Array.from(run(backend.matmul, c))).toEqual(Array.from(want));
    }
    expect(stolenParts() - before).toBeGreaterThan(0);
    // And a busy worker (no pause) still computes correctly.
    for (let i = 0; i < 40; i++)
      expect(Array.from(run(backend.matmul, c))).toEqual(Array.from(want));
    await stopWasmThreads();
  });

  it('keeps small products on the calling thread and rejects a bad thread count', async () => {
    await expect(startWasmThreads(0)).rejects.toThrow(/positive integer, got 0/);
    expect(await startWasmThreads(1)).toBe(1);
    expect(wasmThreadCount()).toBe(1);
  });
});

describe('browser threads: where they can start', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });
  // Checked for real in Chromium (a module-free classic Worker from a Blob URL, inside a dedicated
  // Worker of a COOP/COEP page: 2 threads, bit-identical results); here the decision itself.
  const worker = function Worker() {};
  const blob = function Blob() {};

  it('says why not: no Worker (Node), main thread, shared/service worker, not isolated', () => {
    expect(browserThreadsUnavailable()).toMatch(/no Worker/);
    vi.stubGlobal('Worker', worker);
    vi.stubGlobal('Blob', blob);
    vi.stubGlobal('document', {});
    expect(browserThreadsUnavailable()).toMatch(/main thread may not block in Atomics.wait/);
    vi.stubGlobal('document', undefined);
    expect(browserThreadsUnavailable()).toMatch(/dedicated Worker/);
    vi.stubGlobal('DedicatedWorkerGlobalScope', function DedicatedWorkerGlobalScope() {});
    vi.stubGlobal('crossOriginIsolated', false);
    expect(browserThreadsUnavailable()).toMatch(/not cross-origin isolated .*COOP.*COEP/);
    vi.stubGlobal('crossOriginIsolated', true);
    expect(browserThreadsUnavailable()).toBeNull();
  });
});
