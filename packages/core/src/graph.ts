/**
 * Looking at a computation graph: `trace` turns the graph behind a `Value` into plain data (for a
 * web view, JSON, tests), and `toDot` writes it in Graphviz's DOT language in the style of
 * micrograd's `draw_dot`: a record `{ label | data | grad }` per value, and a small node per op.
 */

import { topologicalOrder, type Value } from './value.js';

/**
 * One value of a traced graph.
 *
 * @example
 * ```ts
 * trace(new Value(2, [], '', { label: 'a' })).nodes[0]; // { id: 0, label: 'a', data: 2, grad: 0, op: '' }
 * ```
 */
export interface TracedValue {
  /** Position in topological order: children have smaller ids than the values computed from them. */
  id: number;
  label: string;
  data: number;
  grad: number;
  /** The op that computed it (`'+'`, `'*'`, `'tanh'`, …), or `''` for a leaf. */
  op: string;
}

/**
 * An edge from an operand (`from`, a child value's id) to the value computed from it (`to`).
 *
 * @example
 * ```ts
 * trace(new Value(2).tanh()).edges; // [{ from: 0, to: 1 }]
 * ```
 */
export interface TracedEdge {
  from: number;
  to: number;
}

/**
 * A computation graph as plain, JSON-serialisable data.
 *
 * @example
 * ```ts
 * const t: Trace = trace(new Value(2).mul(3));
 * JSON.parse(JSON.stringify(t)).root; // 2
 * ```
 */
export interface Trace {
  /** Every value the root depends on, in topological order (`nodes[i].id === i`). */
  nodes: TracedValue[];
  /** One edge per operand, grouped by `to` in operand order. */
  edges: TracedEdge[];
  /** The root's id: always the last one. */
  root: number;
}

/**
 * Options for `toDot`.
 *
 * @example
 * ```ts
 * const options: DotOptions = { rankdir: 'TB', precision: 2, title: 'L = d * f' };
 * toDot(new Value(1 / 3), options).includes('data 0.33'); // true
 * ```
 */
export interface DotOptions {
  /** Layout direction: left to right (default, as micrograd) or top to bottom. */
  rankdir?: 'LR' | 'TB';
  /** Digits after the decimal point for `data` and `grad` (default 4, micrograd's `%.4f`). */
  precision?: number;
  /** A caption drawn above the graph. */
  title?: string;
}

/**
 * The graph behind `root` as plain data: values in topological order (ids 0…n−1, `root` last) and
 * one edge per operand.
 *
 * NOTE: micrograd's `trace` keeps a *set* of edges, so `a + a` has one edge; here it has two
 * (`a → a+a` twice), one per operand, which is what the gradient (2, not 1) counts.
 *
 * @example
 * ```ts
 * const a = new Value(2, [], '', { label: 'a' });
 * const b = new Value(-3, [], '', { label: 'b' });
 * const { nodes, edges, root } = trace(a.mul(b));
 * nodes.map((n) => n.op || n.label); // ['a', 'b', '*']
 * edges; // [{ from: 0, to: 2 }, { from: 1, to: 2 }]
 * root; // 2
 * ```
 */
export function trace(root: Value): Trace {
  const order = topologicalOrder(root);
  const ids = new Map<Value, number>();
  const nodes: TracedValue[] = [];
  const edges: TracedEdge[] = [];
  for (let id = 0; id < order.length; id++) {
    const v = order[id];
    ids.set(v, id);
    nodes.push({ id, label: v.label, data: v.data, grad: v.grad, op: v.op });
    // Children come earlier in topological order, so their ids are already known.
    for (const child of v.children) edges.push({ from: ids.get(child)!, to: id });
  }
  return { nodes, edges, root: order.length - 1 };
}

/**
 * The graph behind `root` in Graphviz's DOT language, drawn like micrograd's `draw_dot`: each
 * value is a record `{ label | data 2.0000 | grad 0.0000 }`; each computed value gets a small op
 * node (`+`, `*`, `tanh`, …) with an edge into it, and every operand has an edge into that op node.
 * Render it with Graphviz (`dot -Tsvg`) or `@hpcc-js/wasm-graphviz`.
 *
 * @example
 * ```ts
 * const a = new Value(2, [], '', { label: 'a' });
 * const b = a.mul(3);
 * b.label = 'b';
 * console.log(toDot(b));
 * // digraph {
 * //   rankdir=LR;
 * //   node [fontname="Helvetica"];
 * //   v0 [shape=record, label="{ a | data 2.0000 | grad 0.0000 }"];
 * //   v1 [shape=record, label="{  | data 3.0000 | grad 0.0000 }"];
 * //   v2 [shape=record, label="{ b | data 6.0000 | grad 0.0000 }"];
 * //   op2 [label="*"];
 * //   op2 -> v2;
 * //   v0 -> op2;
 * //   v1 -> op2;
 * // }
 * ```
 */
export function toDot(root: Value, options: DotOptions = {}): string {
  const { rankdir = 'LR', precision = 4, title } = options;
  if (rankdir !== 'LR' && rankdir !== 'TB') {
    throw new RangeError(
      `Argument 'rankdir' passed to 'toDot' must be 'LR' or 'TB', got ${rankdir}`,
    );
  }
  if (!Number.isInteger(precision) || precision < 0 || precision > 100) {
    throw new RangeError(
      `Argument 'precision' passed to 'toDot' must be an integer in [0, 100], got ${precision}`,
    );
  }
  const { nodes, edges } = trace(root);
  const lines = ['digraph {', `  rankdir=${rankdir};`];
  if (title !== undefined) lines.push(`  labelloc=t;`, `  label="${escapeString(title)}";`);
  lines.push('  node [fontname="Helvetica"];');
  for (const n of nodes) {
    const label = `{ ${escapeRecord(n.label)} | data ${formatFixed(n.data, precision)} | grad ${formatFixed(n.grad, precision)} }`;
    lines.push(`  v${n.id} [shape=record, label="${label}"];`);
  }
  // Edges arrive grouped by the value they compute, in topological order.
  let k = 0;
  for (const n of nodes) {
    if (n.op === '') continue;
    lines.push(`  op${n.id} [label="${escapeString(n.op)}"];`, `  op${n.id} -> v${n.id};`);
    while (k < edges.length && edges[k].to === n.id) {
      lines.push(`  v${edges[k].from} -> op${n.id};`);
      k++;
    }
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

/**
 * Escapes text for a DOT double-quoted string: backslash and double quote; newlines become `\n`.
 */
function escapeString(text: string): string {
  return text.replace(/[\\"]/g, '\\$&').replace(/\r?\n/g, '\\n');
}

/**
 * Escapes text for one field of a `shape=record` label: the record syntax characters `{ } | < >`
 * get a backslash (Graphviz then shows them literally), on top of `escapeString`.
 */
function escapeRecord(text: string): string {
  return escapeString(text).replace(/[{}|<>]/g, '\\$&');
}

/** C's `%.Nf` as Python prints it (`nan`, `inf`, `-0.0000`). */
function formatFixed(x: number, digits: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Number.POSITIVE_INFINITY) return 'inf';
  if (x === Number.NEGATIVE_INFINITY) return '-inf';
  const s = x.toFixed(digits);
  // toFixed drops the sign of -0 and of negatives that round to zero; printf keeps it.
  return (x < 0 || Object.is(x, -0)) && !s.startsWith('-') ? `-${s}` : s;
}
