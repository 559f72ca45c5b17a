import { describe, expect, it } from 'vitest';
import { toDot, trace } from './graph.js';
import { Value } from './value.js';

/** The lecture's expression: L = (a*b + c) * f. */
function lectureGraph() {
  const a = new Value(2.0, [], '', { label: 'a' });
  const b = new Value(-3.0, [], '', { label: 'b' });
  const c = new Value(10.0, [], '', { label: 'c' });
  const e = a.mul(b);
  e.label = 'e';
  const d = e.add(c);
  d.label = 'd';
  const f = new Value(-2.0, [], '', { label: 'f' });
  const L = d.mul(f);
  L.label = 'L';
  return { a, b, c, d, e, f, L };
}

describe('trace', () => {
  it('L = d*f from the lecture: values in topological order, one edge per operand', () => {
    const { L } = lectureGraph();
    L.backward();
    const t = trace(L);
    expect(t.nodes).toEqual([
      { id: 0, label: 'a', data: 2, grad: 6, op: '' },
      { id: 1, label: 'b', data: -3, grad: -4, op: '' },
      { id: 2, label: 'e', data: -6, grad: -2, op: '*' },
      { id: 3, label: 'c', data: 10, grad: -2, op: '' },
      { id: 4, label: 'd', data: 4, grad: -2, op: '+' },
      { id: 5, label: 'f', data: -2, grad: 4, op: '' },
      { id: 6, label: 'L', data: -8, grad: 1, op: '*' },
    ]);
    expect(t.edges).toEqual([
      { from: 0, to: 2 },
      { from: 1, to: 2 },
      { from: 2, to: 4 },
      { from: 3, to: 4 },
      { from: 4, to: 6 },
      { from: 5, to: 6 },
    ]);
    expect(t.root).toBe(6);
    expect(JSON.parse(JSON.stringify(t))).toEqual(t);
  });

  it('a value used twice: one node, two edges', () => {
    const a = new Value(3, [], '', { label: 'a' });
    const t = trace(a.add(a));
    expect(t.nodes).toHaveLength(2);
    expect(t.edges).toEqual([
      { from: 0, to: 1 },
      { from: 0, to: 1 },
    ]);
  });

  it('a leaf alone', () => {
    expect(trace(new Value(1.5))).toEqual({
      nodes: [{ id: 0, label: '', data: 1.5, grad: 0, op: '' }],
      edges: [],
      root: 0,
    });
  });
});

describe('toDot', () => {
  it('golden output for a small expression', () => {
    // o = tanh(a*b) = tanh(-0.25) = -0.2449; do/d(ab) = 1 - o² = 0.9400; a.grad = -0.4700.
    const a = new Value(0.5, [], '', { label: 'a' });
    const b = new Value(-0.5, [], '', { label: 'b' });
    const o = a.mul(b).tanh();
    o.label = 'o';
    o.backward();
    expect(toDot(o)).toBe(
      [
        'digraph {',
        '  rankdir=LR;',
        '  node [fontname="Helvetica"];',
        '  v0 [shape=record, label="{ a | data 0.5000 | grad -0.4700 }"];',
        '  v1 [shape=record, label="{ b | data -0.5000 | grad 0.4700 }"];',
        '  v2 [shape=record, label="{  | data -0.2500 | grad 0.9400 }"];',
        '  v3 [shape=record, label="{ o | data -0.2449 | grad 1.0000 }"];',
        '  op2 [label="*"];',
        '  op2 -> v2;',
        '  v0 -> op2;',
        '  v1 -> op2;',
        '  op3 [label="tanh"];',
        '  op3 -> v3;',
        '  v2 -> op3;',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('options: rankdir, precision, title', () => {
    const x = new Value(1 / 3, [], '', { label: 'x' });
    const dot = toDot(x.exp(), { rankdir: 'TB', precision: 2, title: 'e to the "x"' });
    expect(dot).toContain('  rankdir=TB;\n  labelloc=t;\n  label="e to the \\"x\\"";\n');
    expect(dot).toContain('label="{ x | data 0.33 | grad 0.00 }"');
    expect(dot).toContain('label="{  | data 1.40 | grad 0.00 }"');
    expect(() => toDot(x, { precision: -1 })).toThrow(/'precision' passed to 'toDot'/);
    expect(() => toDot(x, { rankdir: 'RL' as 'LR' })).toThrow(
      /'rankdir' passed to 'toDot' must be 'LR' or 'TB', got RL/,
    );
  });

  it('escapes record-special characters and quotes in labels, and quotes in op names', () => {
    const v = new Value(1, [], '', { label: 'w{1}|<in>"q"\\' });
    const custom = new Value(2, [v], 'say "hi"');
    const dot = toDot(custom);
    expect(dot).toContain(
      'v0 [shape=record, label="{ w\\{1\\}\\|\\<in\\>\\"q\\"\\\\ | data 1.0000 | grad 0.0000 }"];',
    );
    expect(dot).toContain('op1 [label="say \\"hi\\""];');
    // Every double quote that is not escaped opens or closes a string: they pair up on each line.
    for (const line of dot.split('\n'))
      expect(line.replace(/\\\\/g, '').replace(/\\"/g, '').split('"').length % 2).toBe(1);
  });

  it('negative zero and tiny negatives keep their sign, as printf does', () => {
    const dot = toDot(new Value(-0.00001).mul(0));
    expect(dot).toContain('data -0.0000');
  });

  it('NaN and infinities print as Python does', () => {
    const dot = toDot(new Value(Number.NaN).add(Number.POSITIVE_INFINITY));
    expect(dot).toContain('data nan');
    expect(dot).toContain('data inf');
  });
});
