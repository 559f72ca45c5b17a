/**
 * Becoming a backprop ninja (makemore part 4): the lecture's forward pass step by step, and a box
 * per intermediate where the learner writes its gradient in JavaScript over the tensor API.
 * "Check" runs the boxes in a worker (`check-client.ts`, 2 s limit) on one fixed batch and fills
 * the lecture's `cmp` table; errors show at their line, hints and solutions come from
 * `exercises.ts`, the boxes are kept in localStorage (`progress.ts`), and a passing `dlogits`
 * is drawn as the lecture's imshow. Exercises 1–3 are tabs (`#/backprop?ex=2`).
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { useUrlState } from '../../ui/use-url-state.js';
import { Heatmap } from '../../viz/heatmap.js';
import {
  type BatchInfo,
  CheckClient,
  type CheckOutcome,
  createCheckWorker,
  type Matrix,
} from './check-client.js';
import type { BoxResult } from './evaluator.js';
import {
  API_NAMES,
  EXERCISE_LINES,
  EXERCISE_TITLES,
  type ExerciseLine,
  FORWARD_CODE,
} from './exercises.js';
import { loadProgress, saveProgress } from './progress.js';
import './backprop.css';

const schema = { ex: { type: 'enum', default: '1', values: ['1', '2', '3'] } } as const;

function formatDiff(x: number | undefined): string {
  if (x === undefined) return '';
  return x === 0 ? '0.0' : Number.isNaN(x) ? 'nan' : x.toPrecision(3);
}

export default function BackpropPage() {
  const state = useUrlState(schema);
  const exercise = Number(state.values.value.ex) as 1 | 2 | 3;
  const client = useMemo(() => new CheckClient(createCheckWorker), []);
  const [info, setInfo] = useState<BatchInfo | null>(null);
  const [sources, setSources] = useState(loadProgress);
  const [outcome, setOutcome] = useState<CheckOutcome | null>(null);
  const [checking, setChecking] = useState(false);
  const [saved, setSaved] = useState(true);
  /** Boxes changed since the last check: their marks and messages no longer apply. */
  const [edited, setEdited] = useState<ReadonlySet<string>>(new Set());

  useEffect(() => {
    client
      .info()
      .then(setInfo, (error: Error) => setOutcome({ kind: 'failed', message: error.message }));
    return () => client.stop();
  }, [client]);

  const edit = (id: string, text: string) => {
    const next = { ...sources, [id]: text };
    setSources(next);
    setSaved(saveProgress(next));
    if (!edited.has(id)) setEdited(new Set([...edited, id]));
  };
  const check = async () => {
    if (checking) return;
    setChecking(true);
    setOutcome(null);
    setEdited(new Set());
    setOutcome(await client.check(sources));
    setChecking(false);
  };

  const results = new Map<string, BoxResult>(
    outcome?.kind === 'results'
      ? outcome.results.filter((r) => !edited.has(r.id)).map((r) => [r.id, r])
      : [],
  );
  const lines = EXERCISE_LINES.filter((line) => line.exercise === exercise);
  const stuck = outcome?.kind === 'timeout' ? outcome : null;

  return (
    <>
      <section class="panel" aria-labelledby="bp-title">
        <h2 id="bp-title">Becoming a backprop ninja</h2>
        <p>
          The lecture's MLP with BatchNorm (n_hidden 64) on one minibatch of 32 from the bundled
          names{info ? `, loss ${info.loss.toFixed(4)}` : ''}, forward in small steps. Write the
          gradient of the loss with respect to each step, backwards from <code>dlogprobs</code>, and
          check it against autograd like the lecture's <code>cmp</code>: ✓ exact, ≈ within
          <code> torch.allclose</code> (rtol 1e-5, atol 1e-8), ✗ wrong.
        </p>
        <pre class="mono bp-code" data-testid="forward-code">
          {FORWARD_CODE}
        </pre>
        <p class="bp-note">
          A box is the body of a function that returns the gradient as a Tensor. It sees every
          tensor above by its name, the parameters (<code>C, W1, b1, W2, b2, bngain, bnbias</code>
          ), <code>Xb</code>, <code>Yb</code>, <code>n</code> (32), the gradients of the boxes
          before it (<code>dlogprobs</code>, …; yours where it passed, autograd's otherwise) and{' '}
          <code>{API_NAMES.join(', ')}</code>. The first box is a worked example. Your code runs in
          a worker on this page, stopped after 2 s, and is kept in this browser.
        </p>
      </section>
      <div class="bp-tabs" role="tablist" aria-label="Exercises">
        {([1, 2, 3] as const).map((ex) => (
          <button
            key={ex}
            type="button"
            role="tab"
            aria-selected={ex === exercise}
            class={ex === exercise ? 'primary' : ''}
            onClick={() => state.set({ ex: String(ex) })}
          >
            {EXERCISE_TITLES[ex]}
          </button>
        ))}
      </div>
      <div class="bp-layout">
        <section class="panel" aria-label={EXERCISE_TITLES[exercise]}>
          {lines.map((line) => (
            <LineBox
              key={line.id}
              line={line}
              source={sources[line.id] ?? ''}
              shape={info?.shapes[line.target]}
              result={results.get(line.id)}
              stuckMessage={stuck?.id === line.id && !edited.has(line.id) ? stuck.message : null}
              onEdit={(text) => edit(line.id, text)}
              onCheck={check}
            />
          ))}
        </section>
        <section class="panel bp-side" aria-labelledby="bp-cmp-title">
          <h3 id="bp-cmp-title">cmp</h3>
          <p class="bp-actions">
            <button type="button" class="primary" disabled={checking} onClick={check}>
              {checking ? 'Checking…' : 'Check'}
            </button>{' '}
            <span class="muted">(or Ctrl+Enter in a box)</span>
          </p>
          {outcome && outcome.kind !== 'results' && (
            <p class="alert" role="alert" data-testid="check-alert">
              {outcome.kind === 'timeout' && outcome.id ? `d${outcome.id}: ` : ''}
              {outcome.message}
            </p>
          )}
          {!saved && <p class="muted">This browser does not keep the boxes (storage is off).</p>}
          <CmpTable lines={lines} results={results} />
          {info && outcome?.kind === 'results' && outcome.dlogits && exercise < 3 && (
            <DlogitsPicture matrix={outcome.dlogits} itos={info.itos} />
          )}
        </section>
      </div>
    </>
  );
}

function LineBox(props: {
  line: ExerciseLine;
  source: string;
  shape: number[] | undefined;
  result: BoxResult | undefined;
  stuckMessage: string | null;
  onEdit: (text: string) => void;
  onCheck: () => void;
}) {
  const { line, source, result } = props;
  const [hint, setHint] = useState(false);
  const [solution, setSolution] = useState(false);
  const error = result?.error;
  const message =
    props.stuckMessage ??
    (error ? `${error.line ? `line ${error.line}: ` : ''}${error.message}` : null);
  const shapeNote = result?.gotShape
    ? `returned shape [${result.gotShape.join(', ')}], d${line.target} must be [${result.shape.join(', ')}]`
    : null;
  return (
    <div class="bp-box" data-testid={`box-${line.id}`}>
      <label for={`bp-${line.id}`} class="mono bp-label">
        <span class="bp-mark" data-testid={`mark-${line.id}`}>
          {result?.mark ?? ''}
        </span>
        d{line.target}
        {props.shape ? ` [${props.shape.join(', ')}]` : ''}
      </label>
      <span class="mono muted bp-through"> ← {line.through}</span>
      <textarea
        id={`bp-${line.id}`}
        class="mono"
        rows={Math.max(2, source.split('\n').length + 1)}
        spellcheck={false}
        value={source}
        placeholder={`return …; // d${line.target}`}
        onInput={(event) => props.onEdit(event.currentTarget.value)}
        onKeyDown={(event) => {
          if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) props.onCheck();
        }}
      />
      {(message ?? shapeNote) && (
        <p class="bp-error" role="alert" data-testid={`error-${line.id}`}>
          {message ?? shapeNote}
        </p>
      )}
      <p class="bp-help">
        <button type="button" aria-expanded={hint} onClick={() => setHint(!hint)}>
          Hint
        </button>{' '}
        <button type="button" aria-expanded={solution} onClick={() => setSolution(!solution)}>
          {solution ? 'Hide solution' : 'Show solution'}
        </button>
      </p>
      {hint && <p class="bp-note">{line.hint}</p>}
      {solution && <pre class="mono bp-code">{line.solution}</pre>}
    </div>
  );
}

function CmpTable(props: { lines: readonly ExerciseLine[]; results: Map<string, BoxResult> }) {
  const py = (b: boolean | undefined) => (b === undefined ? '' : b ? 'True' : 'False');
  return (
    <div class="bp-table-box">
      <table class="bp-table mono" data-testid="cmp-table">
        <thead>
          <tr>
            <th />
            <th>name</th>
            <th>exact</th>
            <th>approximate</th>
            <th>maxdiff</th>
          </tr>
        </thead>
        <tbody>
          {props.lines.map((line) => {
            const r = props.results.get(line.id);
            return (
              <tr key={line.id} data-testid={`cmp-${line.id}`}>
                <td>{r?.mark ?? (r?.status === 'error' ? '!' : '')}</td>
                <td>{line.target}</td>
                <td>{py(r?.exact)}</td>
                <td>{py(r?.approximate)}</td>
                <td>{r?.status === 'error' ? 'error' : formatDiff(r?.maxDiff)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** The lecture's `plt.imshow(dlogits, cmap='gray')`: 32 rows, one column per character. */
function DlogitsPicture(props: { matrix: Matrix; itos: string[] }) {
  const { matrix, itos } = props;
  const rows = useMemo(() => Array.from({ length: matrix.rows }, (_, i) => String(i)), [matrix]);
  const [color, title] = useMemo(() => {
    let [lo, hi] = [Infinity, -Infinity];
    for (const v of matrix.values) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
    const gray = (v: number) => {
      const g = Math.round((255 * (v - lo)) / (hi - lo || 1));
      return `rgb(${g}, ${g}, ${g})`;
    };
    const cell = (r: number, c: number) =>
      `dlogits[${r}, ${c}] ('${itos[c]}') = ${matrix.values[r * matrix.cols + c].toPrecision(4)}`;
    return [gray, cell];
  }, [matrix, itos]);
  return (
    <figure class="bp-figure">
      <Heatmap
        mode="raster"
        itos={itos}
        rowLabels={rows}
        values={matrix.values}
        color={color}
        cellSize={12}
        title={`dlogits, ${matrix.rows} × ${matrix.cols}`}
        testId="dlogits-heatmap"
        cellTitle={title}
      />
      <figcaption class="bp-note">
        Your <code>dlogits</code> ({matrix.rows} × {matrix.cols}): each row is one example. The dark
        cell is its target, (p − 1)/n; every other cell is p/n, so each row sums to zero: the
        gradient pulls the right character's logit up and pushes the others down, each as hard as
        its probability.
      </figcaption>
    </figure>
  );
}
