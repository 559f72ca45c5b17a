import { Value } from '@llm-playground/core';
import { zeros } from '@llm-playground/tensor';
import { describe, expect, it } from 'vitest';
import { linearSchedule } from '../micro/linear-schedule.js';
import { SGD as MicroSGD } from '../micro/sgd.js';
import {
  ConstantLR,
  createScheduler,
  LambdaLR,
  LinearLR,
  type LRScheduler,
  PiecewiseConstantLR,
} from './lr-scheduler.js';
import { SGD } from './sgd.js';

const optimizer = (lr: number) => new SGD([zeros([1], { requiresGrad: true })], { lr });

function sequence(scheduler: LRScheduler, n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    out.push(scheduler.getLastLr()[0]);
    scheduler.step();
  }
  return out;
}

describe('LinearLR', () => {
  it("equals micrograd's linear decay bit for bit, for any base rate", () => {
    for (const lr of [1, 0.37, 3]) {
      const expected = Array.from({ length: 120 }, (_, k) => linearSchedule(lr, 0.1 * lr, 100)(k));
      const scheduler = new LinearLR(optimizer(lr), {
        startFactor: 1,
        endFactor: 0.1,
        totalIters: 100,
      });
      expect(sequence(scheduler, 120)).toEqual(expected);
    }
    // PyTorch's defaults: 1/3 → 1 over 5 steps. torch: [1/3, 7/15, 3/5, 11/15, 13/15, 1]
    const torchLike = sequence(new LinearLR(optimizer(1)), 6);
    [1 / 3, 7 / 15, 3 / 5, 11 / 15, 13 / 15, 1].forEach((v, i) => {
      expect(torchLike[i]).toBeCloseTo(v, 12);
    });
  });
});

describe('PiecewiseConstantLR', () => {
  it("is the lecture's 0.1 then 0.01 exactly, and resumes from its state", () => {
    const scheduler = new PiecewiseConstantLR(optimizer(0.5), {
      boundaries: [3, 5],
      values: [0.1, 0.01, 0.001],
    });
    expect(sequence(scheduler, 7)).toEqual([0.1, 0.1, 0.1, 0.01, 0.01, 0.001, 0.001]);
    const again = new PiecewiseConstantLR(optimizer(0.5), {
      boundaries: [3, 5],
      values: [0.1, 0.01, 0.001],
    });
    const saved = new PiecewiseConstantLR(optimizer(0.5), {
      boundaries: [3, 5],
      values: [0.1, 0.01, 0.001],
    });
    for (let i = 0; i < 4; i++) saved.step();
    again.loadStateDict(saved.stateDict());
    expect(again.optimizer.paramGroups[0].lr).toBe(0.01);
    expect(sequence(again, 2)).toEqual([0.01, 0.001]);
    expect(() => new PiecewiseConstantLR(optimizer(1), { boundaries: [3], values: [0.1] })).toThrow(
      'needs one more value than boundaries, got 1 values and 1 boundaries',
    );
    expect(
      () => new PiecewiseConstantLR(optimizer(1), { boundaries: [3, 2], values: [1, 2, 3] }),
    ).toThrow('boundaries must increase');
  });
});

describe('ConstantLR and LambdaLR', () => {
  it('follow PyTorch', () => {
    expect(sequence(new ConstantLR(optimizer(0.3), { factor: 1 }), 3)).toEqual([0.3, 0.3, 0.3]);
    expect(sequence(new ConstantLR(optimizer(0.9), { factor: 0.5, totalIters: 2 }), 3)).toEqual([
      0.45, 0.45, 0.9,
    ]);
    expect(sequence(new LambdaLR(optimizer(2), { lrLambda: (s) => 0.5 ** s }), 3)).toEqual([
      2, 1, 0.5,
    ]);
  });
});

describe('createScheduler', () => {
  it('builds every config kind and refuses unknown ones', () => {
    expect(createScheduler(optimizer(1), { kind: 'StepLR', stepSize: 2, gamma: 0.5 }).kind).toBe(
      'StepLR',
    );
    expect(
      sequence(createScheduler(optimizer(1), { kind: 'MultiStepLR', milestones: [1] }), 2),
    ).toEqual([1, 0.1]);
    expect(createScheduler(optimizer(1), { kind: 'CosineAnnealingLR', tMax: 2 }).kind).toBe(
      'CosineAnnealingLR',
    );
    expect(() => createScheduler(optimizer(1), { kind: 'Warp' } as never)).toThrow(
      'createScheduler: unknown scheduler kind "Warp"',
    );
  });

  it('drives micrograd’s SGD through its paramGroups', () => {
    const p = new Value(1);
    const sgd = new MicroSGD([p], { lr: 1 });
    const scheduler = createScheduler(sgd, {
      kind: 'LinearLR',
      startFactor: 1,
      endFactor: 0.1,
      totalIters: 100,
    });
    const schedule = linearSchedule(1, 0.1, 100);
    for (let k = 0; k < 100; k++) {
      expect(sgd.currentLR()).toBe(schedule(k));
      p.grad = 1;
      sgd.step();
      scheduler.step();
    }
    expect(sgd.stateDict()).toEqual({ kind: 'micro.SGD', stepCount: 100, lr: 0.1 });
  });
});
