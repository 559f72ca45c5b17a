import { buildExpression } from '@llm-playground/core';
import { describe, expect, it } from 'vitest';
import { ExpressionLab } from './expression-lab.js';
import { COLLAPSE_THRESHOLD, collapsedDot, groupNeurons } from './graph-collapse.js';
import { mlpSource, PRESETS } from './presets.js';

function labFor(source: string): ExpressionLab {
  return ExpressionLab.fromValue(buildExpression(source).root);
}

/** The DOT node names (`v12`, `op12`) a DOT text declares, and its edges. */
function parseDot(dot: string) {
  const declared = [...dot.matchAll(/^\s*((?:v|op)\d+) \[/gm)].map((m) => m[1]);
  const edges = [...dot.matchAll(/^\s*((?:v|op)\d+) -> ((?:v|op)\d+);/gm)].map((m) => [m[1], m[2]]);
  return { declared, edges };
}

describe('the collapsed view of a large graph', () => {
  it('the moons MLP(2, [16, 16, 1]): 979 values, 33 neurons, the inputs x1 and x2 on their own', () => {
    const lab = labFor(PRESETS.mlp.source);
    expect(lab.nodes.length).toBe(979);
    expect(lab.nodes.length).toBeGreaterThan(COLLAPSE_THRESHOLD);
    const { groups, groupOf } = groupNeurons(lab.nodes);
    expect(groups.length).toBe(33);
    // Layer 1: 2 weights, 2 products, 2 sums, bias, relu = 8 values; layer 2: 50; output: 49.
    expect(groups.map((g) => g.members.length)).toEqual([
      ...Array(16).fill(8),
      ...Array(16).fill(50),
      49,
    ]);
    expect(groups[0].summary).toBe('relu(Σ w·x + b), 2 inputs');
    expect(groups[16].summary).toBe('relu(Σ w·x + b), 16 inputs');
    expect(groups[32].summary).toBe('Σ w·x + b, 16 inputs');
    expect(groups[32].head).toBe(lab.root);
    // Every value is in exactly one group but the two inputs, which 16 neurons read.
    const alone = lab.nodes.filter((n) => groupOf[n.id] === -1).map((n) => n.label);
    expect(alone).toEqual(['x1', 'x2']);
    // A layer-2 neuron reads the 16 layer-1 outputs.
    expect(groups[16].inputs.map((id) => lab.nodes[id].label)).toEqual(
      Array.from({ length: 16 }, (_, j) => `h1_${j}`),
    );
  });

  it('collapsed: 35 boxes and no op nodes; one neuron expanded adds its values inside a cluster', () => {
    const lab = labFor(PRESETS.mlp.source);
    const grouping = groupNeurons(lab.nodes);
    const { declared, edges } = parseDot(collapsedDot(lab.nodes, grouping, new Set()));
    expect(declared.length).toBe(35); // x1, x2 and 33 neurons
    expect(declared.filter((d) => d.startsWith('op'))).toEqual([]);
    // x1, x2 → 16 (32 edges), 16 × 16 between the hidden layers, 16 into the score.
    expect(edges.length).toBe(32 + 256 + 16);
    for (const [from, to] of edges) {
      expect(declared).toContain(from);
      expect(declared).toContain(to);
    }
    // Expand the neuron h2_3: its 50 values and their op nodes appear, in a cluster.
    const h23 = lab.byLabel('h2_3')!.id;
    const dot = collapsedDot(lab.nodes, grouping, new Set([h23]));
    const open = parseDot(dot);
    expect(open.declared.length).toBe(34 + 50 + 33); // 16 products, 16 sums and the relu have ops
    expect(dot).toContain(`subgraph cluster_${h23} {`);
    // Its weights have edges into its products; the product's other operand is a collapsed h1 box.
    const w = lab.byLabel('w2_3_5')!.id;
    const product = lab.nodes.find((n) => n.op === '*' && n.children.includes(w))!;
    expect(open.edges).toContainEqual([`v${w}`, `op${product.id}`]);
    const h15 = lab.byLabel('h1_5')!.id;
    expect(open.edges).toContainEqual([`v${h15}`, `op${product.id}`]);
    for (const [from, to] of open.edges) {
      expect(open.declared).toContain(from);
      expect(open.declared).toContain(to);
    }
  });

  it('a collapsed box shows the head value: title v<head>, with data and grad placeholders', () => {
    const lab = labFor(mlpSource(2, [3, 1], [1, -1]));
    const grouping = groupNeurons(lab.nodes);
    const dot = collapsedDot(lab.nodes, grouping, new Set());
    const head = lab.byLabel('h1_0')!.id;
    expect(dot).toContain(
      `v${head} [shape=record, class="gv-group", style=filled, fillcolor="#eef4fb", label="{ h1_0 | relu(Σ w·x + b), 2 inputs\u00a0\u00a0\u00a0 | data 00000000 | grad 0000000000 }"];`,
    );
  });

  it('small graphs: the chain is one group, the neuron preset one tanh neuron; a*a keeps both edges', () => {
    const chain = labFor(PRESETS.chain.source);
    expect(groupNeurons(chain.nodes).groups.map((g) => g.summary)).toEqual(['7 values']);
    const neuron = labFor(PRESETS.neuron.source);
    expect(groupNeurons(neuron.nodes).groups.map((g) => g.summary)).toEqual([
      'tanh(Σ w·x + b), 2 inputs',
    ]);
    // Expanded, the DOT is the full graph: every value and op node, a*a with two edges.
    const square = labFor('a = 3\nL = a*a');
    const grouping = groupNeurons(square.nodes);
    const { edges } = parseDot(collapsedDot(square.nodes, grouping, new Set([square.root])));
    expect(edges.filter(([from, to]) => from === 'v0' && to === 'op1').length).toBe(2);
  });
});
