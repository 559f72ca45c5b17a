/**
 * The bigram neural net (makemore part 1, second half): W trained by full-batch gradient descent
 * in a worker, shown beside the log-counts it converges to, with the loss curve against the count
 * model's loss. The run is makemore's `Trainer` in the shared training session; the page's math is
 * in `bigram-net-math.ts`
 * (`bigram-net-kind.ts`, `src/session/`).
 */
import * as Plot from '@observablehq/plot';
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Command, SessionEvent, Stop } from '../../session/protocol.js';
import { useSession } from '../../session/use-session.js';
import { dataset } from '../../state/dataset.js';
import { Alert } from '../../ui/alert.js';
import { DataNotice } from '../../ui/data-notice.js';
import { DivergenceAlert } from '../../ui/divergence-alert.js';
import { formatCount, formatLoss } from '../../ui/format.js';
import { NumberField } from '../../ui/number-field.js';
import { ResetDefaultsButton } from '../../ui/reset-defaults-button.js';
import { SelectField } from '../../ui/select-field.js';
import { SliderField } from '../../ui/slider-field.js';
import { TrainingControls } from '../../ui/training-controls.js';
import { useUrlState } from '../../ui/use-url-state.js';
import { Heatmap } from '../../viz/heatmap.js';
import { LineChart } from '../../viz/line-chart.js';
import {
  type BigramNetInfo,
  type BigramNetInit,
  MAX_STEPS,
  SPEEDS,
  type Speed,
  stepsPerSecond,
} from './bigram-net-kind.js';
import { centeredLogCounts, centerRows, equivalentSmoothing } from './bigram-net-math.js';
import { ColorLegend, heatmapColors } from './color-legend.js';

const schema = {
  seed: { type: 'number', default: 2147483647, min: 0, max: 4294967295, integer: true },
  lr: { type: 'number', default: 50, min: 0.0001, max: 1e9, log: true },
  lambda: { type: 'number', default: 0.01, min: 0, max: 10 },
  speed: { type: 'enum', default: '60', values: SPEEDS },
} as const;

/** The λ slider's stops: roughly ×3 apart, so small and large penalties are both reachable. */
const LAMBDAS = [0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];

function nearestLambdaIndex(lambda: number): number {
  let best = 0;
  for (let i = 1; i < LAMBDAS.length; i++) {
    if (Math.abs(LAMBDAS[i] - lambda) < Math.abs(LAMBDAS[best] - lambda)) best = i;
  }
  return best;
}

/** Loss history for the chart; halves its resolution past 4,000 points so it stays cheap. */
class History {
  steps: number[] = [];
  losses: number[] = [];
  dataLosses: number[] = [];
  stride = 1;
  private seen = 0;
  push(step: number, loss: number, dataLoss: number): void {
    if (this.seen++ % this.stride === 0) {
      this.steps.push(step);
      this.losses.push(loss);
      this.dataLosses.push(dataLoss);
    }
    if (this.steps.length > 4000) {
      const keep = (_: number, i: number) => i % 2 === 0;
      this.steps = this.steps.filter(keep);
      this.losses = this.losses.filter(keep);
      this.dataLosses = this.dataLosses.filter(keep);
      this.stride *= 2;
    }
  }
}

interface Model {
  V: number;
  itos: string[];
  countLoss: number;
  counts: Float64Array;
}

interface Status {
  step: number;
  running: boolean;
  loss: number | null;
  dataLoss: number | null;
  stopped?: 'max-steps';
}

export default function BigramNetPage() {
  const state = useUrlState(schema);
  const { seed, lr, lambda, speed } = state.values.value;
  const words = dataset.value.words;
  const history = useRef(new History());
  const [model, setModel] = useState<Model | null>(null);
  const [W, setW] = useState<Float32Array | null>(null);
  const [status, setStatus] = useState<Status>({
    step: 0,
    running: false,
    loss: null,
    dataLoss: null,
  });
  const [chartVersion, setChartVersion] = useState(0);
  const [divergence, setDivergence] = useState<Stop | null>(null);
  const [error, setError] = useState<string | null>(null);

  // One session per page, kept when the learner visits another page (the run goes on); a new
  // word list starts a new trainer. Hyper-parameters are sent on change (below).
  const session = useSession({
    key: 'bigram-net',
    kind: 'bigram-net',
    init: (): BigramNetInit => {
      const { seed: s, lr: l, lambda: k } = state.values.peek();
      return { words: [...words], seed: s, lr: l, lambda: k };
    },
    identity: [words],
    onEvent,
  });
  const send = (command: Command) => session.send(command);

  function onEvent(event: SessionEvent) {
    switch (event.type) {
      case 'ready':
        history.current = new History();
        setModel(event.info as BigramNetInfo);
        setDivergence(null);
        setError(null);
        setStatus({ step: 0, running: false, loss: null, dataLoss: null });
        break;
      case 'progress': {
        const h = history.current;
        const { firstStep, series } = event.slice;
        const losses = series.loss ?? [];
        const dataLosses = series.dataLoss ?? [];
        for (let i = 0; i < losses.length; i++) h.push(firstStep + i, losses[i], dataLosses[i]);
        const last = losses.length - 1;
        const stop = event.stop;
        setStatus((previous) => ({
          step: event.step,
          running: event.status === 'running',
          loss: event.step === 0 ? null : last >= 0 ? losses[last] : previous.loss,
          dataLoss: event.step === 0 ? null : last >= 0 ? dataLosses[last] : previous.dataLoss,
          stopped: stop?.reason === 'done' ? 'max-steps' : undefined,
        }));
        if (stop?.reason === 'diverged') {
          setDivergence(stop);
        }
        // The snapshot's W: none after a divergence (the weights blew up: draw nothing rather than garbage).
        if (event.snapshot) setW((event.snapshot.value as { W: Float32Array | null }).W);
        setChartVersion((v) => v + 1);
        break;
      }
      case 'error':
        setError(event.message);
        break;
    }
  }

  // lr and λ apply to the running model; a new seed means new random weights (the trainer
  // starts over). The same settings, sent again when the page comes back, change nothing.
  useEffect(() => {
    send({ type: 'configure', config: { seed, lr, lambda } });
  }, [seed, lr, lambda]);
  useEffect(() => {
    send({ type: 'pace', stepsPerSecond: stepsPerSecond(speed as Speed) });
  }, [speed]);

  function reset() {
    send({ type: 'reset' });
  }

  const logCounts = useMemo(
    () => (model ? centeredLogCounts(model.counts, model.V, 1) : null),
    [model],
  );
  const domain = useMemo(() => {
    if (!logCounts) return 1;
    let m = 0;
    for (const x of logCounts) m = Math.max(m, Math.abs(x));
    return Math.ceil(m);
  }, [logCounts]);
  const color = useMemo(() => {
    const scale = Plot.scale({ color: heatmapColors(domain) });
    return (value: number) => scale.apply(value) as string;
  }, [domain]);
  const centeredW = useMemo(() => (W && model ? centerRows(W, model.V) : null), [W, model]);

  const weightTitle = useCallback(
    (r: number, c: number) =>
      model && centeredW
        ? `${model.itos[r]}${model.itos[c]}: W − row mean = ${centeredW[r * model.V + c].toFixed(2)}`
        : '',
    [model, centeredW],
  );
  const logCountTitle = useCallback(
    (r: number, c: number) =>
      model && logCounts
        ? `${model.itos[r]}${model.itos[c]}: count ${model.counts[r * model.V + c]}, log(N + 1) − row mean = ${logCounts[r * model.V + c].toFixed(2)}`
        : '',
    [model, logCounts],
  );

  const h = history.current;
  const chartData = useMemo(
    (): [number[], ...number[][]] => [
      h.steps.slice(),
      h.losses.slice(),
      h.dataLosses.slice(),
      h.steps.map(() => model?.countLoss ?? Number.NaN),
    ],
    [chartVersion, model],
  );

  const k =
    model && status.dataLoss !== null
      ? equivalentSmoothing(model.counts, model.V, status.dataLoss)
      : null;
  const cellSize = 18;
  const ready = model !== null && !error;

  return (
    <div class="bigram-net-page">
      <section class="panel" aria-labelledby="net-what">
        <h2 id="net-what">What is computed</h2>
        <DataNotice />
        <p>
          The same bigram model, learned instead of counted. Each character x picks row x of a{' '}
          {model?.V ?? 27}×{model?.V ?? 27} weight matrix W (that is{' '}
          <span class="mono">one_hot(x) · W</span>
          ), softmax turns the row into P(next | x), and gradient descent minimises{' '}
          <span class="mono">loss = −mean log P[x, y] + λ · mean(W²)</span> over all bigrams of the
          data, with <span class="mono">W ← W − lr · ∂loss/∂W</span> (full batch, every step).
        </p>
        <p>
          The best P is the count model's, so <span class="mono">softmax(W[x])</span> converges to
          the normalised counts and W itself to <strong>log N</strong>, up to a constant per row
          (softmax ignores it): both heatmaps below subtract each row's mean. The penalty λ·mean(W²)
          pulls W toward 0, i.e. toward uniform rows: the larger λ, the more the net behaves like
          the count model with a larger smoothing k — the line under the chart says which k matches.
        </p>
        <p class="muted">
          Try: play with the lecture's lr 50 and λ 0.01 (the loss falls from about 3.8 to the count
          model's); raise λ to 1 or 10 and watch W fade and the loss settle higher; set lr to 1e7 to
          see divergence. Runs are seeded; they reproduce exactly in the same browser (floating
          point in <span class="mono">Math.exp</span> can differ between browsers).
        </p>
      </section>

      <section class="panel" aria-labelledby="net-controls">
        <h2 id="net-controls">Training</h2>
        <TrainingControls
          running={status.running}
          canPlay={ready && divergence === null && status.step < MAX_STEPS}
          canStep={ready && !status.running && divergence === null}
          canReset={ready}
          onPlay={() => send({ type: 'resume' })}
          onPause={() => send({ type: 'pause' })}
          onStep={() => send({ type: 'step', count: 1 })}
          onReset={reset}
        >
          <NumberField state={state} name="lr" label="learning rate" />
          <SliderField
            label="λ (regularisation)"
            shown={lambda}
            ariaLabel="λ (regularisation)"
            ariaValueText={String(lambda)}
            min={0}
            max={LAMBDAS.length - 1}
            step={1}
            value={nearestLambdaIndex(lambda)}
            onInput={(index) => state.set({ lambda: LAMBDAS[index] })}
          />
          <NumberField state={state} name="seed" label="seed" />
          <SelectField
            state={state}
            name="speed"
            label="steps per second"
            options={SPEEDS.map((s) => ({
              value: s,
              label: s === 'max' ? 'as fast as possible' : s,
            }))}
          />
          <ResetDefaultsButton state={state} afterReset={reset} />
        </TrainingControls>
        <Alert message={error} />
        <DivergenceAlert
          stop={divergence}
          onUseRate={(rate) => {
            // lr applies live, and a diverged run keeps its stop: start over with the new rate.
            state.set({ lr: rate });
            reset();
          }}
        />
        <p class="mono" role="status" data-testid="net-status">
          step <span data-testid="net-step">{status.step}</span>
          {status.loss !== null ? (
            <>
              {' · '}loss <span data-testid="net-loss">{formatLoss(status.loss)}</span> (data{' '}
              {formatLoss(status.dataLoss ?? Number.NaN)} + λ·mean(W²){' '}
              {formatLoss(status.loss - (status.dataLoss ?? 0))})
            </>
          ) : null}
          {model ? <> · count model (k = 0): {model.countLoss.toFixed(4)}</> : null}
          {status.running ? ' · training…' : ''}
        </p>
        {k !== null && !divergence && Number.isFinite(status.dataLoss) && status.step > 0 ? (
          <p class="muted" data-testid="equivalent-k">
            {k === 0
              ? 'The data loss is at the count model’s optimum.'
              : k === Infinity
                ? `The data loss is no better than a uniform guess (log ${model?.V} = ${Math.log(model?.V ?? 27).toFixed(4)}).`
                : `The net's data loss ${status.dataLoss?.toFixed(4)} equals the count model's with add-k smoothing k ≈ ${k < 10 ? k.toFixed(2) : k.toFixed(0)}.`}
          </p>
        ) : null}
        {status.stopped === 'max-steps' ? (
          <p class="muted">
            Paused after {formatCount(MAX_STEPS)} steps: the loss has flattened. Reset to start
            over.
          </p>
        ) : null}
        <LineChart
          title="Loss per step, with the count model's loss as a reference line"
          xLabel="step"
          yLabel="loss"
          width={760}
          height={280}
          data={chartData}
          series={[
            { label: 'loss (data + λ·mean(W²))', color: '#2f6fb3', width: 2 },
            { label: 'data loss', color: '#7aa6d6', width: 1 },
            { label: 'count model (k = 0)', color: '#b3541e', width: 1.5, dash: [6, 4] },
          ]}
        />
      </section>

      <section class="panel" aria-labelledby="net-heatmaps">
        <h2 id="net-heatmaps">W against the log-counts</h2>
        <p class="muted">
          Same colour scale (blue = likely next character, red = unlikely), each row minus its mean.
          Right: log(N + 1), the lecture's smoothed log-counts. W starts as random noise and takes
          their pattern; pairs never seen in the data keep going down until λ stops them.
        </p>
        {model && logCounts ? (
          <>
            <div class="row">
              <figure style={{ margin: 0 }}>
                <figcaption>W (row-centred), step {status.step}</figcaption>
                {centeredW ? (
                  <Heatmap
                    mode="raster"
                    itos={model.itos}
                    values={centeredW}
                    color={color}
                    cellSize={cellSize}
                    title="The weights W, row-centred"
                    testId="heatmap-W"
                    cellTitle={weightTitle}
                  />
                ) : (
                  <p
                    class="muted"
                    style={{ width: `${18 + model.V * cellSize}px`, maxWidth: '100%' }}
                    data-testid="heatmap-W-hidden"
                  >
                    Not drawn: the weights blew up to huge values when training diverged. Reset to
                    draw fresh random weights.
                  </p>
                )}
              </figure>
              <figure style={{ margin: 0 }}>
                <figcaption>log(N + 1) (row-centred)</figcaption>
                <Heatmap
                  mode="raster"
                  testId="heatmap-logcounts"
                  itos={model.itos}
                  values={logCounts}
                  color={color}
                  cellSize={cellSize}
                  title="The log-counts log(N + 1), row-centred"
                  cellTitle={logCountTitle}
                />
              </figure>
            </div>
            <ColorLegend domain={domain} />
          </>
        ) : (
          <p aria-busy="true">Counting the bigrams…</p>
        )}
      </section>
    </div>
  );
}
