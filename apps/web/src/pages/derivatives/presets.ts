import { Generator } from '@llm-playground/core';
import { MLP } from '@llm-playground/nn/micro';

/**
 * The expression source of `MLP(nin, nouts)`'s score for one point, statement by statement as
 * micrograd's `Neuron` builds it: `h1_0 = relu(b1_0 + w1_0_0*x1 + w1_0_1*x2)`, the last layer
 * linear. Weights are the model's (seeded) rounded to 4 decimals; biases start at 0.
 *
 * @example
 * ```ts
 * buildExpression(mlpSource(2, [16, 16, 1], [0.5, 0.25])).root; // 979 values behind it
 * ```
 */
export function mlpSource(
  nin: number,
  nouts: readonly number[],
  point: readonly number[],
  seed = 1337,
): string {
  const model = new MLP(nin, nouts, { generator: new Generator(seed) });
  const lines = point.map((x, i) => `x${i + 1} = ${x}`);
  let inputs = lines.map((_, i) => `x${i + 1}`);
  model.layers.forEach((layer, l) => {
    const outputs: string[] = [];
    layer.neurons.forEach((neuron, j) => {
      const w = neuron.w.map((_, i) => `w${l + 1}_${j}_${i}`);
      for (const [i, weight] of neuron.w.entries()) {
        lines.push(`${w[i]} = ${Number(weight.data.toFixed(4))}`);
      }
      lines.push(`b${l + 1}_${j} = ${neuron.b.data}`);
      const sum = [`b${l + 1}_${j}`, ...w.map((name, i) => `${name}*${inputs[i]}`)].join(' + ');
      const last = l === model.layers.length - 1;
      const name = last ? (layer.nout === 1 ? 'score' : `out_${j}`) : `h${l + 1}_${j}`;
      lines.push(
        `${name} = ${neuron.activation === 'linear' ? sum : `${neuron.activation}(${sum})`}`,
      );
      outputs.push(name);
    });
    inputs = outputs;
  });
  return lines.join('\n');
}

/**
 * The expression lab's presets, written in the editor's own language (core's `buildExpression`):
 * the three of `lmp micrograd graph --preset`, and the moons page's MLP.
 * - `chain`: lecture 1's first graph, L = (a·b + c)·f: L = −8, dL/da = 6.
 * - `neuron`: lecture 1's 2-input neuron, o = tanh(x1·w1 + x2·w2 + b), with b chosen so that
 *   n = 0.8814 and o = 1/√2 ≈ 0.7071.
 * - `readme`: micrograd's README example (g = 24.7041, dg/da = 138.8338, dg/db = 645.5773). Python's
 *   `c += …` rebinds `c`; here each new binding gets its own name (c2, c3, d2, d3, g1).
 * - `mlp`: the moons page's network, `MLP(2, [16, 16, 1])` from `@llm-playground/nn/micro`
 *   (seeded weights, rounded to 4 decimals), scoring one point: 979 values, opened collapsed (a
 *   neuron per box, see `graph-collapse.ts`).
 *
 * @example
 * ```ts
 * buildExpression(PRESETS.chain.source).root.data; // -8
 * ```
 */
export const PRESETS = {
  chain: {
    title: 'L = d·f (lecture 1)',
    source: 'a = 2\nb = -3\nc = 10\ne = a*b\nd = e + c\nf = -2\nL = d*f',
  },
  neuron: {
    title: '2-input tanh neuron',
    source:
      'x1 = 2\nx2 = 0\nw1 = -3\nw2 = 1\nb = 6.8813735870195432\n' +
      'x1w1 = x1*w1\nx2w2 = x2*w2\nx1w1x2w2 = x1w1 + x2w2\nn = x1w1x2w2 + b\no = tanh(n)',
  },
  readme: {
    title: "micrograd's README",
    source:
      'a = -4\nb = 2\nc = a + b\nd = a*b + b**3\n' +
      'c2 = c + (c + 1)\nc3 = c2 + (1 + c2 + (-a))\n' +
      'd2 = d + (d*2 + relu(b + a))\nd3 = d2 + (3*d2 + relu(b - a))\n' +
      'e = c3 - d3\nf = e**2\ng1 = f / 2\ng = g1 + 10 / f',
  },
  mlp: {
    title: 'MLP(2, [16, 16, 1]): 979 values',
    source: mlpSource(2, [16, 16, 1], [0.5, 0.25]),
  },
};

/** A preset's id. */
export type PresetId = keyof typeof PRESETS;
