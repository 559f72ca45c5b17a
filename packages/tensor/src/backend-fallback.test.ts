import { describe, expect, it, vi } from 'vitest';

// A runtime where the wasm backend cannot load (no WebAssembly, or no SIMD).
vi.mock('./kernels/wasm/index.js', () => ({
  loadWasmBackend: () => ({ error: 'WebAssembly SIMD is not supported here' }),
  wasmFeatures: () => ({ simd: false, relaxedSimd: false }),
}));

describe('setBackend when wasm cannot load', () => {
  it('stays on js, warns once with the reason, and never throws', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const { getBackend, setBackend } = await import('./backend.js');
    const { jsBackend } = await import('./kernels/backend.js');
    const { tensor } = await import('./creation.js');
    // Under LMP_BACKEND=wasm the warning was already given at start-up.
    const alreadyWarned = warn.mock.calls.length;
    expect(setBackend('wasm')).toBe(jsBackend);
    expect(setBackend('wasm')).toBe(jsBackend);
    expect(getBackend().name).toBe('js');
    const warnings = warn.mock.calls.filter((c) => String(c[0]).includes('wasm backend'));
    expect(warnings).toHaveLength(1);
    expect(String(warnings[0][0])).toContain('WebAssembly SIMD is not supported here');
    expect(alreadyWarned).toBeLessThanOrEqual(1);
    expect(tensor([1, 2]).sum().item()).toBe(3);
    warn.mockRestore();
  });
});
