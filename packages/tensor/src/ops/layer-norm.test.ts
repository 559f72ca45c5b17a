/**
 * layerNorm: PyTorch 1.13's values and gradients (`fixtures/torch-layer-norm.json`, from
 * `scripts/torch_layer_norm_fixtures.py`), float64 gradchecks, js = wasm bits, replay = eager, errors.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Generator } from '@llm-playground/core';
import { describe, expect, it } from 'vitest';
import { getBackend } from '../backend.js';
import { captureStep } from '../capture.js';
import { tensor } from '../creation.js';
import { jsBackend } from '../kernels/backend.js';
import { randn } from '../random.js';
import type { Tensor } from '../tensor.js';
import { assertGradcheck, expectClose } from '../testing/index.js';
import { layerNorm } from './activation.js';

type Ref = Record<'x' | 'w' | 'b' | 'up' | 'y' | 'dx' | 'dw' | 'db' | 'y2' | 'dx2', number[]>;
const here = dirname(fileURLToPath(import.meta.url));
const fixtures: Record<string, Ref> = JSON.parse(
  readFileSync(join(here, '..', 'fixtures', 'torch-layer-norm.json'), 'utf8'),
);
const flat = (t: Tensor | null) => (t as Tensor).reshape(-1).tolist() as number[];

describe('layerNorm', () => {
  for (const dtype of ['float32', 'float64'] as const) {
    it(`matches PyTorch's values and gradients (${dtype})`, () => {
      const ref = fixtures[dtype];
      const tol = dtype === 'float64' ? { atol: 1e-12, rtol: 1e-10 } : { atol: 2e-6, rtol: 2e-5 };
      const x = tensor(ref.x, { dtype, requiresGrad: true });
      const x3 = x.view(3, 4, 5);
      const w = tensor(ref.w, { dtype }).view(4, 5).detach();
      const b = tensor(ref.b, { dtype }).view(4, 5).detach();
      w.requiresGrad = true;
      b.requiresGrad = true;
      const up = tensor(ref.up, { dtype }).view(3, 4, 5);
      const y = layerNorm(x3, [4, 5], w, b, 1e-5);
      y.backward(up);
      expectClose(flat(y), ref.y, tol);
      expectClose(flat(x.grad), ref.dx, tol);
      expectClose(flat(w.grad), ref.dw, tol);
      expectClose(flat(b.grad), ref.db, tol);
      expect(y.gradFn?.name).toBe('NativeLayerNorm');
      const x2 = tensor(ref.x, { dtype, requiresGrad: true });
      const y2 = layerNorm(x2.view(3, 4, 5), [5], null, null, 1e-3);
      y2.backward(up);
      expectClose(flat(y2), ref.y2, tol);
      expectClose(flat(x2.grad), ref.dx2, tol);
    });
  }

  it('has the gradients of finite differences in float64 (input, weight, bias)', () => {
    const g = new Generator(4);
    const x = randn([2, 3, 6], { dtype: 'float64', generator: g, requiresGrad: true });
    const w = randn([6], { dtype: 'float64', generator: g, requiresGrad: true });
    const b = randn([6], { dtype: 'float64', generator: g, requiresGrad: true });
    // A transposed (non-contiguous) input too.
    assertGradcheck((xi, wi, bi) => layerNorm(xi.transpose(0, 1), [6], wi, bi), [x, w, b]);
    assertGradcheck((xi) => layerNorm(xi, [3, 6]), [x]);
  });

  it('gives the js kernels’ bits on the current backend (float32)', () => {
    const g = new Generator(9);
    const rows = 97;
    const n = 64;
    const x = randn([rows * n], { generator: g }).mul(3).data as Float32Array;
    const w = randn([n], { generator: g }).data as Float32Array;
    const b = randn([n], { generator: g }).data as Float32Array;
    const dy = randn([rows * n], { generator: g }).data as Float32Array;
    const run = (backend: typeof jsBackend) => {
      const out = new Float32Array(rows * n);
      const mean = new Float32Array(rows);
      const rstd = new Float32Array(rows);
      backend.layerNorm(x, rows, n, w, b, 1e-5, out, mean, rstd);
      const dx = new Float32Array(rows * n);
      const dw = new Float32Array(n);
      const db = new Float32Array(n);
      backend.layerNormBackward(dy, x, mean, rstd, w, rows, n, dx, dw, db);
      return [out, mean, rstd, dx, dw, db].map((a) => Array.from(a));
    };
    expect(run(getBackend())).toEqual(run(jsBackend));
  });

  it('replays in a captured step with the eager numbers', () => {
    const g = new Generator(1);
    const w = randn([16], { generator: g, requiresGrad: true });
    const b = randn([16], { generator: g, requiresGrad: true });
    const step = captureStep(
      (x) => {
        w.grad = null;
        b.grad = null;
        const loss = layerNorm(x, [16], w, b).square().mul(x).sum();
        loss.backward();
        return loss;
      },
      [randn([40, 16], { generator: g })],
    );
    const x2 = randn([40, 16], { generator: g });
    const replayed = step.replay(x2).item();
    const grads = [w.grad, b.grad].map(flat);
    w.grad = null;
    b.grad = null;
    const eager = layerNorm(x2, [16], w, b).square().mul(x2).sum();
    eager.backward();
    expect(replayed).toBe(eager.item());
    expect(grads).toEqual([w.grad, b.grad].map(flat));
  });

  it('refuses wrong shapes and dtypes with PyTorch’s words', () => {
    const x = randn([2, 5]);
    expect(() => layerNorm(x, [4])).toThrow(
      'Given normalized_shape=[4], expected input with shape [*, 4], but got input of size[2, 5]',
    );
    expect(() => layerNorm(x, [5], randn([4]))).toThrow('weight must have shape [5], got [4]');
    expect(() => layerNorm(x, [5], randn([5], { dtype: 'float64' }))).toThrow(
      'weight is float64 but the input is float32',
    );
    expect(() => layerNorm(tensor([[1, 2]]), [2])).toThrow('not implemented for dtype int32');
  });
});
