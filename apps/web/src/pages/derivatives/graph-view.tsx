/**
 * Shows a Graphviz SVG (micrograd's `draw_dot` look) and keeps its numbers live: the SVG is laid
 * out once per structure; each render only rewrites the `data …`/`grad …` texts and the highlight
 * classes of the nodes, found by their Graphviz titles (`v<id>` for values, `op<id>` for ops).
 *
 * A graph wider than its box opens in a zoomable, pannable viewport (`zoom.ts`): the mouse wheel
 * zooms about the pointer, dragging pans, and with the viewport focused `+`/`−` zoom, the arrows
 * pan, `0` fits and `1` shows actual size; the Fit and 1:1 buttons do the same.
 *
 * Optional, for the expression lab: each grad carries its nudge check's mark (`grad 6.0000 ✓`,
 * coloured), and hovering or focusing a value shows the numbers behind it (`describe`); a
 * collapsed neuron (`gv-group`, see `graph-collapse.ts`) expands on a click, Enter or Space, and
 * an expanded one collapses from its cluster's label (`onToggleGroup`).
 */
import type { JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { CHECK_MARKS, type GradientCheck } from './expression-lab.js';
import { actualSizeView, clampView, fitView, panBy, type Size, type View, zoomAt } from './zoom.js';
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
  /** The nudge check of value `v<id>`'s grad, by id (its mark follows the grad). */
  checks?: readonly (GradientCheck | null | undefined)[];
  /** What hovering or focusing value `v<id>` shows (its grad, nudge estimate, check), by id. */
  describe?: (id: number) => string | null;
  /** A click on a collapsed neuron (`gv-group`) or on an expanded neuron's cluster label. */
  onToggleGroup?: (head: number) => void;
  /** Value to show in the middle when a new layout arrives (the neuron just expanded). */
  focus?: number | null;
}

interface Indexed {
  group: SVGGElement;
  data?: SVGTextElement;
  grad?: SVGTextElement;
}

/** Which node or cluster an event hit: a value `v<id>`, or the cluster of group `head`. */
function hitOf(target: EventTarget | null): { value?: number; cluster?: number; group?: boolean } {
  const el = target instanceof Element ? target : null;
  const node = el?.closest('g.node');
  if (node) {
    const match = /^v(\d+)$/.exec(node.querySelector('title')?.textContent ?? '');
    return match ? { value: Number(match[1]), group: node.classList.contains('gv-group') } : {};
  }
  const cluster = el?.closest('g.cluster');
  const match = /^cluster_(\d+)$/.exec(cluster?.querySelector('title')?.textContent ?? '');
  return match ? { cluster: Number(match[1]) } : {};
}

export function GraphView({
  svg,
  texts,
  active,
  targets,
  title,
  checks,
  describe,
  onToggleGroup,
  focus,
}: GraphViewProps) {
  const host = useRef<HTMLDivElement>(null);
  const wrapper = useRef<HTMLDivElement>(null);
  const [tip, setTip] = useState<{
    id: number;
    left: number;
    top: number;
    source: 'pointer' | 'focus';
  } | null>(null);
  const focusRef = useRef<number | null | undefined>(focus);
  focusRef.current = focus;
  const values = useRef(new Map<number, Indexed>());
  const ops = useRef(new Map<number, SVGGElement>());
  // Graphs wider than the host (a moons score graph is ~23,000 px wide) get zoom and pan.
  const [natural, setNatural] = useState<Size | null>(null);
  const [oversized, setOversized] = useState(false);
  const [boxHeight, setBoxHeight] = useState<number | null>(null);
  const [view, setView] = useState<View | null>(null);
  const viewRef = useRef<View | null>(null);
  viewRef.current = view;
  const viewportSize = (): Size => ({
    width: host.current?.clientWidth ?? 600,
    height: host.current?.clientHeight ?? 400,
  });

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
    const size = {
      width: (Number.parseFloat(root.dataset.width) * 4) / 3,
      height: (Number.parseFloat(root.dataset.height) * 4) / 3,
    };
    const wide = size.width > el.clientWidth + 1;
    setNatural(size);
    setOversized(wide);
    // A wide but flat graph (the lecture's chain) gets a viewport no taller than its first view
    // needs (fitted, or at actual size: see the next effect), instead of 520 px of white around a
    // strip; between 240 px and the CSS maximum.
    const ratio = size.width / el.clientWidth;
    const firstHeight = ratio <= 2.5 || ratio > 10 ? size.height / ratio : size.height;
    setBoxHeight(wide ? Math.max(240, Math.round(firstHeight) + 32) : null);
    setView(null); // chosen once the viewport has its size (next effect)
    setTip(null);
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
      if (describe || group.classList.contains('gv-group')) {
        group.setAttribute('tabindex', '0');
        if (group.classList.contains('gv-group')) {
          group.setAttribute('role', 'button');
          group.setAttribute(
            'aria-label',
            `${group.querySelector('text')?.textContent ?? ''}: expand`,
          );
        }
      }
      // Graphviz writes one <text> per record field; compare textContent (it escapes '-' in markup).
      for (const text of group.querySelectorAll<SVGTextElement>('text')) {
        const content = text.textContent ?? '';
        if (content.startsWith('data ')) entry.data = text;
        else if (content.startsWith('grad ')) entry.grad = text;
      }
      values.current.set(id, entry);
    }
  }, [svg]);

  // Size and place the SVG: natural size when it fits; else in the zoom viewport.
  useEffect(() => {
    const el = host.current;
    const root = el?.querySelector('svg');
    if (!el || !root || !natural) return;
    if (!oversized) {
      root.setAttribute('width', root.dataset.width ?? '');
      root.setAttribute('height', root.dataset.height ?? '');
      root.style.transform = '';
      return;
    }
    root.setAttribute('width', `${natural.width}px`);
    root.setAttribute('height', `${natural.height}px`);
    root.style.transformOrigin = '0 0';
    root.style.maxWidth = 'none';
    let current = view;
    if (current === null) {
      // First view: fitted while that keeps the text readable (≤ 2.5× too wide: the lecture's
      // chain and neuron) or as an overview when reading is hopeless anyway (> 10×: a moons
      // score graph); in between (micrograd's README) actual size at the output end.
      const viewport = viewportSize();
      const ratio = natural.width / viewport.width;
      current =
        ratio <= 2.5 || ratio > 10 ? fitView(natural, viewport) : actualSizeView(natural, viewport);
      // A neuron just expanded: its output centred, at a scale that shows as much of its cluster
      // as fits, but never below 60% (a neuron of 16 inputs is a chain of 16 sums, ~7,000 px).
      const head = focusRef.current == null ? null : findValue(root, focusRef.current);
      if (head) {
        // Measured untransformed (the previous layout's view may still be applied).
        root.style.transform = '';
        const origin = root.getBoundingClientRect();
        const cluster = findCluster(root, focusRef.current as number)?.getBoundingClientRect();
        const box = head.getBoundingClientRect();
        const scale = cluster
          ? Math.max(
              0.6,
              Math.min(
                1,
                (0.95 * viewport.width) / cluster.width,
                (0.95 * viewport.height) / cluster.height,
              ),
            )
          : 1;
        const centre = {
          x: box.left + box.width / 2 - origin.left,
          y: box.top + box.height / 2 - origin.top,
        };
        current = clampView(
          {
            scale,
            x: viewport.width / 2 - centre.x * scale,
            y: viewport.height / 2 - centre.y * scale,
          },
          natural,
          viewport,
        );
      }
      setView(current);
    }
    root.style.transform = `translate(${current.x}px, ${current.y}px) scale(${current.scale})`;
  }, [natural, oversized, view, svg]);

  // Wheel zoom needs a non-passive listener (to keep the page from scrolling).
  useEffect(() => {
    const el = host.current;
    if (!el || !oversized || !natural) return;
    const onWheel = (event: WheelEvent) => {
      const current = viewRef.current;
      if (!current) return;
      event.preventDefault();
      const box = el.getBoundingClientRect();
      const factor = Math.exp(-event.deltaY * (event.deltaMode === 1 ? 0.05 : 0.0015));
      const at = { x: event.clientX - box.left, y: event.clientY - box.top };
      setView(zoomAt(current, factor, at, natural, viewportSize()));
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  }, [oversized, natural]);

  // A press that moves less than 5 px is a click (on a node: expand, collapse); more is a drag.
  const drag = useRef<{
    x: number;
    y: number;
    startX: number;
    startY: number;
    moved: boolean;
  } | null>(null);
  const dragged = useRef(false);
  const zoomBy = (factor: number) => {
    if (!view || !natural) return;
    const viewport = viewportSize();
    setView(
      zoomAt(view, factor, { x: viewport.width / 2, y: viewport.height / 2 }, natural, viewport),
    );
  };
  const zoomHandlers: JSX.HTMLAttributes<HTMLDivElement> =
    oversized && natural
      ? {
          tabIndex: 0,
          onPointerDown: (event) => {
            const { clientX: x, clientY: y } = event;
            drag.current = { x, y, startX: x, startY: y, moved: false };
          },
          onPointerMove: (event) => {
            const from = drag.current;
            if (!from || !view) return;
            if (!from.moved) {
              if (Math.hypot(event.clientX - from.startX, event.clientY - from.startY) < 5) return;
              from.moved = true;
              (event.currentTarget as HTMLElement).setPointerCapture?.(event.pointerId);
            }
            drag.current = { ...from, x: event.clientX, y: event.clientY };
            setView(
              panBy(view, event.clientX - from.x, event.clientY - from.y, natural, viewportSize()),
            );
          },
          onPointerUp: () => {
            // A drag ends here; the click event that may follow is ignored (see onClick).
            if (drag.current?.moved) dragged.current = true;
            drag.current = null;
          },
          onKeyDown: (event: KeyboardEvent) => {
            if (!view) return;
            const step = 60;
            const pans: Record<string, [number, number]> = {
              ArrowLeft: [step, 0],
              ArrowRight: [-step, 0],
              ArrowUp: [0, step],
              ArrowDown: [0, -step],
            };
            if (event.key in pans) {
              const [dx, dy] = pans[event.key];
              setView(panBy(view, dx, dy, natural, viewportSize()));
            } else if (event.key === '+' || event.key === '=') zoomBy(1.25);
            else if (event.key === '-' || event.key === '_') zoomBy(0.8);
            else if (event.key === '0') setView(fitView(natural, viewportSize()));
            else if (event.key === '1') setView(actualSizeView(natural, viewportSize()));
            else return;
            event.preventDefault();
          },
        }
      : {};
  const onKeyDown = (event: KeyboardEvent) => {
    if (toggleByKey(event)) return;
    (zoomHandlers.onKeyDown as ((event: KeyboardEvent) => void) | undefined)?.(event);
  };

  /** Enter or Space on a collapsed neuron expands it. */
  function toggleByKey(event: KeyboardEvent): boolean {
    if (event.key !== 'Enter' && event.key !== ' ') return false;
    const hit = hitOf(event.target);
    if (!hit.group || hit.value === undefined || !onToggleGroup) return false;
    event.preventDefault();
    onToggleGroup(hit.value);
    return true;
  }
  const onClick = (event: MouseEvent) => {
    if (dragged.current) {
      dragged.current = false;
      return;
    }
    const hit = hitOf(event.target);
    if (!onToggleGroup) return;
    if (hit.group && hit.value !== undefined) onToggleGroup(hit.value);
    else if (hit.cluster !== undefined && event.target instanceof SVGTextElement) {
      onToggleGroup(hit.cluster);
    }
  };
  /** Shows the numbers of the value under the pointer or in focus, below it. */
  const showTip = (event: Event) => {
    const hit = hitOf(event.target);
    const box = wrapper.current?.getBoundingClientRect();
    if (!describe || hit.value === undefined || hit.group || !box) {
      if (event.type === 'focusin') setTip(null);
      return;
    }
    const node = (event.target as Element).closest('g.node');
    if (!node) return;
    const rect = node.getBoundingClientRect();
    const left = Math.max(0, Math.min(rect.left - box.left, box.width - 260));
    const source = event.type === 'focusin' ? 'focus' : 'pointer';
    setTip({ id: hit.value, left, top: rect.bottom - box.top + 4, source });
  };

  // Every render: write the numbers and highlights into the laid-out SVG (cheap, no layout).
  useEffect(() => {
    const targetSet = new Set(targets ?? []);
    for (const [id, entry] of values.current) {
      const text = texts[id];
      if (text) {
        if (entry.data) entry.data.textContent = `data ${text.data}`;
        const check = checks?.[id];
        if (entry.grad) {
          entry.grad.textContent = `grad ${text.grad}${check ? ` ${CHECK_MARKS[check]}` : ''}`;
          entry.grad.setAttribute('class', check ? `gv-check-${check}` : '');
        }
      }
      entry.group.classList.toggle('gv-active', id === active);
      entry.group.classList.toggle('gv-target', targetSet.has(id));
    }
    for (const [id, group] of ops.current) group.classList.toggle('gv-active', id === active);
  });

  const tipText = tip && describe ? describe(tip.id) : null;
  return (
    <div class="graph-view" ref={wrapper}>
      {oversized && natural ? (
        <div class="controls graph-zoom-controls">
          <button type="button" onClick={() => setView(fitView(natural, viewportSize()))}>
            Fit
          </button>
          <button type="button" onClick={() => setView(actualSizeView(natural, viewportSize()))}>
            1:1
          </button>
          <button type="button" aria-label="Zoom in" onClick={() => zoomBy(1.25)}>
            +
          </button>
          <button type="button" aria-label="Zoom out" onClick={() => zoomBy(0.8)}>
            −
          </button>
          <span class="muted" data-testid="graph-zoom">
            {view ? `${Math.round(view.scale * 100)}%` : ''} · wheel or +/− to zoom, drag or arrows
            to pan, 0 fit, 1 actual size
          </span>
        </div>
      ) : null}
      {svg === null ? <p class="muted">Laying out the graph with Graphviz…</p> : null}
      {/* biome-ignore lint/a11y/useSemanticElements: the viewport holds an SVG, not form fields; a fieldset's own layout rules would fight the zoom */}
      <div
        ref={host}
        class={oversized ? 'graph-host graph-zoom' : 'graph-host'}
        style={
          oversized && boxHeight !== null ? `height: min(70vh, 520px, ${boxHeight}px)` : undefined
        }
        aria-busy={svg === null}
        role="group"
        aria-label={oversized ? `${title}: zoom and pan` : title}
        {...zoomHandlers}
        onClick={onClick}
        onKeyDown={onKeyDown}
        onPointerOver={describe ? showTip : undefined}
        onFocusIn={describe ? showTip : undefined}
        onPointerLeave={() => setTip((t) => (t?.source === 'pointer' ? null : t))}
        onFocusOut={() => setTip((t) => (t?.source === 'focus' ? null : t))}
      />
      {tip && tipText ? (
        <div
          class="gv-tip mono"
          role="status"
          data-testid="graph-tip"
          style={`left: ${tip.left}px; top: ${tip.top}px`}
        >
          {tipText}
        </div>
      ) : null}
    </div>
  );
}

/** The group of value `v<id>` in a laid-out SVG. */
function findValue(root: Element, id: number): SVGGElement | null {
  for (const group of root.querySelectorAll<SVGGElement>('g.node')) {
    if (group.querySelector('title')?.textContent === `v${id}`) return group;
  }
  return null;
}

/** The cluster of an expanded neuron (`cluster_<head>`) in a laid-out SVG. */
function findCluster(root: Element, head: number): SVGGElement | null {
  for (const group of root.querySelectorAll<SVGGElement>('g.cluster')) {
    if (group.querySelector('title')?.textContent === `cluster_${head}`) return group;
  }
  return null;
}
