import { buildExpression, Value } from '@llm-playground/core';
import { describe, expect, it } from 'vitest';
import {
  CHECK_MARKS,
  checkGradient,
  ExpressionLab,
  gradientsAgree,
  nonFiniteExplanation,
} from './expression-lab.js';
import { PRESETS, type PresetId } from './presets.js';

function labFor(source: string) {
  const built = buildExpression(source);
  return { lab: ExpressionLab.fromValue(built.root), built };
}

describe('ExpressionLab', () => {
  it("runs lecture 1's chain: L = -8; a.grad = 6, b.grad = -4, c.grad = -2, f.grad = 4", () => {
    const { lab } = labFor(PRESETS.chain.source);
    expect(lab.phase).toBe('built');
    lab.forward();
    expect(lab.nodes[lab.root].data).toBe(-8);
    expect(lab.nodes.every((n) => n.grad === 0)).toBe(true);
    lab.backward();
    const grads = Object.fromEntries(lab.nodes.map((n) => [n.label, n.grad]));
    expect(grads).toEqual({ a: 6, b: -4, c: -2, e: -2, d: -2, f: 4, L: 1 });
  });

  it('steps backward in reverse topological order: seed L, then L = d*f, d = e + c, e = a*b', () => {
    const { lab } = labFor(PRESETS.chain.source);
    lab.forward();
    const seen: string[] = [];
    const first = lab.stepBackward()!;
    expect(first.kind).toBe('seed');
    expect(lab.nodes[first.node].label).toBe('L');
    expect(lab.nodes[first.node].grad).toBe(1);
    let step = lab.stepBackward();
    const explanations: string[] = [];
    while (step !== null) {
      const name = lab.nodes[step.node].label;
      seen.push(name);
      for (const t of step.terms) {
        explanations.push(
          `${name}->${lab.nodes[t.child].label}: ${t.local} x ${step.upstream} = ${t.contribution}`,
        );
      }
      step = lab.stepBackward();
    }
    expect(seen).toEqual(['L', 'd', 'e']);
    expect(explanations).toEqual([
      'L->d: -2 x 1 = -2',
      'L->f: 4 x 1 = 4',
      'd->e: 1 x -2 = -2',
      'd->c: 1 x -2 = -2',
      'e->a: -3 x -2 = 6',
      'e->b: 2 x -2 = -4',
    ]);
    expect(lab.phase).toBe('backward');
    expect(lab.stepsTaken).toBe(4);
  });

  it('a node is stepped only after every node computed from it (its grad is complete)', () => {
    const { lab } = labFor(PRESETS.readme.source);
    lab.forward();
    const done = new Set<number>();
    for (const { node, kind } of lab.backwardOrder) {
      if (kind === 'seed') continue;
      for (const parent of lab.nodes) {
        if (parent.children.includes(node)) expect(done.has(parent.id)).toBe(true);
      }
      done.add(node);
    }
  });

  for (const id of Object.keys(PRESETS) as PresetId[]) {
    it(`stepping to the end gives exactly Value.backward()'s grads (${id})`, () => {
      const { lab, built } = labFor(PRESETS[id].source);
      lab.forward();
      while (lab.stepBackward() !== null) {
        // step
      }
      built.root.backward();
      const { nodes } = lab;
      for (const v of built.names.values()) {
        const node = lab.byLabel(v.label)!;
        expect(node.grad).toBe(v.grad);
        expect(node.data).toBe(v.data);
      }
      expect(nodes[lab.root].data).toBe(built.root.data);
    });
  }

  it("reproduces micrograd's README numbers: g = 24.7041, dg/da = 138.8338, dg/db = 645.5773", () => {
    const { lab } = labFor(PRESETS.readme.source);
    lab.forward();
    lab.backward();
    expect(lab.nodes[lab.root].data.toFixed(4)).toBe('24.7041');
    expect(lab.byLabel('a')!.grad.toFixed(4)).toBe('138.8338');
    expect(lab.byLabel('b')!.grad.toFixed(4)).toBe('645.5773');
  });

  it('the neuron: o = 1/√2, w1.grad = 1, x1.grad = -1.5', () => {
    const { lab } = labFor(PRESETS.neuron.source);
    lab.backward();
    expect(lab.nodes[lab.root].data).toBeCloseTo(Math.SQRT1_2, 12);
    expect(lab.byLabel('w1')!.grad).toBeCloseTo(1, 12);
    expect(lab.byLabel('x1')!.grad).toBeCloseTo(-1.5, 12);
  });

  it('nudge: (L(x+h) − L(x))/h of every node (leaves and inner nodes) matches its grad', () => {
    for (const id of Object.keys(PRESETS) as PresetId[]) {
      const { lab } = labFor(PRESETS[id].source);
      lab.backward();
      for (const n of lab.nodes) {
        const numeric = lab.nudge(n.id, 1e-6);
        expect(Math.abs(numeric - n.grad)).toBeLessThan(1e-3 * (1 + Math.abs(n.grad)));
        expect(gradientsAgree(n.grad, numeric, 1e-6)).toBe(true);
      }
    }
    // The lecture's hand check: nudging a by 0.001 in the chain changes L by ≈ 6·0.001.
    const { lab } = labFor(PRESETS.chain.source);
    lab.forward();
    expect(lab.nudge(lab.byLabel('a')!.id, 0.001)).toBeCloseTo(6, 9);
    // An inner node: dL/dd = f = -2.
    expect(lab.nudge(lab.byLabel('d')!.id, 0.001)).toBeCloseTo(-2, 9);
  });

  it('gradientsAgree flags a wrong grad and non-finite values', () => {
    expect(gradientsAgree(6, 6.000001, 1e-6)).toBe(true);
    expect(gradientsAgree(6, 6.5, 1e-6)).toBe(false);
    expect(gradientsAgree(Number.NaN, 1, 1e-6)).toBe(false);
  });

  it('checkGradient grades a nudge: ✓ at h = 1e-6, ≈ at a coarse h, ✗ for a wrong grad', () => {
    // The README graph is curved: at h = 1e-6 every node agrees to 1e-4 (✓); at h = 1e-2 the
    // forward difference of g = f/2 + 10/f is off by ~h·g''/2 and some nodes read ≈, none ✗.
    const { lab } = labFor(PRESETS.readme.source);
    lab.backward();
    const grades = (h: number) =>
      lab.nodes.map((n) => checkGradient(n.grad, lab.nudge(n.id, h), h));
    expect(new Set(grades(1e-6))).toEqual(new Set(['agree']));
    const coarse = grades(1e-2);
    expect(coarse).toContain('close');
    expect(coarse).not.toContain('differ');
    const a = lab.byLabel('a')!;
    const numeric = lab.nudge(a.id, 1e-2);
    expect(Math.abs(numeric - a.grad)).toBeGreaterThan(1e-4 * (1 + Math.abs(a.grad)));
    expect(checkGradient(a.grad, numeric, 1e-2)).toBe('close');
    // A wrong grad (sign flipped) is ✗ at any h.
    expect(checkGradient(-a.grad, lab.nudge(a.id, 1e-6), 1e-6)).toBe('differ');
    expect(checkGradient(6, 6.000003, 1e-6)).toBe('agree');
    expect([CHECK_MARKS.agree, CHECK_MARKS.close, CHECK_MARKS.differ]).toEqual(['✓', '≈', '✗']);
  });

  // Issue 10: "-inf vs -inf is marked ≠", and inf/NaN in a graph were not explained.
  it('the same infinity agrees; a NaN cannot be checked; inf and NaN are explained', () => {
    expect(gradientsAgree(Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e-6)).toBe(true);
    expect(checkGradient(Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e-6)).toBe('agree');
    expect(checkGradient(Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e-6)).toBe('differ');
    expect(checkGradient(Number.NaN, Number.NaN, 1e-6)).toBe('unknown');
    expect(checkGradient(6, 6.5, 1e-6)).toBe('differ');
    expect(nonFiniteExplanation([1, 2])).toBeNull();
    expect(nonFiniteExplanation([1, Number.NEGATIVE_INFINITY])).toMatch(
      /^inf \(or -inf\) means the number overflowed/,
    );
    const both = nonFiniteExplanation([Number.NaN, Number.POSITIVE_INFINITY]) ?? '';
    expect(both).toContain('overflowed');
    expect(both).toContain('NaN ("not a number") means the result is undefined');
    // A graph that overflows: exp(1000) is inf, and inf − inf is NaN.
    const { lab } = labFor('a = 1000\nb = exp(a)\nL = b - b');
    lab.forward();
    expect(lab.nodes.map((n) => n.data)).toContain(Number.POSITIVE_INFINITY);
    expect(Number.isNaN(lab.nodes[lab.root].data)).toBe(true);
    expect(nonFiniteExplanation(lab.nodes.map((n) => n.data))).toContain('NaN');
  });

  it('setLeaf re-runs forward and backward: a = 3 in the chain gives L = -2·(3·-3 + 10) = -2', () => {
    const { lab } = labFor(PRESETS.chain.source);
    lab.backward();
    lab.setLeaf(lab.byLabel('a')!.id, 3);
    expect(lab.nodes[lab.root].data).toBe(-2);
    expect(lab.phase).toBe('backward');
    expect(lab.byLabel('a')!.grad).toBe(6); // dL/da = b·f = (-3)(-2)
    expect(lab.byLabel('b')!.grad).toBe(-6); // dL/db = a·f
    // Mid-way through stepping: the same number of steps is re-applied.
    lab.zeroGrad();
    lab.stepBackward();
    lab.stepBackward();
    lab.setLeaf(lab.byLabel('f')!.id, 1);
    expect(lab.stepsTaken).toBe(2);
    expect(lab.byLabel('d')!.grad).toBe(1); // ∂L/∂d = f = 1
    expect(() => lab.setLeaf(lab.root, 1)).toThrow(/must be a leaf's id, got 6/);
  });

  it('accumulates when an operand is used twice: y = x*x + x has dy/dx = 2x + 1', () => {
    const x = new Value(3, [], '', { label: 'x' });
    const lab = ExpressionLab.fromValue(x.mul(x).add(x));
    lab.backward();
    expect(lab.byLabel('x')!.grad).toBe(7);
  });

  it('covers every op: exp log tanh relu sigmoid pow and division against Value.backward', () => {
    const { lab, built } = labFor(
      'a = 0.7; b = -1.3; c = exp(a) * log(a + 2) + tanh(b) - relu(b) + relu(a) * sigmoid(b); d = c**3 / (a - b); e = sigmoid(-40 * d)',
    );
    lab.backward();
    built.root.backward();
    for (const name of ['a', 'b', 'c', 'd', 'e']) {
      const v = built.names.get(name)!;
      expect(lab.byLabel(name)!.grad).toBe(v.grad);
      expect(lab.byLabel(name)!.data).toBe(v.data);
    }
  });
});
