/**
 * Bigram counts (makemore part 1): the count matrix N as the lecture's heatmap, one row's
 * distribution, add-k smoothing, the NLL of the data and of a typed word, seeded sampling.
 * The logic lives in `bigram-table.ts`; this component only wires it to the URL and the DOM.
 */
import * as Plot from '@observablehq/plot';
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { dataset } from '../../state/dataset.js';
import { DataNotice } from '../../ui/data-notice.js';
import { formatCount } from '../../ui/format.js';
import { NumberField } from '../../ui/number-field.js';
import { ResetDefaultsButton } from '../../ui/reset-defaults-button.js';
import { SliderField } from '../../ui/slider-field.js';
import { useUrlState } from '../../ui/use-url-state.js';
import { Heatmap } from '../../viz/heatmap.js';
import { PlotFigure } from '../../viz/plot-figure.js';
import {
  buildBigramTable,
  datasetNll,
  rowDistribution,
  sampleNames,
  wordNll,
} from './bigram-table.js';

const schema = {
  k: { type: 'number', default: 1, min: 0, max: 10 },
  seed: { type: 'number', default: 2147483647, min: 0, max: 4294967295, integer: true },
  n: { type: 'number', default: 10, min: 1, max: 50, integer: true },
  row: { type: 'string', default: '.', maxLength: 2 },
  word: { type: 'string', default: 'andrejq', maxLength: 40 },
} as const;

function formatP(p: number): string {
  return p === 0 ? '0' : p >= 0.001 ? p.toFixed(4) : p.toExponential(2);
}

export default function BigramPage() {
  const state = useUrlState(schema);
  const words = dataset.value.words;
  const table = useMemo(() => buildBigramTable(words), [words]);
  // Slider drags and typing update the page at once but write the URL only when they pause:
  // each URL write is a same-document navigation that re-renders the shell (~10-20 ms).
  const [draft, setDraft] = useState<{ k?: number; word?: string }>({});
  const pending = useRef<{ k?: number; word?: string }>({});
  const commitTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const edit = (patch: { k?: number; word?: string }) => {
    pending.current = { ...pending.current, ...patch };
    setDraft(pending.current);
    if (commitTimer.current !== null) clearTimeout(commitTimer.current);
    commitTimer.current = setTimeout(() => {
      commitTimer.current = null;
      state.set(pending.current);
      pending.current = {};
      setDraft({});
    }, 300);
  };
  const discardEdits = () => {
    if (commitTimer.current !== null) clearTimeout(commitTimer.current);
    commitTimer.current = null;
    pending.current = {};
    setDraft({});
  };
  useEffect(
    () => () => {
      if (commitTimer.current !== null) clearTimeout(commitTimer.current);
    },
    [],
  );
  const values = state.values.value;
  const k = draft.k ?? values.k;
  const word = draft.word ?? values.word;
  const { seed, n, row: rowChar } = values;
  const row = Math.max(0, table.itos.indexOf(rowChar));

  const color = useMemo(() => {
    const scale = Plot.scale({
      color: { type: 'linear', scheme: 'blues', domain: [0, table.maxCount] },
    });
    return (value: number) => scale.apply(value) as string;
  }, [table]);
  const textColor = useCallback(
    (value: number) => (value > table.maxCount * 0.45 ? '#ffffff' : '#4a5060'),
    [table],
  );
  const labels = useCallback(
    (r: number, c: number): [string, string] => {
      const cell = table.cells[r * table.V + c];
      return [cell.pair, String(cell.count)];
    },
    [table],
  );
  const selectRow = useCallback(
    (r: number) => {
      if (table.itos[r] !== state.values.value.row) state.set({ row: table.itos[r] });
    },
    [table, state],
  );
  const counts = useMemo(() => Float64Array.from(table.cells, (c) => c.count), [table]);

  const distribution = rowDistribution(table, row, k);
  const data = datasetNll(table, k);
  const score = wordNll(table, word.trim(), k);
  const samples = useMemo(
    () => sampleNames(table, { seed, count: n, smoothing: k }),
    [table, seed, n, k],
  );
  const zeroPairs = score.ok ? score.bigrams.filter((b) => b.p === 0).map((b) => b.pair) : [];
  const cellSize = 38;

  return (
    <div class="bigram-page">
      <section class="panel" aria-labelledby="bigram-what">
        <h2 id="bigram-what">What is computed</h2>
        <DataNotice />
        <p>
          Every word of <strong>{dataset.value.name}</strong> ({formatCount(words.length)} words) is
          wrapped in the boundary token: <span class="mono">.emma.</span> gives the pairs{' '}
          <span class="mono">.e em mm ma a.</span>. The heatmap counts every pair:{' '}
          <span class="mono">N[i][j]</span> = how often character j follows character i (
          {formatCount(table.total)} bigrams, {table.V} × {table.V} ={' '}
          {formatCount(table.V * table.V)} cells). Normalising a row gives the model:{' '}
          <span class="mono">P(j | i) = (N[i][j] + k) / Σⱼ (N[i][j] + k)</span>.
        </p>
        <p class="muted">
          Try: click a row (or Tab to it; ↑ ↓ move) to see what follows that character. Set k to 0
          and score <span class="mono">andrejq</span>. Change the seed to sample other names.
        </p>
      </section>

      <section class="panel" aria-labelledby="bigram-heatmap">
        <h2 id="bigram-heatmap">The counts N</h2>
        <div class="heatmap-scroll" style={{ overflowX: 'auto', contain: 'layout style paint' }}>
          <Heatmap
            itos={table.itos}
            values={counts}
            color={color}
            textColor={textColor}
            labels={labels}
            cellSize={cellSize}
            selectedRow={row}
            onSelectRow={selectRow}
            title={`Bigram counts: ${table.V} by ${table.V} cells, each with its pair and count`}
          />
        </div>
      </section>

      <div class="row">
        <section class="panel" style={{ flex: '1 1 520px' }} aria-labelledby="bigram-row">
          <h2 id="bigram-row">
            What follows <span class="mono">'{table.itos[row]}'</span>
          </h2>
          <p class="muted">
            Row {row} of N normalised (k = {k}): the probability of each next character.{' '}
            {row === 0 ? 'Row "." is how words start.' : 'Column "." is the chance the word ends.'}
          </p>
          <PlotFigure
            title={`Probability of each character after '${table.itos[row]}'`}
            deps={[distribution]}
            render={() =>
              Plot.plot({
                width: 560,
                height: 240,
                marginLeft: 50,
                x: { label: 'next character', domain: table.itos as string[] },
                y: {
                  label: 'P(next)',
                  grid: true,
                  domain: [0, Math.max(0.05, ...distribution.map((d) => d.p))],
                },
                marks: [
                  Plot.barY(distribution, {
                    x: 'next',
                    y: 'p',
                    fill: '#2f6fb3',
                    title: (d: (typeof distribution)[number]) =>
                      `'${table.itos[row]}${d.next}': count ${d.count}, P = ${formatP(d.p)}`,
                  }),
                  Plot.ruleY([0]),
                ],
              })
            }
          />
        </section>

        <section class="panel" style={{ flex: '1 1 360px' }} aria-labelledby="bigram-smoothing">
          <h2 id="bigram-smoothing">Smoothing and the loss</h2>
          <div class="controls">
            <SliderField
              label="add-k smoothing k"
              shown={k}
              ariaLabel="add-k smoothing"
              min={0}
              max={10}
              step={0.1}
              value={k}
              onInput={(value) => edit({ k: value })}
            />
            <ResetDefaultsButton state={state} afterReset={discardEdits} />
          </div>
          <p>
            NLL of the whole data set:{' '}
            <strong class="mono" data-testid="dataset-nll">
              {data.nll.toFixed(4)}
            </strong>
          </p>
          <p class="muted">
            NLL = −(1/n) Σ log P(next | current) over all n = {formatCount(data.count)} bigrams. k =
            0 is the maximum-likelihood model (the lowest NLL on this data); a larger k pulls every
            row toward uniform (log {table.V} = {Math.log(table.V).toFixed(4)}): worse on the data,
            but no pair is ever impossible.
          </p>
        </section>
      </div>

      <section class="panel" aria-labelledby="bigram-word">
        <h2 id="bigram-word">Score a word</h2>
        <div class="controls">
          <label>
            word
            <input
              type="text"
              value={word}
              maxLength={40}
              spellcheck={false}
              onInput={(event) => edit({ word: event.currentTarget.value })}
            />
          </label>
        </div>
        {score.ok ? (
          <>
            <table class="mono bigram-word-table">
              <thead>
                <tr>
                  <th scope="col">pair</th>
                  <th scope="col">count</th>
                  <th scope="col">P</th>
                  <th scope="col">−log P</th>
                </tr>
              </thead>
              <tbody>
                {score.bigrams.map((b, i) => (
                  <tr key={i} class={b.p === 0 ? 'impossible' : undefined}>
                    <td>{b.pair}</td>
                    <td>{b.count}</td>
                    <td>{formatP(b.p)}</td>
                    <td>{Number.isFinite(b.nll) ? b.nll.toFixed(4) : '∞'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <p>
              NLL of “{word.trim()}” (average over its {score.bigrams.length} bigrams):{' '}
              <strong class="mono" data-testid="word-nll">
                {Number.isFinite(score.nll) ? score.nll.toFixed(4) : '∞'}
              </strong>
            </p>
            {zeroPairs.length > 0 ? (
              <p class="alert" role="status">
                {zeroPairs.map((p) => `“${p}”`).join(', ')}{' '}
                {zeroPairs.length === 1 ? 'never occurs' : 'never occur'} in the data, so with k = 0
                {zeroPairs.length === 1 ? ' its probability is' : ' their probability is'} 0 and
                −log 0 = ∞: the model calls this word impossible, and one such pair makes the NLL of
                the whole text infinite. Smoothing (k &gt; 0) adds a pseudo-count to every pair so
                that nothing is impossible.
              </p>
            ) : null}
          </>
        ) : (
          <p class="muted" role="status">
            {score.error}
          </p>
        )}
      </section>

      <section class="panel" aria-labelledby="bigram-sample">
        <h2 id="bigram-sample">Sample names</h2>
        <p class="muted">
          Start at “.”, draw the next character from row P[current] (multinomial), repeat until “.”
          comes out. The same seed always gives the same names in this browser (k = 1 and seed
          2147483647 on the lecture's names.txt give mor, axx, minaymoryles, kondlaisah,
          anchshizarie).
        </p>
        <div class="controls">
          <NumberField state={state} name="seed" label="seed" />
          <NumberField state={state} name="n" label="how many" />
          <button type="button" onClick={() => state.set({ seed: (seed + 1) % 4294967296 })}>
            Next seed
          </button>
        </div>
        <ol class="mono bigram-samples" data-testid="samples">
          {samples.map((name, i) => (
            <li key={i}>{name}</li>
          ))}
        </ol>
      </section>
    </div>
  );
}
