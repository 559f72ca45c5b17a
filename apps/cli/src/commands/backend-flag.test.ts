import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { loadCheckpoint } from '@llm-playground/makemore';
import {
  enableRelaxedSimd,
  getBackend,
  setBackend,
  wasmFeatures,
  wasmThreadCount,
} from '@llm-playground/tensor';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { UsageError } from '../errors.js';
import { bufferIO } from '../io.js';
import {
  defaultThreads,
  describeBackend,
  readBackend,
  readBackendOptions,
  useBackend,
  withBackend,
} from './backend-flag.js';
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

describe('readBackendOptions', () => {
  const wasm = { backend: 'wasm' };

  it('on wasm: --threads, else LMP_THREADS, else the cores up to 4; FMA unless --no-fma', () => {
    expect(readBackendOptions(wasm, 'train', {}, 2)).toEqual({
      backend: 'wasm',
      threads: 2,
      fma: true,
    });
    expect(readBackendOptions(wasm, 'train', {}, 1).threads).toBe(1);
    expect(readBackendOptions(wasm, 'train', {}, 16).threads).toBe(4);
    expect(readBackendOptions(wasm, 'train', {}).threads).toBe(Math.min(4, availableParallelism()));
    expect(defaultThreads(3)).toBe(3);
    expect(readBackendOptions(wasm, 'train', { LMP_THREADS: '3' }, 2).threads).toBe(3);
    expect(readBackendOptions(wasm, 'train', { LMP_THREADS: '' }, 2).threads).toBe(2);
    expect(
      readBackendOptions({ ...wasm, threads: ' 1 ' }, 'train', { LMP_THREADS: '3' }).threads,
    ).toBe(1);
    expect(readBackendOptions({ ...wasm, 'no-fma': true }, 'train', {}, 2)).toEqual({
      backend: 'wasm',
      threads: 2,
      fma: false,
    });
    // LMP_BACKEND=wasm LMP_THREADS=2 without flags.
    expect(readBackendOptions({}, 'eval', { LMP_BACKEND: 'wasm', LMP_THREADS: '2' }, 8)).toEqual({
      backend: 'wasm',
      threads: 2,
      fma: true,
    });
  });

  it('on js: neither; LMP_THREADS is ignored there, the flags are usage errors', () => {
    expect(readBackendOptions({}, 'train', { LMP_THREADS: 'abc' })).toEqual({ backend: 'js' });
    expect(() => readBackendOptions({ threads: '2' }, 'train', {})).toThrow(
      new UsageError(
        '--threads 2 needs the wasm backend: add --backend wasm (js runs on one thread, and has no fused multiply-add)',
        'train',
      ),
    );
    expect(() =>
      readBackendOptions({ 'no-fma': true }, 'eval', { LMP_BACKEND: 'js', LMP_THREADS: '2' }),
    ).toThrow(/^--no-fma needs the wasm backend: add --backend wasm/);
  });

  it('refuses a thread count that is not a whole number from 1 to 64, naming where it came from', () => {
    for (const bad of ['0', '-1', '1.5', 'abc', '65', '', '2e0', '0x2']) {
      expect(() => readBackendOptions({ ...wasm, threads: bad }, 'train', {})).toThrow(
        new UsageError(`--threads must be a whole number from 1 to 64, got '${bad}'`, 'train'),
      );
    }
    expect(() => readBackendOptions(wasm, 'sample', { LMP_THREADS: '0' })).toThrow(
      new UsageError(
        "the environment variable LMP_THREADS must be a whole number from 1 to 64, got '0'; set it to a whole number or unset it",
        'sample',
      ),
    );
  });
});

describe('lmp train --backend wasm --threads N, --no-fma', () => {
  // Products above the pool's threshold (2¹⁸ multiply-adds), so that 2 threads share them: the
  // 38 words' ~290 training examples in one batch, [290, 30]·[30, 512] ≈ 4.5M in the first layer.
  const BIG = ['-i', 'words.txt', '--n-hidden', '512', '--batch-size', '512', '--steps', '10'];

  it.skipIf(!wasmLoads)(
    'trains to the same bytes on 1 and 2 threads; FMA within 1e-5 of plain SIMD',
    async () => {
      const cwd = wordsDirectory();
      const train = async (out: string, ...flags: string[]) => {
        const args = ['train', ...BIG, '--samples', '0', '-o', out, '--backend', 'wasm'];
        const { code, out: text, err } = await lmp([...args, ...flags], { cwd });
        expect([code, err]).toEqual([0, '']);
        expect(wasmThreadCount()).toBe(1); // the pool stops with the command
        return {
          backend: /, backend (.*)\n/.exec(text)?.[1],
          final: JSON.parse(loadCheckpoint(join(cwd, out)).metadata.final),
          weights: readFileSync(join(cwd, out, 'model.safetensors')),
        };
      };
      const plain1 = await train('plain1', '--threads', '1', '--no-fma');
      const plain2 = await train('plain2', '--threads', '2', '--no-fma');
      const fma2 = await train('fma2', '--threads', '2');
      const fma1 = await train('fma1', '--threads', '1');
      // --no-fma after FMA in the same process: the plain build again, the same bytes.
      const plain3 = await train('plain3', '--threads', '2', '--no-fma');
      expect(plain3.weights.equals(plain1.weights)).toBe(true);
      expect(plain3.backend).toBe('wasm (SIMD, 2 threads)');
      const fma = wasmFeatures().relaxedSimd; // turned on by the third run where V8 has it
      expect([plain1, plain2, fma2, fma1].map((run) => run.backend)).toEqual([
        'wasm (SIMD, 1 thread)',
        'wasm (SIMD, 2 threads)',
        `wasm (SIMD${fma ? ', FMA' : ''}, 2 threads)`,
        `wasm (SIMD${fma ? ', FMA' : ''}, 1 thread)`,
      ]);
      // Threads: bit-identical weights and losses.
      expect(plain2.weights.equals(plain1.weights)).toBe(true);
      expect(fma1.weights.equals(fma2.weights)).toBe(true);
      expect(plain2.final).toEqual(plain1.final);
      expect(fma1.final).toEqual(fma2.final);
      // FMA: other last bits (where the runtime has it), the same losses within 1e-5.
      expect(fma2.weights.equals(plain2.weights)).toBe(!fma);
      for (const split of ['train', 'dev', 'test']) {
        expect(plain1.final[split]).toBeGreaterThan(1); // trained, not NaN
        expect(Math.abs(fma2.final[split] - plain2.final[split])).toBeLessThan(1e-5);
      }
    },
  );
});

describe('withBackend', () => {
  it.skipIf(!wasmLoads)(
    'runs the body on the pool and stops it after, also when the body throws',
    async () => {
      const io = bufferIO();
      const inside = async (described: string) => [described, wasmThreadCount()];
      const fma = () => (wasmFeatures().relaxedSimd ? ', FMA' : '');
      expect(await withBackend({ backend: 'wasm', threads: 2 }, io, inside)).toEqual([
        `wasm (SIMD${fma()}, 2 threads)`,
        2,
      ]);
      expect(wasmThreadCount()).toBe(1);
      const failure = new Error('diverged');
      const throwing = async () => {
        expect(wasmThreadCount()).toBe(2);
        throw failure;
      };
      await expect(withBackend({ backend: 'wasm', threads: 2 }, io, throwing)).rejects.toBe(
        failure,
      );
      expect(wasmThreadCount()).toBe(1);
      expect(await withBackend({ backend: 'js' }, io, inside)).toEqual(['js', 1]);
      expect(getBackend().name).toBe('js');
      expect(io.err()).toBe('');
      // More threads than cores: a warning, then the threads anyway.
      const more = availableParallelism() + 1;
      expect(await withBackend({ backend: 'wasm', threads: more }, io, inside)).toEqual([
        `wasm (SIMD${fma()}, ${more} threads)`,
        more,
      ]);
      const cores = availableParallelism();
      const expected = `lmp: warning: --threads ${more} is more than the ${cores} cores here: slower\n`;
      expect(io.err()).toBe(expected);
      // --no-fma after FMA in one process: the plain build, no warning.
      expect(await withBackend({ backend: 'wasm', threads: 1, fma: false }, io, inside)).toEqual([
        'wasm (SIMD, 1 thread)',
        1,
      ]);
      expect(io.err()).toBe(expected);
    },
  );
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
  it('names the wasm build tensor runs (relaxedSimdInUse) and the threads, js as js', () => {
    expect(describeBackend('js')).toBe('js');
    expect(describeBackend('js', 2)).toBe('js');
    enableRelaxedSimd(false);
    expect(describeBackend('wasm')).toBe(`wasm (SIMD, ${wasmThreadCount()} thread)`);
    expect(describeBackend('wasm', 2)).toBe('wasm (SIMD, 2 threads)');
    // Node 20 has relaxed SIMD behind a V8 flag, which enableRelaxedSimd sets.
    const fma = enableRelaxedSimd() ? ', FMA' : '';
    expect(fma).toBe(wasmFeatures().relaxedSimd ? ', FMA' : '');
    expect(describeBackend('wasm', 2)).toBe(`wasm (SIMD${fma}, 2 threads)`);
    enableRelaxedSimd(false);
    expect(describeBackend('wasm', 1)).toBe('wasm (SIMD, 1 thread)');
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
      expect(wasm.out).toMatch(/, seed 2147483647, backend wasm \(SIMD(, FMA)?, \d threads?\)\n/);
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

  it('refuses a bad --threads, and --threads or --no-fma on js, in every tensor command', async () => {
    for (const command of [
      'train',
      'lr-find',
      'bigram',
      'eval --from x',
      'sample --from x',
      'generate --from x',
    ]) {
      const name = command.split(' ')[0];
      const help = ` (see 'lmp ${name} --help')\n`;
      for (const bad of ['0', '-1', '1.5', 'abc']) {
        const result = await lmp([...command.split(' '), '--backend', 'wasm', '--threads', bad]);
        expect([result.code, result.out, result.err]).toEqual([
          2,
          '',
          `lmp: error: --threads must be a whole number from 1 to 64, got '${bad}'${help}`,
        ]);
      }
      const js = await lmp([...command.split(' '), '--no-fma']);
      expect([js.code, js.err]).toEqual([
        2,
        `lmp: error: --no-fma needs the wasm backend: add --backend wasm (js runs on one thread, and has no fused multiply-add)${help}`,
      ]);
    }
  });

  it('is in the help of train, with the default and an example', async () => {
    const { out } = await lmp(['train', '--help']);
    expect(out).toMatch(/--backend NAME +tensor kernels: js .* \(default: js, or \$LMP_BACKEND\)/);
    expect(out).toContain('lmp train --backend wasm');
    expect(out).toMatch(
      /--threads N +threads of the wasm backend .* \(default: \$LMP_THREADS, else the cores up to 4: \d+ here\)/,
    );
    expect(out).toMatch(/--no-fma +wasm without relaxed SIMD's fused multiply-add/);
    expect(out).toContain('lmp train -m gpt --preset cpu --backend wasm --threads 2');
  });
});
