/**
 * A labelled number input bound to one number parameter of a page's URL state. Its range comes
 * from the schema; it commits on `change` (Enter, or leaving the field), not on every keystroke,
 * so half-typed numbers ("1e", "0.") never reach the URL or the trainer.
 */
import type { ParamSpec, Schema, ValuesOf } from '../state/url-state.js';
import { parseNumberInput } from './parse-number.js';
import type { NumberKey, PageState } from './use-url-state.js';

export interface NumberFieldProps<S extends Schema> {
  state: PageState<S>;
  /** The parameter's key: also the input's `name`, so tests and forms can find it. */
  name: NumberKey<S>;
  /** The visible label, which is also the input's accessible name. */
  label: string;
  /** The spinner's step: 1 for integer parameters and `'any'` for the others unless given. */
  step?: number | 'any';
  /** A tooltip on the label, for a short explanation. */
  hint?: string;
  /** The input's CSS width, such as `'7rem'` (default: the browser's). */
  width?: string;
}

/**
 * An empty or malformed entry puts the current value back; values out of range are clamped by the
 * URL state.
 *
 * @example
 * ```tsx
 * <NumberField state={state} name="seed" label="seed" />
 * ```
 */
export function NumberField<S extends Schema>(props: NumberFieldProps<S>) {
  const { state, name } = props;
  const spec = state.schema[name] as Extract<ParamSpec, { type: 'number' }>;
  const value = state.values.value[name] as number;
  return (
    <label title={props.hint}>
      {props.label}
      <input
        type="number"
        name={name}
        min={spec.min}
        max={spec.max}
        step={props.step ?? (spec.integer ? 1 : 'any')}
        value={value}
        style={props.width ? { width: props.width } : undefined}
        onChange={(event) => {
          const input = event.currentTarget;
          const parsed = parseNumberInput(input.value);
          if (parsed === null) input.value = String(value);
          else state.set({ [name]: parsed } as Partial<ValuesOf<S>>);
        }}
      />
    </label>
  );
}
