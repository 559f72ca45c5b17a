/**
 * The network's vital signs (makemore part 3, "Activations & gradients"): a deep tanh MLP trains
 * in the session worker (`vitals-kind.ts`, makemore's `Diagnostics` on the one `Trainer`) while
 * the lecture's four pictures update live — the activation histograms of every Tanh layer, their
 * gradients, the weights' gradients with their grad:data ratios (Observable Plot), and the
 * update:data ratio of each parameter over time against the 1e-3 guide line (uPlot) — with the
 * loss, and the lecture's toggles (initial-loss fix, tanh gain, Kaiming, BatchNorm) beside what
 * to look for. This component only wires messages to views.
 */
import { CharTokenizer } from '@llm-playground/data';
import type { ConfigField, ConfigValue } from '@llm-playground/makemore/schemas';
import { flagOf } from '@llm-playground/makemore/schemas';
import * as Plot from '@observablehq/plot';
import { useSignal } from '@preact/signals';
import type { JSX } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { route } from '../../router.js';
import { useSessionFlusher } from '../../session/flusher.js';
import type { SessionEvent } from '../../session/protocol.js';
import { SessionControls } from '../../session/session-controls.js';
import { useSession } from '../../session/use-session.js';
import { dataset } from '../../state/dataset.js';
import { pageConfig, rawFlags } from '../../state/family-params.js';
import { Alert } from '../../ui/alert.js';
import { ClampNote } from '../../ui/clamp-note.js';
import { DataNotice } from '../../ui/data-notice.js';
import { DivergenceAlert } from '../../ui/divergence-alert.js';
import { formatCount, formatDecimal } from '../../ui/format.js';
import { NumberField } from '../../ui/number-field.js';
import { ResetDefaultsButton } from '../../ui/reset-defaults-button.js';
import { SchemaControls } from '../../ui/schema-controls.js';
import { useMovedParams, useUrlState } from '../../ui/use-url-state.js';
import { LineChart } from '../../viz/line-chart.js';
import { PlotFigure } from '../../viz/plot-figure.js';
import {
  deepMlpFamily,
  LECTURE_STEPS,
  MOVED_KEYS,
  toVitalsSettings,
  vitalsSchema,
} from './params.js';
import {
  curvePoints,
  SeriesHistory,
  toVitalsProgress,
  UD_PREFIX,
  type VitalsCurve,
  type VitalsInfo,
  type VitalsProgress,
  type VitalsSnapshot,
} from './vitals-types.js';
import './vitals.css';

/** One colour per layer (Tableau 10), the same in a plot and its legend. */
const PALETTE = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#bab0ac',
];
const colorOf = (index: number) => PALETTE[index % PALETTE.length];

/** The page's live charts, as signals read only by the small components that draw them. */
interface Charts {
  loss: [number[], ...(number | null)[][]];
  ratios: [number[], ...(number | null)[][]];
}

/** The lecture's histogram plot: one density line per layer (`plt.plot(hx[:-1], hy)`). */
function renderHistograms(curves: readonly VitalsCurve[], xLabel: string) {
  const points = curves.flatMap((c) => curvePoints(c).map((p) => ({ ...p, name: c.name })));
  return Plot.plot({
    width: 520,
    height: 240,
    marginLeft: 48,
    style: { fontSize: '11px' },
    x: { label: xLabel, grid: true },
    y: { label: 'density', grid: true },
    color: { domain: curves.map((c) => c.name), range: curves.map((_, i) => colorOf(i)) },
    marks: [
      Plot.ruleY([0]),
      Plot.line(points, { x: 'x', y: 'y', stroke: 'name', strokeWidth: 1.5, z: 'name' }),
    ],
  });
}

/** A histogram panel: the plot and its legend, each layer's printed line. */
function HistogramPanel(props: {
  id: string;
  title: string;
  intro: JSX.Element | string;
  curves: readonly VitalsCurve[] | undefined;
  /** The step the snapshot is of. */
  step: number | undefined;
  xLabel: string;
}) {
  const curves = props.curves ?? [];
  const at = props.step === undefined ? '' : ` (step ${formatCount(props.step)})`;
  return (
    <section class="panel vitals-panel" aria-labelledby={props.id} data-testid={props.id}>
      <h2 id={props.id}>
        {props.title}
        {curves.length > 0 ? at : ''}
      </h2>
      <p class="muted">{props.intro}</p>
      {curves.length > 0 ? (
        <>
          <PlotFigure
            title={`${props.title}: one density line per layer`}
            deps={[curves]}
            render={() => renderHistograms(curves, props.xLabel)}
          />
          <ul class="vitals-legend mono" data-testid={`${props.id}-legend`}>
            {curves.map((c, i) => (
              <li key={c.name}>
                <span class="swatch" style={{ background: colorOf(i) }} aria-hidden="true" />
                {c.label}
              </li>
            ))}
          </ul>
        </>
      ) : (
        <p class="muted">Train (or Step) to see the first picture.</p>
      )}
    </section>
  );
}

/**
 * Renders `render()` as its own component: the signals it reads re-render only this part of the
 * page (the page itself never reads the live signals).
 */
function Live(props: { render: () => JSX.Element }) {
  return props.render();
}

/** The lecture's toggle with the sentence that says what it does to the pictures. */
function Toggle(props: { children: JSX.Element | JSX.Element[]; look: string; testId: string }) {
  return (
    <div class="vitals-toggle" data-testid={props.testId}>
      <div class="controls">{props.children}</div>
      <p class="muted">{props.look}</p>
    </div>
  );
}

const GAINS = [
  { label: '5/3', value: 5 / 3 },
  { label: '1', value: 1 },
  { label: '0.5', value: 0.5 },
  { label: '3', value: 3 },
];

export default function VitalsPage() {
  const state = useUrlState(vitalsSchema);
  const params = state.values.value;
  const settings = useMemo(() => toVitalsSettings(params), [params]);
  const words = dataset.value.words;
  const history = useRef(new SeriesHistory());
  const [info, setInfo] = useState<VitalsInfo | null>(null);
  const [error, setError] = useState<string | null>(null);
  const progress = useSignal<VitalsProgress | null>(null);
  const snapshot = useSignal<VitalsSnapshot | null>(null);
  // The three histogram sets, each its own signal: a new snapshot redraws one figure per task.
  const activations = useSignal<VitalsCurve[] | undefined>(undefined);
  const gradients = useSignal<VitalsCurve[] | undefined>(undefined);
  const weights = useSignal<VitalsCurve[] | undefined>(undefined);
  const charts = useSignal<Charts>({ loss: [[], []], ratios: [[]] });
  const infoRef = useRef(info);
  infoRef.current = info;

  const vocabSize = useMemo(() => CharTokenizer.fromWords(words).vocabSize, [words]);
  const model = useMemo(
    () => pageConfig(deepMlpFamily.name, params, vocabSize).config,
    [params, vocabSize],
  );
  const clampNotes = pageConfig(
    deepMlpFamily.name,
    rawFlags(deepMlpFamily.schema, route.value.params),
    vocabSize,
  ).adjustments;
  const field = (name: string) => deepMlpFamily.schema.filter((f) => f.name === name);
  // The lecture's toggles have their own controls; the network's size goes under "details".
  const toggled = ['gain', 'batchNorm', 'init', 'lastLayerFix'];
  const otherFields = deepMlpFamily.schema.filter((f) => !toggled.includes(f.name));
  const setField = (f: ConfigField, value: ConfigValue) => state.set({ [flagOf(f)]: value });
  // A link from before the init steps were the family's settings (fix=): apply it once.
  useMovedParams(state, MOVED_KEYS);

  // The worker posts up to 30 messages a second; the page redraws at most 5 times a second
  // (immediately when the status changes): the histograms come at most every 300 ms anyway.
  const pendingSnapshot = useRef<VitalsSnapshot | null>(null);
  const drawing = useRef(0);
  /** Draws a snapshot's three figures in three tasks (each ~10–20 ms), the step last. */
  const show = (next: VitalsSnapshot | null) => {
    clearTimeout(drawing.current);
    activations.value = next?.activations;
    drawing.current = window.setTimeout(() => {
      gradients.value = next?.gradients;
      drawing.current = window.setTimeout(() => {
        weights.value = next?.weights;
        snapshot.value = next;
      });
    });
  };
  useEffect(() => () => clearTimeout(drawing.current), []);
  const flusher = useSessionFlusher<VitalsProgress>(200, ({ progress: pending, dirty }) => {
    if (pending) progress.value = pending;
    if (pendingSnapshot.current) show(pendingSnapshot.current);
    pendingSnapshot.current = null;
    if (dirty) {
      const names = (infoRef.current?.parameters ?? []).map((n) => UD_PREFIX + n);
      charts.value = {
        loss: history.current.chartData(['loss'], { transform: Math.log10 }),
        ratios: history.current.chartData(names),
      };
    }
  });
  const handle = (event: SessionEvent) => {
    switch (event.type) {
      case 'ready':
        history.current.clear();
        infoRef.current = event.info as VitalsInfo;
        setInfo(event.info as VitalsInfo);
        setError(null);
        show(null);
        flusher.markDirty(true);
        break;
      case 'progress': {
        const message = toVitalsProgress(event);
        const slice = event.slice;
        if ((slice.series.loss?.length ?? 0) > 0) {
          history.current.append(slice.firstStep, slice.series);
          flusher.markDirty();
        }
        if (message.snapshot) pendingSnapshot.current = message.snapshot;
        flusher.progress(message);
        break;
      }
      case 'error':
        setError(event.message);
        break;
    }
  };
  const dataProblem =
    words.length < 3
      ? `The deep MLP needs at least 3 words (for an 80/10/10 split), got ${words.length}.`
      : null;
  const session = useSession({
    enabled: dataProblem === null,
    key: 'vitals',
    kind: 'vitals',
    init: () => ({ words: [...words], settings: toVitalsSettings(state.values.peek()) }),
    identity: [words],
    onEvent: handle,
  });
  // A changed setting starts over with a fresh model (the trainer compares; same settings: nothing).
  useEffect(() => {
    if (!dataProblem) session.send({ type: 'configure', config: settings });
  }, [settings]);
  const ready = info !== null;
  const uniform = Math.log(info?.vocabSize ?? vocabSize);

  return (
    <div class="vitals-page">
      <section class="panel" aria-labelledby="vitals-what">
        <h2 id="vitals-what">The network's vital signs</h2>
        <DataNotice />
        <p>
          A deep tanh MLP — the embedding, then {model.layers as number} ×{' '}
          <span class="mono">Linear{model.batchNorm ? ' → BatchNorm1d' : ''} → Tanh</span> of{' '}
          {model.nHidden as number} units, then the output layer — trains here while four pictures
          watch it: how each Tanh layer's outputs are spread (and how many sit at ±1, where no
          gradient passes), the gradients flowing back through them, each weight matrix's gradient
          against its values, and how big each update is compared with the weights it changes.
          Healthy: every layer alike, few saturated units, update:data near 10⁻³.
        </p>
      </section>

      <section class="panel" aria-labelledby="vitals-steps">
        <h2 id="vitals-steps">The lecture's steps</h2>
        <div class="controls" data-testid="lecture-steps">
          {LECTURE_STEPS.map((step) => (
            <button
              key={step.id}
              type="button"
              title={step.look}
              onClick={() => state.set(step.values)}
            >
              {step.label}
            </button>
          ))}
        </div>
        <Toggle
          testId="toggle-fix"
          look="On: the output layer starts 10× less confident, so the first loss is that of a uniform guess (ln V) instead of a confidently wrong one, and the first steps are not spent squashing the logits."
        >
          <label class="schema-checkbox">
            <input
              type="checkbox"
              name="last-layer-fix"
              checked={params['last-layer-fix'] as boolean}
              onChange={(e) => state.set({ 'last-layer-fix': e.currentTarget.checked })}
            />
            Initial-loss fix (last layer less confident)
          </label>
        </Toggle>
        <Toggle
          testId="toggle-init"
          look="Kaiming: each Linear's weights are randn ÷ √fan_in × gain, so the pre-activations keep unit spread; plain randn makes them √fan_in times larger and almost every tanh saturates."
        >
          <label title="--init">
            Initialisation
            <select
              name="init"
              value={params.init as string}
              onChange={(e) => state.set({ init: e.currentTarget.value })}
            >
              <option value="kaiming">Kaiming (randn ÷ √fan_in × gain)</option>
              <option value="randn">plain randn (the first net)</option>
            </select>
          </label>
        </Toggle>
        <Toggle
          testId="toggle-gain"
          look="Tanh squashes: with gain 1 the activations shrink layer by layer; 5/3 (tanh's gain) keeps them alike; 0.5 makes them vanish, 3 saturates them. With BatchNorm the gain hardly matters."
        >
          <SchemaControls
            schema={field('gain')}
            values={model as unknown as Record<string, ConfigValue>}
            onChange={setField}
            disabled={params.init === 'randn'}
          />
          <span class="vitals-gains">
            {GAINS.map((g) => (
              <button
                key={g.label}
                type="button"
                onClick={() => state.set({ gain: g.value, init: 'kaiming' })}
                aria-label={`gain ${g.label}`}
              >
                {g.label}
              </button>
            ))}
          </span>
        </Toggle>
        <Toggle
          testId="toggle-batchnorm"
          look="BatchNorm re-centres and re-scales every pre-activation over the batch: about 3% saturated in every layer whatever the init. Off: the no-BN deep net, which relies on the init alone."
        >
          <SchemaControls
            schema={field('batchNorm')}
            values={model as unknown as Record<string, ConfigValue>}
            onChange={setField}
          />
        </Toggle>
        <ClampNote notes={clampNotes} />
        <details>
          <summary>Network size and training</summary>
          <div class="controls">
            <SchemaControls
              schema={otherFields}
              values={model as unknown as Record<string, ConfigValue>}
              onChange={setField}
            />
          </div>
          <div class="controls">
            <NumberField state={state} name="lr" label="Learning rate (SGD)" />
            <NumberField state={state} name="steps" label="Steps" />
            <NumberField state={state} name="batch" label="Batch size" />
            <NumberField state={state} name="every" label="Histograms every N steps" />
            <NumberField state={state} name="seed" label="Seed" />
            <NumberField state={state} name="split" label="Split seed" />
          </div>
        </details>
        <p class="muted">
          Every change starts over with a fresh model; Reset runs the same settings again. The
          learning rate drops to a tenth for the last quarter of the run.
        </p>
        <SessionControls progress={progress} ready={ready} send={(c) => session.send(c)} />
        <div class="controls">
          <ResetDefaultsButton state={state} />
        </div>
        <Alert message={dataProblem} testId="data-problem" />
        <Alert message={error} />
        <Live
          render={() => {
            const p = progress.value;
            const status = p?.status ?? 'paused';
            const first = history.current.length > 0 ? history.current.at('loss', 0) : undefined;
            return (
              <>
                <DivergenceAlert
                  stop={p?.divergence}
                  onUseRate={(lr) => {
                    state.set({ lr });
                    session.send({ type: 'reset' });
                  }}
                />
                <p
                  class="mono"
                  role="status"
                  data-testid="vitals-status"
                  data-status={status}
                  data-step={p?.step ?? 0}
                  data-snapshot-step={snapshot.value?.step ?? -1}
                >
                  {ready ? (
                    <>
                      {status} · step {formatCount(p?.step ?? 0)} / {formatCount(params.steps)} ·{' '}
                      {Math.round(p?.stepsPerSecond ?? 0)} steps/s · first loss{' '}
                      {formatDecimal(first)} (uniform guess ln {info?.vocabSize} ={' '}
                      {formatDecimal(uniform)}) · {formatCount(info?.numParameters ?? 0)} parameters
                    </>
                  ) : dataProblem ? (
                    'Waiting for a longer word list.'
                  ) : (
                    'Preparing the data…'
                  )}
                </p>
              </>
            );
          }}
        />
      </section>

      <div class="vitals-grid">
        <Live
          render={() => (
            <HistogramPanel
              id="vitals-activations"
              title="Activations"
              intro="The outputs of every Tanh layer. Saturated: |t| > 0.97, where tanh's gradient 1 − t² is almost 0."
              curves={activations.value}
              step={snapshot.value?.step}
              xLabel="tanh output"
            />
          )}
        />
        <Live
          render={() => (
            <HistogramPanel
              id="vitals-gradients"
              title="Gradients"
              intro="The gradient of the loss with respect to each Tanh layer's output: alike in every layer when the signal flows back undistorted."
              curves={gradients.value}
              step={snapshot.value?.step}
              xLabel="gradient"
            />
          )}
        />
        <Live
          render={() => (
            <HistogramPanel
              id="vitals-weights"
              title="Weight gradients"
              intro="Each 2-d parameter's gradient, and grad:data = std(grad) / std(weights): a large one means the update changes that matrix a lot."
              curves={weights.value}
              step={snapshot.value?.step}
              xLabel="gradient"
            />
          )}
        />
        <section
          class="panel vitals-panel"
          aria-labelledby="vitals-ratios"
          data-testid="vitals-ratios"
        >
          <h2 id="vitals-ratios">Update:data over time</h2>
          <p class="muted">
            log10(lr · std(grad) / std(weights)) per step: the lecture's guide is about −3 (each
            update changes a weight by about a thousandth). Far below: learning too slowly; far
            above: too fast.
          </p>
          <Live
            render={() => (
              <LineChart
                title="log10 of the update to data ratio of each parameter, per step, with the -3 guide line"
                data={charts.value.ratios}
                xLabel="step"
                yLabel="log10 update:data"
                width={520}
                height={260}
                series={(info?.parameters ?? []).map((name, i) => ({
                  label: name,
                  color: colorOf(i),
                  width: 1,
                }))}
                references={[{ label: 'guide 1e-3', y: -3, color: '#222' }]}
              />
            )}
          />
        </section>
      </div>

      <section class="panel" aria-labelledby="vitals-loss">
        <h2 id="vitals-loss">Loss</h2>
        <Live
          render={() => (
            <LineChart
              title="log10 of the training loss per step (averaged over each plotted stretch)"
              data={charts.value.loss}
              xLabel="step"
              yLabel="log10 loss"
              width={640}
              height={260}
              series={[{ label: 'train (minibatch)', color: '#2f6fb3', width: 1 }]}
              references={[
                {
                  label: `uniform guess (ln ${info?.vocabSize ?? vocabSize})`,
                  y: Math.log10(uniform),
                  color: '#777',
                },
              ]}
            />
          )}
        />
      </section>
    </div>
  );
}
