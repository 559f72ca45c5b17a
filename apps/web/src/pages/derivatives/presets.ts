/**
 * The expression lab's presets, written in the editor's own language (core's `buildExpression`):
 * the same three as `lmp micrograd graph --preset`.
 * - `chain`: lecture 1's first graph, L = (a·b + c)·f: L = −8, dL/da = 6.
 * - `neuron`: lecture 1's 2-input neuron, o = tanh(x1·w1 + x2·w2 + b), with b chosen so that
 *   n = 0.8814 and o = 1/√2 ≈ 0.7071.
 * - `readme`: micrograd's README example (g = 24.7041, dg/da = 138.8338, dg/db = 645.5773). Python's
 *   `c += …` rebinds `c`; here each new binding gets its own name (c2, c3, d2, d3, g1).
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
} as const;

/** A preset's id. */
export type PresetId = keyof typeof PRESETS;
