import { tensor } from '@llm-playground/tensor';
import { assertGradcheck, expectClose } from '@llm-playground/tensor/testing';
import { describe, expect, it } from 'vitest';
import { mseLoss } from './mse-loss.js';

const f64 = (data: number[][], requiresGrad = false) =>
  tensor(data, { dtype: 'float64', requiresGrad });

describe('mseLoss', () => {
  it('is the mean, sum or elementwise squared error', () => {
    const a = f64([
      [1, 2],
      [3, 4],
    ]);
    const b = f64([
      [0, 2],
      [5, 1],
    ]);
    expectClose(mseLoss(a, b).item(), (1 + 0 + 4 + 9) / 4);
    expectClose(mseLoss(a, b, { reduction: 'sum' }).item(), 14);
    expectClose(mseLoss(a, b, { reduction: 'none' }), [
      [1, 0],
      [4, 9],
    ]);
  });

  it('passes gradcheck with respect to both arguments', () => {
    for (const reduction of ['mean', 'sum', 'none'] as const) {
      assertGradcheck(
        (a, b) => mseLoss(a, b, { reduction }),
        [
          f64(
            [
              [1, -2],
              [0.5, 4],
            ],
            true,
          ),
          f64(
            [
              [0.3, 2],
              [5, 1],
            ],
            true,
          ),
        ],
      );
    }
  });

  it('refuses different shapes', () => {
    expect(() => mseLoss(f64([[1, 2]]), tensor([1, 2], { dtype: 'float64' }))).toThrow(
      'mseLoss: input [1, 2] and target [2] must have the same shape',
    );
  });
});
