/**
 * gelu (both forms): PyTorch 1.13's values and gradients (`fixtures/torch-gelu.json`, from
 * `scripts/torch_gelu_fixtures.py`), float64 gradchecks, js vs wasm kernels, replay = eager, errors.
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
import { gelu } from './elementwise.js';

const here = dirname(fileURLToPath(import.meta.url));
const fixtures: Record<string, { y: number[]; dx: number[] }> = JSON.parse(
  readFileSync(join(here, '..', 'fixtures', 'torch-gelu.json'), 'utf8'),
);
const xs = [-10, -5, -3, -1.5, -1, -0.5, -1e-3, 0, 1e-3, 0.3, 0.5, 1, 2, 3, 5, 10] as const;
const upstream = xs.map((_, i) => -1 + (2 * i) / (xs.length - 1));

describe('gelu', () => {
  for (const approximate of ['none', 'tanh'] as const) {
    for (const dtype of ['float32', 'float64'] as const) {
      it(`matches PyTorch's values and gradients (${approximate}, ${dtype})`, () => {
        const ref = fixtures[`${approximate}-torch.${dtype}`];
        const x = tensor([...xs], { dtype, requiresGrad: true });
        const y = gelu(x, { approximate });
        y.backward(tensor(upstream, { dtype }));
        // Φ through erfc (relative error 1.2e-7): float32-level agreement in float64. In float32,
        // PyTorch's 1 + tanh(·) near x = −5 cancels (a few ulps of 1 absolute): our float64 (js)
        // and float32-lane (wasm) results are nearer the float64 truth, so compare to that too.
        const truth = fixtures[`${approximate}-torch.float64`];
        const tol = { atol: dtype === 'float64' ? 1e-7 : 6e-7, rtol: 3e-7 };
        expectClose(y.tolist() as number[], ref.y, tol);
        expectClose(x.grad?.tolist() as number[], ref.dx, tol);
        expectClose(y.tolist() as number[], truth.y, { atol: 2e-7, rtol: 3e-7 });
        expectClose(x.grad?.tolist() as number[], truth.dx, { atol: 3e-7, rtol: 3e-7 });
        expect(y.gradFn?.name).toBe('Gelu'); // printed GeluBackward0
      });
    }
    it(`has the gradient of finite differences in float64 (${approximate})`, () => {
      const x = randn([3, 7], {
        dtype: 'float64',
        generator: new Generator(3),
        requiresGrad: true,
      });
      assertGradcheck((t) => gelu(t.mul(2), { approximate }), [x]);
    });
  }

  it('agrees with the js kernels on the current backend (float32, 4,099 values and the tails)', () => {
    const x = randn([4099], { generator: new Generator(7) }).mul(4);
    const dy = randn([4099], { generator: new Generator(8) });
    const xd = (x.data as Float32Array).slice();
    // The tails, where e^(−2u) overflows (wasm) and 1 + tanh u cancels (PyTorch): finite, and equal.
    xd.set([-1e4, -50, -12, -9.5, 9.5, 12, 50, 1e4], 0);
    for (const op of ['geluTanh', 'gelu'] as const) {
      const y = new Float32Array(xd.length);
      const yJs = new Float32Array(xd.length);
      getBackend().unaryContiguous(op, xd, 0, y, xd.length);
      jsBackend.unaryContiguous(op, xd, 0, yJs, xd.length);
      expectClose(Array.from(y), Array.from(yJs), { atol: 1e-7, rtol: 1e-6 });
      const dx = new Float32Array(xd.length);
      const dxJs = new Float32Array(xd.length);
      getBackend().unaryBackward(op, dy.data, xd, dx, xd.length);
      jsBackend.unaryBackward(op, dy.data, xd, dxJs, xd.length);
      expectClose(Array.from(dx), Array.from(dxJs), { atol: 1e-6, rtol: 1e-5 });
    }
  });

  it('replays in a captured step with the eager numbers', () => {
    const w = randn([64, 32], { generator: new Generator(1), requiresGrad: true });
    const step = captureStep(
      (x) => {
        w.grad = null;
        const loss = gelu(x.matmul(w), { approximate: 'tanh' }).square().sum();
        loss.backward();
        return loss;
      },
      [randn([8, 64], { generator: new Generator(2) })],
    );
    const x2 = randn([8, 64], { generator: new Generator(5) });
    const replayed = step.replay(x2).item();
    const replayedGrad = w.grad?.tolist();
    w.grad = null;
    const eager = gelu(x2.matmul(w), { approximate: 'tanh' }).square().sum();
    eager.backward();
    expect(replayed).toBe(eager.item());
    expect(replayedGrad).toEqual((w.grad as Tensor | null)?.tolist());
  });

  it('refuses an unknown approximation and integer input', () => {
    expect(() => gelu(tensor([1.5]), { approximate: 'erf' as 'none' })).toThrow(
      "approximate argument must be either none or tanh, got 'erf'",
    );
    expect(() => gelu(tensor([1]))).toThrow("not implemented for 'int32'");
  });
});
