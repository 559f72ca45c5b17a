// enableRelaxedSimd(): Node 20 hides relaxed SIMD behind a V8 flag, which the function turns on for the
// process (V8 flags are per process: vitest runs this file in its own child process).
import { describe, expect, it } from 'vitest';
import { enableRelaxedSimd, getBackend, relaxedSimdInUse, setBackend } from './backend.js';
import { tensor } from './creation.js';
import { wasmFeatures } from './kernels/wasm/index.js';

// Rows of A = [1 + 2⁻¹², 1 + 2⁻¹²], columns of B = [1 + 2⁻¹², −(1 + 2⁻¹²)]: each product is
// 1 + 2⁻¹¹ + 2⁻²⁴ exactly. Multiply, round, add (plain SIMD, js) gives 0; a fused multiply-add of
// the second product onto the rounded first gives −2⁻²⁴.
const e = 1 + 2 ** -12;
const product = () =>
  tensor(Array.from({ length: 8 }, () => [e, e]))
    .matmul(tensor([Array(16).fill(e), Array(16).fill(-e)]))
    .tolist() as number[][];

describe('enableRelaxedSimd', () => {
  // Node 20 without the flag (a runtime with relaxed SIMD already on has nothing to switch).
  it.skipIf(wasmFeatures().relaxedSimd)('switches the wasm backend to fused multiply-add', () => {
    setBackend('wasm');
    const plainBackend = getBackend();
    expect(plainBackend.name).toBe('wasm');
    const plain = product();
    expect(plain.flat().every((x) => x === 0)).toBe(true);
    setBackend('js');
    expect(product()).toEqual(plain);

    expect(enableRelaxedSimd()).toBe(true);
    expect(wasmFeatures().relaxedSimd).toBe(true);
    // js stays js until wasm is chosen again; then the relaxed build runs.
    expect(getBackend().name).toBe('js');
    setBackend('wasm');
    expect(getBackend()).not.toBe(plainBackend);
    const fused = product();
    expect(fused.flat().every((x) => x === -(2 ** -24))).toBe(true);
    // Idempotent: the same backend object stays current.
    const relaxed = getBackend();
    expect(enableRelaxedSimd()).toBe(true);
    expect(getBackend()).toBe(relaxed);
    setBackend('js');
  });
});

describe('enableRelaxedSimd(false)', () => {
  it('goes back to the plain-SIMD build, and relaxedSimdInUse says which build runs', () => {
    enableRelaxedSimd();
    setBackend('wasm');
    const relaxed = getBackend();
    expect(relaxedSimdInUse()).toBe(wasmFeatures().relaxedSimd);
    expect(enableRelaxedSimd(false)).toBe(false);
    expect(relaxedSimdInUse()).toBe(false);
    // The current backend was wasm: it is replaced by the plain build, whose products round twice.
    expect(getBackend().name).toBe('wasm');
    expect(getBackend()).not.toBe(relaxed);
    expect(
      product()
        .flat()
        .every((x) => x === 0),
    ).toBe(true);
    // And back: the fused multiply-add again.
    expect(enableRelaxedSimd()).toBe(true);
    expect(relaxedSimdInUse()).toBe(true);
    expect(
      product()
        .flat()
        .every((x) => x === -(2 ** -24)),
    ).toBe(true);
    setBackend('js');
  });
});
