/**
 * The MLP language model (makemore part 2; Bengio et al. 2003): train in a worker, watch the
 * train and dev loss, find a learning rate, watch the embedding move, sample names. The logic is
 * in `trainer.ts` / `mlp-kind.ts` (unit-tested), the worker is the shared training session; this component only wires messages to views.
 */

import { CharTokenizer } from '@llm-playground/data';
import { type ConfigValue, flagOf, runSettings } from '@llm-playground/makemore/schemas';
import * as Plot from '@observablehq/plot';
import { useSignal } from '@preact/signals';
import type { JSX } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { route } from '../../router.js';
import { useSessionFlusher } from '../../session/flusher.js';
import type { Command, SessionEvent } from '../../session/protocol.js';
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
import { SelectField } from '../../ui/select-field.js';
import { useMovedParams, useUrlState } from '../../ui/use-url-state.js';
import { LineChart } from '../../viz/line-chart.js';
import { type PlotElement, PlotFigure, setAttributes } from '../../viz/plot-figure.js';
import { mlpDataProblem } from './data-check.js';
import { type ChartData, LossHistory } from './loss-history.js';
import {
  type LrFinderResult,
  type MlpInfo,
  type MlpInit,
  type MlpSnapshot,
  type MlpProgress as Progress,
  type SamplesResult,
  toMlpProgress,
} from './mlp-kind.js';
import { LECTURE_SETTINGS, LEGACY_KEYS, mlpFamily, mlpSchema, toMlpSettings } from './params.js';
import { type MarkedSample, summarizeMarks } from './samples.js';
import { nudgeLabels, scatterDomain } from './scatter-layout.js';
import { describeSchedule, formatRate } from './schedule.js';
import './mlp.css';

const LR_FINDER_STEPS = 1000;

interface Finder {
  points: { logLr: number; loss: number }[];
  suggestion: number;
  seconds: number;
}

interface Embedding {
  step: number;
  x: Float32Array;
  y: Float32Array;
}

/** The sweep as points `{ logLr, loss }`, without the exploded tail (NaN or far above the start). */
function finderPoints(lrs: Float64Array, losses: Float64Array): Finder['points'] {
  const cap = 1.5 * losses[0];
  const points: Finder['points'] = [];
  for (let i = 0; i < lrs.length; i++) {
    if (Number.isFinite(losses[i]) && losses[i] <= cap) {
      points.push({ logLr: Math.log10(lrs[i]), loss: losses[i] });
    }
  }
  return points;
}

/** Loss against log10 lr (the lecture's `plt.plot(lri, lossi)`), the suggestion as a vertical rule. */
function renderFinder(finder: Finder) {
  const x = Math.log10(finder.suggestion);
  return Plot.plot({
    width: 460,
    height: 260,
    grid: true,
    x: { label: 'log10 learning rate', domain: [-3, 0] },
    y: { label: 'loss' },
    marks: [
      Plot.line(finder.points, { x: 'logLr', y: 'loss', stroke: '#2f6fb3', strokeWidth: 1 }),
      Plot.ruleX([x], { stroke: '#d0572b', strokeWidth: 2 }),
      Plot.text([x], {
        x: (d: number) => d,
        frameAnchor: 'top',
        dy: 4,
        dx: 6,
        textAnchor: 'start',
        text: () => `suggested ${formatRate(finder.suggestion)}`,
        fill: '#d0572b',
        fontWeight: 'bold',
      }),
    ],
  });
}

/** Short tick labels: 0.5, 2, 1.5k, 20k. */
function formatTick(value: number): string {
  return Math.abs(value) >= 1000 ? `${Number((value / 1000).toPrecision(3))}k` : String(value);
}

/**
 * The lecture's `plt.scatter(C[:,0], C[:,1], s=200)` with each character written on its dot, in
 * Observable Plot: a square that fills its panel's width (the SVG scales), dots nudged apart in
 * the plot's pixels (its own x and y scales, `Plot.scale`) so that no letter hides another (a
 * `Plot.link` leads back to a moved dot's true place), and hovering or focusing a letter
 * highlights it and reads out its coordinates (without drawing the figure again).
 */
function EmbeddingScatter(props: {
  points: { label: string; x: number; y: number }[];
  yLabel: string;
}) {
  const size = 560;
  const margin = 40;
  const radius = 12;
  const [hovered, setHovered] = useState<string | null>(null);
  const hoveredRef = useRef(hovered);
  hoveredRef.current = hovered;
  const figure = useRef<PlotElement | null>(null);
  const values = new Map(props.points.map((p) => [p.label, p]));
  const active = hovered !== null ? values.get(hovered) : undefined;

  const render = () => {
    const points = props.points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
    const domain = scatterDomain(points);
    const x = { domain: domain.x, range: [margin, size - margin] };
    const y = { domain: domain.y, range: [size - margin, margin] };
    const sx = Plot.scale({ x });
    const sy = Plot.scale({ y });
    const placed = nudgeLabels(
      points.map((p) => ({ label: p.label, px: sx.apply(p.x), py: sy.apply(p.y) })),
      radius,
      size,
      size,
      margin - radius,
    ).map((p) => ({
      ...p,
      x: sx.invert?.(p.px) as number,
      y: sy.invert?.(p.py) as number,
      trueX: sx.invert?.(p.x0) as number,
      trueY: sy.invert?.(p.y0) as number,
    }));
    return Plot.plot({
      width: size,
      height: size,
      margin,
      ariaLabel:
        'scatter of the first two embedding dimensions, each point labelled with its character',
      className: 'mlp-scatter',
      style: { fontSize: '11px' },
      x: { ...x, label: null, grid: true, tickFormat: formatTick },
      y: { ...y, label: null, grid: true, tickFormat: formatTick },
      marks: [
        Plot.link(
          placed.filter((p) => p.moved),
          { x1: 'trueX', y1: 'trueY', x2: 'x', y2: 'y', stroke: '#888', className: 'lead' },
        ),
        Plot.dot(placed, { x: 'x', y: 'y', r: radius, fill: '#2f6fb3', className: 'dot' }),
        // Fill and size in mlp.css: each letter moves into its point's group below.
        Plot.text(placed, { x: 'x', y: 'y', text: 'label', className: 'letter' }),
      ],
    });
  };

  /** One focusable group per letter (its dot and its text), hover and focus highlight it. */
  const decorate = (plot: PlotElement) => {
    const circles = [...plot.querySelectorAll('g.dot circle')];
    const texts = new Map(
      [...plot.querySelectorAll('g.letter text')].map((t) => [t.textContent ?? '', t]),
    );
    const layer = circles[0]?.parentNode;
    if (!layer) return;
    const points = props.points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
    circles.forEach((circle, i) => {
      const label = points[i]?.label ?? '';
      const group = document.createElementNS('http://www.w3.org/2000/svg', 'g');
      setAttributes(group, {
        class: 'point',
        'data-label': label,
        'data-focus-key': label,
        role: 'button',
        tabindex: 0,
        'aria-label': `${label === '.' ? 'the end token .' : label}: show its coordinates`,
      });
      group.append(circle);
      const text = texts.get(label);
      if (text) group.append(text);
      // The end token '.' sits on its baseline: lift it to the dot's centre (22 px).
      if (text && label === '.') text.setAttribute('dy', '1');
      group.addEventListener('mouseenter', () => setHovered(label));
      group.addEventListener('mouseleave', () => setHovered(null));
      group.addEventListener('focus', () => setHovered(label));
      group.addEventListener('blur', () => setHovered(null));
      layer.append(group);
    });
    highlight(plot, hoveredRef.current);
  };

  useEffect(() => highlight(figure.current, hovered), [hovered]);

  return (
    <div style={{ width: '100%', maxWidth: `${size}px` }}>
      <PlotFigure
        title="scatter of the first two embedding dimensions, each point labelled with its character"
        data-testid="embedding-scatter"
        figureRef={figure}
        deps={[props.points]}
        render={render}
        onRender={decorate}
      />
      <p
        class="mono muted"
        style={{ margin: '0.2rem 0', fontSize: '0.8rem' }}
        data-testid="scatter-readout"
      >
        {active
          ? `'${active.label}': C[:, 0] = ${active.x.toFixed(3)}, ${props.yLabel} = ${active.y.toFixed(3)}`
          : `x: C[:, 0] → · y: ${props.yLabel} ↑ · hover a letter`}
      </p>
    </div>
  );
}

/** Marks the hovered letter's group (CSS enlarges and recolours it) and draws it on top. */
function highlight(plot: PlotElement | null, label: string | null): void {
  for (const group of plot?.querySelectorAll('g.point') ?? []) {
    const on = group.getAttribute('data-label') === label;
    group.classList.toggle('hovered', on);
    if (on && group.nextSibling) group.parentNode?.append(group);
  }
}

/**
 * Renders `render()` as its own component: the signals it reads re-render only this part of the
 * page (the page itself never reads the live signals).
 */
function Live(props: { render: () => JSX.Element }) {
  return props.render();
}

export default function MlpPage() {
  const state = useUrlState(mlpSchema);
  const params = state.values.value;
  const settings = useMemo(() => toMlpSettings(params), [params]);
  const words = dataset.value.words;
  const history = useRef(new LossHistory());
  const [info, setInfo] = useState<MlpInfo | null>(null);
  // Live values as signals: only the small components that read them re-render (up to 10×/s),
  // not the whole page with its form.
  const progress = useSignal<Progress | null>(null);
  const chart = useSignal<ChartData>([[], [], [], []]);
  const embedding = useSignal<Embedding | null>(null);
  const [finder, setFinder] = useState<Finder | null>(null);
  const [finding, setFinding] = useState(false);
  const [samples, setSamples] = useState<{ step: number; samples: MarkedSample[] } | null>(null);
  const [error, setError] = useState<string | null>(null);

  // The model part: the family's schema through familyConfig (clamp mode). What a link asked for
  // out of range is said once, next to the controls.
  const vocabSize = useMemo(() => CharTokenizer.fromWords(words).vocabSize, [words]);
  const model = useMemo(
    () => pageConfig(mlpFamily.name, params, vocabSize).config,
    [params, vocabSize],
  );
  const clampNotes = pageConfig(
    mlpFamily.name,
    rawFlags(mlpFamily.schema, route.value.params),
    vocabSize,
  ).adjustments;
  // A link from before the model keys were the CLI's flags (emb, hidden, block): apply it once.
  useMovedParams(state, LEGACY_KEYS);
  const run = runSettings(mlpFamily, {
    lr: params.lr,
    steps: params.steps,
    ...(params.sched === 'constant' ? { schedule: { kind: 'ConstantLR', factor: 1 } } : {}),
  });
  const scheduleText = describeSchedule(run.schedule, params.lr);

  // One session per page, kept when the learner visits another page (the run goes on); a new
  // word list starts a new trainer. Settings go over as 'configure' (below).
  //
  // The worker posts up to 30 messages a second; the page re-renders at most 10 times a second
  // (immediately when the status changes), which keeps every main-thread task short.
  const pendingEmbedding = useRef<Embedding | null>(null);
  const flusher = useSessionFlusher<Progress>(100, ({ progress: pending, dirty }) => {
    if (pending) progress.value = pending;
    if (pendingEmbedding.current) embedding.value = pendingEmbedding.current;
    pendingEmbedding.current = null;
    if (dirty) chart.value = history.current.chartData();
  });
  const handle = (event: SessionEvent) => {
    switch (event.type) {
      case 'ready':
        history.current.clear();
        setInfo(event.info as MlpInfo);
        setSamples(null);
        setError(null);
        flusher.markDirty(true);
        break;
      case 'progress': {
        const message = toMlpProgress(event);
        if (message.losses.length > 0) {
          history.current.append(message.firstStep, message.losses);
        }
        for (const evaluation of message.evaluations) {
          history.current.addEvaluation(evaluation);
        }
        if (event.snapshot) {
          const { x, y } = event.snapshot.value as MlpSnapshot;
          pendingEmbedding.current = { step: event.snapshot.step, x, y };
        }
        if (message.losses.length > 0 || message.evaluations.length > 0) flusher.markDirty();
        flusher.progress(message);
        break;
      }
      case 'result':
        if (event.name === 'lr-finder') {
          const result = event.value as LrFinderResult;
          setFinding(false);
          setFinder({
            points: finderPoints(result.lrs, result.losses),
            suggestion: result.suggestion,
            seconds: result.seconds,
          });
        } else if (event.name === 'sample') {
          setSamples(event.value as SamplesResult);
        }
        break;
      case 'error':
        setFinding(false);
        setError(event.message);
        break;
    }
  };
  const dataProblem = mlpDataProblem(words);
  const session = useSession({
    enabled: dataProblem === null,
    key: 'mlp',
    kind: 'mlp',
    init: (): MlpInit => ({ words: [...words], settings: toMlpSettings(state.values.peek()) }),
    identity: [words],
    onEvent: handle,
  });
  const send = (command: Command) => session.send(command);

  // Settings changes (and the settings of a link followed while the run went on): the trainer
  // decides whether they need a fresh model; the same settings change nothing.
  useEffect(() => {
    if (!dataProblem) send({ type: 'configure', config: settings });
  }, [settings]);

  const ready = info !== null;

  const marks = samples ? summarizeMarks(samples.samples) : null;

  return (
    <div class="mlp-page">
      <section class="panel" aria-labelledby="mlp-what">
        <h2 id="mlp-what">What is computed</h2>
        <DataNotice />
        <p>
          Each character gets a learned vector (a row of the embedding table{' '}
          <span class="mono">C</span>). To predict the next character, the previous{' '}
          <em>block size</em> characters are looked up, their vectors concatenated, and passed
          through one hidden layer: <span class="mono">h = tanh(C[X].view(B, −1) @ W1 + b1)</span>,{' '}
          <span class="mono">logits = h @ W2 + b2</span>, and the loss is the cross-entropy{' '}
          <span class="mono">−mean log softmax(logits)[y]</span> on a random minibatch. Characters
          that behave alike end up with nearby vectors, which is how the model generalises (Bengio
          et al. 2003).
        </p>
        <p>
          The words are shuffled with Python's <span class="mono">random.seed({params.split})</span>{' '}
          and split 80/10/10 into train, dev and test. Only the training words are used for the
          updates; the dev loss tells you whether the model generalises. Try: the learning-rate
          finder; an embedding size of 2 (the lecture's picture); only 200 training words (watch dev
          loss rise while train loss keeps falling: overfitting); a learning rate of 8 (the run
          diverges, pauses, and offers the rate the learning-rate finder suggests).
        </p>
        <p class="muted">
          Seeded runs repeat exactly in one browser; <span class="mono">Math.tanh</span> and{' '}
          <span class="mono">Math.exp</span> are not bit-identical across JavaScript engines, so
          another browser may drift slightly.
        </p>
      </section>

      <section class="panel" aria-labelledby="mlp-settings">
        <h2 id="mlp-settings">Model and training</h2>
        <h3 class="subhead">Model: {mlpFamily.title}</h3>
        <div class="controls" data-testid="model-controls">
          <SchemaControls
            schema={mlpFamily.schema}
            values={model as unknown as Record<string, ConfigValue>}
            onChange={(field, value) => state.set({ [flagOf(field)]: value })}
          />
        </div>
        <ClampNote notes={clampNotes} />
        <h3 class="subhead">Training</h3>
        <div class="controls">
          <NumberField state={state} name="batch" label="Batch size" />
          <SelectField
            state={state}
            name="opt"
            label="Optimizer"
            options={[
              { value: 'sgd', label: 'SGD' },
              { value: 'adam', label: 'Adam' },
            ]}
          />
          <NumberField state={state} name="lr" label="Learning rate" />
          <SelectField
            state={state}
            name="sched"
            label="Schedule"
            options={[
              { value: 'step', label: 'lr/10 from half the run' },
              { value: 'constant', label: 'constant' },
            ]}
          />
          <NumberField state={state} name="steps" label="Steps" />
          <NumberField state={state} name="eval" label="Dev loss every" />
          <NumberField state={state} name="train" label="Use only N training words (0 = all)" />
          <NumberField state={state} name="seed" label="Seed" />
          <NumberField state={state} name="split" label="Split seed" />
        </div>
        <p class="muted">
          Learning rate: {scheduleText || '—'}. Changing the model, optimizer, seeds or training
          words starts over; the learning rate, schedule, batch size and steps apply to the running
          model. {params.opt === 'adam' ? 'Adam usually wants a rate near 0.001–0.01.' : ''}
        </p>
        <SessionControls progress={progress} ready={ready} send={send} />
        <div class="controls">
          <ResetDefaultsButton state={state} />
          <button
            type="button"
            onClick={() => state.set(LECTURE_SETTINGS)}
            title="200,000 steps, 0.1 then 0.01 from step 100,000"
          >
            Lecture settings
          </button>
        </div>
        <Alert message={dataProblem} testId="data-problem" />
        <Alert message={error} />
        <Live
          render={() => {
            const p = progress.value;
            const status = p?.status ?? 'paused';
            return (
              <>
                <DivergenceAlert
                  stop={p?.divergence}
                  onUseRate={(lr) => {
                    // Live settings do not undo a divergence: start over with the rate.
                    state.set({ lr });
                    send({ type: 'reset' });
                  }}
                />
                <p
                  class="mono"
                  role="status"
                  data-testid="mlp-status"
                  data-status={status}
                  data-step={p?.step ?? 0}
                  data-steps-per-second={p?.stepsPerSecond ?? 0}
                  data-running-seconds={p?.runningSeconds ?? 0}
                >
                  {ready ? (
                    <>
                      {status} · step {formatCount(p?.step ?? 0)} / {formatCount(params.steps)} · lr{' '}
                      {formatRate(p?.lr ?? params.lr)} · {Math.round(p?.stepsPerSecond ?? 0)}{' '}
                      steps/s{status === 'done' ? ' · raise Steps to train further' : ''}
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
        {info ? (
          <p class="muted" data-testid="mlp-info">
            {dataset.value.name}: {formatCount(info.words)} words → {formatCount(info.trainWords)}{' '}
            train / {formatCount(info.devWords)} dev / {formatCount(info.testWords)} test (
            {formatCount(info.trainExamples)} and {formatCount(info.devExamples)} examples);{' '}
            {info.vocabSize} tokens; {formatCount(info.numParameters)} parameters.
          </p>
        ) : null}
      </section>

      <section class="panel" aria-labelledby="mlp-loss">
        <h2 id="mlp-loss">Loss</h2>
        <div class="row">
          <Live
            render={() => (
              <LineChart
                title="log10 of the training loss per step, its moving average, and the dev loss at each evaluation"
                data={chart.value}
                xLabel="step"
                yLabel="log10 loss"
                width={640}
                height={320}
                series={[
                  { label: 'train (minibatch)', color: 'rgba(47,111,179,0.35)', width: 1 },
                  { label: 'train (smoothed)', color: '#2f6fb3', width: 2 },
                  { label: 'dev', color: '#d0572b', points: true },
                ]}
                references={
                  info
                    ? [
                        {
                          label: `uniform guess (ln ${info.vocabSize})`,
                          y: Math.log10(Math.log(info.vocabSize)),
                          color: '#777',
                        },
                      ]
                    : []
                }
              />
            )}
          />
          <Live
            render={() => {
              const p = progress.value;
              const h = history.current;
              const lastEval = h.evaluations.at(-1);
              const smoothedTrain =
                h.length > 0
                  ? 10 ** h.smoothed(h.length - 1, LossHistory.smoothingWindow(h.length, 1500))
                  : undefined;
              return (
                <table class="mono" data-testid="mlp-numbers">
                  <caption>Live vs the lecture</caption>
                  <thead>
                    <tr>
                      <th />
                      <th scope="col">here</th>
                      <th scope="col">lecture</th>
                    </tr>
                  </thead>
                  <tbody>
                    <tr>
                      <th scope="row">train loss</th>
                      <td data-testid="train-loss">{formatDecimal(lastEval?.train)}</td>
                      <td>2.1260</td>
                    </tr>
                    <tr>
                      <th scope="row">
                        dev loss
                        {lastEval && info && lastEval.devExamples < info.devExamples
                          ? ` (first ${formatCount(lastEval.devExamples)})`
                          : ''}
                      </th>
                      <td data-testid="dev-loss">{formatDecimal(lastEval?.dev)}</td>
                      <td>2.1701</td>
                    </tr>
                    <tr>
                      <th scope="row">minibatch (smoothed)</th>
                      <td>{formatDecimal(smoothedTrain)}</td>
                      <td />
                    </tr>
                    <tr>
                      <th scope="row">steps</th>
                      <td>{formatCount(p?.step ?? 0)}</td>
                      <td>200,000</td>
                    </tr>
                    <tr>
                      <th scope="row">parameters</th>
                      <td>{info ? formatCount(info.numParameters) : '—'}</td>
                      <td>11,897</td>
                    </tr>
                  </tbody>
                </table>
              );
            }}
          />
        </div>
        <Live
          render={() => {
            chart.value; // re-render with the chart (new evaluations)
            const lastEval = history.current.evaluations.at(-1);
            const uniform = info ? Math.log(info.vocabSize) : Number.POSITIVE_INFINITY;
            const worse = lastEval !== undefined && lastEval.dev > uniform;
            return (
              <p class="alert" data-testid="worse-than-uniform" hidden={!worse}>
                The dev loss ({formatDecimal(lastEval?.dev)}) is worse than guessing every character
                uniformly (ln {info?.vocabSize} = {formatDecimal(uniform)}, the grey line): on words
                it has not seen, the model is confidently wrong.
                {lastEval && lastEval.train < uniform
                  ? ' The training loss is far lower: it has memorised its training words (overfitting).'
                  : ''}
              </p>
            );
          }}
        />
        <p class="muted">
          Train and dev losses are evaluated every {formatCount(params.eval)} steps (train on at
          most the first 8,192 training examples; dev on its first 4,096 when evaluating more often
          than every 1,000 steps). The lecture's numbers are for <span class="mono">names.txt</span>{' '}
          (32,033 names, 27 tokens) with block 3, embedding 10, hidden 200, batch 32 and 200,000
          steps at 0.1 then 0.01 from step 100,000. The{' '}
          {dataset.value.kind === 'bundled' ? 'bundled list is smaller' : 'list used here differs'},
          so expect a higher dev loss and earlier overfitting.
        </p>
      </section>

      <div class="row">
        <section class="panel" aria-labelledby="mlp-finder">
          <h2 id="mlp-finder">Learning-rate finder</h2>
          <p class="muted">
            The lecture's sweep: {formatCount(LR_FINDER_STEPS)} SGD steps on a fresh model, the rate
            growing from 10⁻³ to 10⁰. The loss falls while the rate helps and shoots up once it is
            too large; the suggestion is the minimum of the smoothed curve, backed off by 10^0.5.
          </p>
          <Live
            render={() => {
              const p = progress.value;
              const status = p?.status ?? 'paused';
              const running = status === 'running';
              return (
                <>
                  <div class="controls">
                    <button
                      type="button"
                      disabled={!ready || finding || running}
                      onClick={() => {
                        setFinding(true);
                        session.call('lr-finder', { steps: LR_FINDER_STEPS });
                      }}
                    >
                      {finding ? 'Sweeping…' : 'Find a learning rate'}
                    </button>
                    {finder ? (
                      <button
                        type="button"
                        onClick={() => state.set({ lr: Number(finder.suggestion.toPrecision(2)) })}
                      >
                        Use {formatRate(Number(finder.suggestion.toPrecision(2)))}
                      </button>
                    ) : null}
                  </div>
                  {running ? <p class="muted">Pause training to run the sweep.</p> : null}
                </>
              );
            }}
          />
          {finder ? (
            <>
              <PlotFigure
                title="loss against log10 of the learning rate during the sweep, with the suggested rate marked"
                deps={[finder]}
                render={() => renderFinder(finder)}
              />
              <p data-testid="lr-suggestion">
                Suggested learning rate: <span class="mono">{formatRate(finder.suggestion)}</span>{' '}
                (log10 = {finder.suggestion > 0 ? Math.log10(finder.suggestion).toFixed(2) : '—'},
                found in {finder.seconds.toFixed(1)} s).
              </p>
            </>
          ) : null}
        </section>

        <section class="panel" aria-labelledby="mlp-embedding">
          <h2 id="mlp-embedding">Embedding</h2>
          <Live
            render={() => {
              const e = embedding.value;
              const points =
                e && info ? info.chars.map((label, i) => ({ label, x: e.x[i], y: e.y[i] })) : [];
              return (
                <>
                  <p class="muted">
                    The first two columns of <span class="mono">C</span>, one letter per token, at
                    step {formatCount(e?.step ?? 0)}.
                    {(model.nEmbd ?? 0) > 2
                      ? ' With more than two dimensions this is only a slice; set the embedding size to 2 to see all of it.'
                      : ''}
                  </p>
                  {progress.value?.status === 'diverged' ? (
                    <p class="alert" data-testid="embedding-hidden">
                      Not drawn: training diverged and the weights blew up. Reset to start again.
                    </p>
                  ) : (
                    <EmbeddingScatter
                      points={points}
                      yLabel={(model.nEmbd ?? 0) > 1 ? 'C[:, 1]' : '(one dimension)'}
                    />
                  )}
                </>
              );
            }}
          />
        </section>
      </div>

      <section class="panel" aria-labelledby="mlp-sample">
        <h2 id="mlp-sample">Sample names</h2>
        <div class="controls">
          <NumberField
            state={state}
            name="temp"
            label="Temperature"
            hint="0: always the most likely character"
          />
          <NumberField state={state} name="n" label="Count" />
          <NumberField state={state} name="sseed" label="Sampling seed" />
          <Live
            render={() => (
              <button
                type="button"
                disabled={!ready || progress.value?.status === 'diverged'}
                onClick={() =>
                  session.call('sample', {
                    count: params.n,
                    temperature: params.temp,
                    seed: params.sseed,
                  })
                }
              >
                Sample
              </button>
            )}
          />
          <Live
            render={() => (
              <button
                type="button"
                disabled={!ready || progress.value?.status === 'diverged'}
                title="Sampling seed + 1, then sample"
                onClick={() => {
                  const seed = (params.sseed + 1) % 4294967296;
                  state.set({ sseed: seed });
                  session.call('sample', {
                    count: params.n,
                    temperature: params.temp,
                    seed,
                  });
                }}
              >
                Next seed
              </button>
            )}
          />
        </div>
        {samples && marks ? (
          <>
            <p class="muted">
              At step {formatCount(samples.step)}: {marks.new} new, {marks.train} from the training
              words, {marks['held-out']} real but held out (dev or test).
            </p>
            <ul class="mono mlp-samples" data-testid="samples">
              {samples.samples.map((s, i) => (
                <li key={i} data-mark={s.mark}>
                  {s.word || '(empty)'}{' '}
                  <span class="muted">
                    {s.mark === 'new' ? 'new' : s.mark === 'train' ? 'in training set' : 'held out'}
                  </span>
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </section>
    </div>
  );
}
