/**
 * Neuron, MLP & moons: one neuron to play with, then micrograd's moons experiment trained in a
 * worker (the shared training session, `moons-kind.ts`) with a choice of loss, live loss/accuracy charts, the decision boundary
 * painted from plain-number scores, any point's computational graph on click, and the three losses
 * plotted side by side. Logic lives in the plain modules next to this file; this is UI.
 */

// Types only: the page chunk stays free of makemore (and the tensor library); the run is in the worker.
import type { MoonsConfig, MoonsLoss } from '@llm-playground/makemore';
import * as Plot from '@observablehq/plot';
import { type Signal, useSignal } from '@preact/signals';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { route } from '../../router.js';
import type { Command, SessionEvent, Stop } from '../../session/protocol.js';
import { useSession } from '../../session/use-session.js';
import { Alert } from '../../ui/alert.js';
import { DivergenceAlert } from '../../ui/divergence-alert.js';
import { formatLoss } from '../../ui/format.js';
import { NumberField } from '../../ui/number-field.js';
import { ResetDefaultsButton } from '../../ui/reset-defaults-button.js';
import { SelectField } from '../../ui/select-field.js';
import { SliderField } from '../../ui/slider-field.js';
import { TrainingControls } from '../../ui/training-controls.js';
import { type NumberKey, type PageState, useUrlState } from '../../ui/use-url-state.js';
import { FunctionPlot } from '../../viz/function-plot.js';
import { LineChart } from '../../viz/line-chart.js';
import { type PlotElement, plotPointer } from '../../viz/plot-figure.js';
import { ExpressionLab } from '../derivatives/expression-lab.js';
import { formatFixed } from '../derivatives/graph-dot.js';
import { LabGraph } from '../derivatives/lab-graph.js';
import { nearestPoint, plotBoundary } from './boundary-plot.js';
import { FrameBatcher, FramePump, type Progress } from './frame-batcher.js';
import { CURVE_BOX, MARGIN_LOSSES, SUGGESTED_LR } from './loss-curves.js';
import type { GridSpec, MLPSnapshot } from './mlp-snapshot.js';
import type { MoonsInfo, MoonsSnapshot } from './moons-kind.js';
import {
  ACTIVATION_FUNCTIONS,
  activationBox,
  biasForN,
  type NeuronActivation,
  neuronForward,
} from './neuron.js';
import { countScoreValues, MAX_GRAPH_VALUES, scoreGraph } from './point-graph.js';

const schema = {
  seed: { type: 'number', default: 1337, min: 0, max: 2147483647, integer: true },
  lr: { type: 'number', default: 1, min: 1e-4, max: 1e7, log: true },
  alpha: { type: 'number', default: 1e-4, min: 0, max: 1 },
  steps: { type: 'number', default: 100, min: 1, max: 2000, integer: true },
  batch: { type: 'number', default: 0, min: 0, max: 500, integer: true },
  hidden: { type: 'string', default: '16,16', maxLength: 40 },
  samples: { type: 'number', default: 100, min: 10, max: 500, integer: true },
  noise: { type: 'number', default: 0.1, min: 0, max: 0.5 },
  loss: { type: 'enum', default: 'max-margin', values: MARGIN_LOSSES.map((l) => l.loss) },
  // The neuron demo's sliders and activation (lecture 1's neuron by default).
  x1: { type: 'number', default: 2, min: -8, max: 8 },
  x2: { type: 'number', default: 0, min: -8, max: 8 },
  w1: { type: 'number', default: -3, min: -8, max: 8 },
  w2: { type: 'number', default: 1, min: -8, max: 8 },
  b: { type: 'number', default: 6.8813735870195432, min: -8, max: 8 },
  act: { type: 'enum', default: 'tanh', values: ['tanh', 'sigmoid', 'relu'] },
} as const;

type MoonsState = PageState<typeof schema>;

const LOSS_OPTIONS = [
  { value: 'max-margin', label: 'max-margin (hinge)' },
  { value: 'mse', label: 'squared error (MSE)' },
  { value: 'cross-entropy', label: 'cross-entropy (logistic)' },
] as const satisfies readonly { value: MoonsLoss; label: string }[];

/** What each loss adds up per point, as the charts' titles and the explanation say it. */
const LOSS_FORMULAS: Record<MoonsLoss, string> = {
  'max-margin': 'mean(relu(1 − yᵢ·scoreᵢ))',
  mse: 'mean((scoreᵢ − yᵢ)²)',
  'cross-entropy': 'mean(log(1 + e^(−yᵢ·scoreᵢ)))',
};

export default function MoonsPage() {
  const state = useUrlState(schema);
  return (
    <>
      <NeuronDemo state={state} />
      <MoonsExperiment state={state} />
      <LossesPanel selected={state.values.value.loss as MoonsLoss} />
    </>
  );
}

// ---- a neuron --------------------------------------------------------------------------------

/** The neuron's inputs, weights, bias and activation live in the URL (a link shows the same neuron). */
function NeuronDemo({ state }: { state: MoonsState }) {
  const values = state.values.value;
  const x = [values.x1, values.x2];
  const w = [values.w1, values.w2];
  const b = values.b;
  const activation = values.act as NeuronActivation;
  const setX = ([x1, x2]: number[]) => state.set({ x1, x2 });
  const setW = ([w1, w2]: number[]) => state.set({ w1, w2 });
  const setB = (value: number) => state.set({ b: value });
  const setActivation = (act: NeuronActivation) => state.set({ act });
  const r = neuronForward(x, w, b, activation);
  // The window follows n (always inside) and fits the whole curve (ReLU is never clipped).
  const box = activationBox(activation, r.n, 360, 220);
  // Dragging along the curve (or the arrow keys on the point) sets n by moving the bias.
  const setN = (n: number) => setB(biasForN(n, x, w));
  const slider = (label: string, value: number, set: (v: number) => void) => (
    <SliderField
      mono
      label={label}
      shown={value.toFixed(2)}
      min={-8}
      max={8}
      step={0.01}
      value={value}
      onInput={set}
    />
  );
  return (
    <section class="panel" aria-labelledby="neuron-title">
      <h2 id="neuron-title">1. A neuron</h2>
      <p>
        A neuron weighs its inputs, adds a bias and squashes the sum:{' '}
        <span class="mono">o = act(n), n = w1·x1 + w2·x2 + b</span>. Backward multiplies by the
        activation's slope at n: <span class="mono">do/dwᵢ = act′(n)·xᵢ</span>. The start is lecture
        1's neuron (o = 0.7071). Push n far from 0 and watch tanh and sigmoid saturate (slope → 0,
        gradients vanish) while ReLU passes the gradient unchanged for n &gt; 0 and blocks it for n
        &lt; 0. Drag the point along the curve (or focus it and use the arrow keys, Shift for steps
        of 1) to set n directly: it moves the bias, b = n − w1·x1 − w2·x2.
      </p>
      <div class="row">
        <div
          class="controls"
          style="flex-direction: column; align-items: stretch; min-width: 260px"
        >
          {slider('x1', x[0], (v) => setX([v, x[1]]))}
          {slider('x2', x[1], (v) => setX([x[0], v]))}
          {slider('w1', w[0], (v) => setW([v, w[1]]))}
          {slider('w2', w[1], (v) => setW([w[0], v]))}
          {slider('b', b, setB)}
          <label>
            activation
            <select
              value={activation}
              onChange={(e) => setActivation(e.currentTarget.value as NeuronActivation)}
            >
              <option value="tanh">tanh</option>
              <option value="sigmoid">sigmoid</option>
              <option value="relu">ReLU</option>
            </select>
          </label>
        </div>
        <div>
          <FunctionPlot
            testId="neuron-plot"
            title={`${activation} plotted for n from ${box.nMin.toFixed(1)} to ${box.nMax.toFixed(1)}, with the neuron's n marked`}
            width={box.width}
            height={box.height}
            x={{ domain: [box.nMin, box.nMax], label: 'n' }}
            y={{ domain: [box.yMin, box.yMax] }}
            curves={[{ fn: ACTIVATION_FUNCTIONS[activation].value, stroke: '#2f6fb3' }]}
            handle={{
              x: r.n,
              y: r.o,
              fill: '#b3541e',
              min: box.nMin,
              max: box.nMax,
              ariaLabel:
                "the neuron's n: drag along the curve or use the arrow keys (moves the bias b)",
              ariaValueText: `n = ${r.n.toFixed(2)}, b = ${b.toFixed(2)}`,
              onDrag: setN,
            }}
          />
          <p class="mono muted" style="margin: 0.2rem 0">
            {ACTIVATION_FUNCTIONS[activation].formula}
          </p>
          <table class="lab-table mono" aria-label="Neuron values and gradients">
            <tbody>
              <tr>
                <td>n</td>
                <td data-testid="neuron-n">{formatFixed(r.n)}</td>
                <td>o</td>
                <td data-testid="neuron-o">{formatFixed(r.o)}</td>
                <td>do/dn</td>
                <td>{formatFixed(r.dodn)}</td>
              </tr>
              <tr>
                <td>do/dw1</td>
                <td>{formatFixed(r.dw[0])}</td>
                <td>do/dw2</td>
                <td>{formatFixed(r.dw[1])}</td>
                <td>do/db</td>
                <td>{formatFixed(r.db)}</td>
              </tr>
            </tbody>
          </table>
        </div>
      </div>
    </section>
  );
}

// ---- the moons experiment --------------------------------------------------------------------

/** Parses '16,16' into widths; null if malformed. */
function parseHidden(text: string): number[] | null {
  if (!/^\s*\d+(\s*,\s*\d+)*\s*$/.test(text)) return null;
  const widths = text.split(',').map((part) => Number(part.trim()));
  return widths.every((w) => w >= 1 && w <= 64) && widths.length <= 4 ? widths : null;
}

/** What the controls depend on; the experiment re-renders only when one of these changes. */
interface Phase {
  running: boolean;
  done: boolean;
  stop: Stop | null;
}

const IDLE: Phase = { running: false, done: false, stop: null };

type ChartRows = [number[], number[]];

const CANVAS = 420;

/** The moons task's settings from the page's values. */
function configOf(values: MoonsState['values']['value'], hidden: number[]): MoonsConfig {
  return {
    samples: values.samples,
    noise: values.noise,
    hidden,
    steps: values.steps,
    lr: values.lr,
    alpha: values.alpha,
    batchSize: Math.min(values.batch, values.samples),
    seed: values.seed,
    loss: values.loss as MoonsLoss,
  };
}

/** The status line: the only text that changes on every step (it re-renders alone). */
function MoonsStatus(props: { progress: Signal<Progress | null>; steps: number }) {
  const progress = props.progress.value;
  const diverged = progress?.stop?.reason === 'diverged';
  return (
    <span class="mono" aria-live="polite" data-testid="moons-status">
      step {progress?.stepCount ?? 0}/{props.steps}
      {progress?.lastLoss != null ? ` · loss ${formatLoss(progress.lastLoss)}` : ''}
      {progress ? ` · accuracy ${(progress.accuracy * 100).toFixed(0)}%` : ''}
      {progress?.lastLr != null ? ` · lr ${progress.lastLr.toPrecision(3)}` : ''}
      {progress?.done && !diverged ? ' · done' : ''}
    </span>
  );
}

/** The loss and accuracy charts: new data go to uPlot's `setData` (at most once per frame). */
function MoonsCharts(props: {
  lossRows: Signal<ChartRows>;
  accuracyRows: Signal<ChartRows>;
  loss: MoonsLoss;
}) {
  return (
    <div style="flex: 1 1 300px; max-width: 560px; min-width: 0">
      <LineChart
        data={props.lossRows.value}
        series={LOSS_SERIES}
        xLabel="step"
        yLabel="loss"
        width={440}
        height={200}
        title={`Training loss ${LOSS_FORMULAS[props.loss]} + α·Σp² per step`}
      />
      <LineChart
        data={props.accuracyRows.value}
        series={ACCURACY_SERIES}
        xLabel="step"
        yLabel="accuracy (%)"
        width={440}
        height={200}
        title="Accuracy on each step's batch, in percent"
      />
    </div>
  );
}

const LOSS_SERIES = [{ label: 'loss', color: '#2f6fb3' }];
const ACCURACY_SERIES = [{ label: 'accuracy %', color: '#1d7a3a' }];

function samePhase(a: Phase, b: Phase): boolean {
  return (
    a.running === b.running &&
    a.done === b.done &&
    a.stop?.reason === b.stop?.reason &&
    a.stop?.step === b.stop?.step &&
    a.stop?.message === b.stop?.message
  );
}

function MoonsExperiment({ state }: { state: MoonsState }) {
  const values = state.values.value;
  const loss = values.loss as MoonsLoss;
  const hidden = parseHidden(values.hidden);
  const config: MoonsConfig | null = hidden ? configOf(values, hidden) : null;
  const configKey = JSON.stringify(config);

  const runId = useRef(-1);
  const data = useRef<{ X: [number, number][]; labels: number[]; spec: GridSpec } | null>(null);
  const grid = useRef<Float32Array | null>(null);
  const snapshot = useRef<MLPSnapshot | null>(null);
  const boundary = useRef<HTMLElement>(null);
  const boundaryFigure = useRef<PlotElement | null>(null);
  // Live values as signals: only the status line and the charts re-render when they change.
  const progress = useSignal<Progress | null>(null);
  const lossRows = useSignal<ChartRows>([[], []]);
  const accuracyRows = useSignal<ChartRows>([[], []]);
  // The snapshot the point's graph is built from: the latest one whenever the run is not running
  // (a running run's graph keeps its layout and numbers until it pauses or stops).
  const graphSnapshot = useSignal<MLPSnapshot | null>(null);
  const [phase, setPhase] = useState<Phase>(IDLE);
  const phaseRef = useRef<Phase>(IDLE);
  const [points, setPoints] = useState(0);
  const [workerError, setWorkerError] = useState<string | null>(null);
  const [selected, setSelected] = useState<number | null>(null);
  const selectedRef = useRef<number | null>(null);
  selectedRef.current = selected;

  const batcher = useRef<FrameBatcher | null>(null);
  const pump = useRef<FramePump | null>(null);
  if (!batcher.current) {
    // The heavy updates, one per frame: the boundary, then each chart (at most 5 times a
    // second while the run goes on; at once when it pauses or stops).
    pump.current = new FramePump(
      [
        { name: 'paint', run: () => paint() },
        {
          name: 'loss',
          minInterval: 200,
          run: () => {
            const h = batcher.current!.history;
            lossRows.value = [h.steps.slice(), h.loss.slice()];
          },
        },
        {
          name: 'accuracy',
          minInterval: 200,
          run: () => {
            const h = batcher.current!.history;
            accuracyRows.value = [h.steps.slice(), h.accuracy.slice()];
          },
        },
      ],
      () => !phaseRef.current.running,
    );
    batcher.current = new FrameBatcher((batch) => {
      const p = batch.progress;
      progress.value = p;
      const next: Phase = p ? { running: p.running, done: p.done, stop: p.stop } : IDLE;
      if (!samePhase(next, phaseRef.current)) {
        phaseRef.current = next;
        setPhase(next);
      }
      if (!next.running || graphSnapshot.peek() === null) graphSnapshot.value = snapshot.current;
      if (batch.snapshotDirty) pump.current!.mark('paint');
      if (batch.chartsDirty) {
        pump.current!.mark('loss');
        pump.current!.mark('accuracy');
      }
    });
  }
  useEffect(
    () => () => {
      batcher.current?.cancel();
      pump.current?.cancel();
    },
    [],
  );

  // One session for the page, kept when the learner visits another page (the run goes on).
  // Settings go over as 'configure': new settings start a new run, the same ones change nothing.
  const session = useSession({
    key: 'moons',
    kind: 'moons',
    // Unreadable hidden sizes: start with the schema's (micrograd's 16,16) until they are fixed.
    init: () => config ?? { ...configOf(values, [16, 16]) },
    identity: [],
    onEvent,
  });
  const send = (command: Command) => session.send(command);

  function onEvent(event: SessionEvent) {
    if (event.type === 'error') {
      setWorkerError(event.message);
      return;
    }
    const batch = batcher.current!;
    if (event.type === 'ready') {
      runId.current = event.run;
      data.current = event.info as MoonsInfo;
      grid.current = null;
      snapshot.current = null;
      graphSnapshot.value = null;
      setPoints(data.current.X.length);
      batch.clear();
      setWorkerError(null);
      return;
    }
    if (event.type !== 'progress' || event.run !== runId.current) return;
    const latest = event.snapshot?.value as MoonsSnapshot | undefined;
    if (latest) {
      grid.current = latest.grid;
      snapshot.current = latest.snapshot;
      batch.markSnapshot();
    }
    batch.add(event, latest?.accuracy);
  }

  useEffect(() => {
    if (config) send({ type: 'configure', config });
  }, [configKey]);

  /** Redraws the moons picture (at most once per frame: the `FramePump` calls this). */
  const paint = () => {
    const host = boundary.current;
    const d = data.current;
    if (!host || !d) return;
    boundaryFigure.current = plotBoundary(d, grid.current, selectedRef.current, CANVAS);
    host.replaceChildren(boundaryFigure.current);
  };
  useEffect(paint, [selected]);
  const select = (index: number) => {
    // A point chosen while the run goes on gets the latest weights' graph.
    graphSnapshot.value = snapshot.current;
    setSelected(index);
  };

  const { running, done } = phase;
  const field = (name: NumberKey<typeof schema>, label: string, step?: number) => (
    <NumberField state={state} name={name} label={label} step={step} width="7rem" />
  );

  return (
    <section class="panel" aria-labelledby="moons-title">
      <h2 id="moons-title">2. An MLP learns two moons</h2>
      <p>
        micrograd's demo: 2-D points from two interleaving half circles, labels ±1, and{' '}
        <span class="mono">MLP(2, [{values.hidden}, 1])</span> (ReLU hidden layers, one linear
        output: the score). micrograd's loss is the max-margin (hinge) loss{' '}
        <span class="mono">mean(relu(1 − yᵢ·scoreᵢ)) + α·Σp²</span>, which is zero once every point
        is on the right side with a margin of 1; pick squared error or cross-entropy instead and
        compare (the three are drawn side by side below). Training is plain SGD with the learning
        rate decaying <span class="mono">lr·(1 − 0.9·k/steps)</span>. A batch size below the number
        of points trains on a random minibatch each step: cheaper, noisier steps. Try a tiny network
        (hidden 4), a batch of 10, lr 1e6 (it diverges), or more noise. Click a point to see the
        graph that computes its score.
      </p>
      <div class="controls">
        <SelectField state={state} name="loss" label="loss" options={LOSS_OPTIONS} />
        {field('lr', 'learning rate')}
        {field('alpha', 'L2 alpha')}
        {field('steps', 'steps')}
        {field('batch', 'batch size (0 = all)')}
        <label>
          hidden sizes
          <input
            type="text"
            name="hidden"
            value={values.hidden}
            style="width: 7rem"
            onChange={(e) => state.set({ hidden: e.currentTarget.value })}
          />
        </label>
        {field('samples', 'points')}
        {field('noise', 'noise', 0.01)}
        {field('seed', 'seed')}
        <ResetDefaultsButton state={state} />
      </div>
      {loss === 'mse' && values.lr > SUGGESTED_LR.mse ? (
        <p class="muted" data-testid="lr-hint">
          Squared error's gradient, 2·(score − y), grows with the error: above learning rate about
          0.2 the first overshoot makes the next gradient larger, and the weights blow up.{' '}
          <button type="button" onClick={() => state.set({ lr: SUGGESTED_LR[loss] })}>
            Use learning rate {SUGGESTED_LR[loss]}
          </button>
        </p>
      ) : null}
      {hidden === null ? (
        <p class="alert" role="alert">
          Hidden sizes must be 1 to 4 comma-separated widths from 1 to 64, such as 16,16; got “
          {values.hidden}”.
        </p>
      ) : null}
      <TrainingControls
        style="margin: 0.8rem 0"
        running={running}
        canPlay={config !== null && !done}
        canStep={config !== null && !running && !done}
        canReset={config !== null}
        onPlay={() => send({ type: 'resume' })}
        onPause={() => send({ type: 'pause' })}
        onStep={() => send({ type: 'step', count: 1 })}
        onReset={() => send({ type: 'reset' })}
      >
        <MoonsStatus progress={progress} steps={values.steps} />
      </TrainingControls>
      <DivergenceAlert stop={phase.stop} onUseRate={(lr) => state.set({ lr })} />
      <Alert message={workerError} />
      <div class="row">
        <div style="max-width: 422px">
          {/* biome-ignore lint/a11y/useKeyWithClickEvents: the keyboard picks a point with the "point" field below. */}
          <figure
            ref={boundary}
            class="plot-figure moons-boundary"
            data-testid="moons-boundary"
            aria-label="The points of the two moons over the model's decision regions; click a point to see its computational graph"
            style={`width: ${CANVAS}px; max-width: 100%; border: 1px solid var(--line); cursor: crosshair; margin: 0`}
            onClick={(event) => {
              const d = data.current;
              const figure = boundaryFigure.current;
              if (!d || !figure) return;
              const best = nearestPoint(figure, d.X, plotPointer(figure, event));
              if (best >= 0) select(best);
            }}
          />
          <p class="muted" style="margin: 0.2rem 0; font-size: 0.85rem">
            Blue: class +1 (score &gt; 0), orange: class −1; the darker the shade, the larger
            |score|. Scores come from the weights as plain numbers, not Value graphs. Seeded runs
            repeat exactly in the same browser (Math.tanh/exp may differ in the last bit between
            engines).
          </p>
        </div>
        <MoonsCharts lossRows={lossRows} accuracyRows={accuracyRows} loss={loss} />
      </div>
      <PointGraph
        selected={selected}
        onSelect={select}
        count={points}
        point={selected !== null ? (data.current?.X[selected] ?? null) : null}
        snapshot={graphSnapshot}
      />
    </section>
  );
}

function PointGraph(props: {
  selected: number | null;
  onSelect: (index: number) => void;
  count: number;
  point: [number, number] | null;
  /** The weights to build the graph from; it changes only while the run is not running. */
  snapshot: Signal<MLPSnapshot | null>;
}) {
  const { selected, onSelect, count, point } = props;
  const snapshot = props.snapshot.value;
  const [lab, setLab] = useState<ExpressionLab | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  // Rebuild when the point or the weights change (LabGraph lays out again only when the
  // structure changes; new weights on the same network only change the numbers).
  useEffect(() => {
    if (selected === null || point === null || snapshot === null) return;
    const size = countScoreValues(snapshot);
    if (size > MAX_GRAPH_VALUES) {
      setMessage(
        `This network's score graph has ${size} values, more than Graphviz can lay out quickly (${MAX_GRAPH_VALUES}); use smaller hidden sizes to see it.`,
      );
      setLab(null);
      return;
    }
    setMessage(null);
    const next = ExpressionLab.fromValue(scoreGraph(snapshot, point));
    next.backward();
    setLab(next);
  }, [selected, snapshot]);
  const texts = useMemo(
    () => lab?.nodes.map((n) => ({ data: formatFixed(n.data), grad: formatFixed(n.grad) })) ?? [],
    [lab],
  );

  return (
    <div style="margin-top: 0.8rem">
      <h3>The computational graph of one point's score</h3>
      <div class="controls">
        <label>
          point (click one, or choose)
          <input
            type="number"
            min={0}
            max={Math.max(0, count - 1)}
            value={selected ?? ''}
            placeholder="none"
            onChange={(e) => {
              const index = Number(e.currentTarget.value);
              if (Number.isInteger(index) && index >= 0 && index < count) onSelect(index);
            }}
          />
        </label>
        {lab && point ? (
          <span class="mono" data-testid="point-summary">
            x = ({point[0].toFixed(3)}, {point[1].toFixed(3)}) · score{' '}
            {formatFixed(lab.nodes[lab.root].data)} · {lab.nodes.length} values
          </span>
        ) : null}
      </div>
      {message ? <p class="alert">{message}</p> : null}
      {selected === null ? (
        <p class="muted">
          No point selected. The graph is the forward pass of the score for one input: every weight
          is a leaf, every product and sum a node (grad = d score / d node after backward).
        </p>
      ) : lab ? (
        <LabGraph
          lab={lab}
          texts={texts}
          title={`Computational graph of the score of point ${selected}`}
          numberWidth={9}
        />
      ) : null}
    </div>
  );
}

// ---- losses side by side ---------------------------------------------------------------------

/** The home page's "Losses" step links here with `focus=losses`: scroll to the panel, focus it. */
function LossesPanel({ selected }: { selected: MoonsLoss }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (route.value.params.get('focus') !== 'losses') return;
    const frame = requestAnimationFrame(() => {
      heading.current?.scrollIntoView({ block: 'start' });
      heading.current?.focus({ preventScroll: true });
    });
    return () => cancelAnimationFrame(frame);
  }, []);
  const box = CURVE_BOX;
  return (
    <section class="panel" aria-labelledby="losses-title" data-testid="losses-panel">
      <h2 id="losses-title" ref={heading} tabIndex={-1}>
        3. Losses side by side
      </h2>
      <p>
        With labels y = ±1 each of the three losses depends on one number per point, the margin{' '}
        <span class="mono">m = y·score</span>: positive when the point is on the right side, the
        larger the more confidently. Past the margin (m ≥ 1) the hinge is exactly 0, so points that
        are already right stop pulling on the weights; squared error rises again and also punishes
        being "too right"; the logistic loss (cross-entropy) keeps shrinking but never reaches 0, so
        every point always pulls a little.
      </p>
      <p>
        When to use which: predicting a number (regression) → squared error (MSE). Two classes as ±1
        labels, where only the side and a safety margin matter → the hinge, as micrograd does. When
        you want probabilities, or have more than two classes → cross-entropy, the negative
        log-likelihood of the right class; it is what the language models on the next pages minimize
        over 27 characters.
      </p>
      <FunctionPlot
        title="Hinge, squared error and logistic loss plotted against the margin m = y·score from −3 to 3"
        width={box.width + 48}
        height={box.height + 54}
        x={{ domain: [box.mMin, box.mMax], label: 'm = y·score' }}
        y={{ domain: [0, box.yMax] }}
        curves={MARGIN_LOSSES.map((curve) => ({
          fn: curve.at,
          stroke: curve.color,
          strokeWidth: curve.loss === selected ? 3.5 : 1.75,
          name: curve.loss,
        }))}
        marks={[
          Plot.ruleX([1], { stroke: '#999', strokeDasharray: '4 3' }),
          Plot.text(['margin'], { x: 1, frameAnchor: 'top', dx: 4, dy: 6, textAnchor: 'start' }),
        ]}
      />
      <ul class="mono" style="list-style: none; padding: 0; margin: 0.4rem 0">
        {MARGIN_LOSSES.map((curve) => (
          <li key={curve.loss} style={curve.loss === selected ? 'font-weight: bold' : undefined}>
            <span style={`color: ${curve.color}`} aria-hidden="true">
              ━━{' '}
            </span>
            {curve.label}: {curve.formula}
            {curve.loss === selected ? ' (training with it above)' : ''}
          </li>
        ))}
      </ul>
    </section>
  );
}
