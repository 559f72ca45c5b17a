import { zeros } from '@llm-playground/tensor';
import { expectClose } from '@llm-playground/tensor/testing';
import { describe, expect, it } from 'vitest';
import { CosineAnnealingLR, type LRScheduler, MultiStepLR, StepLR } from './lr-scheduler.js';
import { SGD } from './sgd.js';

const optimizer = () => new SGD([zeros([1], { requiresGrad: true })], { lr: 0.5 });

/** getLastLr() before each of n steps, as PyTorch's loop `lrs.append(s.get_last_lr()[0]); o.step(); s.step()`. */
function sequence(scheduler: LRScheduler, n = 10): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    out.push(scheduler.getLastLr()[0]);
    (scheduler.optimizer as SGD).step();
    scheduler.step();
  }
  return out;
}

// PyTorch 1.13 with SGD(lr=0.5).
const TORCH = {
  step: [0.5, 0.5, 0.5, 0.25, 0.25, 0.25, 0.125, 0.125, 0.125, 0.0625], // StepLR(o, 3, 0.5)
  multi: [0.5, 0.5, 0.05, 0.05, 0.05, 0.005, 0.005, 0.005, 0.005, 0.005], // MultiStepLR(o, [2, 5], 0.1)
  cos: [
    0.5, 0.4340990257669732, 0.275, 0.11590097423302684, 0.05, 0.1159009742330268, 0.275,
    0.43409902576697335, 0.5, 0.4340990257669734,
  ], // CosineAnnealingLR(o, 4, 0.05)
};

describe('learning-rate schedulers', () => {
  it("StepLR, MultiStepLR and CosineAnnealingLR give PyTorch's sequences", () => {
    expectClose(sequence(new StepLR(optimizer(), { stepSize: 3, gamma: 0.5 })), TORCH.step, {
      atol: 1e-15,
    });
    expectClose(sequence(new MultiStepLR(optimizer(), { milestones: [5, 2] })), TORCH.multi, {
      atol: 1e-15,
    });
    expectClose(
      sequence(new CosineAnnealingLR(optimizer(), { tMax: 4, etaMin: 0.05 })),
      TORCH.cos,
      { atol: 1e-14 },
    );
  });

  it('writes lr into the group, and keeps initialLr there', () => {
    const o = optimizer();
    const s = new StepLR(o, { stepSize: 1 });
    s.step();
    expect(o.paramGroups[0].lr).toBeCloseTo(0.05, 15);
    expect(o.paramGroups[0].initialLr).toBe(0.5);
    expect(o.stateDict().groups[0].initialLr).toBe(0.5);
  });

  it('stateDict/loadStateDict resume the schedule', () => {
    const a = new CosineAnnealingLR(optimizer(), { tMax: 10 });
    for (let i = 0; i < 3; i++) a.step();
    const saved = a.stateDict();
    expect(saved).toMatchObject({ kind: 'CosineAnnealingLR', lastEpoch: 3, baseLrs: [0.5] });
    const o = optimizer();
    const b = new CosineAnnealingLR(o, { tMax: 10 });
    b.loadStateDict(saved);
    expect(o.paramGroups[0].lr).toBe(a.getLastLr()[0]);
    a.step();
    b.step();
    expect(b.getLastLr()).toEqual(a.getLastLr());
    expect(() => b.loadStateDict({ ...saved, kind: 'StepLR' })).toThrow('the state is for StepLR');
    expect(() => new StepLR(optimizer(), { stepSize: 0 })).toThrow(
      'StepLR: stepSize must be a positive integer, got 0',
    );
  });
});
