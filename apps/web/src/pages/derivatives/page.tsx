/**
 * Derivatives & Value: the lecture's "derivative by nudging", then an expression lab that draws the
 * `Value` graph like micrograd's `draw_dot` and runs forward, backward, or backward one node at a
 * time. The logic lives in `nudge.ts`, `expression-lab.ts` and core's `buildExpression` (the
 * language, shared with `lmp micrograd graph --expr`); this file is UI.
 */
import { buildExpression, ExpressionError } from '@llm-playground/core';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { createUrlState } from '../../state/url-state.js';
import { FunctionPlot } from '../../viz/function-plot.js';
import {
  type BackwardStep,
  CHECK_MARKS,
  checkGradient,
  ExpressionLab,
  type GradientCheck,
  type LabNode,
  nonFiniteExplanation,
} from './expression-lab.js';
import { formatFixed } from './graph-dot.js';
import type { GraphNodeText } from './graph-view.js';
import { LabGraph } from './lab-graph.js';
import { changedLeaves, formatLeaves, parseLeaves } from './leaf-params.js';
import { exactSlope, f, nudgeSlope } from './nudge.js';
import { PRESETS, type PresetId } from './presets.js';

const schema = {
  x: { type: 'number', default: 3, min: -5, max: 5 },
  h: { type: 'number', default: 0.001, min: 1e-12, max: 1, log: true },
  preset: {
    type: 'enum',
    default: 'chain',
    values: ['chain', 'neuron', 'readme', 'mlp', 'custom'],
  },
  expr: { type: 'string', default: '', maxLength: 2000 },
  checkH: { type: 'number', default: 1e-6, min: 1e-10, max: 0.1, log: true },
  /** The lab's inputs moved away from the expression's values, `a:2.5,b:-1` (see `leaf-params.ts`). */
  leaves: { type: 'string', default: '', maxLength: 2000 },
} as const;

export default function DerivativesPage() {
  const state = useMemo(() => createUrlState(schema), []);
  const values = state.values.value;
  return (
    <>
      <NudgeSection x={values.x} h={values.h} onChange={(patch) => state.set(patch)} />
      <LabSection
        preset={values.preset as PresetId | 'custom'}
        expr={values.expr}
        checkH={values.checkH}
        leaves={values.leaves}
        onChange={(patch) => state.set(patch)}
      />
      <p>
        <button type="button" onClick={() => state.reset()}>
          Reset to defaults
        </button>
      </p>
    </>
  );
}

// ---- 1. the derivative by nudging -------------------------------------------------------------

function NudgeSection(props: {
  x: number;
  h: number;
  onChange: (patch: { x?: number; h?: number }) => void;
}) {
  const { x, h, onChange } = props;
  const estimate = nudgeSlope(x, h);
  const exact = exactSlope(x);
  const log10h = Math.log10(h);
  return (
    <section class="panel" aria-labelledby="nudge-title">
      <h2 id="nudge-title">1. The derivative by nudging</h2>
      <p>
        What does the derivative of <span class="mono">f(x) = 3x² − 4x + 5</span> mean? Nudge x by a
        tiny <span class="mono">h</span> and measure how much f moves, relative to h: the slope{' '}
        <span class="mono">(f(x+h) − f(x)) / h</span>. As h shrinks this tends to the exact{' '}
        <span class="mono">f′(x) = 6x − 4</span>, until floating point rounding wins: try h = 1e-12.
      </p>
      <div class="row">
        <div
          class="controls"
          style="flex-direction: column; align-items: stretch; min-width: 280px"
        >
          <label>
            x = {x.toFixed(2)}
            <input
              type="range"
              min={-5}
              max={5}
              step={0.01}
              value={x}
              onInput={(e) => onChange({ x: Number(e.currentTarget.value) })}
            />
          </label>
          <label>
            h = {h.toExponential(0)}
            <input
              type="range"
              min={-12}
              max={0}
              step={1}
              value={Math.round(log10h)}
              aria-valuetext={`h = ${h.toExponential(0)}`}
              onInput={(e) => onChange({ h: 10 ** Number(e.currentTarget.value) })}
            />
          </label>
          <table class="lab-table mono" aria-label="Nudge results">
            <tbody>
              <tr>
                <td>f(x)</td>
                <td>{f(x).toPrecision(10)}</td>
              </tr>
              <tr>
                <td>f(x + h)</td>
                <td>{f(x + h).toPrecision(10)}</td>
              </tr>
              <tr>
                <td>(f(x+h) − f(x)) / h</td>
                <td data-testid="nudge-estimate">{estimate.toPrecision(10)}</td>
              </tr>
              <tr>
                <td>6x − 4 (exact)</td>
                <td data-testid="nudge-exact">{exact.toPrecision(10)}</td>
              </tr>
              <tr>
                <td>error</td>
                <td>{(estimate - exact).toExponential(2)}</td>
              </tr>
            </tbody>
          </table>
        </div>
        <NudgeFigure x={x} h={h} onX={(value) => onChange({ x: value })} />
      </div>
    </section>
  );
}

/**
 * f with its axes and ticks, the secant through x and x + h, and the point (x, f(x)), which drags
 * along f (or moves with the arrow keys) to set x like the slider.
 */
function NudgeFigure({ x, h, onX }: { x: number; h: number; onX: (x: number) => void }) {
  const slope = nudgeSlope(x, h);
  return (
    <FunctionPlot
      testId="nudge-plot"
      title={`f(x) = 3x² − 4x + 5 for x from −5 to 5, with the secant through x = ${x.toFixed(2)} and x + h`}
      width={340}
      height={220}
      x={{ domain: [-5, 5], label: 'x' }}
      y={{ domain: [-10, 110], label: 'f(x)' }}
      curves={[
        { fn: f, stroke: '#2f6fb3' },
        {
          fn: (u) => f(x) + slope * (u - x),
          stroke: '#b3541e',
          strokeWidth: 1.5,
          strokeDasharray: '5 3',
          name: 'secant',
        },
      ]}
      handle={{
        x,
        y: f(x),
        fill: '#b3541e',
        min: -5,
        max: 5,
        ariaLabel: 'x: drag the point along f or use the arrow keys',
        ariaValueText: `x = ${x.toFixed(2)}, f(x) = ${f(x).toFixed(4)}`,
        // The slider's range and step (0.01), so the link stays short.
        onDrag: (value) => onX(Math.round(Math.max(-5, Math.min(5, value)) * 100) / 100 + 0),
      }}
    />
  );
}

// ---- 2. the expression lab -------------------------------------------------------------------

function nodeName(node: LabNode): string {
  if (node.label) return node.label;
  if (node.op === '') return formatFixed(node.data).replace(/\.?0+$/, '') || '0';
  return `(${node.op})`;
}

interface Built {
  lab: ExpressionLab;
  /** The named inputs in the order the source defines them (the sliders' order). */
  inputOrder: string[];
}

/** Sets the lab's inputs named in a `leaves` parameter (unknown names are ignored). */
function applyLeaves(lab: ExpressionLab, leaves: string): void {
  for (const [label, value] of parseLeaves(leaves)) {
    const node = lab.byLabel(label);
    if (node && node.op === '') lab.setLeaf(node.id, value);
  }
}

function build(source: string): Built | ExpressionError | Error {
  try {
    const { root, leaves } = buildExpression(source);
    return { lab: ExpressionLab.fromValue(root), inputOrder: leaves.map((leaf) => leaf.name) };
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

function LabSection(props: {
  preset: PresetId | 'custom';
  expr: string;
  checkH: number;
  leaves: string;
  onChange: (patch: { preset?: string; expr?: string; checkH?: number; leaves?: string }) => void;
}) {
  const { preset, expr, checkH, leaves, onChange } = props;
  // The inputs' values as the expression gives them, and the `leaves` text this section wrote
  // last (a different one comes from a pasted link: apply it).
  const initialLeaves = useRef(new Map<string, number>());
  const writtenLeaves = useRef(leaves);
  const source = preset === 'custom' ? expr : PRESETS[preset].source;
  const [draft, setDraft] = useState(source);
  const [built, setBuilt] = useState<Built | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [lastStep, setLastStep] = useState<BackwardStep | null>(null);
  const [tick, setTick] = useState(0);
  const rerender = () => setTick((t) => t + 1);

  // (Re)build whenever the applied source changes (`LabGraph` lays the structure out).
  useEffect(() => {
    setDraft(source);
    const result = build(source);
    setLastStep(null);
    if (!('lab' in result)) {
      // The previous graph goes too: Forward and Backward must not run on an expression that is
      // no longer the one in the editor.
      setError(result);
      setBuilt(null);
      return;
    }
    setError(null);
    const inputs = result.lab.leaves().filter((n) => n.label !== '');
    initialLeaves.current = new Map(inputs.map((n) => [n.label, n.data]));
    applyLeaves(result.lab, leaves);
    setBuilt(result);
  }, [source]);

  // A link with other input values for the same expression: apply them without rebuilding.
  useEffect(() => {
    if (leaves === writtenLeaves.current || !built) return;
    writtenLeaves.current = leaves;
    applyLeaves(built.lab, leaves);
    rerender();
  }, [leaves]);

  const lab = built?.lab;
  const texts: GraphNodeText[] = lab
    ? lab.nodes.map((n) => ({
        data: lab.phase === 'built' && n.op !== '' ? '?' : formatFixed(n.data),
        grad: formatFixed(n.grad),
      }))
    : [];
  // Each grad's nudge check, once the backward pass is complete (recomputed when anything moved).
  const nudges = useMemo(
    () =>
      lab && lab.phase === 'backward'
        ? Float64Array.from(lab.nodes, (n) => lab.nudge(n.id, checkH))
        : null,
    [lab, tick, checkH],
  );
  const checks: (GradientCheck | null)[] | undefined =
    lab && nudges ? lab.nodes.map((n) => checkGradient(n.grad, nudges[n.id], checkH)) : undefined;
  const describe = (id: number): string | null => {
    if (!lab) return null;
    const node = lab.nodes[id];
    const name = nodeName(node);
    const head = `${name}: data ${lab.phase === 'built' && node.op !== '' ? '?' : formatFixed(node.data)}, grad ${formatFixed(node.grad)}`;
    if (!nudges || !checks) return `${head}\nRun Backward to check this grad by nudging.`;
    const check = checks[id] ?? 'unknown';
    const verdict: Record<GradientCheck, string> = {
      agree: 'agree to 4 digits',
      close: `roughly agree: h = ${checkH.toExponential(0)} is ${checkH >= 1e-3 ? 'coarse' : 'so small that rounding shows'}`,
      differ: 'differ: this grad is wrong',
      unknown: 'NaN: nothing to compare',
    };
    return `${head}\nnudge: (L(${name} + h) − L) / h = ${formatFixed(nudges[id], 6)} with h = ${checkH.toExponential(0)}\n${CHECK_MARKS[check]} backprop and nudge ${verdict[check]}`;
  };
  const apply = () => onChange({ preset: 'custom', expr: draft, leaves: '' });
  const active = lastStep?.node ?? null;
  const targets = lastStep?.terms.map((t) => t.child) ?? [];

  return (
    <section class="panel" aria-labelledby="lab-title">
      <h2 id="lab-title">2. Expression lab: a Value graph, forward and backward</h2>
      <p>
        Each line <span class="mono">name = expression</span> builds <span class="mono">Value</span>{' '}
        nodes, as micrograd does (<span class="mono">+ − * / **</span>, unary minus, parentheses,{' '}
        <span class="mono">exp log tanh relu sigmoid</span>); the last line is the output L. The
        forward pass computes every <em>data</em>; the backward pass fills every <em>grad</em> =
        dL/d(node) by the chain rule, visiting nodes from L back to the inputs: each node multiplies
        its own local derivative by the gradient flowing into it (upstream) and <em>adds</em> the
        result to its operands' grads. Step through it, then drag an input and watch it all update.
        After Backward each grad carries its numerical check: nudge that node by h and measure
        (L(node + h) − L) / h. ✓: the two agree to 4 digits; ≈: roughly (h too large or too small);
        ✗: the grad is wrong. Hover over or focus a node (Tab) for the numbers.
      </p>
      <div class="controls">
        {(Object.keys(PRESETS) as PresetId[]).map((id) => (
          <button
            key={id}
            type="button"
            class={preset === id ? 'primary' : undefined}
            aria-pressed={preset === id}
            onClick={() => onChange({ preset: id, expr: '', leaves: '' })}
          >
            {PRESETS[id].title}
          </button>
        ))}
      </div>
      <div class="editor">
        <label for="expr-editor" class="muted">
          Expression (statements separated by new lines or <span class="mono">;</span>)
        </label>
        <textarea
          id="expr-editor"
          spellcheck={false}
          value={draft}
          onInput={(e) => setDraft(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) apply();
          }}
        />
        <div class="controls">
          <button type="button" onClick={apply} disabled={draft === source}>
            Build graph (Ctrl+Enter)
          </button>
        </div>
        {error ? <ErrorMessage error={error} source={source} /> : null}
      </div>
      {lab ? (
        <>
          <div class="controls" style="margin: 0.8rem 0">
            <button
              type="button"
              class="primary"
              onClick={() => {
                lab.forward();
                setLastStep(null);
                rerender();
              }}
            >
              Forward
            </button>
            <button
              type="button"
              class="primary"
              onClick={() => {
                lab.backward();
                setLastStep(null);
                rerender();
              }}
            >
              Backward
            </button>
            <button
              type="button"
              disabled={lab.phase === 'backward'}
              onClick={() => {
                setLastStep(lab.stepBackward());
                rerender();
              }}
            >
              Step backward ({lab.stepsTaken}/{lab.backwardOrder.length})
            </button>
            <button
              type="button"
              onClick={() => {
                lab.zeroGrad();
                setLastStep(null);
                rerender();
              }}
            >
              Zero grads
            </button>
            <label>
              nudge h
              <select
                value={String(checkH)}
                onChange={(e) => onChange({ checkH: Number(e.currentTarget.value) })}
              >
                {[1e-2, 1e-3, 1e-4, 1e-6, 1e-8, 1e-10].map((h) => (
                  <option key={h} value={String(h)}>
                    {h.toExponential(0)}
                  </option>
                ))}
              </select>
            </label>
          </div>
          <StepExplanation lab={lab} step={lastStep} />
          <LeafInputs
            lab={lab}
            order={built?.inputOrder ?? []}
            onChange={(id, value) => {
              lab.setLeaf(id, value);
              const current = new Map(
                lab
                  .leaves()
                  .filter((n) => n.label !== '')
                  .map((n) => [n.label, n.data]),
              );
              writtenLeaves.current = formatLeaves(changedLeaves(current, initialLeaves.current));
              onChange({ leaves: writtenLeaves.current });
              // Keep the last step's highlight meaningful only while stepping.
              if (lab.phase !== 'stepping') setLastStep(null);
              rerender();
            }}
          />
          <LabGraph
            lab={lab}
            texts={texts}
            checks={checks}
            describe={describe}
            active={active}
            targets={targets}
            title={`Computation graph of ${nodeName(lab.nodes[lab.root])}`}
          />
          <NonFiniteNote lab={lab} nudges={nudges} />
        </>
      ) : null}
    </section>
  );
}

function ErrorMessage({ error, source }: { error: Error; source: string }) {
  if (!(error instanceof ExpressionError)) {
    return (
      <p class="alert" role="alert">
        {error.message}
      </p>
    );
  }
  const line = source.split('\n')[error.line - 1] ?? '';
  return (
    <div class="alert" role="alert">
      <p style="margin: 0">{error.message}</p>
      <pre class="mono" style="margin: 0.3rem 0 0">
        {line}
        {'\n'}
        {' '.repeat(Math.max(0, error.column - 1))}^
      </pre>
    </div>
  );
}

function StepExplanation({ lab, step }: { lab: ExpressionLab; step: BackwardStep | null }) {
  let text: preact.ComponentChildren;
  if (step === null) {
    text =
      lab.phase === 'built'
        ? 'The inputs are set; press Forward to compute every node, or Step backward to start.'
        : lab.phase === 'forward'
          ? 'Forward pass done: every grad is 0. Press Backward, or Step backward one node at a time.'
          : lab.phase === 'backward'
            ? 'Backward pass done: every grad holds dL/d(node), checked by nudging (✓ ≈ ✗ after each grad).'
            : '';
  } else if (step.kind === 'seed') {
    text = `${nodeName(lab.nodes[step.node])}.grad = 1: the derivative of the output with respect to itself.`;
  } else {
    const node = lab.nodes[step.node];
    const name = nodeName(node);
    text = (
      <>
        Node <strong>{name}</strong> (op <span class="mono">{node.op}</span>) passes its gradient
        back, upstream {name}.grad = {formatFixed(step.upstream)}:
        <ul class="mono" style="margin: 0.3rem 0">
          {step.terms.map((term, i) => {
            const child = nodeName(lab.nodes[term.child]);
            return (
              <li key={i}>
                ∂{name}/∂{child} × {name}.grad = {formatFixed(term.local)} ×{' '}
                {formatFixed(step.upstream)} = {formatFixed(term.contribution)} → {child}.grad ={' '}
                {formatFixed(lab.nodes[term.child].grad)}
              </li>
            );
          })}
        </ul>
      </>
    );
  }
  return (
    <div class="panel" aria-live="polite" data-testid="step-explanation" style="margin: 0.4rem 0">
      {text}
    </div>
  );
}

/** More inputs than this (an MLP's 337 weights): the rest behind "All N inputs". */
const SHOWN_INPUTS = 8;

function LeafInputs({
  lab,
  order,
  onChange,
}: {
  lab: ExpressionLab;
  /** Input names in the source's order (an MLP's x1, x2 first, then its weights). */
  order: readonly string[];
  onChange: (id: number, value: number) => void;
}) {
  const [open, setOpen] = useState(false);
  const rank = new Map(order.map((name, i) => [name, i]));
  const leaves = lab
    .leaves()
    .filter((n) => n.label !== '')
    .sort((a, b) => (rank.get(a.label) ?? a.id) - (rank.get(b.label) ?? b.id));
  if (leaves.length === 0) return null;
  const field = (leaf: LabNode) => (
    <label key={leaf.id}>
      <span class="mono">{leaf.label}</span>
      <input
        type="range"
        min={-10}
        max={10}
        step={0.01}
        value={Math.max(-10, Math.min(10, leaf.data))}
        aria-label={`${leaf.label} (slider)`}
        onInput={(e) => onChange(leaf.id, Number(e.currentTarget.value))}
      />
      <input
        type="number"
        step="any"
        value={leaf.data}
        aria-label={leaf.label}
        onInput={(e) => {
          const value = Number(e.currentTarget.value);
          if (e.currentTarget.value.trim() !== '' && Number.isFinite(value))
            onChange(leaf.id, value);
        }}
      />
    </label>
  );
  const rest = leaves.slice(SHOWN_INPUTS);
  return (
    <>
      <fieldset class="leaf-inputs" style="border: 0; padding: 0; margin: 0 0 0.6rem">
        <legend class="muted">Inputs (drag or type)</legend>
        {leaves.slice(0, SHOWN_INPUTS).map(field)}
      </fieldset>
      {rest.length > 0 ? (
        <details
          style="margin: 0 0 0.6rem"
          onToggle={(e) => setOpen((e.currentTarget as HTMLDetailsElement).open)}
        >
          <summary>
            All {leaves.length} inputs ({rest.length} more)
          </summary>
          {open ? (
            <fieldset class="leaf-inputs" style="border: 0; padding: 0; margin: 0.4rem 0 0">
              <legend class="muted">The other inputs</legend>
              {rest.map(field)}
            </fieldset>
          ) : null}
        </details>
      ) : null}
    </>
  );
}

/** Says what inf and NaN mean when the graph holds any (after the forward pass). */
function NonFiniteNote({ lab, nudges }: { lab: ExpressionLab; nudges: Float64Array | null }) {
  if (lab.phase === 'built') return null;
  // The nudges too: (−inf + h) − (−inf) is NaN even where every data and grad is a number.
  const note = nonFiniteExplanation([
    ...lab.nodes.flatMap((n) => [n.data, n.grad]),
    ...(nudges ?? []),
  ]);
  return note ? (
    <p class="muted" data-testid="non-finite-note">
      {note}
    </p>
  ) : null;
}
