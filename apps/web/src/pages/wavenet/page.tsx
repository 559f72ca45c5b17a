/**
 * WaveNet (makemore part 5): the hierarchy drawn as a tree over the context's characters (which
 * characters each unit sees), and the hierarchy trained beside a flat model with the same number
 * of parameters (`wavenet-kind.ts`: two makemore Trainers, step for step on the same
 * minibatches) — their loss curves and dev losses. This component only wires messages to views.
 */
import { CharTokenizer } from '@llm-playground/data';
import type { ConfigValue } from '@llm-playground/makemore/schemas';
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
import { useUrlState } from '../../ui/use-url-state.js';
import { LineChart } from '../../viz/line-chart.js';
import { PlotFigure } from '../../viz/plot-figure.js';
import {
  type VitalsProgress as Progress,
  SeriesHistory,
  toVitalsProgress,
} from '../vitals/vitals-types.js';
import { toWavenetSettings, wavenetFamily, wavenetSchema } from './params.js';
import { contextOf, hierarchy, type WavenetEvaluation, type WavenetInfo } from './wavenet-types.js';

const HIER = '#2f6fb3';
const FLAT = '#d0572b';

/** Level names on the tree's y axis. */
function levelName(level: number, flatten: number): string {
  return level === 0 ? 'input' : `level ${level} (${flatten ** level} characters per unit)`;
}

/**
 * The tree: the context's characters at the bottom, each unit above linked to the units it
 * merges, labelled with the characters it sees.
 */
function renderTree(blockSize: number, flatten: number, chars: string[], color: string) {
  const { nodes, links } = hierarchy(blockSize, flatten);
  const seen = (n: { from: number; to: number }) => chars.slice(n.from, n.to).join('');
  const units = nodes.filter((n) => n.level > 0);
  const top = nodes.at(-1)?.level ?? 1;
  return Plot.plot({
    width: Math.max(360, blockSize * 64),
    height: 70 + 64 * top,
    marginLeft: 8,
    marginRight: 8,
    x: { domain: [0, blockSize], axis: null },
    y: { domain: [-0.4, top + 0.4], axis: null },
    style: { fontSize: '12px' },
    marks: [
      Plot.link(links, {
        x1: (l) => l.child.x,
        y1: (l) => l.child.level,
        x2: (l) => l.parent.x,
        y2: (l) => l.parent.level,
        stroke: '#999',
      }),
      Plot.dot(units, {
        x: 'x',
        y: 'level',
        r: 13,
        fill: color,
        title: (n) =>
          `${levelName(n.level, flatten)}, unit ${n.index + 1}: sees characters ${n.from + 1}–${n.to} ('${seen(n)}')`,
      }),
      Plot.text(units, {
        x: 'x',
        y: 'level',
        dy: -20,
        text: (n) => seen(n),
        fontFamily: 'monospace',
      }),
      Plot.text(
        nodes.filter((n) => n.level === 0),
        {
          x: 'x',
          y: 'level',
          text: (n) => chars[n.from],
          fontFamily: 'monospace',
          fontSize: 18,
          fontWeight: 'bold',
        },
      ),
    ],
  });
}

function Live(props: { render: () => JSX.Element }) {
  return props.render();
}

export default function WavenetPage() {
  const state = useUrlState(wavenetSchema);
  const params = state.values.value;
  const settings = useMemo(() => toWavenetSettings(params), [params]);
  const words = dataset.value.words;
  const history = useRef(new SeriesHistory());
  const evaluations = useRef<WavenetEvaluation[]>([]);
  const [info, setInfo] = useState<WavenetInfo | null>(null);
  const [error, setError] = useState<string | null>(null);
  const progress = useSignal<Progress | null>(null);
  const chart = useSignal<[number[], ...(number | null)[][]]>([[], [], []]);
  const latest = useSignal<WavenetEvaluation | null>(null);

  const vocabSize = useMemo(() => CharTokenizer.fromWords(words).vocabSize, [words]);
  const model = useMemo(
    () => pageConfig(wavenetFamily.name, params, vocabSize).config,
    [params, vocabSize],
  );
  const clampNotes = pageConfig(
    wavenetFamily.name,
    rawFlags(wavenetFamily.schema, route.value.params),
    vocabSize,
  ).adjustments;
  const blockSize = model.blockSize;
  const flatten = model.flatten as number;
  const chars = contextOf(params.word, blockSize);

  // At most 5 redraws a second (at once when the status changes).
  const flusher = useSessionFlusher<Progress>(200, ({ progress: pending, dirty }) => {
    if (pending) progress.value = pending;
    if (dirty) {
      chart.value = history.current.chartData(['loss', 'flat'], {
        maxPoints: 300,
        transform: Math.log10,
      });
      latest.value = evaluations.current.at(-1) ?? null;
    }
  });
  const handle = (event: SessionEvent) => {
    if (event.type === 'ready') {
      history.current.clear();
      evaluations.current = [];
      setInfo(event.info as WavenetInfo);
      setError(null);
      flusher.markDirty(true);
    } else if (event.type === 'progress') {
      if ((event.slice.series.loss?.length ?? 0) > 0) {
        history.current.append(event.slice.firstStep, event.slice.series);
        flusher.markDirty();
      }
      evaluations.current.push(...(event.slice.events as WavenetEvaluation[]));
      flusher.progress(toVitalsProgress(event));
    } else if (event.type === 'error') {
      setError(event.message);
    }
  };
  const dataProblem =
    words.length < 3
      ? `The WaveNet needs at least 3 words (for an 80/10/10 split), got ${words.length}.`
      : null;
  const session = useSession({
    enabled: dataProblem === null,
    key: 'wavenet',
    kind: 'wavenet',
    init: () => ({ words: [...words], settings: toWavenetSettings(state.values.peek()) }),
    identity: [words],
    onEvent: handle,
  });
  useEffect(() => {
    if (!dataProblem) session.send({ type: 'configure', config: settings });
  }, [settings]);
  const ready = info !== null;
  const levels = Math.round(Math.log(blockSize) / Math.log(flatten));

  return (
    <div class="wavenet-page">
      <section class="panel" aria-labelledby="wavenet-what">
        <h2 id="wavenet-what">A hierarchy instead of one squash</h2>
        <DataNotice />
        <p>
          The MLP of part 2 concatenates all {blockSize} characters' embeddings and crushes them
          through one hidden layer at once. The WaveNet-style model fuses them slowly: each level (
          <span class="mono">FlattenConsecutive({flatten})</span> → Linear → BatchNorm1d → Tanh)
          merges {flatten} neighbours, so after {levels} levels one unit has seen the whole context.
          Here it trains beside a flat model (one level) given as many parameters, on the same
          minibatches.
        </p>
      </section>

      <section class="panel" aria-labelledby="wavenet-tree">
        <h2 id="wavenet-tree">Which characters each unit sees</h2>
        <div class="controls">
          <label>
            Context (the characters typed so far)
            <input
              type="text"
              name="word"
              value={params.word}
              maxLength={64}
              onChange={(e) => state.set({ word: e.currentTarget.value })}
            />
          </label>
        </div>
        <p class="muted">
          The last {blockSize} characters before the next one, padded with the boundary{' '}
          <span class="mono">.</span>; each unit's label is what it sees (hover a unit for its
          span).
        </p>
        <div class="row">
          <div>
            <h3 class="subhead">Hierarchy ({levels} levels)</h3>
            <PlotFigure
              title="the hierarchy as a tree over the context's characters"
              data-testid="wavenet-tree-hier"
              deps={[blockSize, flatten, chars.join('')]}
              render={() => renderTree(blockSize, flatten, chars, HIER)}
            />
          </div>
          <div>
            <h3 class="subhead">Flat (one level)</h3>
            <PlotFigure
              title="the flat model: one unit sees every character at once"
              data-testid="wavenet-tree-flat"
              deps={[blockSize, chars.join('')]}
              render={() => renderTree(blockSize, blockSize, chars, FLAT)}
            />
          </div>
        </div>
      </section>

      <section class="panel" aria-labelledby="wavenet-settings">
        <h2 id="wavenet-settings">Model and training</h2>
        <div class="controls" data-testid="model-controls">
          <SchemaControls
            schema={wavenetFamily.schema}
            values={model as unknown as Record<string, ConfigValue>}
            onChange={(field, value) => state.set({ [flagOf(field)]: value })}
          />
        </div>
        <ClampNote notes={clampNotes} />
        <div class="controls">
          <NumberField state={state} name="lr" label="Learning rate (SGD)" />
          <NumberField state={state} name="steps" label="Steps" />
          <NumberField state={state} name="batch" label="Batch size" />
          <NumberField state={state} name="eval" label="Dev loss every" />
          <NumberField state={state} name="seed" label="Seed" />
          <NumberField state={state} name="split" label="Split seed" />
        </div>
        <p class="muted">
          Every change starts both over; the learning rate drops to a tenth for the last quarter.
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
                  data-testid="wavenet-status"
                  data-status={p?.status ?? 'paused'}
                  data-step={p?.step ?? 0}
                >
                  {ready
                    ? `${p?.status ?? 'paused'} · step ${formatCount(p?.step ?? 0)} / ${formatCount(params.steps)} · ${Math.round(p?.stepsPerSecond ?? 0)} steps/s (each model)`
                    : dataProblem
                      ? 'Waiting for a longer word list.'
                      : 'Preparing the data…'}
                </p>
              </>
            );
          }}
        />
      </section>

      <section class="panel" aria-labelledby="wavenet-loss">
        <h2 id="wavenet-loss">Hierarchy vs flat, same parameter count</h2>
        <div class="row">
          <Live
            render={() => (
              <LineChart
                title="log10 of both models' training loss, averaged over stretches of steps"
                data={chart.value}
                xLabel="step"
                yLabel="log10 loss"
                width={640}
                height={300}
                series={[
                  { label: 'hierarchy', color: HIER, width: 2 },
                  { label: 'flat', color: FLAT, width: 2 },
                ]}
                references={[
                  {
                    label: `uniform guess (ln ${info?.vocabSize ?? vocabSize})`,
                    y: Math.log10(Math.log(info?.vocabSize ?? vocabSize)),
                    color: '#777',
                  },
                ]}
              />
            )}
          />
          <Live
            render={() => {
              const e = latest.value;
              return (
                <table class="mono" data-testid="wavenet-numbers">
                  <caption>Dev loss{e ? ` at step ${formatCount(e.step)}` : ''}</caption>
                  <thead>
                    <tr>
                      <th />
                      <th scope="col">hierarchy</th>
                      <th scope="col">flat</th>
                    </tr>
                  </thead>
                  <tbody>
                    <tr>
                      <th scope="row">dev loss</th>
                      <td data-testid="dev-hier">{formatDecimal(e?.hier)}</td>
                      <td data-testid="dev-flat">{formatDecimal(e?.flat)}</td>
                    </tr>
                    <tr>
                      <th scope="row">parameters</th>
                      <td data-testid="params-hier">{info ? formatCount(info.parameters) : '—'}</td>
                      <td data-testid="params-flat">
                        {info ? formatCount(info.flatParameters) : '—'}
                      </td>
                    </tr>
                    <tr>
                      <th scope="row">hidden units</th>
                      <td>{info ? String(info.config.nHidden) : '—'}</td>
                      <td>{info ? String(info.flatConfig.nHidden) : '—'}</td>
                    </tr>
                  </tbody>
                </table>
              );
            }}
          />
        </div>
        {info?.devExamples === 0 ? (
          <p class="alert" data-testid="no-dev">
            This word list is too short to leave any dev words after the 80/10/10 split: only the
            training losses can be compared.
          </p>
        ) : null}
        <p class="muted">
          Dev loss on the first {formatCount(info?.devExamples ?? 4096)} dev examples. The lecture
          (names.txt, 200,000 steps): the hierarchy with 24-dimensional embeddings and 128 hidden
          units (76,579 parameters) reaches 1.769 train / 1.993 val; the flat context-8 MLP (22,097
          parameters) 1.918 / 2.027.
        </p>
      </section>
    </div>
  );
}
