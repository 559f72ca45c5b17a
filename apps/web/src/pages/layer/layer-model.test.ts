import { Generator, Value } from '@llm-playground/core';
import { Layer } from '@llm-playground/nn/micro';
import { describe, expect, it } from 'vitest';
import {
  ACTIVATION_CURVES,
  activationRange,
  biasFor,
  formatBiases,
  layerForward,
  makeLayer,
  parseBiases,
} from './layer-model.js';

describe('a layer of neurons', () => {
  it("is nn/micro's Layer: same seeded weights, biases at 0, outputs of Layer.forward", () => {
    const layer = makeLayer(3, 4, 'tanh', 42);
    const reference = new Layer(3, 4, { activation: 'tanh', generator: new Generator(42) });
    const x = [2, 3, -1]; // the lecture's input
    const states = layerForward(layer, x);
    expect(states.length).toBe(4);
    states.forEach((state, j) => {
      expect(state.w).toEqual(reference.neurons[j].w.map((w) => w.data));
      expect(state.b).toBe(0);
      // n and o by hand: b + Σ w·x, tanh(n).
      const n = state.w.reduce((sum, w, i) => sum + w * x[i], 0);
      expect(state.n).toBeCloseTo(n, 14);
      expect(state.o).toBe(Math.tanh(state.n));
      expect(state.o).toBe(reference.forward(x)[j].data);
    });
  });

  it('a neuron: n = b + w·x, o = act(n), for each activation', () => {
    for (const act of ['tanh', 'relu', 'sigmoid', 'linear'] as const) {
      const layer = makeLayer(2, 1, act, 0, new Map([[0, 0.5]]));
      layer.neurons[0].w[0].data = 2;
      layer.neurons[0].w[1].data = -1;
      const [state] = layerForward(layer, [3, 1]);
      expect(state).toEqual({ w: [2, -1], b: 0.5, n: 5.5, o: ACTIVATION_CURVES[act](5.5) });
    }
    // The plain curves are Value's ops.
    for (const n of [-3, -0.5, 0, 0.7, 4]) {
      expect(ACTIVATION_CURVES.tanh(n)).toBe(new Value(n).tanh().data);
      expect(ACTIVATION_CURVES.relu(n)).toBe(new Value(n).relu().data);
      expect(ACTIVATION_CURVES.sigmoid(n)).toBeCloseTo(new Value(n).sigmoid().data, 15);
    }
    expect(activationRange('relu')[1]).toBeGreaterThanOrEqual(6); // never clipped at the top
  });

  it('dragging to n sets the bias b = n − w·x, and the neuron then has that n', () => {
    const x = [2, 3, -1];
    const layer = makeLayer(3, 2, 'relu', 7);
    const [first] = layerForward(layer, x);
    const b = biasFor(first.w, x, 1.25);
    const moved = makeLayer(3, 2, 'relu', 7, new Map([[0, b]]));
    const [after, other] = layerForward(moved, x);
    expect(after.n).toBeCloseTo(1.25, 12);
    expect(after.o).toBeCloseTo(1.25, 12);
    expect(other.b).toBe(0); // the other neuron is untouched
  });

  it('biases in the URL: 1-based, zeros left out, bad entries skipped', () => {
    const biases = new Map([
      [2, -0.123456],
      [0, 0.5],
      [1, 0],
    ]);
    expect(formatBiases(biases)).toBe('1:0.5,3:-0.1235');
    expect(parseBiases('1:0.5,3:-0.1235', 4)).toEqual(
      new Map([
        [0, 0.5],
        [2, -0.1235],
      ]),
    );
    // Neuron 9 of 4, a non-number, a malformed entry: skipped, the page still opens.
    expect(parseBiases('9:1,2:x,oops,2:1e400,4:-2', 4)).toEqual(new Map([[3, -2]]));
  });
});
