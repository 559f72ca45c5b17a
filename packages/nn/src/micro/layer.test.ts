import { Generator } from '@llm-playground/core';
import { describe, expect, it } from 'vitest';
import { Layer } from './layer.js';
import { Neuron } from './neuron.js';

describe('Layer', () => {
  it('holds nout neurons of nin inputs, sharing one generator stream', () => {
    const layer = new Layer(3, 4, { generator: new Generator(5) });
    expect(layer.neurons).toHaveLength(4);
    expect([layer.nin, layer.nout, layer.numParameters()]).toEqual([3, 4, 16]);
    // The same stream, neuron after neuron: so the neurons differ (no symmetric start).
    const reference = new Generator(5);
    const expected = [0, 1, 2, 3].map(() => new Neuron(3, { generator: reference }));
    layer.neurons.forEach((neuron, i) => {
      expect(neuron.w.map((w) => w.data)).toEqual(expected[i].w.map((w) => w.data));
    });
    expect(layer.neurons[0].w[0].data).not.toBe(layer.neurons[1].w[0].data);
    expect(layer.parameters()).toEqual(layer.neurons.flatMap((n) => n.parameters()));
  });

  it('outputs one value per neuron, each its neuron applied to the shared inputs', () => {
    const layer = new Layer(2, 3, { activation: 'tanh', generator: new Generator(1) });
    const out = layer.forward([0.3, -0.7]);
    expect(out).toHaveLength(3);
    out.forEach((value, i) => {
      expect(value.data).toBe(layer.neurons[i].forward([0.3, -0.7]).data);
    });
    // Numbers are wrapped once: all three neurons read the same input nodes.
    const [a, b] = out;
    // tanh ← (b + w0·x0) + w1·x1: the x1 node of each neuron's graph.
    const x1Of = (v: typeof a) => v.children[0].children[1].children[1];
    expect(x1Of(a)).toBe(x1Of(b));
    expect(x1Of(a).data).toBe(-0.7);
  });

  it('matches the documented example', () => {
    const layer = new Layer(2, 3, { activation: 'tanh', generator: new Generator(42) });
    expect(layer.toString()).toBe('Layer of [TanhNeuron(2), TanhNeuron(2), TanhNeuron(2)]');
    expect([layer.forward([1, -1]).length, layer.numParameters()]).toEqual([3, 9]);
  });

  it('rejects bad arguments', () => {
    expect(() => new Layer(2, 0)).toThrow(
      "Argument 'nout' passed to 'Layer' must be a positive integer, got 0",
    );
    expect(() => new Layer(-1, 2)).toThrow("Argument 'nin' passed to 'Layer'");
    expect(() => new Layer(2, 2).forward([1])).toThrow('Layer expected 2 inputs, got 1');
  });
});
