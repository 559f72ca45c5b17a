/**
 * Step 4 of the learning path, "A layer": `Layer(nin, nout)` from `@llm-playground/nn/micro` (the
 * lecture's class) on a few inputs. Every neuron reads the same inputs with its own weights and
 * bias: `oⱼ = act(nⱼ)`, `nⱼ = bⱼ + Σᵢ wⱼᵢ·xᵢ`; the layer's output is the vector (o₁, …, oₙ).
 *
 * The weights are the layer's own seeded initialisation (uniform(−1, 1), as micrograd); the biases
 * start at 0 as in micrograd and the learner moves them by dragging a neuron's point along the
 * activation curve (which sets its pre-activation n, hence b = n − Σ w·x). The outputs come from
 * `Layer.forward` (the `Value` graph); n is read from the same graph.
 */
import { Generator } from '@llm-playground/core';
import { type Activation, Layer } from '@llm-playground/nn/micro';

/** One neuron's numbers for the page. */
export interface NeuronState {
  /** Its weights, one per input. */
  w: number[];
  b: number;
  /** Pre-activation n = b + Σ w·x. */
  n: number;
  /** Output o = act(n). */
  o: number;
}

/**
 * The layer `Layer(nin, nout, { activation, generator: new Generator(seed) })`, with the biases
 * given by `biases` (neuron index → bias; the others keep micrograd's 0).
 *
 * @example
 * ```ts
 * const layer = makeLayer(3, 4, 'tanh', 42, new Map([[0, 0.5]]));
 * layer.neurons[0].b.data; // 0.5
 * ```
 */
export function makeLayer(
  nin: number,
  nout: number,
  activation: Activation,
  seed: number,
  biases: ReadonlyMap<number, number> = new Map(),
): Layer {
  const layer = new Layer(nin, nout, { activation, generator: new Generator(seed) });
  for (const [j, b] of biases) {
    const neuron = layer.neurons[j];
    if (neuron) neuron.b.data = b;
  }
  return layer;
}

/**
 * The layer's forward pass on `x`: each neuron's weights, bias, pre-activation and output.
 *
 * @example
 * ```ts
 * const layer = makeLayer(2, 1, 'linear', 0);
 * layer.neurons[0].w[0].data = 2; layer.neurons[0].w[1].data = -1;
 * layerForward(layer, [3, 1])[0]; // { w: [2, -1], b: 0, n: 5, o: 5 }
 * ```
 */
export function layerForward(layer: Layer, x: readonly number[]): NeuronState[] {
  const outputs = layer.forward(x);
  return layer.neurons.map((neuron, j) => {
    const out = outputs[j];
    // The graph's last node is the activation; its operand is n (a linear neuron's n is its output).
    const n = neuron.activation === 'linear' ? out.data : out.children[0].data;
    return { w: neuron.w.map((w) => w.data), b: neuron.b.data, n, o: out.data };
  });
}

/**
 * The bias that gives a neuron the pre-activation `n` on inputs `x`: b = n − Σ w·x.
 *
 * @example
 * ```ts
 * biasFor([2, -1], [3, 1], 0.5); // 0.5 − 5 = −4.5
 * ```
 */
export function biasFor(w: readonly number[], x: readonly number[], n: number): number {
  let sum = 0;
  for (let i = 0; i < w.length; i++) sum += w[i] * x[i];
  return n - sum;
}

/** The activations on plain numbers, for drawing the curve (the outputs come from `Value`). */
export const ACTIVATION_CURVES: Readonly<Record<Activation, (n: number) => number>> = {
  tanh: Math.tanh,
  relu: (n) => Math.max(0, n),
  sigmoid: (n) => (n >= 0 ? 1 / (1 + Math.exp(-n)) : Math.exp(n) / (1 + Math.exp(n))),
  linear: (n) => n,
};

/** The plotted window: n ∈ [−N_REACH, N_REACH], and y over each activation's range there. */
export const N_REACH = 6;

/**
 * The y range of the activation plot: the activation's values over n ∈ [−6, 6] with a margin, so
 * nothing is clipped (ReLU and linear grow without bound: the whole window shows).
 *
 * @example
 * ```ts
 * activationRange('tanh'); // [-1.2, 1.2]
 * ```
 */
export function activationRange(activation: Activation): [number, number] {
  const ranges: Record<Activation, [number, number]> = {
    tanh: [-1.2, 1.2],
    sigmoid: [-0.1, 1.1],
    relu: [-0.6, N_REACH * 1.05],
    linear: [-N_REACH * 1.05, N_REACH * 1.05],
  };
  return ranges[activation];
}

/** Biases in the URL: `1:0.5,3:-2` (1-based neuron numbers, as the page shows them). */
export function parseBiases(text: string, nout: number): Map<number, number> {
  const biases = new Map<number, number>();
  for (const entry of text.split(',')) {
    const match = /^\s*(\d+)\s*:\s*(\S+)\s*$/.exec(entry);
    if (!match) continue;
    const j = Number(match[1]) - 1;
    const b = Number(match[2]);
    if (j >= 0 && j < nout && Number.isFinite(b)) biases.set(j, b);
  }
  return biases;
}

/** The inverse of `parseBiases`, zero biases left out (micrograd's start), rounded to 1e-4. */
export function formatBiases(biases: ReadonlyMap<number, number>): string {
  return [...biases]
    .filter(([, b]) => b !== 0)
    .sort(([a], [b]) => a - b)
    .map(([j, b]) => `${j + 1}:${Number(b.toFixed(4))}`)
    .join(',');
}
