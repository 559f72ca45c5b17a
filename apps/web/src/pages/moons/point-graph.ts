/**
 * The computational graph of one point's score: the MLP's forward pass built from `Value`s (weights
 * as labelled leaves). The page runs it through `ExpressionLab` (forward, backward) to show each
 * weight's grad d(score)/d(weight) at this point.
 * Built from a weight snapshot on demand (one point: a few hundred to a thousand nodes), never for
 * a grid.
 */
import { Value } from '@llm-playground/core';
import type { MLPSnapshot } from './mlp-snapshot.js';

/** Refuse graphs larger than this many values: Graphviz would take many seconds. */
export const MAX_GRAPH_VALUES = 2500;

/**
 * How many `Value` nodes the score graph of `snapshot` has: per neuron nin weights, nin products,
 * nin sums, the bias and (hidden layers) the activation; plus the inputs.
 *
 * @example
 * ```ts
 * countScoreValues(snapshotMLP(new micro.MLP(2, [16, 16, 1]))); // 979
 * ```
 */
export function countScoreValues(snapshot: MLPSnapshot): number {
  let count = snapshot.nin;
  for (const layer of snapshot.layers) {
    const perNeuron = 3 * layer.nin + 1 + (layer.activation === 'linear' ? 0 : 1);
    count += layer.nout * perNeuron;
  }
  return count;
}

/**
 * The score of `point` as a `Value` graph with labels (`x1`, `x2`, `w2[3,0]`, `b2[3]`, `h2[3]`,
 * `score`); forward done, no backward.
 *
 * @example
 * ```ts
 * const root = scoreGraph(snapshot, [0.5, 0.2]);
 * root.data === scoreSnapshot(snapshot, [0.5, 0.2]); // true
 * ```
 */
export function scoreGraph(snapshot: MLPSnapshot, point: readonly number[]): Value {
  let inputs = point.map((x, i) => new Value(x, [], '', { label: `x${i + 1}` }));
  snapshot.layers.forEach((layer, l) => {
    const outputs: Value[] = [];
    for (let j = 0; j < layer.nout; j++) {
      // micrograd's Neuron: start from b, add w[i]·x[i] in turn, then the nonlinearity.
      let act = new Value(layer.b[j], [], '', { label: `b${l + 1}[${j}]` });
      for (let i = 0; i < layer.nin; i++) {
        const w = new Value(layer.W[j * layer.nin + i], [], '', { label: `w${l + 1}[${j},${i}]` });
        act = act.add(w.mul(inputs[i]));
      }
      const out =
        layer.activation === 'relu'
          ? act.relu()
          : layer.activation === 'tanh'
            ? act.tanh()
            : layer.activation === 'sigmoid'
              ? act.sigmoid()
              : act;
      out.label = `h${l + 1}[${j}]`;
      outputs.push(out);
    }
    inputs = outputs;
  });
  const root = inputs[0];
  root.label = 'score';
  return root;
}
