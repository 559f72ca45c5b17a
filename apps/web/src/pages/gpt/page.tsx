/**
 * GPT ("let's build GPT"): the `gpt` family configured from its schema and presets, trained in
 * the session worker on the bundled book (or the learner's text), its train and validation loss
 * and a sample that improves at every evaluation, streaming generation from a prompt, a look
 * inside (attention of every head, residual norms, top-k next characters), and the CLI's
 * checkpoint saved and opened. The logic lives in `lm-kind.ts` (worker), `use-lm-session.ts`,
 * `params.ts` and `text-source.ts`; this component wires them to views.
 */
import { type ConfigValue, flagOf, gptPresets } from '@llm-playground/makemore/schemas';
import { useSignal } from '@preact/signals';
import { useMemo } from 'preact/hooks';
import { route } from '../../router.js';
import { SessionControls } from '../../session/session-controls.js';
import { pageConfig, rawFlags } from '../../state/family-params.js';
import { Alert } from '../../ui/alert.js';
import { ClampNote } from '../../ui/clamp-note.js';
import { formatCount } from '../../ui/format.js';
import { NumberField } from '../../ui/number-field.js';
import { ResetDefaultsButton } from '../../ui/reset-defaults-button.js';
import { SchemaControls } from '../../ui/schema-controls.js';
import { useUrlState } from '../../ui/use-url-state.js';
import { CheckpointPanel } from './checkpoint-panel.js';
import { GeneratePanel, type Generation, onGenerateResult } from './generate-panel.js';
import type { Inspection } from './lm-inspect.js';
import type { CallError } from './lm-kind.js';
import { LookInside } from './look-inside.js';
import { LossPanel } from './loss-panel.js';
import {
  gptFamily,
  gptSchema,
  matchingPreset,
  PAGE_PRESETS,
  presetValues,
  toGptSettings,
} from './params.js';
import { RunFields } from './run-fields.js';
import { TextPanel } from './text-panel.js';
import { ownText, textProblem } from './text-source.js';
import { TrainingStatus } from './training-status.js';
import { useLmSession } from './use-lm-session.js';
import './gpt.css';

/** The book's vocabulary (the controls' config needs one before the worker says). */
const BOOK_VOCAB = 83;

export default function GptPage() {
  const state = useUrlState(gptSchema);
  const params = state.values.value;
  const settings = useMemo(() => toGptSettings(params), [params]);
  const own = ownText.value;
  const vocab = params.tokens === 'bpe' ? params.vocab : BOOK_VOCAB;
  const model = pageConfig(gptFamily.name, params, vocab).config;
  const clampNotes = pageConfig(
    gptFamily.name,
    rawFlags(gptFamily.schema, route.value.params),
    vocab,
  ).adjustments;
  const problem = own ? textProblem(own.text, model.blockSize, own.label) : null;
  const generation = useSignal<Generation | null>(null);
  const inspection = useSignal<Inspection | null>(null);
  const lookError = useSignal<string | null>(null);
  const fileMessage = useSignal<string | null>(null);

  const lm = useLmSession({
    key: 'gpt',
    kind: 'gpt',
    enabled: true,
    // A block size the learner's text is too short for: said below, and not applied.
    hold: problem !== null,
    identity: [own],
    settings,
    init: () => ({
      family: 'gpt',
      settings: toGptSettings(state.values.peek()),
      text: own?.text ?? null,
      textLabel: own?.label,
    }),
    onResult: (name, value) => {
      if (name === 'generate' || name === 'generate-more') {
        onGenerateResult(generation, value, (id) => lm.call('generate-more', { id }));
      } else if (name === 'inspect') {
        const error = (value as CallError).error;
        lookError.value = error ?? null;
        if (!error) inspection.value = value as Inspection;
      } else if (name === 'save' || name === 'load') {
        fileMessage.value = CheckpointPanel.onResult(name, value, lm.info.value);
      }
    },
  });
  const info = lm.info.value;
  const preset = matchingPreset(params);

  return (
    <div class="gpt-page">
      <section class="panel" aria-labelledby="gpt-what">
        <h2 id="gpt-what">A GPT, trained here on a book</h2>
        <p>
          The model of "let's build GPT": each character gets a token embedding plus a position
          embedding; blocks of LayerNorm → masked self-attention (each position mixes in the
          positions before it, weighted by softmax(q·k / √head size)) → residual, LayerNorm → MLP →
          residual; a final LayerNorm and a linear head give the next character's logits. The
          presets climb the lecture's ladder (bigram → one head → several heads → feed-forward →
          residual blocks → dropout). Training runs in a worker; the book's first 90% trains, the
          last 10% validates.
        </p>
      </section>

      <TextPanel blockSize={model.blockSize} problem={problem} info={info} />

      <section class="panel" aria-labelledby="gpt-settings">
        <h2 id="gpt-settings">Model and training</h2>
        <div class="controls">
          <label>
            Preset
            <select
              name="preset"
              value={preset ?? ''}
              onChange={(e) => {
                const name = e.currentTarget.value;
                if (name) state.set(presetValues(gptPresets[name]));
              }}
            >
              {preset === null ? <option value="">custom</option> : null}
              {PAGE_PRESETS.map((name) => (
                <option key={name} value={name} title={gptPresets[name].title}>
                  {name}
                </option>
              ))}
            </select>
          </label>
          <span class="muted">{preset ? gptPresets[preset].title : 'your own settings'}</span>
        </div>
        <div class="controls">
          <label>
            Tokens
            <select
              name="tokens"
              value={params.tokens}
              onChange={(e) => state.set({ tokens: e.currentTarget.value })}
            >
              <option value="chars">characters</option>
              <option value="bpe">BPE (GPT-4 split, trained on the text)</option>
            </select>
          </label>
          {params.tokens === 'bpe' ? (
            <NumberField state={state} name="vocab" label="BPE vocabulary size" />
          ) : null}
          <span class="muted">
            {info && info.tokensPerCharacter !== 1
              ? `BPE of ${formatCount(info.vocabSize)} tokens ${info.bpeSeconds === undefined ? 'from the checkpoint' : `trained in ${info.bpeSeconds.toFixed(2)} s`}: ${info.tokensPerCharacter.toFixed(3)} tokens per character`
              : 'a BPE is trained on the text before the model is built'}
          </span>
        </div>
        <div class="controls" data-testid="model-controls">
          <SchemaControls
            schema={gptFamily.schema}
            values={model as unknown as Record<string, ConfigValue>}
            onChange={(field, value) => state.set({ [flagOf(field)]: value })}
          />
        </div>
        <ClampNote notes={clampNotes} />
        <Alert message={problem} testId="settings-problem" />
        <RunFields state={state} />
        <p class="muted">
          Every change starts over with a fresh model (a model opened from a file too).
        </p>
        <SessionControls
          progress={lm.progress}
          ready={info !== null}
          send={(c) => lm.session.send(c)}
        />
        <div class="controls">
          <ResetDefaultsButton state={state} />
        </div>
        <Alert message={lm.error.value} testId="worker-error" />
        <TrainingStatus lm={lm} onUseRate={(lr) => state.set({ lr })} />
      </section>

      <LossPanel
        lm={lm}
        title="Train and validation loss"
        sampleLabel="Sample (seed 1337)"
        heldOut="validation"
      />

      <GeneratePanel
        state={state}
        generation={generation}
        ready={info !== null}
        onGenerate={(args) => {
          generation.value = { id: 0, prompt: args.prompt, text: '', done: false, error: null };
          lm.call('generate', args);
        }}
        onStop={() => {
          const g = generation.value;
          if (g) generation.value = { ...g, done: true };
        }}
      />

      <section class="panel" aria-labelledby="gpt-look">
        <h2 id="gpt-look">Look inside</h2>
        <p>
          For a prompt, what the model computes now: each head's attention weights (row: the query
          character; columns: the characters it reads, before it — the mask), how large the residual
          stream grows through the layers, and its top guesses for the next character at every
          position.
        </p>
        <div class="controls">
          <label>
            Prompt
            <input
              type="text"
              name="look"
              value={params.look}
              maxLength={64}
              onChange={(e) => state.set({ look: e.currentTarget.value })}
            />
          </label>
          <button
            type="button"
            disabled={info === null}
            onClick={() => lm.call('inspect', { prompt: params.look, topK: 5 })}
          >
            Look inside
          </button>
        </div>
        <Alert message={lookError.value} testId="look-error" />
        {inspection.value ? <LookInside inspection={inspection.value} /> : null}
      </section>

      <CheckpointPanel
        family="gpt"
        message={fileMessage}
        ready={info !== null}
        call={lm.call}
        loadedFrom={info?.loadedFrom}
      />
    </div>
  );
}
