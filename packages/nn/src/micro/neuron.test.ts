import { Generator, gradcheck, Value } from '@llm-playground/core';
import { describe, expect, it } from 'vitest';
import { ACTIVATIONS, activationDisplayName } from './activation.js';
import { Neuron } from './neuron.js';

describe('Neuron', () => {
  it('draws w from generator.uniform(-1, 1) in order and starts b at 0', () => {
    const neuron = new Neuron(3, { generator: new Generator(42) });
    const reference = new Generator(42);
    expect(neuron.w.map((w) => w.data)).toEqual([0, 1, 2].map(() => reference.uniform(-1, 1)));
    for (const w of neuron.w) expect(Math.abs(w.data)).toBeLessThanOrEqual(1);
    expect(neuron.b.data).toBe(0);
    expect(neuron.nin).toBe(3);
    expect(neuron.activation).toBe('relu');
    expect(neuron.parameters()).toEqual([...neuron.w, neuron.b]);
    expect(neuron.numParameters()).toBe(4);
  });

  it('is deterministic without a generator (a fresh default-seeded one per call)', () => {
    const a = new Neuron(4).w.map((w) => w.data);
    expect(new Neuron(4).w.map((w) => w.data)).toEqual(a);
    expect(new Neuron(4, { generator: new Generator() }).w.map((w) => w.data)).toEqual(a);
  });

  it('computes activation(b + Σ w·x) for every activation', () => {
    const x = [0.5, -2];
    const cases = [
      ['relu', (z: number) => Math.max(0, z)],
      ['tanh', Math.tanh],
      ['sigmoid', (z: number) => 1 / (1 + Math.exp(-z))],
      ['linear', (z: number) => z],
    ] as const;
    for (const [activation, f] of cases) {
      for (const [w0, w1, b] of [
        [0.3, 0.4, 0.1], // z = 0.15 − 0.8 + 0.1 = −0.55
        [0.9, -0.2, 0.25], // z = 0.45 + 0.4 + 0.25 = 1.1
      ]) {
        const neuron = new Neuron(2, { activation });
        neuron.w[0].data = w0;
        neuron.w[1].data = w1;
        neuron.b.data = b;
        expect(neuron.forward(x).data).toBeCloseTo(f(b + w0 * x[0] + w1 * x[1]), 15);
      }
    }
  });

  it("matches the documented example and micrograd's toString", () => {
    const neuron = new Neuron(2, { generator: new Generator(42) });
    neuron.w[0].data = 2;
    neuron.w[1].data = -1;
    expect([neuron.toString(), neuron.forward([3, 1]).data]).toEqual(['ReLUNeuron(2)', 5]);
    expect(new Neuron(16, { activation: 'linear' }).toString()).toBe('LinearNeuron(16)');
    expect(new Neuron(3, { activation: 'tanh' }).toString()).toBe('TanhNeuron(3)');
    expect(new Neuron(1, { activation: 'sigmoid' }).toString()).toBe('SigmoidNeuron(1)');
  });

  it('backpropagates into w, b and x (hand values and central differences)', () => {
    const neuron = new Neuron(2, { activation: 'tanh', generator: new Generator(7) });
    const x = [new Value(0.5), new Value(-1.5)];
    const out = neuron.forward(x);
    out.backward();
    const dz = 1 - out.data ** 2; // tanh'(z)
    expect(neuron.w[0].grad).toBeCloseTo(dz * 0.5, 15);
    expect(neuron.w[1].grad).toBeCloseTo(dz * -1.5, 15);
    expect(neuron.b.grad).toBeCloseTo(dz, 15);
    expect(x[0].grad).toBeCloseTo(dz * neuron.w[0].data, 15);
    const check = gradcheck((inputs) => neuron.forward(inputs), [0.5, -1.5]);
    expect(check.ok).toBe(true);
    expect(check.maxAbsError).toBeLessThan(1e-8);
  });

  it('zeroGrad resets the parameters only', () => {
    const neuron = new Neuron(2);
    neuron.forward([1, 1]).backward();
    neuron.zeroGrad();
    for (const p of neuron.parameters()) expect(p.grad).toBe(0);
  });

  it('lists its activations (documented examples)', () => {
    expect(ACTIVATIONS.join(', ')).toBe('relu, tanh, sigmoid, linear');
    expect(activationDisplayName.relu).toBe('ReLU');
  });

  it('rejects bad arguments with clear messages', () => {
    expect(() => new Neuron(0)).toThrow(
      "Argument 'nin' passed to 'Neuron' must be a positive integer, got 0",
    );
    expect(() => new Neuron(1.5)).toThrow('got 1.5');
    // biome-ignore lint/suspicious/noExplicitAny: testing a bad call from JavaScript
    expect(() => new Neuron(2, { activation: 'gelu' as any })).toThrow(
      "Argument 'activation' passed to 'Neuron' must be one of relu, tanh, sigmoid, linear, got gelu",
    );
    expect(() => new Neuron(2).forward([1, 2, 3])).toThrow('Neuron expected 2 inputs, got 3');
  });
});
