/**
 * Streaming generation: the prompt and its continuation, characters appearing as the worker
 * draws them (`generate` answers with the first chunk, each `generate-more` with the next, about
 * 30 ms of drawing each), with the temperature and top-k of nanoGPT's `sample.py`. Bad input (an
 * empty prompt, characters the model has never seen) comes back as the worker's message.
 */
import type { Signal } from '@preact/signals';
import { Alert } from '../../ui/alert.js';
import { NumberField } from '../../ui/number-field.js';
import type { PageState } from '../../ui/use-url-state.js';
import type { CallError, GenerateChunk } from './lm-kind.js';
import type { gptSchema } from './params.js';

export interface Generation {
  /** The worker's generation id (0 until its first chunk came). */
  id: number;
  prompt: string;
  text: string;
  done: boolean;
  error: string | null;
}

/**
 * Adds a chunk to the generation shown and asks for the next one (`more`) unless it is done or
 * the learner stopped it. A chunk of an older generation is dropped.
 *
 * @example
 * ```ts
 * const g = signal({ id: 0, prompt: 'Call', text: '', done: false, error: null });
 * onGenerateResult(g, { id: 3, text: ' me', done: false }, askFor); // g.text ' me', askFor(3)
 * ```
 */
export function onGenerateResult(
  generation: Signal<Generation | null>,
  value: unknown,
  more: (id: number) => void,
): void {
  const g = generation.value;
  if (!g) return;
  const error = (value as CallError).error;
  if (error !== undefined) {
    generation.value = { ...g, done: true, error };
    return;
  }
  const chunk = value as GenerateChunk;
  if (g.id !== 0 && chunk.id !== g.id) return;
  if (g.done) return; // stopped by the learner
  generation.value = { ...g, id: chunk.id, text: g.text + chunk.text, done: chunk.done };
  if (!chunk.done) more(chunk.id);
}

export function GeneratePanel(props: {
  state: PageState<typeof gptSchema>;
  generation: Signal<Generation | null>;
  ready: boolean;
  onGenerate: (args: {
    prompt: string;
    maxNewTokens: number;
    temperature: number;
    topK: number;
    seed: number;
  }) => void;
  onStop: () => void;
}) {
  const { state } = props;
  const params = state.values.value;
  const g = props.generation.value;
  const running = g !== null && !g.done;
  return (
    <section class="panel" aria-labelledby="gpt-generate">
      <h2 id="gpt-generate">Generate</h2>
      <div class="controls">
        <label class="prompt-field">
          Prompt
          <textarea
            name="prompt"
            rows={2}
            value={params.prompt}
            maxLength={500}
            onChange={(e) => state.set({ prompt: e.currentTarget.value })}
          />
        </label>
        <NumberField state={state} name="n" label="Characters" />
        <NumberField
          state={state}
          name="temp"
          label="Temperature"
          hint="0: always the most likely character"
        />
        <NumberField state={state} name="topk" label="Top-k" hint="0: all characters" />
      </div>
      <div class="controls">
        <button
          type="button"
          disabled={!props.ready || running}
          onClick={() =>
            props.onGenerate({
              prompt: params.prompt,
              maxNewTokens: params.n,
              temperature: params.temp,
              topK: params.topk,
              seed: params.seed,
            })
          }
        >
          Generate
        </button>
        <button type="button" disabled={!running} onClick={props.onStop}>
          Stop
        </button>
      </div>
      <Alert message={g?.error} testId="generate-error" />
      {g && !g.error ? (
        <pre
          class="generation"
          data-testid="generation"
          data-done={String(g.done)}
          aria-live="polite"
        >
          <strong>{g.prompt}</strong>
          {g.text}
        </pre>
      ) : null}
    </section>
  );
}
