import { join } from 'node:path';
import { loadCheckpoint } from '@llm-playground/makemore';
import { getBackend, setBackend, wasmFeatures } from '@llm-playground/tensor';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { UsageError } from '../errors.js';
import { bufferIO } from '../io.js';
import { describeBackend, readBackend, useBackend } from './backend-flag.js';
import { lmp, wordsDirectory } from './test-words.js';

// Whether this runtime can run the wasm backend at all (Node 20: yes, WebAssembly SIMD).
const wasmLoads = setBackend('wasm').name === 'wasm';
setBackend('js');

afterEach(() => {
  setBackend('js');
  vi.unstubAllEnvs();
});

describe('readBackend', () => {
  it('takes --backend, else LMP_BACKEND, else js', () => {
    expect(readBackend({}, 'train', {})).toBe('js');
    expect(readBackend({}, 'train', { LMP_BACKEND: '' })).toBe('js');
    expect(readBackend({}, 'train', { LMP_BACKEND: 'wasm' })).toBe('wasm');
    expect(readBackend({ backend: 'js' }, 'train', { LMP_BACKEND: 'wasm' })).toBe('js');
    // The flag wins over a bad environment value.
    expect(readBackend({ backend: 'wasm' }, 'train', { LMP_BACKEND: 'cuda' })).toBe('wasm');
  });

  it('names where a bad value came from', () => {
    expect(() => readBackend({ backend: 'foo' }, 'train', {})).toThrow(
      new UsageError("--backend must be js or wasm, got 'foo'", 'train'),
    );
    expect(() => readBackend({}, 'eval', { LMP_BACKEND: 'gpu' })).toThrow(
      "the environment variable LMP_BACKEND must be js or wasm, got 'gpu'; set it to js or wasm, or unset it",
    );
  });
});

describe('useBackend', () => {
  it("turns tensor's fallback warning into one lmp line, every time, and passes other warnings on", () => {
    const passed: string[] = [];
    const original = console.warn;
    console.warn = (...args: unknown[]) => passed.push(args.join(' '));
    try {
      // A stand-in for setBackend on a runtime without SIMD: tensor warns (once) and stays on js.
      let calls = 0;
      const select = () => {
        if (calls++ === 0) {
          console.warn(
            '@llm-playground/tensor: the wasm backend is unavailable (CompileError: WebAssembly.Module(): invalid SIMD opcode\n    at line 2); using js',
          );
          console.warn('an unrelated warning');
        }
        return { name: 'js' };
      };
      const io = bufferIO();
      expect(useBackend('wasm', io, select)).toBe('js');
      expect(useBackend('wasm', io, select)).toBe('js');
      const line =
        'lmp: warning: the wasm backend cannot run here (CompileError: WebAssembly.Module(): invalid SIMD opcode); using js (same numbers, slower)\n';
      expect(io.err()).toBe(line + line);
      expect(passed).toEqual(['an unrelated warning']);
    } finally {
      console.warn = original;
    }
  });

  it('keeps the current backend when none is given', () => {
    expect(useBackend(undefined, bufferIO())).toBe('js');
    expect(getBackend().name).toBe('js');
  });
});

describe('describeBackend', () => {
  it("names the wasm build from tensor's own probe (wasmFeatures), js as js", () => {
    expect(describeBackend('js')).toBe('js');
    // Node 20 validates SIMD but not relaxed SIMD unless --experimental-wasm-relaxed-simd is set.
    const { relaxedSimd } = wasmFeatures();
    expect(describeBackend('wasm')).toBe(relaxedSimd ? 'wasm (SIMD, relaxed FMA)' : 'wasm (SIMD)');
    // The probe is asked on every call: a runtime that stops validating it stops being named.
    const api = (globalThis as unknown as { WebAssembly: { validate(bytes: Uint8Array): boolean } })
      .WebAssembly;
    const validate = vi.spyOn(api, 'validate').mockReturnValue(false);
    try {
      expect(wasmFeatures()).toEqual({ simd: false, relaxedSimd: false });
      expect(describeBackend('wasm')).toBe('wasm (SIMD)');
    } finally {
      validate.mockRestore();
    }
  });
});

describe('lmp --backend', () => {
  const SMALL = ['-i', 'words.txt', '--n-embd', '4', '--n-hidden', '32', '--batch-size', '16'];

  it.skipIf(!wasmLoads)(
    'reaches getBackend(); 200 steps on wasm end within float32 drift of js (|Δ| < 1e-3)',
    async () => {
      const cwd = wordsDirectory();
      const train = async (backend: string) => {
        const args = ['train', ...SMALL, '--steps', '200', '--samples', '0', '-o', backend];
        const result = await lmp([...args, '--backend', backend], { cwd });
        const final = loadCheckpoint(join(cwd, backend)).metadata.final;
        return { ...result, name: getBackend().name, final: JSON.parse(final) };
      };
      const js = await train('js');
      expect(js.name).toBe('js');
      const wasm = await train('wasm');
      expect(wasm.name).toBe('wasm');
      for (const { code, err } of [js, wasm]) expect([code, err]).toEqual([0, '']);
      expect(js.out).toMatch(/, seed 2147483647, backend js\n/);
      expect(wasm.out).toMatch(/, seed 2147483647, backend wasm \(SIMD(, relaxed FMA)?\)\n/);
      for (const split of ['train', 'dev', 'test']) {
        expect(js.final[split]).toBeGreaterThan(1); // trained, not NaN: a real comparison
        expect(Math.abs(wasm.final[split] - js.final[split])).toBeLessThan(1e-3);
      }
      // eval and sample name a backend other than js in their first line.
      const evaluated = await lmp(['eval', '--from', 'wasm', '--backend', 'wasm'], { cwd });
      expect(evaluated.out.split('\n')[0]).toMatch(/^mlp at step 200 from wasm, backend wasm \(/);
      vi.stubEnv('LMP_BACKEND', 'wasm'); // the fallback when there is no flag
      const sampled = await lmp(['sample', '--from', 'js', '-n', '2'], { cwd });
      expect(sampled.out).toMatch(/^2 samples \(mlp at step 200, seed 2147483657, backend wasm /);
      expect(getBackend().name).toBe('wasm');
    },
  );

  it('refuses an unknown backend with one usage line (exit 2), in every tensor command', async () => {
    for (const command of ['train', 'lr-find', 'bigram', 'eval --from x', 'sample --from x']) {
      const { code, out, err } = await lmp([...command.split(' '), '--backend', 'foo']);
      const name = command.split(' ')[0];
      expect([code, out, err]).toEqual([
        2,
        '',
        `lmp: error: --backend must be js or wasm, got 'foo' (see 'lmp ${name} --help')\n`,
      ]);
    }
    vi.stubEnv('LMP_BACKEND', 'foo');
    const { code, err } = await lmp(['bigram', '-n', '0']);
    expect(code).toBe(2);
    expect(err).toMatch(/^lmp: error: the environment variable LMP_BACKEND must be js or wasm/);
  });

  it('is in the help of train, with the default and an example', async () => {
    const { out } = await lmp(['train', '--help']);
    expect(out).toMatch(/--backend NAME +tensor kernels: js .* \(default: js, or \$LMP_BACKEND\)/);
    expect(out).toContain('lmp train --backend wasm');
  });
});
