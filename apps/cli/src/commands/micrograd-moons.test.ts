// The moons run is makemore's moonsTask on its Trainer: the demo's numbers, and the one divergence
// rule (a rate that blows the loss up stops with the step, the loss and a rate that works).
import { describe, expect, it } from 'vitest';
import { bufferIO } from '../io.js';
import { microgradMoons, trainMoons } from './micrograd-moons.js';

describe('trainMoons on the Trainer', () => {
  it('keeps the demo numbers: seed 1337, step 0 loss 0.8071 at 66%, step 99 0.0172 at 100%', () => {
    const result = trainMoons();
    expect(result.history).toHaveLength(100);
    expect(result.history[0].loss.toFixed(4)).toBe('0.8071');
    expect(result.history[0].accuracy).toBe(0.66);
    expect(result.history[0].lr).toBe(1);
    expect(result.history[99].loss.toFixed(4)).toBe('0.0172');
    expect(result.history[99].lr).toBeCloseTo(0.109, 12); // linear 1 → 0.1 over 100 steps
    expect(result.finalAccuracy).toBe(1);
  });

  it('stops a run that diverges with the rule message and a suggested --lr-start, exit 1', async () => {
    // 40 points keep micrograd's scalar graph (and the LR finder's sweep) quick.
    const error = await microgradMoons({ lrStart: 100, samples: 40, quiet: true }, bufferIO()).then(
      () => undefined,
      (thrown: Error) => thrown,
    );
    expect(error?.message).toMatch(
      /^training diverged at step \d+: .* with learning rate [\d.]+; the learning-rate finder suggests ([\d.]+) .*\(--lr-start \1\)$/,
    );
    const suggested = Number(/--lr-start ([\d.]+)\)$/.exec(error?.message ?? '')?.[1]);
    // The suggestion works: the same run at that rate does not diverge, and learns.
    const rerun = trainMoons({ lrStart: suggested, samples: 40 });
    expect(rerun.finalLoss).toBeLessThan(rerun.history[0].loss);
  }, 60_000);
});
