import { toDot, Value } from '@llm-playground/core';
import { render } from 'preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ExpressionLab } from './expression-lab.js';
import { formatFixed, structureDot } from './graph-dot.js';
import { layoutDot } from './graph-layout.js';
import { type GraphNodeText, GraphView } from './graph-view.js';

/** Lecture 1's first graph, built as in the lecture (the expression lab's `chain` preset). */
function chain(): Value {
  const leaf = (data: number, label: string) => new Value(data, [], '', { label });
  const named = (v: Value, label: string) => {
    v.label = label;
    return v;
  };
  const a = leaf(2, 'a');
  const b = leaf(-3, 'b');
  const c = leaf(10, 'c');
  const e = named(a.mul(b), 'e');
  const d = named(e.add(c), 'd');
  const f = leaf(-2, 'f');
  return named(d.mul(f), 'L');
}

// Lecture 1's first graph: a = 2, b = −3, c = 10, e = a·b, d = e + c, f = −2, L = d·f = −8, and
// by the chain rule dL/da = f·b = 6, dL/db = f·a = −4, dL/dc = dL/de = f = −2, dL/df = d = 4.
const expected: Record<string, [string, string]> = {
  a: ['2.0000', '6.0000'],
  b: ['-3.0000', '-4.0000'],
  c: ['10.0000', '-2.0000'],
  e: ['-6.0000', '-2.0000'],
  d: ['4.0000', '-2.0000'],
  f: ['-2.0000', '4.0000'],
  L: ['-8.0000', '1.0000'],
};

/** The texts of every Graphviz node, by its title (`v<id>` / `op<id>`). */
function nodeTexts(svg: SVGSVGElement | Document): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const group of svg.querySelectorAll('g.node')) {
    const title = group.querySelector('title')?.textContent ?? '';
    // textContent, not markup: Graphviz writes '-' as '&#45;'.
    out.set(
      title,
      [...group.querySelectorAll('text')].map((t) => t.textContent ?? ''),
    );
  }
  return out;
}

describe('Graphviz in its module worker', () => {
  it("lays out the lecture's L = d·f graph as draw_dot records with the data and grad", async () => {
    const root = chain();
    root.backward();
    const svg = await layoutDot(toDot(root));
    const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
    expect(doc.documentElement.nodeName).toBe('svg');
    const texts = nodeTexts(doc);
    const records = [...texts]
      .filter(([title]) => title.startsWith('v'))
      .map(([, [label, data, grad]]) => [label, data, grad]);
    expect(records).toHaveLength(7);
    for (const [label, data, grad] of records) {
      expect([data, grad], label).toEqual([
        `data ${expected[label][0]}`,
        `grad ${expected[label][1]}`,
      ]);
    }
    expect(new Set(records.map(([label]) => label))).toEqual(new Set(Object.keys(expected)));
    const ops = [...texts].filter(([title]) => title.startsWith('op')).map(([, [op]]) => op);
    expect(ops.sort()).toEqual(['*', '*', '+']);
    // 3 op → value edges and 6 operand → op edges.
    expect(doc.querySelectorAll('g.edge')).toHaveLength(9);
  });

  it('rejects DOT that Graphviz cannot parse with its message, and keeps working afterwards', async () => {
    await expect(layoutDot('digraph { a -> }')).rejects.toThrow(
      /Graphviz could not lay out the graph: .*syntax error/i,
    );
    const svg = await layoutDot('digraph { x -> y }');
    expect(nodeTexts(new DOMParser().parseFromString(svg, 'image/svg+xml'))).toEqual(
      new Map([
        ['x', ['x']],
        ['y', ['y']],
      ]),
    );
  });
});

describe('GraphView on the laid-out structure', () => {
  const host = document.createElement('div');
  host.style.width = '900px';
  document.body.append(host);
  afterEach(() => render(null, host));

  const textsOf = (lab: ExpressionLab): GraphNodeText[] =>
    lab.nodes.map((n) => ({ data: formatFixed(n.data), grad: formatFixed(n.grad) }));

  it('writes live numbers into the placeholders in place, left to right as draw_dot', async () => {
    const root = chain();
    const lab = ExpressionLab.fromValue(root);
    const svg = await layoutDot(structureDot(root));
    expect(svg).toContain('data 00000000');
    lab.forward();
    lab.backward();
    render(<GraphView svg={svg} texts={textsOf(lab)} title="L = d·f" />, host);
    const drawn = await vi.waitFor(() => {
      const el = host.querySelector('svg');
      if (!el) throw new Error('no svg yet');
      return el;
    });
    expect(drawn.getAttribute('aria-label')).toBe('L = d·f');
    const byLabel = (svgEl: SVGSVGElement) =>
      Object.fromEntries(
        [...nodeTexts(svgEl)]
          .filter(([t]) => t.startsWith('v'))
          .map(([, [l, d, g]]) => [l, [d, g]]),
      );
    expect(byLabel(drawn)).toEqual(
      Object.fromEntries(
        Object.entries(expected).map(([l, [d, g]]) => [l, [`data ${d}`, `grad ${g}`]]),
      ),
    );
    // A real layout: the inputs are drawn left of the output (rankdir=LR), with a real size.
    const box = (label: string) => {
      const id = lab.byLabel(label)?.id;
      const title = [...drawn.querySelectorAll('g.node > title')].find(
        (t) => t.textContent === `v${id}`,
      );
      if (!title?.parentElement) throw new Error(`no node v${id} in the SVG`);
      return title.parentElement.getBoundingClientRect();
    };
    expect(box('a').width).toBeGreaterThan(0);
    expect(box('a').right).toBeLessThan(box('L').left);

    // Drag a = 2 → 3: the same SVG element gets the new numbers (no new layout).
    lab.setLeaf(lab.byLabel('a')?.id as number, 3);
    render(<GraphView svg={svg} texts={textsOf(lab)} title="L = d·f" />, host);
    // (Preact runs the effect that writes the texts after the next paint.)
    await expect
      .poll(() => byLabel(drawn))
      .toMatchObject({
        a: ['data 3.0000', 'grad 6.0000'],
        e: ['data -9.0000', 'grad -2.0000'],
        d: ['data 1.0000', 'grad -2.0000'],
        f: ['data -2.0000', 'grad 1.0000'],
        L: ['data -2.0000', 'grad 1.0000'],
      });
    expect(host.querySelector('svg')).toBe(drawn);
  });
});
