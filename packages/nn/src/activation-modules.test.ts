import { tensor, zeros } from '@llm-playground/tensor';
import { assertGradcheck, expectClose } from '@llm-playground/tensor/testing';
import { describe, expect, it } from 'vitest';
import { Flatten, ReLU, Tanh } from './activation-modules.js';

const x = () =>
  tensor(
    [
      [-2, -0.5, 0.3],
      [1.5, 0.7, -0.1],
    ],
    { dtype: 'float64', requiresGrad: true },
  );

describe('activation modules', () => {
  it('Tanh and ReLU compute their functions and pass gradcheck', () => {
    expectClose(
      new Tanh().forward(x()),
      [
        [-2, -0.5, 0.3],
        [1.5, 0.7, -0.1],
      ].map((r) => r.map(Math.tanh)),
    );
    expect(new ReLU().forward(x()).tolist()).toEqual([
      [0, 0, 0.3],
      [1.5, 0.7, 0],
    ]);
    assertGradcheck((t) => new Tanh().forward(t), [x()]);
    assertGradcheck((t) => new ReLU().forward(t), [x()]);
    expect(new Tanh().parameters()).toEqual([]);
    expect(new ReLU().toString()).toBe('ReLU()');
  });

  it('Flatten merges startDim..endDim and passes gradcheck', () => {
    expect(new Flatten().forward(zeros([4, 3, 5, 2])).shape).toEqual([4, 30]);
    expect(new Flatten(0).forward(zeros([4, 3, 5])).shape).toEqual([60]);
    expect(new Flatten(1, 2).forward(zeros([4, 3, 5, 2])).shape).toEqual([4, 15, 2]);
    expect(new Flatten(1, 2).toString()).toBe('Flatten(start_dim=1, end_dim=2)');
    const t = tensor(
      [
        [
          [1, 2],
          [3, 4],
        ],
      ],
      { dtype: 'float64', requiresGrad: true },
    );
    assertGradcheck(
      (v) => new Flatten().forward(v).mul(tensor([1, 2, 3, 4], { dtype: 'float64' })),
      [t],
    );
  });
});
