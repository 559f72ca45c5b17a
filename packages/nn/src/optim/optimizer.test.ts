import { tensor } from '@llm-playground/tensor';
import { describe, expect, it } from 'vitest';
import { Adam } from './adam.js';
import { SGD } from './sgd.js';
import { makeWeight, trajectory } from './test-problem.js';

describe('Optimizer state dicts', () => {
  it('a restored optimizer continues exactly where the saved one was', () => {
    const w = makeWeight();
    const adam = new Adam([w], { lr: 0.05, weightDecay: 0.01 });
    trajectory(w, adam, 2);
    const saved = adam.stateDict();
    const savedWeights = w.tolist() as number[];
    const expected = trajectory(w, adam, 2);

    const w2 = tensor(savedWeights, { dtype: 'float64', requiresGrad: true });
    const adam2 = new Adam([w2], { lr: 123 });
    adam2.loadStateDict(saved);
    expect(adam2.paramGroups[0].lr).toBe(0.05);
    expect(trajectory(w2, adam2, 2)).toEqual(expected);
    // the snapshot is a copy: later steps did not change it
    expect(saved.state['0'].step).toBe(2);
  });

  it('state is JSON-serialisable apart from the typed arrays', () => {
    const w = makeWeight();
    const sgd = new SGD([w], { lr: 0.1, momentum: 0.9 });
    trajectory(w, sgd, 1);
    const state = sgd.stateDict();
    expect(state.groups).toEqual([
      { lr: 0.1, momentum: 0.9, dampening: 0, weightDecay: 0, nesterov: false, params: [0] },
    ]);
    expect(Object.keys(state.state)).toEqual(['0']);
    expect(Object.keys(state.state['0'])).toEqual(['momentumBuffer']);
  });

  it('refuses foreign or mismatched state, changing nothing', () => {
    const w = makeWeight();
    const adam = new Adam([w]);
    trajectory(w, adam, 1);
    const state = adam.stateDict();
    const sgd = new SGD([makeWeight()], { lr: 0.1 });
    expect(() => sgd.loadStateDict(state)).toThrow(
      'SGD.loadStateDict: the state is for Adam, this optimizer is SGD',
    );
    const two = new Adam([makeWeight(), makeWeight()]);
    expect(() => two.loadStateDict(state)).toThrow(
      "loaded state dict contains a parameter group that doesn't match the size of optimizer's group",
    );
    const other = new Adam([tensor([1, 2], { dtype: 'float64', requiresGrad: true })]);
    expect(() => other.loadStateDict(state)).toThrow(
      'size mismatch for parameter 0 buffer expAvg: got 3 elements, the parameter has 2',
    );
    const bad = {
      ...state,
      state: { '0': { ...state.state['0'], momentumBuffer: new Float64Array(3) } },
    };
    const fresh = new Adam([makeWeight()], { lr: 0.5 });
    expect(() => fresh.loadStateDict(bad)).toThrow('unexpected buffer "momentumBuffer"');
    expect(fresh.paramGroups[0].lr).toBe(0.5);
    expect(() => fresh.loadStateDict({ ...state, groups: [] })).toThrow(
      'different number of parameter groups',
    );
  });
});
