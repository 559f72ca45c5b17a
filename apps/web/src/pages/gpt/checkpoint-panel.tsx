/**
 * Save the model to files and open one: the CLI's checkpoint (`checkpoint.json` and
 * `model.safetensors`, what `lmp train` writes), so a model trained in the page continues in the
 * CLI and one trained with `lmp train` opens here. The worker builds and checks the files; a
 * checkpoint of another family (or a broken one) is refused with its message and the model being
 * trained stays.
 */
import type { Signal } from '@preact/signals';
import { Alert } from '../../ui/alert.js';
import type { CallError, LmInfo } from './lm-kind.js';

/** Offers `bytes` as a download named `name`. */
function download(name: string, bytes: Uint8Array | string, type: string): void {
  const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The message of a `save`/`load` answer (a save also starts the downloads). */
function onResult(name: string, value: unknown, info: LmInfo | null): string {
  const error = (value as CallError).error;
  if (error !== undefined) {
    return name === 'load'
      ? `Not opened: ${error} The current model is kept.`
      : `Not saved: ${error}`;
  }
  if (name === 'save') {
    const files = value as { 'checkpoint.json': string; 'model.safetensors': Uint8Array };
    download('checkpoint.json', files['checkpoint.json'], 'application/json');
    download('model.safetensors', files['model.safetensors'], 'application/octet-stream');
    return `Saved checkpoint.json and model.safetensors (${(files['model.safetensors'].length / 1e6).toFixed(2)} MB): put them in one folder, then lmp generate --from FOLDER.`;
  }
  const loaded = (value as { loaded: LmInfo }).loaded ?? info;
  return `Opened ${loaded?.loadedFrom ?? 'the checkpoint'}: a ${loaded?.family} model with ${loaded?.numParameters} parameters.`;
}

export function CheckpointPanel(props: {
  family: string;
  message: Signal<string | null>;
  ready: boolean;
  call: (name: string, args: unknown) => void;
  loadedFrom?: string;
}) {
  const message = props.message.value;
  return (
    <section class="panel" aria-labelledby="lm-files">
      <h2 id="lm-files">Save and open</h2>
      <p>
        The same checkpoint as <span class="mono">lmp train --model {props.family}</span> writes (
        <span class="mono">model.safetensors</span> carries its{' '}
        <span class="mono">checkpoint.json</span>; choose both for one saved before December 2026).
        An opened model continues its saved run; changing a setting starts a fresh one.
      </p>
      <div class="controls">
        <button type="button" disabled={!props.ready} onClick={() => props.call('save', {})}>
          Save the model
        </button>
        <label>
          Open a checkpoint
          <input
            type="file"
            name="checkpoint"
            multiple
            accept=".safetensors,.json"
            disabled={!props.ready}
            onChange={async (e) => {
              const list = [...(e.currentTarget.files ?? [])];
              const files: Record<string, string | Uint8Array> = {};
              for (const file of list) {
                files[file.name.endsWith('.json') ? 'checkpoint.json' : 'model.safetensors'] =
                  file.name.endsWith('.json')
                    ? await file.text()
                    : new Uint8Array(await file.arrayBuffer());
              }
              props.message.value = 'Opening…';
              props.call('load', { files, fileName: list.map((f) => f.name).join(' + ') });
            }}
          />
        </label>
      </div>
      {message?.startsWith('Not ') ? (
        <Alert message={message} testId="file-error" />
      ) : (
        <p class="muted" data-testid="file-message">
          {message ?? (props.loadedFrom ? `Opened ${props.loadedFrom}.` : '')}
        </p>
      )}
    </section>
  );
}
CheckpointPanel.onResult = onResult;
