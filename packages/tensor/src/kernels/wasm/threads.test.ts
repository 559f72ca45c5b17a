import { afterAll, describe, expect, it } from 'vitest';
import { matmulKernel } from '../matmul.js';
import { type Case, randomCase, randomView, rng, run } from './check.js';
import { loadWasmBackend, startWasmThreads, stopWasmThreads, wasmThreadCount } from './index.js';

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

  it('keeps small products on the calling thread and rejects a bad thread count', async () => {
    await expect(startWasmThreads(0)).rejects.toThrow(/positive integer, got 0/);
    expect(await startWasmThreads(1)).toBe(1);
    expect(wasmThreadCount()).toBe(1);
  });
});
