/**
 * The run settings both language-model pages (#/gpt, #/rnn) show: AdamW's rate, the steps, the
 * batch, how often to evaluate and sample, the seed.
 */
import type { Schema } from '../../state/url-state.js';
import { NumberField } from '../../ui/number-field.js';
import type { NumberKey, PageState } from '../../ui/use-url-state.js';

const FIELDS = [
  ['lr', 'Learning rate (AdamW)'],
  ['steps', 'Steps'],
  ['batch', 'Batch size'],
  ['eval', 'Evaluate and sample every'],
  ['seed', 'Seed'],
] as const;

type RunKey = (typeof FIELDS)[number][0];

export function RunFields<S extends Schema & Record<RunKey, { type: 'number' }>>(props: {
  state: PageState<S>;
}) {
  return (
    <div class="controls">
      {FIELDS.map(([name, label]) => (
        <NumberField key={name} state={props.state} name={name as NumberKey<S>} label={label} />
      ))}
    </div>
  );
}
