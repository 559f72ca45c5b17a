/**
 * "Look inside" for one prompt: every head of every layer as a T×T heatmap over the prompt's
 * characters (rows: the query, columns: what it attends to; the shared `Heatmap`), a strip per
 * head with the characters shaded by how much the chosen query attends to each (hover, focus or
 * click a character of the prompt, or a heatmap row, to choose it), the residual stream's norm per
 * layer (Observable Plot) and the top-k next characters at each position.
 */
import * as Plot from '@observablehq/plot';
import { useCallback, useMemo, useState } from 'preact/hooks';
import { Heatmap } from '../../viz/heatmap.js';
import { PlotFigure } from '../../viz/plot-figure.js';
import type { HiddenStates, Inspection } from './lm-inspect.js';

/** A character or a BPE token as it can be seen: each space as ␣, newline as ⏎, tab as ⇥. */
export function showChar(c: string): string {
  return c.replaceAll(' ', '␣').replaceAll('\n', '⏎').replaceAll('\t', '⇥');
}

/** White → blue for a weight in [0, 1]. */
export function weightColor(w: number): string {
  const t = Math.max(0, Math.min(1, w));
  const mix = (a: number, b: number) => Math.round(a + (b - a) * t);
  return `rgb(${mix(255, 33)}, ${mix(255, 102)}, ${mix(255, 172)})`;
}

/** Blue (negative) ← white → red (positive), scaled by `max`. */
function divergingColor(x: number, max: number): string {
  const t = Math.max(-1, Math.min(1, x / (max || 1)));
  const mix = (to: number) => Math.round(255 + (to - 255) * Math.abs(t));
  return t < 0
    ? `rgb(${mix(33)}, ${mix(102)}, ${mix(172)})`
    : `rgb(${mix(208)}, ${mix(87)}, ${mix(43)})`;
}

export function LookInside(props: { inspection: Inspection }) {
  const { tokens, layers, residualNorms, residualLabels, topK } = props.inspection;
  const dropped = props.inspection.droppedCharacters;
  const T = tokens.length;
  const [query, setQuery] = useState(T - 1);
  const q = Math.min(query, T - 1);
  const labels = useMemo(() => tokens.map(showChar), [tokens]);
  const cellSize = Math.max(8, Math.min(20, Math.floor(230 / T)));
  return (
    <div class="look-inside" data-testid="look-inside">
      {dropped > 0 ? (
        <p class="muted" data-testid="dropped-note">
          The prompt is longer than the block size: the model sees its last {T} characters (the
          first {dropped} are left out).
        </p>
      ) : null}
      <p class="muted">Query character (hover, focus or click one):</p>
      <p class="prompt-chars" data-testid="query-chars">
        {labels.map((label, i) => (
          <button
            key={i}
            type="button"
            class={i === q ? 'prompt-char selected' : 'prompt-char'}
            aria-pressed={i === q}
            onMouseEnter={() => setQuery(i)}
            onFocus={() => setQuery(i)}
            onClick={() => setQuery(i)}
          >
            {label}
          </button>
        ))}
      </p>
      {layers.length === 0 ? (
        <p class="muted">This model has no attention (the bigram reads only the last character).</p>
      ) : null}
      {layers.map((layer, l) => (
        <div key={l} class="attention-layer" data-testid={`attention-layer-${l}`}>
          <h3 class="subhead">
            {layer.label} ({layer.heads.length} head
            {layer.heads.length === 1 ? '' : 's'})
          </h3>
          <div class="row">
            {layer.heads.map((head, h) => (
              <HeadView
                key={h}
                head={head}
                labels={labels}
                name={`${layer.label}, head ${h + 1}`}
                id={`${l}-${h}`}
                query={q}
                setQuery={setQuery}
                cellSize={cellSize}
              />
            ))}
          </div>
        </div>
      ))}
      <div class="row">
        <div>
          <h3 class="subhead">The residual stream's norm</h3>
          <PlotFigure
            title="the norm of the residual stream at each position, after the embeddings and after each layer"
            data-testid="residual-norms"
            deps={[props.inspection]}
            render={() =>
              Plot.plot({
                width: 460,
                height: 240,
                grid: true,
                color: { legend: true, type: 'ordinal', scheme: 'viridis' },
                x: {
                  label: 'position',
                  ticks: tokens.map((_, i) => i),
                  tickFormat: (i: number) => labels[i] ?? '',
                },
                y: { label: '‖x‖' },
                marks: residualNorms.flatMap((norms, layer) => {
                  const name = residualLabels[layer] ?? String(layer);
                  const points = norms.map((norm, i) => ({ i, norm, name }));
                  return [
                    Plot.line(points, { x: 'i', y: 'norm', stroke: 'name' }),
                    Plot.dot(points, {
                      x: 'i',
                      y: 'norm',
                      fill: 'name',
                      r: 2,
                      title: (d) => `${d.name}, '${labels[d.i]}': ${d.norm.toFixed(3)}`,
                    }),
                  ];
                }),
              })
            }
          />
        </div>
        <table class="mono topk" data-testid="topk">
          <caption>Next character: the top {topK[0]?.length ?? 0} at each position</caption>
          <tbody>
            {topK.map((row, i) => (
              <tr key={i} class={i === q ? 'selected' : undefined}>
                <th scope="row">{labels[i]}</th>
                {row.map((entry, k) => (
                  <td key={k} title={`p = ${entry.p}`}>
                    {showChar(entry.token)} {entry.p.toFixed(2)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

/** One head: its T×T heatmap (memoised: hovering moves only the highlight) and its strip. */
function HeadView(props: {
  head: number[][];
  labels: string[];
  name: string;
  id: string;
  query: number;
  setQuery: (q: number) => void;
  cellSize: number;
}) {
  const { head, labels, query: q } = props;
  const values = useMemo(() => head.flat(), [head]);
  const cellTitle = useCallback(
    (r: number, c: number) =>
      `query ${r + 1} '${labels[r]}' → key ${c + 1} '${labels[c]}': ${head[r][c].toFixed(3)}`,
    [head, labels],
  );
  return (
    <div class="attention-head" data-testid={`head-${props.id}`}>
      <p class="muted">{props.name.replace(/^.*, /, '')}</p>
      <Heatmap
        itos={labels}
        rowLabels={labels}
        values={values}
        color={weightColor}
        cellSize={props.cellSize}
        title={`${props.name}: attention weights, rows are queries`}
        cellTitle={cellTitle}
        selectedRow={q}
        onSelectRow={props.setQuery}
        testId={`heatmap-${props.id}`}
      />
      <p class="attention-strip mono" data-testid={`strip-${props.id}`}>
        {labels.map((label, k) => (
          <span
            key={k}
            style={{ background: weightColor(head[q][k]) }}
            title={head[q][k].toFixed(3)}
            data-weight={head[q][k]}
          >
            {label}
          </span>
        ))}
      </p>
    </div>
  );
}

/** An RNN's or GRU's hidden state over time: a heatmap [T × nEmbd2] over the name's characters. */
export function HiddenStateMap(props: { hidden: HiddenStates }) {
  const { tokens, states } = props.hidden;
  const width = states[0]?.length ?? 0;
  const { labels, values, columns, color } = useMemo(() => {
    const flat = states.flat();
    const max = flat.reduce((m, x) => Math.max(m, Math.abs(x)), 1e-9);
    return {
      labels: tokens.map(showChar),
      values: flat,
      columns: Array.from({ length: width }, (_, j) => String(j)),
      color: (x: number) => divergingColor(x, max),
    };
  }, [props.hidden]);
  const cellTitle = useCallback(
    (r: number, c: number) => `after '${labels[r]}', unit ${c}: ${states[r][c].toFixed(3)}`,
    [props.hidden],
  );
  return (
    <Heatmap
      itos={columns}
      rowLabels={labels}
      values={values}
      color={color}
      cellSize={Math.max(5, Math.min(14, Math.floor(720 / Math.max(1, width))))}
      title={`the hidden state after each character, ${width} units (blue negative, red positive)`}
      cellTitle={cellTitle}
      testId="hidden-heatmap"
    />
  );
}
