/**
 * The wasm backend on a non-shared memory (a browser page that is not cross-origin isolated): growing
 * the memory detaches every older view, so the kernels must keep working on copies and on fresh
 * views after growth. Simulated here by hiding SharedArrayBuffer before the runtime first loads.
 */
import { afterAll, describe, expect, it, vi } from 'vitest';
import { crossEntropyBackward, crossEntropyForward } from '../cross-entropy.js';
import { softmax } from '../softmax.js';
import { expectWithinUlps } from './check.js';

vi.stubGlobal('SharedArrayBuffer', undefined);
const wasm = await import('./index.js');
afterAll(() => {
  vi.unstubAllGlobals();
});

describe('wasm backend on a non-shared memory', () => {
  it('loads on a plain memory and keeps results right across memory growth', () => {
    const backend = wasm.loadWasmBackend({ relaxedSimd: false });
    if ('error' in backend) throw new Error(backend.error);
    expect(wasm.wasmMemoryIsShared()).toBe(false);
    const rows = 64;
    const C = 27;
    const x = Float32Array.from({ length: rows * C }, (_, i) => Math.sin(i) * 4);
    const targets = Int32Array.from({ length: rows }, (_, i) => (i * 5) % C);
    const reference = () => {
      const saved = { expShifted: new Float32Array(rows * C), inverseSum: new Float64Array(rows) };
      const losses = new Float32Array(rows);
      const r = crossEntropyForward(x, rows, C, targets, -100, 0, saved, losses);
      const dx = new Float32Array(rows * C);
      crossEntropyBackward(
        Float64Array.of(1),
        false,
        r.count,
        rows,
        C,
        targets,
        -100,
        0,
        saved,
        dx,
      );
      const sm = new Float32Array(rows * C);
      softmax(x, 0, sm, rows, C, 1, true);
      return { ...r, losses, dx, sm };
    };
    const run = () => {
      const saved = { expShifted: new Float32Array(rows * C), inverseSum: new Float64Array(rows) };
      const losses = new Float32Array(rows);
      const r = backend.crossEntropyForward(x, rows, C, targets, -100, 0, saved, losses);
      const dx = new Float32Array(rows * C);
      backend.crossEntropyBackward(
        Float64Array.of(1),
        false,
        r.count,
        rows,
        C,
        targets,
        -100,
        0,
        saved,
        dx,
      );
      const sm = new Float32Array(rows * C);
      backend.softmax(x, 0, sm, rows, C, 1, true);
      return { ...r, losses, dx, sm };
    };
    const want = reference();
    const first = run();
    // Grow the memory: every older view on it is detached (length 0).
    const before = wasm.allocateInWasm('float32', 16);
    wasm.allocateInWasm('float32', 4 << 20);
    expect(before.length).toBe(0);
    const second = run();
    // The same numbers before and after the growth, and js's within float32 tolerance (the
    // float32-lane exp: nn.test.ts has the bounds).
    expect(second.total).toBe(first.total);
    expect(Array.from(second.losses)).toEqual(Array.from(first.losses));
    expect(Array.from(second.dx)).toEqual(Array.from(first.dx));
    expect(Array.from(second.sm)).toEqual(Array.from(first.sm));
    expect(Math.abs(first.total - want.total)).toBeLessThanOrEqual(1.2e-7 * want.count);
    expectWithinUlps(first.losses, want.losses, 1, 'losses', () => 1.2e-7);
    expectWithinUlps(first.sm, want.sm, 1, 'log-softmax', () => 1.2e-7);
    expectWithinUlps(first.dx, want.dx, 2, 'dx', () => 4 * 2 ** -24);
  });
});
