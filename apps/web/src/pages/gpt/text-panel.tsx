/**
 * Which text the GPT trains on: the bundled book, or the learner's own (pasted, or a file read
 * as UTF-8 with the data page's `decodeText`). A new text is checked (`textProblem`) before it
 * replaces the one in use: a bad one gets its message and the current model keeps training.
 */
import { useState } from 'preact/hooks';
import { Alert } from '../../ui/alert.js';
import { formatCount } from '../../ui/format.js';
import { decodeText } from '../data/decode-text.js';
import type { LmInfo } from './lm-kind.js';
import { ownText, textProblem } from './text-source.js';

export function TextPanel(props: {
  blockSize: number;
  problem: string | null;
  info: LmInfo | null;
}) {
  const [draft, setDraft] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const use = (text: string, label: string) => {
    const problem = textProblem(text, props.blockSize, label);
    setMessage(problem);
    if (!problem) ownText.value = { text, label };
  };
  const own = ownText.value;
  const info = props.info;
  return (
    <section class="panel" aria-labelledby="gpt-text">
      <h2 id="gpt-text">The text</h2>
      <p data-testid="text-source">
        Training on{' '}
        <strong>{own ? own.label : 'Moby Dick (Herman Melville, 1851), the bundled book'}</strong>
        {info
          ? `: ${formatCount(info.train)} ${info.tokensPerCharacter === 1 ? 'characters' : 'tokens'} to train on, ${formatCount(info.dev)} to validate, a vocabulary of ${info.vocabSize}.`
          : '.'}
      </p>
      <details>
        <summary>Train on your own text</summary>
        <div class="controls">
          <label class="prompt-field">
            Paste a text
            <textarea
              name="own-text"
              rows={4}
              value={draft}
              onInput={(e) => setDraft(e.currentTarget.value)}
            />
          </label>
        </div>
        <div class="controls">
          <button type="button" onClick={() => use(draft, 'pasted text')}>
            Train on the pasted text
          </button>
          <label>
            or upload a .txt file
            <input
              type="file"
              name="text-file"
              accept=".txt,text/plain"
              onChange={async (e) => {
                const file = e.currentTarget.files?.[0];
                if (!file) return;
                try {
                  use(decodeText(new Uint8Array(await file.arrayBuffer()), file.name), file.name);
                } catch (error) {
                  setMessage(error instanceof Error ? error.message : String(error));
                }
              }}
            />
          </label>
          <button type="button" disabled={!own} onClick={() => (ownText.value = null)}>
            Back to the book
          </button>
        </div>
      </details>
      <Alert message={message ?? props.problem} testId="text-problem" />
    </section>
  );
}
