/**
 * Shows a Graphviz SVG (micrograd's `draw_dot` look) and keeps its numbers live: the SVG is laid
 * out once per structure; each render only rewrites the `data …`/`grad …` texts and the highlight
 * classes of the nodes, found by their Graphviz titles (`v<id>` for values, `op<id>` for ops).
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import './graph.css';

export interface GraphNodeText {
  data: string;
  grad: string;
}

export interface GraphViewProps {
  /** Graphviz SVG markup, or null while laying out. */
  svg: string | null;
  /** The texts of value node `v<id>`, by id. */
  texts: readonly GraphNodeText[];
  /** Value node whose local gradient is being applied (its op node is highlighted too). */
  active?: number | null;
  /** Value nodes receiving a contribution. */
  targets?: readonly number[];
  /** Accessible description. */
  title: string;
}

interface Indexed {
  group: SVGGElement;
  data?: SVGTextElement;
  grad?: SVGTextElement;
}

export function GraphView({ svg, texts, active, targets, title }: GraphViewProps) {
  const host = useRef<HTMLDivElement>(null);
  const values = useRef(new Map<number, Indexed>());
  const ops = useRef(new Map<number, SVGGElement>());
  // Very wide graphs (a moons score graph is ~20,000 px wide) start scaled to the host's width.
  const [fit, setFit] = useState(true);
  const [oversized, setOversized] = useState(false);

  useEffect(() => {
    const el = host.current;
    values.current = new Map();
    ops.current = new Map();
    if (!el) return;
    if (svg === null) {
      el.replaceChildren();
      return;
    }
    const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
    const root = document.importNode(doc.documentElement, true);
    root.setAttribute('role', 'img');
    root.setAttribute('aria-label', title);
    el.replaceChildren(root);
    // Graphviz sets width/height in pt and a viewBox; keep the natural size for scaling back.
    root.dataset.width = root.getAttribute('width') ?? '';
    root.dataset.height = root.getAttribute('height') ?? '';
    // Graphviz sizes in pt (1pt = 4/3 px).
    const naturalWidth = (Number.parseFloat(root.dataset.width) * 4) / 3;
    setOversized(naturalWidth > el.clientWidth + 1);
    // Fitted to the width while that keeps the text readable (≤ 2.5× too wide: the lecture's
    // chain and neuron), or as an overview when reading is hopeless anyway (> 10×: a moons score
    // graph); in between (micrograd's README) actual size, scrolled to the output.
    const ratio = naturalWidth / el.clientWidth;
    setFit(ratio <= 2.5 || ratio > 10);
    for (const group of root.querySelectorAll<SVGGElement>('g.node')) {
      const name = group.querySelector('title')?.textContent ?? '';
      const match = /^(v|op)(\d+)$/.exec(name);
      if (!match) continue;
      const id = Number(match[2]);
      if (match[1] === 'op') {
        ops.current.set(id, group);
        continue;
      }
      const entry: Indexed = { group };
      // Graphviz writes one <text> per record field; compare textContent (it escapes '-' in markup).
      for (const text of group.querySelectorAll<SVGTextElement>('text')) {
        const content = text.textContent ?? '';
        if (content.startsWith('data ')) entry.data = text;
        else if (content.startsWith('grad ')) entry.grad = text;
      }
      values.current.set(id, entry);
    }
  }, [svg]);

  useEffect(() => {
    const root = host.current?.querySelector('svg');
    if (!root) return;
    const scaled = fit && oversized;
    // Scaled: the width follows the host and the viewBox sets the height (CSS `auto`; the
    // `height` attribute itself only takes lengths).
    root.setAttribute('width', scaled ? '100%' : (root.dataset.width ?? ''));
    if (scaled) root.removeAttribute('height');
    else root.setAttribute('height', root.dataset.height ?? '');
    root.style.height = scaled ? 'auto' : '';
    root.style.maxWidth = scaled ? '100%' : 'none';
    // At actual size, show the output end (the root is drawn rightmost, left to right).
    if (!scaled && oversized && host.current) host.current.scrollLeft = host.current.scrollWidth;
  }, [fit, oversized, svg]);

  // Every render: write the numbers and highlights into the laid-out SVG (cheap, no layout).
  useEffect(() => {
    const targetSet = new Set(targets ?? []);
    for (const [id, entry] of values.current) {
      const text = texts[id];
      if (text) {
        if (entry.data) entry.data.textContent = `data ${text.data}`;
        if (entry.grad) entry.grad.textContent = `grad ${text.grad}`;
      }
      entry.group.classList.toggle('gv-active', id === active);
      entry.group.classList.toggle('gv-target', targetSet.has(id));
    }
    for (const [id, group] of ops.current) group.classList.toggle('gv-active', id === active);
  });

  return (
    <div>
      {oversized ? (
        <button type="button" onClick={() => setFit(!fit)} style="margin-bottom: 0.3rem">
          {fit ? 'Actual size (scroll to read)' : 'Fit to width'}
        </button>
      ) : null}
      {svg === null ? <p class="muted">Laying out the graph with Graphviz…</p> : null}
      <div ref={host} class="graph-host" aria-busy={svg === null} />
    </div>
  );
}
