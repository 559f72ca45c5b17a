/**
 * The expression lab's graph: lays the lab's values out with Graphviz (once per structure) and
 * shows them through `GraphView`. A graph of more than `COLLAPSE_THRESHOLD` values (the MLP
 * preset, a moons point's 979-value score) opens collapsed, one box per neuron
 * (`graph-collapse.ts`): a click on a box expands that neuron, a click on its cluster's label (or
 * its "Collapse …" button) collapses it, and "Show every value" lays out the whole graph.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { ExpressionLab, GradientCheck } from './expression-lab.js';
import { COLLAPSE_THRESHOLD, collapsedDot, type Grouping, groupNeurons } from './graph-collapse.js';
import { formatFixed } from './graph-dot.js';
import { layoutDot } from './graph-layout.js';
import { type GraphNodeText, GraphView } from './graph-view.js';

export interface LabGraphProps {
  lab: ExpressionLab;
  texts: readonly GraphNodeText[];
  checks?: readonly (GradientCheck | null)[];
  describe?: (id: number) => string | null;
  active?: number | null;
  targets?: readonly number[];
  title: string;
  /**
   * Characters reserved for each number in the layout (default: the widest data of the graph
   * when it is built, at least 8). A fixed width keeps one layout while the numbers change.
   */
  numberWidth?: number;
}

const NO_GROUPS = (n: number): Grouping => ({ groups: [], groupOf: new Int32Array(n).fill(-1) });

export function LabGraph(props: LabGraphProps) {
  const { lab, texts, checks, describe, active, targets, title, numberWidth } = props;
  const large = lab.nodes.length > COLLAPSE_THRESHOLD;
  const grouping = useMemo(
    () => (large ? groupNeurons(lab.nodes) : NO_GROUPS(lab.nodes.length)),
    [lab],
  );
  const [expanded, setExpanded] = useState<ReadonlySet<number>>(new Set());
  const [full, setFull] = useState(false);
  const [focus, setFocus] = useState<number | null>(null);
  const [svg, setSvg] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const request = useRef(0);
  // A graph of another structure starts collapsed (new numbers on the same graph keep the view).
  const structure = useMemo(
    () => collapsedDot(lab.nodes, NO_GROUPS(lab.nodes.length), new Set(), 1),
    [lab],
  );
  useEffect(() => {
    setExpanded(new Set());
    setFull(false);
    setFocus(null);
  }, [structure]);

  const collapsible = large && grouping.groups.length > 0;
  const showAll = !collapsible || full;
  const dot = useMemo(() => {
    // Placeholders as wide as the widest number now (never less than `-00.0000`).
    const width = numberWidth ?? Math.max(8, ...lab.nodes.map((n) => formatFixed(n.data).length));
    return showAll
      ? collapsedDot(lab.nodes, NO_GROUPS(lab.nodes.length), new Set(), width)
      : collapsedDot(lab.nodes, grouping, expanded, width);
  }, [lab, grouping, expanded, showAll, numberWidth]);

  useEffect(() => {
    setSvg(null);
    setError(null);
    const id = ++request.current;
    layoutDot(dot).then(
      (markup) => {
        if (id === request.current) setSvg(markup);
      },
      (e: Error) => setError(e.message),
    );
  }, [dot]);

  const toggle = (head: number) => {
    const next = new Set(expanded);
    if (next.has(head)) {
      next.delete(head);
      setFocus(null);
    } else {
      next.add(head);
      setFocus(head);
    }
    setExpanded(next);
  };

  return (
    <div>
      {collapsible ? (
        <div class="controls graph-collapse-controls">
          <span class="muted" data-testid="graph-collapse-status">
            {showAll
              ? `All ${lab.nodes.length} values.`
              : `${lab.nodes.length} values, each neuron collapsed into one box (${grouping.groups.length} neurons${expanded.size ? `, ${expanded.size} expanded` : ''}): click a box to see its weights, products and sums.`}
          </span>
          {showAll ? (
            <button type="button" onClick={() => setFull(false)}>
              Collapse neurons
            </button>
          ) : (
            <>
              {[...expanded].map((head) => (
                <button key={head} type="button" onClick={() => toggle(head)}>
                  Collapse {lab.nodes[head].label || `neuron ${head}`}
                </button>
              ))}
              {expanded.size > 1 ? (
                <button type="button" onClick={() => setExpanded(new Set())}>
                  Collapse all
                </button>
              ) : null}
              <button type="button" onClick={() => setFull(true)}>
                Show every value ({lab.nodes.length})
              </button>
            </>
          )}
        </div>
      ) : null}
      {error ? <p class="alert">{error}</p> : null}
      <GraphView
        svg={svg}
        texts={texts}
        checks={checks}
        describe={describe}
        active={active}
        targets={targets}
        title={title}
        onToggleGroup={collapsible && !showAll ? toggle : undefined}
        focus={focus}
      />
    </div>
  );
}
