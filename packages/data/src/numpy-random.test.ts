// Reference values from numpy 2.4.6 (legacy RandomState), printed by:
//   rs = np.random.RandomState(1337); rs.random_sample(); rs.normal(size=3); rs.shuffle(np.arange(10))
// and scikit-learn's make_moons(100, noise=0.1, random_state=1337) (noise added after the shuffle,
// both from one RandomState).
import { describe, expect, it } from 'vitest';
import { NumpyRandomState, sklearnMakeMoons } from './numpy-random.js';

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

  it('refuses a seed numpy would refuse', () => {
    expect(() => new NumpyRandomState(-1)).toThrow(
      'NumpyRandomState: seed must be an integer between 0 and 2**32 - 1, got -1',
    );
    expect(() => new NumpyRandomState(1.5)).toThrow(RangeError);
  });
});

describe('sklearnMakeMoons', () => {
  it('reproduces make_moons(100, noise=0.1) after np.random.seed(1337)', () => {
    const { X, y } = sklearnMakeMoons(100, 0.1, new NumpyRandomState(1337));
    expect(X[0]).toEqual([1.1221146075409685, 0.08147717341718697]);
    expect(X[99][1]).toBe(1.0655522522437006);
    expect(y.slice(0, 10)).toEqual([0, 0, 1, 0, 1, 1, 1, 1, 1, 0]);
    expect(y.filter((label) => label === 0).length).toBe(50);
  });

  it('names a bad argument', () => {
    const rs = new NumpyRandomState(1);
    expect(() => sklearnMakeMoons(0, 0.1, rs)).toThrow(
      "Argument 'nSamples' passed to 'sklearnMakeMoons' must be a positive integer, got 0",
    );
    expect(() => sklearnMakeMoons(10, -1, rs)).toThrow(
      "Argument 'noise' passed to 'sklearnMakeMoons' must be a number ≥ 0, got -1",
    );
  });
});
