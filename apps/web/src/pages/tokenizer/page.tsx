/**
 * Tokenization (issue 13): paste text and see it cut into tokens (coloured spans like the
 * tiktokenizer app, ids and bytes on hover, counts), by GPT-2's or GPT-4's real tokenizer (their
 * rank tables load on first use, each its own chunk) or by a BPE trained here, in a worker
 * (`train.worker.ts`), on the text or the bundled book: the merge table and the compression
 * curve grow while it trains. The logic is in `token-view.ts` and `train-run.ts`.
 */
import {
  type AllowedSpecial,
  loadPretrained,
  type PretrainedName,
  renderToken,
  type Tokenizer,
  tokenizerFromJSON,
} from '@llm-playground/tokenizer';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { SelectField } from '../../ui/select-field.js';
import { SliderField } from '../../ui/slider-field.js';
import { useUrlState } from '../../ui/use-url-state.js';
import { LineChart } from '../../viz/line-chart.js';
import {
  countCurve,
  DEFAULT_TEXT,
  describeSpan,
  ratios,
  type TokenSpan,
  textCounts,
  tokenSpans,
  visibleWhitespace,
} from './token-view.js';
import type { MergeRow, TrainMessage, TrainRequest } from './train-run.js';
import './tokenizer.css';

const schema = {
  tok: { type: 'enum', default: 'cl100k_base', values: ['gpt2', 'cl100k_base', 'trained'] },
  special: { type: 'enum', default: 'all', values: ['all', 'none_raise', 'none'] },
  kind: { type: 'enum', default: 'regex', values: ['regex', 'basic'] },
  source: { type: 'enum', default: 'text', values: ['text', 'book'] },
  vocab: { type: 'number', default: 512, min: 257, max: 4096, integer: true },
} as const;

/** The table shows the latest merges first; at most this many rows. */
const TABLE_ROWS = 400;

const pretrained = new Map<PretrainedName, Promise<Tokenizer>>();
function pretrainedTokenizer(name: PretrainedName): Promise<Tokenizer> {
  let promise = pretrained.get(name);
  if (!promise) {
    promise = loadPretrained(name);
    pretrained.set(name, promise);
  }
  return promise;
}

function download(name: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

interface Training {
  status: 'running' | 'done' | 'failed';
  source: string;
  bytes: number;
  rows: MergeRow[];
  curve: number[] | null;
  message: string;
  tokenizer: Tokenizer | null;
  json: string;
}

export default function TokenizerPage() {
  const state = useUrlState(schema);
  const values = state.values.value;
  const [text, setText] = useState(DEFAULT_TEXT);
  const [loaded, setLoaded] = useState<Partial<Record<PretrainedName, Tokenizer>>>({});
  const [loadError, setLoadError] = useState('');
  const [training, setTraining] = useState<Training | null>(null);
  const worker = useRef<Worker | null>(null);

  const name = values.tok === 'trained' ? null : (values.tok as PretrainedName);
  useEffect(() => {
    if (!name || loaded[name]) return;
    pretrainedTokenizer(name).then(
      (tokenizer) => setLoaded((before) => ({ ...before, [name]: tokenizer })),
      (error: Error) => setLoadError(`could not load ${name}: ${error.message}`),
    );
  }, [name, loaded]);
  useEffect(() => () => worker.current?.terminate(), []);

  const tokenizer = name ? (loaded[name] ?? null) : (training?.tokenizer ?? null);
  const result = useMemo(() => {
    if (!tokenizer || text === '') return null;
    try {
      return { spans: tokenSpans(tokenizer, text, values.special as AllowedSpecial), error: '' };
    } catch (error) {
      return { spans: [] as TokenSpan[], error: (error as Error).message };
    }
  }, [tokenizer, text, values.special]);

  const train = () => {
    worker.current?.terminate();
    const started: Training = {
      status: 'running',
      source: '',
      bytes: 0,
      rows: [],
      curve: null,
      message: 'starting…',
      tokenizer: null,
      json: '',
    };
    setTraining(started);
    const next = new Worker(new URL('./train.worker.ts', import.meta.url), { type: 'module' });
    worker.current = next;
    next.onmessage = (event: MessageEvent<TrainMessage>) => {
      const message = event.data;
      setTraining((before) => {
        const current = before ?? started;
        if (message.type === 'started')
          return { ...current, source: message.source, bytes: message.bytes, message: 'training…' };
        if (message.type === 'merges')
          return { ...current, rows: [...current.rows, ...message.rows] };
        if (message.type === 'failed')
          return { ...current, status: 'failed', message: message.message };
        return {
          ...current,
          status: 'done',
          curve: message.curve,
          tokenizer: tokenizerFromJSON(message.json),
          json: JSON.stringify(message.json),
          message: `${message.json.merges.length} merges in ${(message.ms / 1000).toFixed(2)} s`,
        };
      });
      if (message.type === 'done') state.set({ tok: 'trained' });
    };
    const request: TrainRequest = {
      type: 'train',
      kind: values.kind as 'regex' | 'basic',
      vocabSize: values.vocab,
      text: values.source === 'book' ? null : text,
    };
    next.postMessage(request);
  };

  const counts = result
    ? textCounts(
        text,
        result.spans.reduce((n, s) => n + s.ids.length, 0),
      )
    : null;
  return (
    <div class="tokenizer-page">
      <section class="panel" aria-labelledby="tok-title">
        <h2 id="tok-title">Text → tokens</h2>
        <p>
          A language model reads ids, not characters. Byte-pair encoding turns the text's UTF-8
          bytes into tokens: each merge learned from a training text joins a frequent pair of tokens
          into a new one. Hover over a token to see its id and bytes.
        </p>
        <div class="controls">
          <SelectField
            state={state}
            name="tok"
            label="Tokenizer"
            options={[
              { value: 'gpt2', label: 'GPT-2 (gpt2)' },
              { value: 'cl100k_base', label: 'GPT-4 (cl100k_base)' },
              { value: 'trained', label: 'trained here' },
            ]}
          />
          <SelectField
            state={state}
            name="special"
            label="Special tokens (allowedSpecial)"
            options={[
              { value: 'all', label: "'all': <|endoftext|> is one token" },
              { value: 'none_raise', label: "'none_raise': an error (tiktoken's default)" },
              { value: 'none', label: "'none': encoded as plain text" },
            ]}
          />
        </div>
        <label class="tok-text">
          Text
          <textarea rows={8} value={text} onInput={(event) => setText(event.currentTarget.value)} />
        </label>
        {text === '' && <p class="muted">The text is empty: paste some text to tokenize.</p>}
        {loadError && (
          <p class="alert" role="alert">
            {loadError}
          </p>
        )}
        {!tokenizer && !loadError && (
          <p class="muted" data-testid="tok-status">
            {name
              ? `loading the ${name} rank table…`
              : 'No tokenizer trained yet: train one below.'}
          </p>
        )}
        {result?.error && (
          <p class="alert" role="alert" data-testid="tok-error">
            {result.error}
          </p>
        )}
        {counts && !result?.error && (
          <>
            <p class="tok-counts" data-testid="tok-counts">
              {counts.characters.toLocaleString('en-US')} characters ·{' '}
              {counts.bytes.toLocaleString('en-US')} UTF-8 bytes ·{' '}
              {counts.tokens.toLocaleString('en-US')} tokens · {counts.ratio.toFixed(2)} bytes per
              token
            </p>
            <TokenText spans={result?.spans ?? []} />
            <details>
              <summary>Token ids</summary>
              <p class="mono tok-ids" data-testid="tok-ids">
                {(result?.spans ?? []).flatMap((span) => span.ids).join(', ')}
              </p>
            </details>
          </>
        )}
      </section>
      <section class="panel" aria-labelledby="train-title">
        <h2 id="train-title">Train a BPE</h2>
        <p>
          Training counts every adjacent pair of tokens, merges the most frequent pair into a new
          token (256, 257, …) and repeats until the vocabulary has the size asked for. The regex
          tokenizer first splits the text with GPT-4's pattern, so no merge crosses a word, number
          or punctuation boundary.
        </p>
        <div class="controls">
          <SelectField
            state={state}
            name="kind"
            label="BPE kind"
            options={[
              { value: 'regex', label: "RegexTokenizer (GPT-4's split)" },
              { value: 'basic', label: 'BasicTokenizer (bytes)' },
            ]}
          />
          <SelectField
            state={state}
            name="source"
            label="Train on"
            options={[
              { value: 'text', label: 'the text above' },
              { value: 'book', label: 'the bundled book (1.2 MB)' },
            ]}
          />
          <SliderField
            label="vocabulary size"
            ariaLabel="vocabulary size"
            shown={values.vocab}
            min={257}
            max={4096}
            step={1}
            value={values.vocab}
            onInput={(vocab) => state.set({ vocab })}
          />
          <button type="button" onClick={train} disabled={training?.status === 'running'}>
            Train
          </button>
        </div>
        {training && <TrainingView training={training} />}
      </section>
    </div>
  );
}

const COLOURS = 7;

function TokenText({ spans }: { spans: TokenSpan[] }) {
  return (
    <pre class="tok-spans" data-testid="tok-spans">
      {spans.map((span, i) => (
        <span
          key={i}
          class={`tok tok-${i % COLOURS}`}
          title={describeSpan(span)}
          data-ids={span.ids.join(' ')}
        >
          {visibleWhitespace(span.text)}
        </span>
      ))}
    </pre>
  );
}

function TrainingView({ training }: { training: Training }) {
  const { rows, bytes } = training;
  const vocab = (id: number): Uint8Array =>
    id < 256 ? Uint8Array.of(id) : Uint8Array.from(rows[id - 256]?.bytes ?? []);
  const estimate = ratios(
    bytes,
    countCurve(
      bytes,
      rows.map((row) => row.count),
    ),
  );
  const xs = estimate.map((_, m) => m);
  const exact = training.curve ? ratios(bytes, training.curve) : null;
  const shown = rows.slice(-TABLE_ROWS).reverse();
  return (
    <>
      <p
        class={training.status === 'failed' ? 'alert' : 'muted'}
        role={training.status === 'failed' ? 'alert' : 'status'}
        data-testid="train-status"
        data-status={training.status}
      >
        {training.source && `${training.source}, ${bytes.toLocaleString('en-US')} bytes: `}
        {training.status === 'running' ? `${rows.length} merges… ` : ''}
        {training.message}
      </p>
      {training.status === 'done' && training.tokenizer && (
        <div class="controls">
          <button
            type="button"
            onClick={() =>
              download('tokenizer.model', training.tokenizer!.toModelFile(), 'text/plain')
            }
          >
            Download .model (minbpe)
          </button>
          <button
            type="button"
            onClick={() => download('tokenizer.json', training.json, 'application/json')}
          >
            Download .json
          </button>
        </div>
      )}
      {rows.length > 0 && (
        <div class="tok-train">
          <LineChart
            title="Compression ratio (bytes per token) of the training text after each merge"
            xLabel="merges"
            yLabel="bytes per token"
            data={exact ? [xs, estimate, exact] : [xs, estimate]}
            series={[
              { label: 'from the pair counts', color: '#b3541e', dash: exact ? [4, 3] : undefined },
              ...(exact ? [{ label: 'exact', color: '#2f6fb3' }] : []),
            ]}
            width={520}
            height={240}
          />
          <div class="tok-merges">
            <table data-testid="merge-table">
              <caption>
                Merges, latest first ({rows.length.toLocaleString('en-US')}
                {rows.length > TABLE_ROWS ? `; the last ${TABLE_ROWS} shown` : ''})
              </caption>
              <thead>
                <tr>
                  <th scope="col">rank</th>
                  <th scope="col">pair</th>
                  <th scope="col">new token</th>
                  <th scope="col">count</th>
                </tr>
              </thead>
              <tbody>
                {shown.map((row) => (
                  <tr key={row.rank}>
                    <td>{row.rank}</td>
                    <td class="mono">
                      [{renderToken(vocab(row.pair[0]))}][{renderToken(vocab(row.pair[1]))}]
                    </td>
                    <td class="mono">
                      {row.id} [{renderToken(Uint8Array.from(row.bytes))}]
                    </td>
                    <td>{row.count.toLocaleString('en-US')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      )}
    </>
  );
}
