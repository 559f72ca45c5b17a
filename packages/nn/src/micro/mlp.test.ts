import { Generator, gradcheck } from '@llm-playground/core';
import { describe, expect, it } from 'vitest';
import { Layer } from './layer.js';
import { MLP } from './mlp.js';

describe('MLP', () => {
  it("has micrograd's shapes: MLP(2, [16, 16, 1]) has 337 parameters", () => {
    const model = new MLP(2, [16, 16, 1]);
    expect(model.numParameters()).toBe(337); // 16·3 + 16·17 + 1·17
    expect(model.layers.map((l) => [l.nin, l.nout])).toEqual([
      [2, 16],
      [16, 16],
      [16, 1],
    ]);
    expect(model.layers.map((l) => l.neurons[0].activation)).toEqual(['relu', 'relu', 'linear']);
    expect([model.nin, model.nouts]).toEqual([2, [16, 16, 1]]);
    expect(new MLP(3, [4, 4, 1]).numParameters()).toBe(41); // micrograd's lecture MLP
  });

  it('matches the documented example', () => {
    const model = new MLP(2, [16, 16, 1], { generator: new Generator(42) });
    expect([model.numParameters(), model.forward([0.5, -1]).length]).toEqual([337, 1]);
    expect(new MLP(2, [3, 1]).toString()).toBe(
      'MLP of [Layer of [ReLUNeuron(2), ReLUNeuron(2), ReLUNeuron(2)], Layer of [LinearNeuron(3)]]',
    );
  });

  it('draws weights layer by layer from one stream, and its forward chains the layers', () => {
    const model = new MLP(2, [3, 2], {
      activation: 'tanh',
      outputActivation: 'sigmoid',
      generator: new Generator(9),
    });
    const generator = new Generator(9);
    const first = new Layer(2, 3, { activation: 'tanh', generator });
    const second = new Layer(3, 2, { activation: 'sigmoid', generator });
    expect(model.parameters().map((p) => p.data)).toEqual(
      [...first.parameters(), ...second.parameters()].map((p) => p.data),
    );
    const x = [0.4, -1.2];
    // By hand: h = tanh(W1 x + b1), out = sigmoid(W2 h + b2), with b = 0.
    const h = first.neurons.map((n) =>
      Math.tanh(n.w[0].data * x[0] + n.w[1].data * x[1] + n.b.data),
    );
    const expected = second.neurons.map((n) => {
      const z = n.b.data + n.w.reduce((s, w, i) => s + w.data * h[i], 0);
      return 1 / (1 + Math.exp(-z));
    });
    const out = model.forward(x).map((v) => v.data);
    out.forEach((value, i) => {
      expect(value).toBeCloseTo(expected[i], 14);
    });
  });

  it('backpropagates through every layer (central differences w.r.t. the inputs)', () => {
    const model = new MLP(3, [4, 4, 1], { activation: 'tanh', generator: new Generator(3) });
    const check = gradcheck((inputs) => model.forward(inputs)[0], [0.2, -0.5, 0.9]);
    expect(check.ok).toBe(true);
    expect(check.maxAbsError).toBeLessThan(1e-8);
  });

  it('is deterministic by default and differs between seeds', () => {
    const data = (m: MLP) => m.parameters().map((p) => p.data);
    expect(data(new MLP(2, [4, 1]))).toEqual(data(new MLP(2, [4, 1])));
    expect(data(new MLP(2, [4, 1], { generator: new Generator(1) }))).not.toEqual(
      data(new MLP(2, [4, 1], { generator: new Generator(2) })),
    );
  });

  it('rejects bad arguments', () => {
    expect(() => new MLP(2, [])).toThrow(
      "Argument 'nouts' passed to 'MLP' must be a non-empty array of layer sizes, got []",
    );
    expect(() => new MLP(2, [4, 0])).toThrow(
      "Argument 'nouts[1]' passed to 'MLP' must be a positive integer, got 0",
    );
    expect(() => new MLP(0, [1])).toThrow("Argument 'nin' passed to 'MLP'");
    // biome-ignore lint/suspicious/noExplicitAny: testing a bad call from JavaScript
    expect(() => new MLP(2, [1], { outputActivation: 'softmax' as any })).toThrow(
      "Argument 'outputActivation' passed to 'MLP' must be one of relu, tanh, sigmoid, linear, got softmax",
    );
    expect(() => new MLP(2, [1]).forward([1, 2, 3])).toThrow('MLP expected 2 inputs, got 3');
  });
});
