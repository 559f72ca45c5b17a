/** A labelled drop-down bound to one enum parameter of a page's URL state. */
import type { Schema, ValuesOf } from '../state/url-state.js';
import type { EnumKey, PageState } from './use-url-state.js';

export interface SelectOption {
  /** The value stored in the URL. */
  value: string;
  /** What the learner reads. */
  label: string;
}

export interface SelectFieldProps<S extends Schema> {
  state: PageState<S>;
  /** The parameter's key: also the select's `name`. */
  name: EnumKey<S>;
  /** The visible label, which is also the select's accessible name. */
  label: string;
  /** The choices, in order; their values should be the schema's enum values. */
  options: readonly SelectOption[];
}

/**
 * Commits on every change: a choice is never half-made.
 *
 * @example
 * ```tsx
 * <SelectField
 *   state={state}
 *   name="opt"
 *   label="Optimizer"
 *   options={[{ value: 'sgd', label: 'SGD' }, { value: 'adam', label: 'Adam' }]}
 * />
 * ```
 */
export function SelectField<S extends Schema>(props: SelectFieldProps<S>) {
  const { state, name } = props;
  return (
    <label>
      {props.label}
      <select
        name={name}
        value={state.values.value[name] as string}
        onChange={(event) =>
          state.set({ [name]: event.currentTarget.value } as Partial<ValuesOf<S>>)
        }
      >
        {props.options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </label>
  );
}
