import { tensor } from '@llm-playground/tensor';
import { expectClose } from '@llm-playground/tensor/testing';
import { describe, expect, it } from 'vitest';
import { SGD } from './sgd.js';
import { makeWeight, trajectory } from './test-problem.js';

// PyTorch 1.13, float64, the same objective and hyperparameters (see test-problem.ts).
const TORCH = {
  plain: [
    [0.75, -2.8, 0.16249999999999998],
    [0.565625, -4.175999999999999, -0.14146093750000002],
    [0.41763525390625006, -6.991846399999998, -0.4444626170257569],
  ],
  momentum: [
    [0.749, -2.798, 0.162],
    [0.356690765, -4.75057034, -0.41588874],
    [-0.10388438893639852, -9.730277137657843, -1.2289643710819362],
  ],
  nesterov: [
    [0.5231, -3.5162, -0.1422],
    [0.050810531149999956, -8.059543015400001, -0.9914727594000002],
    [-0.43767099084577243, -29.17983532899938, -2.3314928075173316],
  ],
};

describe('SGD', () => {
  it('plain steps: p ← p − lr·∇p (by hand and as PyTorch)', () => {
    const w = makeWeight();
    const path = trajectory(w, new SGD([w], { lr: 0.1 }));
    // by hand, step 1: ∇ = 1.5·[1, 4, 0.25] + [1, 2, 3] = [2.5, 8, 3.375]
    expectClose(path[0], [1 - 0.25, -2 - 0.8, 0.5 - 0.3375], { atol: 1e-15 });
    expectClose(path, TORCH.plain, { atol: 1e-12 });
  });

  it('momentum with dampening and weight decay', () => {
    const w = makeWeight();
    const path = trajectory(
      w,
      new SGD([w], { lr: 0.1, momentum: 0.9, dampening: 0.1, weightDecay: 0.01 }),
    );
    // by hand, step 1: b = g = ∇ + 0.01·w (no dampening on the first step) = [2.51, 7.98, 3.38]
    expectClose(path[0], [1 - 0.251, -2 - 0.798, 0.5 - 0.338], { atol: 1e-15 });
    expectClose(path, TORCH.momentum, { atol: 1e-12 });
  });

  it('Nesterov momentum', () => {
    const w = makeWeight();
    const path = trajectory(
      w,
      new SGD([w], { lr: 0.1, momentum: 0.9, nesterov: true, weightDecay: 0.01 }),
    );
    // by hand, step 1: g + 0.9·b with b = g = [2.51, 7.98, 3.38] → 1.9·g
    expectClose(path[0], [1 - 0.1 * 1.9 * 2.51, -2 - 0.1 * 1.9 * 7.98, 0.5 - 0.1 * 1.9 * 3.38], {
      atol: 1e-14,
    });
    expectClose(path, TORCH.nesterov, { atol: 1e-10 });
  });

  it('skips parameters without a gradient and reuses its momentum buffer (no allocation per step)', () => {
    const a = makeWeight();
    const b = tensor([5], { dtype: 'float64', requiresGrad: true });
    const optimizer = new SGD([a, b], { lr: 0.1, momentum: 0.5 });
    trajectory(a, optimizer, 1);
    expect(b.tolist()).toEqual([5]);
    const buffer = optimizer.stateDict().state['0'].momentumBuffer;
    expect(buffer).toBeInstanceOf(Float64Array);
    const internal = (optimizer as unknown as { state: Map<unknown, { momentumBuffer: unknown }> })
      .state;
    const first = internal.get(a)!.momentumBuffer;
    trajectory(a, optimizer, 2);
    expect(internal.get(a)!.momentumBuffer).toBe(first);
  });

  it("validates hyperparameters in PyTorch's words", () => {
    const w = makeWeight();
    expect(() => new SGD([w], { lr: -1 })).toThrow('Invalid learning rate: -1');
    expect(() => new SGD([w], { lr: 0.1, momentum: -0.5 })).toThrow('Invalid momentum value: -0.5');
    expect(() => new SGD([w], { lr: 0.1, nesterov: true })).toThrow(
      'Nesterov momentum requires a momentum and zero dampening',
    );
    expect(() => new SGD([w], { lr: 0.1, momentum: 0.9, dampening: -0.1 })).toThrow(
      'Invalid dampening value: -0.1',
    );
    expect(() => new SGD([w], { lr: 0.1, momentum: 0.9, dampening: Number.NaN })).toThrow(
      'Invalid dampening value: NaN',
    );
    expect(() => new SGD([w], { lr: 0.1, momentum: 0.9, dampening: Infinity })).toThrow(
      'Invalid dampening value: Infinity',
    );
    expect(
      () => new SGD([w], { lr: 0.1, momentum: 0.9, dampening: '0.1' as unknown as number }),
    ).toThrow('Invalid dampening value: 0.1');
    expect(() => new SGD([w], { lr: 0.1, momentum: 0.9, dampening: 0.5, nesterov: true })).toThrow(
      'Nesterov momentum requires a momentum and zero dampening',
    );
    expect(() => new SGD([w], { lr: 0.1, momentum: -0, nesterov: true })).toThrow(
      'Nesterov momentum requires a momentum and zero dampening',
    );
    // Valid edge values: zero dampening with Nesterov, dampening 1 (PyTorch has no upper bound).
    expect(() => new SGD([w], { lr: 0.1, momentum: 0.9, nesterov: true })).not.toThrow();
    expect(() => new SGD([w], { lr: 0.1, momentum: 0.9, dampening: 1 })).not.toThrow();
    expect(() => new SGD([], { lr: 0.1 })).toThrow('optimizer got an empty parameter list');
    expect(() => new SGD([w, w], { lr: 0.1 })).toThrow('some parameters appear more than once');
    expect(() => new SGD([w.mul(2)], { lr: 0.1 })).toThrow("can't optimize a non-leaf Tensor");
  });
});
