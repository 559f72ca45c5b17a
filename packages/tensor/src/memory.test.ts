import { Generator } from '@llm-playground/core';
import { afterEach, describe, expect, it } from 'vitest';
import { getBackend, setBackend } from './backend.js';
import { captureStep } from './capture.js';
import { tensor } from './creation.js';
import { AutogradError } from './errors.js';
import { noGrad } from './grad-mode.js';
import { loadWasmBackend, wasmMemoryIsShared } from './kernels/wasm/index.js';
import { randint, randn } from './random.js';
import type { Tensor } from './tensor.js';
import { keep, memoryInfo, tidy } from './tidy.js';
import { zeroGrad } from './zero-grad.js';

const initial = getBackend().name as 'js' | 'wasm';
afterEach(() => {
  setBackend(initial);
});
const wasmLoads = !('error' in loadWasmBackend());

/** A small MLP step (embedding 5×4, 8 → 16 tanh → 5, manual SGD), returning the detached loss. */
function smallModel() {
  const g = new Generator(1);
  const C = randn([5, 4], { generator: g, requiresGrad: true });
  const W1 = randn([8, 16], { generator: g }).mul(0.3).requiresGrad_();
  const W2 = randn([16, 5], { generator: g }).mul(0.3).requiresGrad_();
  const params = [C, W1, W2];
  const X = randint(0, 5, [6, 2], { generator: g });
  const Y = randint(0, 5, [6], { generator: g });
  const step = () => {
    zeroGrad(params);
    const logits = C.index(X).view(-1, 8).matmul(W1).tanh().matmul(W2);
    const loss = logits.logSoftmax(1).gather(1, Y.view(-1, 1)).mean().neg();
    loss.backward();
    noGrad(() => {
      for (const p of params) p.sub_(p.grad as Tensor, { alpha: 0.05 });
    });
    return loss.detach();
  };
  return { params, step, X, Y };
}

describe('backend-owned memory', () => {
  it.skipIf(!wasmLoads || !wasmMemoryIsShared())(
    'wasm: tensors live in the kernel memory; a 20,000-step tidy loop keeps the pool flat',
    () => {
      setBackend('wasm');
      const { step } = smallModel();
      // Outside any scope: a plain array the garbage collector owns; inside tidy: the kernel memory.
      expect(tensor([1, 2, 3], { dtype: 'float32' }).storage.buffer).toBeInstanceOf(ArrayBuffer);
      tidy(() => {
        const x = tensor([1, 2, 3], { dtype: 'float32' });
        expect(x.storage.buffer).toBeInstanceOf(SharedArrayBuffer);
      });
      let first = 0;
      let peak = 0;
      let last = 0;
      for (let i = 0; i < 20000; i++) {
        const loss = tidy(() => step());
        if (i === 99) first = memoryInfo().liveBytes;
        if (i >= 99) peak = Math.max(peak, memoryInfo().liveBytes);
        last = loss.item();
        loss.dispose();
      }
      expect(last).toBeLessThan(1); // it trained
      expect(first).toBeGreaterThan(0);
      expect(peak).toBe(first); // not a byte more after warm-up
      const before = memoryInfo().liveBytes;
      tidy(() => {
        const t = tensor([1, 2, 3, 4], { dtype: 'float32' }).mul(2);
        const withT = memoryInfo().liveBytes;
        expect(withT).toBeGreaterThan(before);
        t.dispose();
        expect(memoryInfo().liveBytes).toBe(withT - 64); // t's block (16 bytes → the 64-byte class)
      });
      expect(memoryInfo().liveBytes).toBe(before);
    },
  );

  it.skipIf(!wasmLoads || !wasmMemoryIsShared())(
    'wasm: views share a block until the last one is disposed; disposed reads throw',
    () => {
      setBackend('wasm');
      tidy(() => viewsAndDispose());
    },
  );

  function viewsAndDispose() {
    const a = randn([4, 4]);
    expect(a.storage.buffer).toBeInstanceOf(SharedArrayBuffer);
    const v = a.view(16);
    const d = a.detach();
    a.dispose();
    expect(v.data.length).toBe(16); // still alive
    v.dispose();
    expect(d.sum().item()).toBeCloseTo(
      Array.from(d.data).reduce((s, x) => s + x, 0),
      4,
    );
    d.dispose();
    expect(() => d.item()).toThrow(AutogradError);
    expect(() => d.tolist()).toThrow('was disposed');
    // Mixing: a plain-array (js-made) tensor is a valid operand of wasm kernels (copied).
    setBackend('js');
    const plain = tensor([1, 2, 3, 4], { dtype: 'float32' });
    setBackend('wasm');
    expect(plain.storage.buffer).toBeInstanceOf(ArrayBuffer);
    expect(plain.mul(randn([4]).mul(0).add(2)).tolist()).toEqual([2, 4, 6, 8]);
  }

  it('tidy spares returned tensors, parameters, gradients and kept tensors; refuses graphs', () => {
    const w = tensor([1, 2], { dtype: 'float32', requiresGrad: true });
    let inner: Tensor | null = null;
    let kept: Tensor | null = null;
    const out = tidy(() => {
      inner = w.mul(3);
      kept = keep(w.add(1));
      const loss = inner.sum();
      loss.backward();
      return { value: loss.detach(), n: 7 };
    });
    expect(out.n).toBe(7);
    expect(out.value.item()).toBe(9);
    expect((inner as unknown as Tensor).isDisposed).toBe(true);
    expect((kept as unknown as Tensor).isDisposed).toBe(false);
    expect(w.isDisposed).toBe(false);
    expect(w.grad?.tolist()).toEqual([3, 3]);
    expect(() => tidy(() => w.mul(2).sum())).toThrow(
      'tidy(): the returned tensor (shape [], grad_fn SumBackward0) is part of an autograd graph',
    );
    // Nested: the inner scope's result belongs to the outer scope.
    let fromInner: Tensor | null = null;
    tidy(() => {
      fromInner = tidy(() => w.detach().mul(2));
      expect((fromInner as Tensor).isDisposed).toBe(false);
    });
    expect((fromInner as unknown as Tensor).isDisposed).toBe(true);
  });

  it('a captured step inside tidy keeps its buffers; dispose() frees them', () => {
    const { step, params } = smallModel();
    const captured = tidy(() => captureStep(step, []));
    const before = captured.output.item();
    const after = captured.replay().item();
    expect(after).toBeLessThan(before);
    expect(params[0].grad?.isDisposed).toBe(false);
    captured.dispose();
    expect(() => captured.replay()).toThrow('disposed');
  });
});
