import { arange, tensor } from '@llm-playground/tensor';
import { assertGradcheck, expectClose } from '@llm-playground/tensor/testing';
import { describe, expect, it } from 'vitest';
import { crossEntropy } from './cross-entropy.js';

const X = [
  [1.0, 2.0, 0.5, -1.0],
  [0.3, -0.2, 2.5, 0.0],
  [3.0, 1.0, -2.0, 0.5],
];
const f64 = (data: number[][] | number[], requiresGrad = false) =>
  tensor(data, { dtype: 'float64', requiresGrad });

// PyTorch 1.13, float64: F.cross_entropy(X, target, label_smoothing=…, reduction=…).
const TORCH = {
  ignored: {
    mean: 1.5987176728826038,
    sum: 3.1974353457652076,
    none: [0.49518189808585605, 0, 2.7022534476793516],
  },
  smoothed01Ignored: {
    mean: 1.6612176728826038,
    sum: 3.3224353457652076,
    none: [0.6326818980858561, 0, 2.689753447679352],
  },
  smoothed01IgnoredGrad: [
    [0.09960390902410057, -0.15776998120056146, 0.055494457896752766, 0.002671614279708112],
    [0, 0, 0, 0],
    [0.39594393168503283, 0.04277687518086962, -0.009747926436208166, -0.4289728804296943],
  ],
  smoothed02Full: 1.3495404683392676, // target [1, 2, 3]
  smoothed02FullGrad: [
    [0.05806927268273371, -0.08017998746704096, 0.028662971931168506, -0.006552257146861259],
    [0.012644159193453425, 0.0011112478789940888, -0.018802734266186706, 0.005047327193739186],
    [0.25562928779002186, 0.020184583453913073, -0.01483195095747211, -0.26098192028646283],
  ],
  row0Target2: 1.995181898085856,
};

describe('crossEntropy', () => {
  it('matches PyTorch with ignoreIndex for every reduction', () => {
    const target = tensor([1, -100, 3]);
    for (const reduction of ['mean', 'sum'] as const) {
      expectClose(crossEntropy(f64(X), target, { reduction }).item(), TORCH.ignored[reduction], {
        atol: 1e-12,
      });
    }
    expectClose(crossEntropy(f64(X), target, { reduction: 'none' }), TORCH.ignored.none, {
      atol: 1e-12,
    });
  });

  it('matches PyTorch with labelSmoothing (values and gradients)', () => {
    const target = tensor([1, -100, 3]);
    for (const reduction of ['mean', 'sum', 'none'] as const) {
      const got = crossEntropy(f64(X), target, { reduction, labelSmoothing: 0.1 });
      expectClose(got, TORCH.smoothed01Ignored[reduction], { atol: 1e-12 });
    }
    const x = f64(X, true);
    crossEntropy(x, target, { labelSmoothing: 0.1 }).backward();
    expectClose(x.grad!, TORCH.smoothed01IgnoredGrad, { atol: 1e-12 });
    const x2 = f64(X, true);
    const loss = crossEntropy(x2, tensor([1, 2, 3]), { labelSmoothing: 0.2 });
    expectClose(loss.item(), TORCH.smoothed02Full, { atol: 1e-12 });
    loss.backward();
    expectClose(x2.grad!, TORCH.smoothed02FullGrad, { atol: 1e-12 });
  });

  it('equals the closed form −mean(logSoftmax(x)[i, yᵢ]) and its gradient (softmax − onehot)/N', () => {
    const y = tensor([2, 0, 1]);
    const a = f64(X, true);
    const b = f64(X, true);
    const fused = crossEntropy(a, y);
    const composed = b.logSoftmax(1).index(arange(3), y).mean().neg();
    expectClose(fused.item(), composed.item(), { atol: 1e-12 });
    fused.backward();
    composed.backward();
    expectClose(a.grad!, b.grad!, { atol: 1e-12 });
    const expected = f64(X)
      .softmax(1)
      .sub(
        tensor(
          [
            [0, 0, 1, 0],
            [1, 0, 0, 0],
            [0, 1, 0, 0],
          ],
          { dtype: 'float64' },
        ),
      )
      .div(3);
    expectClose(a.grad!, expected, { atol: 1e-12 });
  });

  it('passes gradcheck for every option combination', () => {
    for (const reduction of ['mean', 'sum', 'none'] as const) {
      for (const labelSmoothing of [0, 0.3]) {
        for (const target of [tensor([1, -100, 3]), tensor([0, 2, 3])]) {
          assertGradcheck(
            (x) => crossEntropy(x, target, { reduction, labelSmoothing }),
            [f64(X, true)],
          );
        }
      }
    }
    assertGradcheck((x) => crossEntropy(x, tensor(2), { labelSmoothing: 0.1 }), [f64(X[0], true)]);
    assertGradcheck((x) => crossEntropy(x, tensor([0, 1, 3]), { ignoreIndex: 1 }), [f64(X, true)]);
  });

  it('takes a 1-d input with a 0-d target', () => {
    const loss = crossEntropy(f64(X[0]), tensor(2));
    expect(loss.shape).toEqual([]);
    expectClose(loss.item(), TORCH.row0Target2, { atol: 1e-12 });
    expect(crossEntropy(f64(X[0]), tensor(2), { reduction: 'none' }).shape).toEqual([]);
  });

  it('is stable for huge logits, works in float32 and transposed (non-contiguous) views', () => {
    expect(crossEntropy(tensor([[1000, 0, -1000]], { dtype: 'float32' }), tensor([2])).item()).toBe(
      2000,
    );
    expect(crossEntropy(tensor([[1000, 0, -1000]], { dtype: 'float32' }), tensor([0])).item()).toBe(
      0,
    );
    const loss32 = crossEntropy(tensor(X, { dtype: 'float32' }), tensor([1, 2, 3]));
    expect(loss32.dtype).toBe('float32');
    expectClose(loss32.item(), crossEntropy(f64(X), tensor([1, 2, 3])).item(), { atol: 1e-6 });
    const xt = f64(X).T; // [4, 3], not contiguous
    expectClose(
      crossEntropy(xt, tensor([0, 1, 2, 0])).item(),
      crossEntropy(xt.contiguous(), tensor([0, 1, 2, 0])).item(),
      { atol: 1e-12 },
    );
  });

  it('gives NaN when every row is ignored, as PyTorch does', () => {
    expect(crossEntropy(f64(X), tensor([-100, -100, -100])).item()).toBeNaN();
  });

  it("throws in PyTorch's words", () => {
    expect(() => crossEntropy(f64(X), tensor([1, 30, 0]))).toThrow('Target 30 is out of bounds.');
    expect(() => crossEntropy(f64(X), tensor([1, -1, 0]))).toThrow('Target -1 is out of bounds.');
    expect(() => crossEntropy(f64(X), tensor([1, 3]))).toThrow(
      'Expected input batch_size (3) to match target batch_size (2).',
    );
    expect(() => crossEntropy(f64(X), tensor([1, 2, 3], { dtype: 'float32' }))).toThrow(
      'expected target of dtype int32',
    );
    expect(() => crossEntropy(f64(X), tensor([1, 2, 3]), { reduction: 'avg' as 'mean' })).toThrow(
      'avg is not a valid value for reduction',
    );
    expect(() => crossEntropy(f64(X), tensor([1, 2, 3]), { labelSmoothing: 1.5 })).toThrow(
      'label_smoothing must be between 0.0 and 1.0. Got: 1.5',
    );
    expect(() => crossEntropy(f64(X[0]), tensor([1]))).toThrow('needs a 0-d target');
  });

  it('does not record a graph for inputs without grad', () => {
    const loss = crossEntropy(f64(X), tensor([0, 1, 2]));
    expect(loss.requiresGrad).toBe(false);
    expect(loss.gradFn).toBeNull();
  });
});
