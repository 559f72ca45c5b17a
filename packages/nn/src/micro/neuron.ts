import { Generator, Value, type ValueLike } from '@llm-playground/core';
import { type Activation, activate, activationDisplayName, checkActivation } from './activation.js';
import { checkInputs, checkPositiveInteger } from './checks.js';
import { Module } from './module.js';

export interface NeuronOptions {
  /** The nonlinearity applied to `w·x + b` (default `'relu'`, as micrograd's `nonlin=True`). */
  activation?: Activation;
  /**
   * Source of the initial weights. Default: a fresh `new Generator()` (PyTorch's default seed), so
   * an unseeded neuron is still deterministic. Layers and MLPs share one generator among their neurons.
   */
  generator?: Generator;
}

/**
 * One neuron: `activation(w·x + b)` with `nin` weights. As in micrograd, every weight starts as
 * `uniform(-1, 1)` (here `generator.uniform(-1, 1)`, one draw per weight in order) and the bias at 0.
 *
 * The forward pass builds exactly micrograd's graph: starting from `b`, add `w[i] * x[i]` for each
 * input in turn, then apply the activation (none for `'linear'`).
 *
 * @example
 * ```ts
 * const neuron = new Neuron(2, { generator: new Generator(42) });
 * neuron.w[0].data = 2;
 * neuron.w[1].data = -1;
 * console.log(neuron.toString(), neuron.forward([3, 1]).data); // ReLUNeuron(2) 5
 * ```
 */
export class Neuron extends Module {
  /** The weights, one per input. */
  readonly w: Value[];
  /** The bias. */
  readonly b: Value;
  /** Number of inputs. */
  readonly nin: number;
  readonly activation: Activation;

  constructor(nin: number, options: NeuronOptions = {}) {
    super();
    checkPositiveInteger('Neuron', 'nin', nin);
    this.nin = nin;
    this.activation = checkActivation('Neuron', 'activation', options.activation ?? 'relu');
    const generator = options.generator ?? new Generator();
    this.w = Array.from({ length: nin }, () => new Value(generator.uniform(-1, 1)));
    this.b = new Value(0);
  }

  /** `activation(b + w[0]·x[0] + … + w[nin−1]·x[nin−1])`. Numbers in `x` become constants. */
  forward(x: readonly ValueLike[]): Value {
    checkInputs('Neuron', this.nin, x);
    const w = this.w;
    let act = this.b;
    for (let i = 0; i < w.length; i++) act = act.add(w[i].mul(x[i]));
    return activate(act, this.activation);
  }

  /** The weights then the bias (micrograd's order). */
  override parameters(): Value[] {
    return [...this.w, this.b];
  }

  /** micrograd's form: `ReLUNeuron(2)`, `LinearNeuron(16)`, `TanhNeuron(3)`, `SigmoidNeuron(1)`. */
  override toString(): string {
    return `${activationDisplayName[this.activation]}Neuron(${this.nin})`;
  }
}
