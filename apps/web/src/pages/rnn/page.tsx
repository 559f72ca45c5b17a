/**
 * makemore.py's sequence models on the word list: the RNN, the GRU, the transformer and the BoW
 * (`model=`), each configured from its family's schema, trained in the session worker (the GPT
 * page's kind: `prepareRun`, makemore's Trainer), with the loss, eight sampled names at every
 * evaluation, and inside: the RNN's or GRU's hidden state after each character of a name as a
 * heatmap [T × nEmbd2], the transformer's attention over the name.
 */
import { CharTokenizer } from '@llm-playground/data';
import { type ConfigValue, flagOf, getFamilyInfo } from '@llm-playground/makemore/schemas';
import { useSignal } from '@preact/signals';
import { useMemo } from 'preact/hooks';
import { SessionControls } from '../../session/session-controls.js';
import { dataset } from '../../state/dataset.js';
import { pageConfig } from '../../state/family-params.js';
import { Alert } from '../../ui/alert.js';
import { DataNotice } from '../../ui/data-notice.js';
import { ResetDefaultsButton } from '../../ui/reset-defaults-button.js';
import { SchemaControls } from '../../ui/schema-controls.js';
import { SelectField } from '../../ui/select-field.js';
import { useUrlState } from '../../ui/use-url-state.js';
import { CheckpointPanel } from '../gpt/checkpoint-panel.js';
import type { HiddenStates, Inspection } from '../gpt/lm-inspect.js';
import type { CallError } from '../gpt/lm-kind.js';
import { HiddenStateMap, LookInside } from '../gpt/look-inside.js';
import { LossPanel } from '../gpt/loss-panel.js';
import { RunFields } from '../gpt/run-fields.js';
import { TrainingStatus } from '../gpt/training-status.js';
import { useLmSession } from '../gpt/use-lm-session.js';
import { rnnSchema, toRnnSettings, ZOO_FAMILIES, zooSchema } from './params.js';
import '../gpt/gpt.css';

export default function RnnPage() {
  const state = useUrlState(rnnSchema);
  const params = state.values.value;
  const family = params.model;
  const settings = useMemo(() => toRnnSettings(params), [params]);
  const words = dataset.value.words;
  const vocabSize = useMemo(() => CharTokenizer.fromWords(words).vocabSize, [words]);
  const schema = zooSchema(family);
  const model = pageConfig(family, params, vocabSize).config;
  const hidden = useSignal<HiddenStates | null>(null);
  const attention = useSignal<Inspection | null>(null);
  const insideError = useSignal<string | null>(null);
  const fileMessage = useSignal<string | null>(null);
  const dataProblem =
    words.length < 3
      ? `These models need at least 3 words (for an 80/10/10 split), got ${words.length}.`
      : null;

  const lm = useLmSession({
    key: 'rnn',
    kind: 'zoo',
    enabled: dataProblem === null,
    identity: [words, family],
    settings,
    init: () => ({ family, words: [...words], settings: toRnnSettings(state.values.peek()) }),
    onResult: (name, value) => {
      const error = (value as CallError).error;
      if (name === 'hidden' || name === 'inspect') {
        insideError.value = error ?? null;
        if (error) return;
        // The new picture replaces the old one (a bad name keeps it, with the message).
        hidden.value = name === 'hidden' ? (value as HiddenStates) : null;
        attention.value = name === 'inspect' ? (value as Inspection) : null;
      } else if (name === 'save' || name === 'load') {
        fileMessage.value = CheckpointPanel.onResult(name, value, lm.info.value);
      }
    },
  });
  const info = lm.info.value;
  const recurrent = family === 'rnn' || family === 'gru';
  const lookInside = () => {
    lm.call(recurrent ? 'hidden' : 'inspect', {
      prompt: recurrent ? params.name : `.${params.name}`,
    });
  };

  return (
    <div class="gpt-page">
      <section class="panel" aria-labelledby="rnn-what">
        <h2 id="rnn-what">Reading a name one character at a time</h2>
        <DataNotice />
        <p>
          makemore.py's sequence models predict every next character of a name at once: the input is{' '}
          <span class="mono">.</span> followed by the name, the targets the name followed by{' '}
          <span class="mono">.</span>. The RNN carries a hidden state h from character to character,
          h = tanh(W [x; h]); the GRU adds gates that decide how much of h to keep; the transformer
          lets every position attend to the ones before it; the BoW averages them. Defaults are
          makemore.py's (AdamW 5e-4, batch 32; RNN 11,803 parameters on names.txt).
        </p>
      </section>

      <section class="panel" aria-labelledby="rnn-settings">
        <h2 id="rnn-settings">Model and training</h2>
        <div class="controls" data-testid="model-controls">
          <SelectField
            state={state}
            name="model"
            label="Model"
            options={ZOO_FAMILIES.map((f) => ({ value: f, label: getFamilyInfo(f).title }))}
          />
          <SchemaControls
            schema={schema}
            values={model as unknown as Record<string, ConfigValue>}
            onChange={(field, value) => state.set({ [flagOf(field)]: value })}
          />
        </div>
        <RunFields state={state} />
        <SessionControls
          progress={lm.progress}
          ready={info !== null}
          send={(c) => lm.session.send(c)}
        />
        <div class="controls">
          <ResetDefaultsButton state={state} />
        </div>
        <Alert message={dataProblem} testId="data-problem" />
        <Alert message={lm.error.value} testId="worker-error" />
        <TrainingStatus lm={lm} onUseRate={(lr) => state.set({ lr })} />
      </section>

      <LossPanel
        lm={lm}
        title="Train and dev loss"
        sampleLabel="Eight names (seed 1337)"
        heldOut="dev"
      />

      <section class="panel" aria-labelledby="rnn-inside">
        <h2 id="rnn-inside">{recurrent ? 'The hidden state over time' : 'Inside'}</h2>
        <p>
          {recurrent
            ? `The ${family.toUpperCase()}'s hidden state h after each character (rows, the boundary . first) — ${model.nEmbd2 ?? 64} numbers (columns); blue negative, red positive.`
            : family === 'transformer'
              ? 'The transformer has no hidden state carried along: each position attends to the ones before it. Its attention over the name:'
              : 'The BoW has neither a state nor attention weights to show: it averages the positions so far.'}
        </p>
        <div class="controls">
          <label>
            Name
            <input
              type="text"
              name="name"
              value={params.name}
              maxLength={40}
              onChange={(e) => state.set({ name: e.currentTarget.value })}
            />
          </label>
          <button type="button" disabled={info === null || family === 'bow'} onClick={lookInside}>
            Show
          </button>
        </div>
        <Alert message={insideError.value} testId="inside-error" />
        {hidden.value ? (
          <div class="hidden-map">
            <HiddenStateMap hidden={hidden.value} />
          </div>
        ) : null}
        {attention.value ? <LookInside inspection={attention.value} /> : null}
      </section>

      <CheckpointPanel
        family={family}
        message={fileMessage}
        ready={info !== null}
        call={lm.call}
        loadedFrom={info?.loadedFrom}
      />
    </div>
  );
}
