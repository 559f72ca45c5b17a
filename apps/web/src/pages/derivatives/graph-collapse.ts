/**
 * The collapsed view of a large graph: a neuron drawn as one box. A moons point's score graph has
 * 979 values (per neuron: its weights, the products wᵢ·xᵢ, the running sums, the bias and the
 * activation); laid out value by value it is ~23,000 px wide and unreadable. Collapsed, each
 * neuron is one record `{ h2[3] | relu(Σ w·x + b), 16 inputs | data | grad }` and the graph has a
 * few dozen boxes; any neuron expands back into its values on a click.
 *
 * What a "neuron" is comes from the graph alone, so any graph collapses, whoever built it: every
 * activation (`tanh`, `ReLU`, `sigmoid`) and the root head a group, and a value joins a group when
 * every value computed from it is in that group (its weights, products, partial sums and bias are
 * used by that neuron only; an input `x1`, read by 16 neurons, stays on its own).
 */
import type { LabNode } from './expression-lab.js';
import { formatFixed } from './graph-dot.js';

/** Above this many values a graph opens collapsed. The README preset (41) opens in full. */
export const COLLAPSE_THRESHOLD = 150;

/** The ops that end a neuron. */
const ACTIVATIONS = new Set(['tanh', 'ReLU', 'sigmoid']);

/** One neuron (or the root's group): a head value and the values only it uses. */
export interface NeuronGroup {
  /** The value the box stands for (the activation, or the root): its data and grad are shown. */
  head: number;
  /** Every value of the group, the head included, in topological order. */
  members: number[];
  /** Values outside the group read by its members (the neuron's inputs), in first-use order. */
  inputs: number[];
  /** `relu(Σ w·x + b)`, `Σ w·x + b`, …: what the box computes. */
  summary: string;
}

/** The groups of a graph and which group each value belongs to (−1: a value on its own). */
export interface Grouping {
  groups: NeuronGroup[];
  /** `groupOf[id]` is an index into `groups`, or −1. */
  groupOf: Int32Array;
}

/**
 * Finds the neurons of a graph (see the file's comment). Groups of one value are dropped: there is
 * nothing to collapse.
 *
 * @example
 * ```ts
 * // tanh(x1·w1 + x2·w2 + b): one group, the whole graph but nothing else
 * groupNeurons(lab.nodes).groups[0].summary; // 'tanh(Σ w·x + b), 2 inputs'
 * ```
 */
export function groupNeurons(nodes: readonly LabNode[]): Grouping {
  const n = nodes.length;
  const groupOf = new Int32Array(n).fill(-1);
  // Consumers of each value (an operand used twice counts once).
  const consumers: number[][] = nodes.map(() => []);
  for (const node of nodes) {
    for (const child of new Set(node.children)) consumers[child].push(node.id);
  }
  const heads: number[] = [];
  const headGroup = new Map<number, number>();
  for (const node of nodes) {
    if (ACTIVATIONS.has(node.op) || node.id === n - 1) {
      headGroup.set(node.id, heads.length);
      heads.push(node.id);
    }
  }
  // Reverse topological order: every consumer of a value is decided before the value.
  for (let id = n - 1; id >= 0; id--) {
    const head = headGroup.get(id);
    if (head !== undefined) {
      groupOf[id] = head;
      continue;
    }
    const users = consumers[id];
    if (users.length === 0) continue;
    const group = groupOf[users[0]];
    if (group >= 0 && users.every((u) => groupOf[u] === group)) groupOf[id] = group;
  }
  const members: number[][] = heads.map(() => []);
  for (let id = 0; id < n; id++) if (groupOf[id] >= 0) members[groupOf[id]].push(id);
  // Renumber, dropping groups of a single value.
  const keep = heads.map((_, g) => members[g].length > 1);
  const index = new Int32Array(heads.length).fill(-1);
  const groups: NeuronGroup[] = [];
  heads.forEach((head, g) => {
    if (!keep[g]) return;
    index[g] = groups.length;
    const inside = new Set(members[g]);
    const inputs: number[] = [];
    for (const id of members[g]) {
      for (const child of nodes[id].children) {
        if (!inside.has(child) && !inputs.includes(child)) inputs.push(child);
      }
    }
    groups.push({ head, members: members[g], inputs, summary: summarize(nodes, members[g], head) });
  });
  for (let id = 0; id < n; id++) groupOf[id] = groupOf[id] >= 0 ? index[groupOf[id]] : -1;
  return { groups, groupOf };
}

/** `relu(Σ w·x + b), 16 inputs` for a neuron; `12 values` for any other group. */
function summarize(nodes: readonly LabNode[], members: number[], head: number): string {
  const products = members.filter((id) => nodes[id].op === '*').length;
  const sums = members.filter((id) => nodes[id].op === '+').length;
  const op = nodes[head].op;
  const activation = ACTIVATIONS.has(op) ? op.toLowerCase() : '';
  // A neuron of n inputs: n products w·x added in turn to the bias, n sums.
  const isNeuron = products > 0 && sums === products;
  if (isNeuron) {
    const sum = 'Σ w·x + b';
    return `${activation ? `${activation}(${sum})` : sum}, ${products} input${products === 1 ? '' : 's'}`;
  }
  return `${activation ? `${activation}(…), ` : ''}${members.length} values`;
}

/** The name drawn for a value: its label, a constant's number, or its op. */
function valueName(node: LabNode): string {
  if (node.label) return node.label;
  if (node.op === '') return formatFixed(node.data).replace(/\.?0+$/, '') || '0';
  return `(${node.op})`;
}

/** Escapes a DOT string and a record field (as core's `toDot`). */
function escapeRecord(text: string): string {
  return text
    .replace(/[\\"]/g, '\\$&')
    .replace(/\r?\n/g, '\\n')
    .replace(/[{}|<>]/g, '\\$&');
}

/**
 * DOT text for the graph with the groups not in `expanded` drawn as one box each, titled
 * `v<head>` like a value (so the page writes the head's data and grad into it) and given the
 * class `gv-group`; values outside them are drawn as `toDot` does (record + op node). The numbers
 * are placeholders `width` characters wide (see `structureDot`). An expanded group is a dashed
 * cluster (`cluster_<head>`) whose label collapses it again.
 *
 * @example
 * ```ts
 * const grouping = groupNeurons(lab.nodes);
 * collapsedDot(lab.nodes, grouping, new Set()).includes('class="gv-group"'); // true
 * ```
 */
export function collapsedDot(
  nodes: readonly LabNode[],
  grouping: Grouping,
  expanded: ReadonlySet<number>,
  width = 8,
): string {
  const { groups, groupOf } = grouping;
  const placeholder = '0'.repeat(width);
  // Two more characters after the grad for the nudge check's mark (see `structureDot`).
  const numbers = `data ${placeholder} | grad ${placeholder}00`;
  const collapsed = (id: number) => {
    const g = groupOf[id];
    return g >= 0 && !expanded.has(groups[g].head);
  };
  /** The DOT node an edge from value `id` starts at. */
  const source = (id: number) => (collapsed(id) ? `v${groups[groupOf[id]].head}` : `v${id}`);
  const lines = ['digraph {', '  rankdir=LR;', '  node [fontname="Helvetica"];'];
  const clusters = new Map<number, string[]>();
  const place = (id: number, line: string) => {
    const g = groupOf[id];
    if (g >= 0 && expanded.has(groups[g].head)) {
      const list = clusters.get(g) ?? [];
      list.push(line);
      clusters.set(g, list);
    } else lines.push(`  ${line}`);
  };
  const edges = new Set<string>();
  for (const node of nodes) {
    if (collapsed(node.id)) {
      const group = groups[groupOf[node.id]];
      if (node.id !== group.head) continue;
      // Graphviz measures text with Helvetica's metrics, the browser draws it wider (DejaVu Sans):
      // three no-break spaces keep `Σ w·x + b` inside its field.
      const summary = `${escapeRecord(group.summary)}\u00a0\u00a0\u00a0`;
      const label = `{ ${escapeRecord(valueName(node))} | ${summary} | ${numbers} }`;
      lines.push(
        `  v${node.id} [shape=record, class="gv-group", style=filled, fillcolor="#eef4fb", label="${label}"];`,
      );
      for (const input of group.inputs) edges.add(`  ${source(input)} -> v${node.id};`);
      continue;
    }
    place(
      node.id,
      `v${node.id} [shape=record, label="{ ${escapeRecord(valueName(node))} | ${numbers} }"];`,
    );
    if (node.op === '') continue;
    place(node.id, `op${node.id} [label="${escapeRecord(node.op)}"];`);
    edges.add(`  op${node.id} -> v${node.id};`);
    for (const child of node.children) {
      // Two edges for `a*a`, as toDot (one per operand): keep duplicates within a value's operands.
      const edge = `  ${source(child)} -> op${node.id};`;
      if (edges.has(edge)) lines.push(edge);
      else edges.add(edge);
    }
  }
  for (const [g, body] of clusters) {
    const head = groups[g].head;
    lines.push(
      `  subgraph cluster_${head} {`,
      `    label="${escapeRecord(valueName(nodes[head]))}: click here to collapse"; style=dashed; color="#2f6fb3"; fontname="Helvetica"; fontcolor="#2f6fb3";`,
      ...body.map((line) => `    ${line}`),
      '  }',
    );
  }
  lines.push(...edges, '}');
  return `${lines.join('\n')}\n`;
}
