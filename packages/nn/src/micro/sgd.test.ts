import { Value } from '@llm-playground/core';
import { describe, expect, it } from 'vitest';
import { linearSchedule } from './linear-schedule.js';
import { SGD } from './sgd.js';

describe('SGD', () => {
  it('updates p.data -= lr · p.grad and counts steps', () => {
    const a = new Value(1);
    const b = new Value(-2);
    const optimizer = new SGD([a, b], { lr: 0.1 });
    a.mul(b).backward(); // da = b = −2, db = a = 1
    optimizer.step();
    expect(a.data).toBeCloseTo(1 - 0.1 * -2, 15);
    expect(b.data).toBeCloseTo(-2 - 0.1 * 1, 15);
    expect(optimizer.stepCount).toBe(1);
    optimizer.zeroGrad();
    expect([a.grad, b.grad]).toEqual([0, 0]);
  });

  it('matches the documented example', () => {
    const p = new Value(1);
    const optimizer = new SGD([p], { lr: 0.1 });
    p.mul(p).backward();
    optimizer.step();
    expect([p.data, optimizer.stepCount]).toEqual([0.8, 1]);
  });

  it('asks a schedule for lr(stepCount) before each step', () => {
    const p = new Value(0);
    const schedule = linearSchedule(1.0, 0.1, 100);
    const optimizer = new SGD([p], { lr: schedule });
    const seen: number[] = [];
    for (let k = 0; k < 3; k++) {
      expect(optimizer.currentLR()).toBe(schedule(k));
      p.grad = 1;
      seen.push(optimizer.currentLR());
      optimizer.step();
    }
    expect(seen).toEqual([1, 0.991, 0.982]);
    expect(p.data).toBeCloseTo(-(1 + 0.991 + 0.982), 15);
  });

  it('rejects non-finite learning rates', () => {
    expect(() => new SGD([], { lr: Number.NaN })).toThrow(
      "Argument 'lr' passed to 'SGD' must be a finite number or a schedule, got NaN",
    );
    expect(() => new SGD([], { lr: -0.1 })).toThrow('Invalid learning rate: -0.1');
    const optimizer = new SGD([new Value(1)], { lr: () => Number.POSITIVE_INFINITY });
    expect(() => optimizer.step()).toThrow(
      'SGD learning rate schedule returned Infinity at step 0',
    );
  });
});
