// Reference values from numpy 2.4.6 (legacy RandomState), printed by:
//   rs = np.random.RandomState(1337); rs.random_sample(); rs.normal(size=3); rs.shuffle(np.arange(10))
// and the make_moons recipe of scikit-learn (noise added after the shuffle, both from one RandomState).
import { describe, expect, it } from 'vitest';
import { trainMoons } from './micrograd-moons.js';
import { NumpyRandomState, sklearnMakeMoons } from './numpy-random.js';
import { lmp } from './test-words.js';

describe('NumpyRandomState', () => {
  it('draws doubles, gaussians and shuffles exactly as numpy', () => {
    expect(new NumpyRandomState(1337).randomSample()).toBe(0.2620246750155817);
    const rs = new NumpyRandomState(1337);
    expect([rs.standardNormal(), rs.standardNormal(), rs.standardNormal()]).toEqual([
      -0.7031873098624105, -0.49028236278771464, -0.3218143296501526,
    ]);
    expect(new NumpyRandomState(0).normal(2, 0.5)).toBe(2.882026172983832);
    const shuffled = new NumpyRandomState(1337).shuffle([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(shuffled).toEqual([6, 3, 0, 4, 5, 2, 1, 9, 8, 7]);
  });

  it('reproduces make_moons(100, noise=0.1) after np.random.seed(1337)', () => {
    const { X, y } = sklearnMakeMoons(100, 0.1, new NumpyRandomState(1337));
    expect(X[0]).toEqual([1.1221146075409685, 0.08147717341718697]);
    expect(X[99][1]).toBe(1.0655522522437006);
    expect(y.slice(0, 10)).toEqual([0, 0, 1, 0, 1, 1, 1, 1, 1, 0]);
  });
});

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
