import { Generator } from '@llm-playground/core';
import { describe, expect, it } from 'vitest';
import { arange, ones, tensor, zeros } from './creation.js';
import { noGrad } from './grad-mode.js';
import { randn } from './random.js';
import { expectClose } from './testing/index.js';

describe('Tensor basics', () => {
  it('has shape, strides, dtype, numel, ndim, item, tolist', () => {
    const t = arange(6).float().view(2, 3);
    expect(t.shape).toEqual([2, 3]);
    expect(t.strides).toEqual([3, 1]);
    expect(t.dtype).toBe('float32');
    expect(t.numel()).toBe(6);
    expect(t.ndim).toBe(2);
    expect(t.size(-1)).toBe(3);
    expect(t.sum().item()).toBe(15);
    expect(t.tolist()).toEqual([
      [0, 1, 2],
      [3, 4, 5],
    ]);
    expect(() => t.item()).toThrow('only one element tensors can be converted to Python scalars');
  });

  it('prints like PyTorch', () => {
    expect(
      tensor(
        [
          [0.0607, -1.2],
          [3, 4],
        ],
        { dtype: 'float32' },
      ).toString(),
    ).toBe('tensor([[ 0.0607, -1.2000],\n        [ 3.0000,  4.0000]])');
    expect(tensor([1, 2, 3], { dtype: 'float32' }).toString()).toBe('tensor([1., 2., 3.])');
    expect(tensor([1, 2, 3]).toString()).toBe('tensor([1, 2, 3])');
    expect(tensor(2.5, { dtype: 'float64' }).toString()).toBe(
      'tensor(2.5000, dtype=torch.float64)',
    );
    const w = ones([2], { requiresGrad: true });
    expect(w.toString()).toBe('tensor([1., 1.], requires_grad=True)');
    expect(w.mul(2).toString()).toBe('tensor([2., 2.], grad_fn=<MulBackward0>)');
    expect(zeros([0, 3]).toString()).toBe('tensor([], size=(0, 3))');
  });
});

describe('autograd semantics', () => {
  it('accumulates gradients across backward calls until reset', () => {
    const x = tensor([1, 2, 3], { dtype: 'float64', requiresGrad: true });
    x.mul(x).sum().backward();
    expectClose(x.grad!, [2, 4, 6]);
    x.mul(3).sum().backward();
    expectClose(x.grad!, [5, 7, 9]);
    x.grad = null;
    x.sum().backward();
    expectClose(x.grad!, [1, 1, 1]);
  });

  it('reduces broadcast gradients back to each input shape', () => {
    const b = tensor([1, 2], { dtype: 'float64', requiresGrad: true });
    const x = ones([3, 2], { dtype: 'float64' });
    x.add(b).sum().backward();
    expect(b.grad!.shape).toEqual([2]);
    expectClose(b.grad!, [3, 3]);
  });

  it('needs an explicit gradient for non-scalar outputs', () => {
    const x = tensor([1, 2], { dtype: 'float64', requiresGrad: true });
    const y = x.mul(2);
    expect(() => y.backward()).toThrow('grad can be implicitly created only for scalar outputs');
    y.backward(tensor([1, 10], { dtype: 'float64' }));
    expectClose(x.grad!, [2, 20]);
    expect(() => tensor([1, 2], { dtype: 'float32' }).sum().backward()).toThrow(
      'element 0 of tensors does not require grad',
    );
  });

  it('noGrad, detach and retainGrad', () => {
    const x = tensor([1, 2], { dtype: 'float64', requiresGrad: true });
    const y = noGrad(() => x.mul(2));
    expect(y.requiresGrad).toBe(false);
    expect(x.mul(2).detach().requiresGrad).toBe(false);
    const h = x.mul(3).retainGrad();
    h.square().sum().backward();
    expectClose(h.grad!, [6, 12]);
    expectClose(x.grad!, [18, 36]);
  });

  it('refuses in-place updates of leaves that require grad unless in noGrad', () => {
    const w = tensor([1, 2], { dtype: 'float32', requiresGrad: true });
    w.mul(w).sum().backward();
    expect(() => w.sub_(w.grad!.mul(0.1))).toThrow(
      'a leaf Variable that requires grad is being used in an in-place operation',
    );
    noGrad(() => w.sub_(w.grad!, { alpha: 0.5 }));
    expectClose(w, [0, 0]);
    expect(() => tensor([1]).requiresGrad_()).toThrow(
      'only Tensors of floating point dtype can require gradients',
    );
  });

  it('in-place ops work on strided views', () => {
    const m = zeros([2, 3]);
    m.T.select(0, 1).fill_(7);
    expect(m.tolist()).toEqual([
      [0, 7, 0],
      [0, 7, 0],
    ]);
    m.slice(1, 0, 2).add_(1);
    expect(m.tolist()).toEqual([
      [1, 8, 0],
      [1, 8, 0],
    ]);
  });

  it('backpropagates through a deep chain without recursion', () => {
    const x = tensor([1], { dtype: 'float64', requiresGrad: true });
    let y = x;
    for (let i = 0; i < 20000; i++) y = y.mul(1.0001);
    y.sum().backward();
    expectClose(x.grad!, [1.0001 ** 20000], { rtol: 1e-9 });
  });

  it('the lecture MLP forward/backward runs with the expected shapes', () => {
    const g = new Generator(2147483647);
    const C = randn([27, 10], { generator: g, requiresGrad: true });
    const W1 = randn([30, 200], { generator: g, requiresGrad: true });
    const b1 = randn([200], { generator: g, requiresGrad: true });
    const W2 = randn([200, 27], { generator: g, requiresGrad: true });
    const b2 = randn([27], { generator: g, requiresGrad: true });
    const X = tensor([
      [0, 0, 5],
      [0, 5, 13],
    ]);
    const Y = tensor([13, 13]);
    const emb = C.index(X);
    const h = emb.view(-1, 30).matmul(W1).add(b1).tanh();
    const logits = h.matmul(W2).add(b2);
    const loss = logits.logSoftmax(1).index(arange(2), Y).mean().neg();
    loss.backward();
    expect(C.grad!.shape).toEqual([27, 10]);
    expect(W1.grad!.shape).toEqual([30, 200]);
    expect(Number.isFinite(loss.item())).toBe(true);
    // Rows of C that were not looked up get no gradient.
    expect(Array.from(C.grad!.select(0, 1).data).every((v) => v === 0)).toBe(true);
  });
});
