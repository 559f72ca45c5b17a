import { afterEach, describe, expect, it, vi } from 'vitest';
import { getBackend, setBackend } from './backend.js';
import { tensor } from './creation.js';
import { jsBackend } from './kernels/backend.js';
import { loadWasmBackend } from './kernels/wasm/index.js';
import type { Tensor } from './tensor.js';

const initial = getBackend().name as 'js' | 'wasm';
afterEach(() => {
  setBackend(initial);
  vi.restoreAllMocks();
});

const wasmLoads = !('error' in loadWasmBackend());

describe('setBackend / getBackend', () => {
  it('starts on LMP_BACKEND (js when unset)', () => {
    const requested = process.env.LMP_BACKEND;
    const expected = requested === 'wasm' && wasmLoads ? 'wasm' : 'js';
    expect(initial).toBe(expected);
  });

  it('switches to js and back; the ops call the current backend', () => {
    expect(setBackend('js')).toBe(jsBackend);
    expect(getBackend()).toBe(jsBackend);
    const spy = vi.spyOn(jsBackend, 'matmul');
    const a = tensor([[1, 2]], { dtype: 'float32' });
    expect(a.matmul(tensor([[3], [4]], { dtype: 'float32' })).item()).toBe(11);
    expect(spy).toHaveBeenCalledTimes(1);
  });

  it.skipIf(!wasmLoads)('switches to wasm, whose families default to the js kernels', () => {
    const wasm = setBackend('wasm');
    expect(wasm.name).toBe('wasm');
    expect(getBackend()).toBe(wasm);
    // The same object every time (loaded once).
    expect(setBackend('wasm')).toBe(wasm);
    for (const family of Object.keys(jsBackend)) {
      expect(typeof (wasm as unknown as Record<string, unknown>)[family]).toBe(
        typeof (jsBackend as unknown as Record<string, unknown>)[family],
      );
    }
    const a = tensor(
      [
        [1, 2],
        [3, 4],
      ],
      { dtype: 'float32', requiresGrad: true },
    );
    a.matmul(a).sum().backward();
    expect(a.grad?.tolist()).toEqual([
      [7, 11],
      [9, 13],
    ]);
  });

  it('an unknown name is an error naming the choices', () => {
    expect(() => setBackend('webgpu' as never)).toThrow(
      /setBackend\(\): unknown backend "webgpu"; expected one of 'js', 'wasm'/,
    );
  });
});

describe('mixing backends', () => {
  it.skipIf(!wasmLoads)(
    'a tensor made under one backend is a valid operand under the other',
    () => {
      setBackend('js');
      const a = tensor([1.5, -2, 3], { dtype: 'float32', requiresGrad: true });
      const y = a.tanh();
      setBackend('wasm');
      const z = y.mul(a).sum();
      setBackend('js');
      z.backward();
      const t = Math.tanh;
      const expected = [1.5, -2, 3].map((v) => t(v) + v * (1 - t(v) ** 2));
      ((a.grad as Tensor).tolist() as number[]).forEach((g, i) => {
        expect(g).toBeCloseTo(expected[i], 6);
      });
    },
  );
});
