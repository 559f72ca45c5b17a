import { Generator, toValue, type Value, type ValueLike } from '@llm-playground/core';
import { type Activation, checkActivation } from './activation.js';
import { checkInputs, checkPositiveInteger } from './checks.js';
import { Layer } from './layer.js';
import { Module } from './module.js';

export interface MLPOptions {
  /** Activation of every hidden layer (default `'relu'`, as micrograd). */
  activation?: Activation;
  /** Activation of the last layer (default `'linear'`, as micrograd: raw scores/logits). */
  outputActivation?: Activation;
  /**
   * Source of the initial weights, shared by all layers in order. Default: a fresh
   * `new Generator()` (PyTorch's default seed), so an unseeded MLP is still deterministic.
   */
  generator?: Generator;
}

/**
 * A multi-layer perceptron: layers of sizes `nouts` after `nin` inputs (micrograd's `MLP`).
 * `new MLP(2, [16, 16, 1])` is micrograd's moons classifier: 2 → 16 ReLU → 16 ReLU → 1 linear,
 * 3·16 + 17·16 + 17·1 = 337 parameters.
 *
 * @example
 * ```ts
 * const model = new MLP(2, [16, 16, 1], { generator: new Generator(42) });
 * console.log(model.numParameters(), model.forward([0.5, -1]).length); // 337 1
 * console.log(new MLP(2, [3, 1]).toString());
 * // MLP of [Layer of [ReLUNeuron(2), ReLUNeuron(2), ReLUNeuron(2)], Layer of [LinearNeuron(3)]]
 * ```
 */
export class MLP extends Module {
  readonly layers: Layer[];
  /** Number of inputs. */
  readonly nin: number;
  /** Width of each layer, the last one being the number of outputs. */
  readonly nouts: readonly number[];

  constructor(nin: number, nouts: readonly number[], options: MLPOptions = {}) {
    super();
    checkPositiveInteger('MLP', 'nin', nin);
    if (!Array.isArray(nouts) || nouts.length === 0) {
      throw new RangeError(
        `Argument 'nouts' passed to 'MLP' must be a non-empty array of layer sizes, got ${JSON.stringify(nouts)}`,
      );
    }
    nouts.forEach((nout, i) => {
      checkPositiveInteger('MLP', `nouts[${i}]`, nout);
    });
    const activation = checkActivation('MLP', 'activation', options.activation ?? 'relu');
    const outputActivation = checkActivation(
      'MLP',
      'outputActivation',
      options.outputActivation ?? 'linear',
    );
    this.nin = nin;
    this.nouts = Object.freeze([...nouts]);
    const generator = options.generator ?? new Generator();
    const sizes = [nin, ...nouts];
    this.layers = nouts.map(
      (nout, i) =>
        new Layer(sizes[i], nout, {
          activation: i === nouts.length - 1 ? outputActivation : activation,
          generator,
        }),
    );
  }

  /** The outputs of the last layer (an array, also when it has one neuron). */
  forward(x: readonly ValueLike[]): Value[] {
    checkInputs('MLP', this.nin, x);
    let out: Value[] = x.map((input) => toValue(input));
    for (const layer of this.layers) out = layer.forward(out);
    return out;
  }

  /** Every layer's parameters, layer by layer. */
  override parameters(): Value[] {
    return this.layers.flatMap((layer) => layer.parameters());
  }

  override toString(): string {
    return `MLP of [${this.layers.join(', ')}]`;
  }
}
