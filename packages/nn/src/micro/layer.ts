import { Generator, toValue, type Value, type ValueLike } from '@llm-playground/core';
import { checkActivation } from './activation.js';
import { checkInputs, checkPositiveInteger } from './checks.js';
import { Module } from './module.js';
import { Neuron, type NeuronOptions } from './neuron.js';

/**
 * `nout` neurons that all read the same `nin` inputs (a fully connected layer, micrograd's `Layer`).
 * The neurons share one generator, so their weights are successive draws from one stream.
 *
 * NOTE: unlike micrograd, `forward` always returns an array, also for a single neuron (micrograd
 * unwraps a one-element output to a bare `Value`).
 *
 * @example
 * ```ts
 * const layer = new Layer(2, 3, { activation: 'tanh', generator: new Generator(42) });
 * console.log(layer.toString()); // Layer of [TanhNeuron(2), TanhNeuron(2), TanhNeuron(2)]
 * console.log(layer.forward([1, -1]).length, layer.numParameters()); // 3 9
 * ```
 */
export class Layer extends Module {
  readonly neurons: Neuron[];
  /** Number of inputs of every neuron. */
  readonly nin: number;
  /** Number of neurons, hence of outputs. */
  readonly nout: number;

  constructor(nin: number, nout: number, options: NeuronOptions = {}) {
    super();
    checkPositiveInteger('Layer', 'nin', nin);
    checkPositiveInteger('Layer', 'nout', nout);
    checkActivation('Layer', 'activation', options.activation ?? 'relu');
    this.nin = nin;
    this.nout = nout;
    const generator = options.generator ?? new Generator();
    const neuronOptions: NeuronOptions = { activation: options.activation, generator };
    this.neurons = Array.from({ length: nout }, () => new Neuron(nin, neuronOptions));
  }

  /** One output per neuron. Numbers in `x` are wrapped once, so all neurons share the same input nodes. */
  forward(x: readonly ValueLike[]): Value[] {
    checkInputs('Layer', this.nin, x);
    const inputs = x.map((input) => toValue(input));
    return this.neurons.map((neuron) => neuron.forward(inputs));
  }

  /** Every neuron's parameters, neuron by neuron. */
  override parameters(): Value[] {
    return this.neurons.flatMap((neuron) => neuron.parameters());
  }

  override toString(): string {
    return `Layer of [${this.neurons.join(', ')}]`;
  }
}
