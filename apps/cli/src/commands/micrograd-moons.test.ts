// The moons run is makemore's moonsTask on its Trainer: the demo's numbers, and the one divergence
// rule (a rate that blows the loss up stops with the step, the loss and a rate that works).
import { describe, expect, it } from 'vitest';
import { bufferIO } from '../io.js';
import { microgradMoons, trainMoons } from './micrograd-moons.js';
import { lmp } from './test-words.js';

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
      /^Training diverged at step \d+: .* with learning rate [\d.]+; the learning-rate finder suggests ([\d.]+) .*\(--lr-start \1\)$/,
    );
    const suggested = Number(/--lr-start ([\d.]+)\)$/.exec(error?.message ?? '')?.[1]);
    // The suggestion works: the same run at that rate does not diverge, and learns.
    const rerun = trainMoons({ lrStart: suggested, samples: 40 });
    expect(rerun.finalLoss).toBeLessThan(rerun.history[0].loss);
  }, 60_000);
});

// demo.ipynb's own random streams (numpy's make_moons from data's NumpyRandomState, Python's random
// for the weights), passed to moonsTask as its data and init.
describe('lmp micrograd moons --lecture', () => {
  it('reproduces demo.ipynb: step 0 loss 0.8958441028683222 at 50%, and 100% at the end', () => {
    const result = trainMoons({ lecture: true });
    expect(result.history[0].loss).toBe(0.8958441028683222);
    expect(result.history[0].accuracy).toBe(0.5);
    expect(result.history[99].accuracy).toBe(1);
    expect(result.finalAccuracy).toBe(1);
  });

  it('is a flag of the command, full batch only', async () => {
    const run = await lmp(['micrograd', 'moons', '--lecture', '--steps', '1', '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.out).history[0].loss).toBe(0.8958441028683222);
    const bad = await lmp(['micrograd', 'moons', '--lecture', '--batch-size', '10']);
    expect(bad.code).toBe(2);
    expect(bad.err).toBe(
      "lmp: error: --lecture trains full batch, as demo.ipynb does: drop --batch-size (see 'lmp micrograd moons --help')\n",
    );
  });
});
