/**
 * The controls of a model family, made from its config schema alone (makemore's `ConfigField`s):
 * an `int`/`float` field is a number input, and with `scale: 'log'` also a slider that moves over
 * its range logarithmically; an `enum` is a select, a `boolean` a checkbox, a `string` a text
 * input. Labels are the fields' `help`, input names their CLI flags (`n-hidden`), ranges the
 * schema's. Adding a family to makemore adds its controls to the page with no code here.
 */
import type { ConfigField, ConfigSchema, ConfigValue } from '@llm-playground/makemore/schemas';
import { flagOf } from '@llm-playground/makemore/schemas';
import { parseNumberInput } from './parse-number.js';

export interface SchemaControlsProps {
  schema: ConfigSchema;
  /** The current values, keyed by field name (`nHidden`). */
  values: Readonly<Record<string, ConfigValue>>;
  /** A field changed (committed: Enter, leaving the input, releasing the slider, a click). */
  onChange: (field: ConfigField, value: ConfigValue) => void;
  disabled?: boolean;
}

/** "hidden units (tanh layer)" → "Hidden units (tanh layer)". */
function labelOf(field: ConfigField): string {
  return field.help.charAt(0).toUpperCase() + field.help.slice(1);
}

/** Slider positions between log10(min) and log10(max). */
const LOG_STEPS = 200;

/** Where `value` sits on a log slider over [min, max], as 0…LOG_STEPS. */
export function logPosition(value: number, min: number, max: number): number {
  const t = (Math.log(value) - Math.log(min)) / (Math.log(max) - Math.log(min));
  return Math.round(Math.min(1, Math.max(0, t)) * LOG_STEPS);
}

/** The value at a log slider's position (rounded for integer fields). */
export function logValue(position: number, field: ConfigField): number {
  const min = field.min as number;
  const max = field.max as number;
  const x = Math.exp(Math.log(min) + (position / LOG_STEPS) * (Math.log(max) - Math.log(min)));
  return field.type === 'int' ? Math.round(x) : Number(x.toPrecision(3));
}

function hasLogSlider(field: ConfigField): boolean {
  return (
    field.scale === 'log' &&
    field.min !== undefined &&
    field.max !== undefined &&
    field.min > 0 &&
    field.max > field.min
  );
}

function NumberControl(props: {
  field: ConfigField;
  value: number;
  onChange: (value: number) => void;
  disabled?: boolean;
}) {
  const { field, value } = props;
  const flag = flagOf(field);
  const label = labelOf(field);
  return (
    <label title={`--${flag}: ${field.help}`} class="schema-control">
      {label}
      <span class="schema-control-inputs">
        {hasLogSlider(field) ? (
          <input
            type="range"
            aria-label={`${label} (slider, logarithmic)`}
            data-flag={flag}
            min={0}
            max={LOG_STEPS}
            step={1}
            value={logPosition(value, field.min as number, field.max as number)}
            disabled={props.disabled}
            onChange={(event) => props.onChange(logValue(Number(event.currentTarget.value), field))}
          />
        ) : null}
        <input
          type="number"
          name={flag}
          min={field.min}
          max={field.max}
          step={field.type === 'int' ? 1 : 'any'}
          value={value}
          disabled={props.disabled}
          style={{ width: '6.5rem' }}
          onChange={(event) => {
            const input = event.currentTarget;
            const parsed = parseNumberInput(input.value);
            if (parsed === null) input.value = String(value);
            else props.onChange(parsed);
          }}
        />
      </span>
    </label>
  );
}

/**
 * @example
 * ```tsx
 * const family = getFamilyInfo('mlp');
 * <SchemaControls
 *   schema={family.schema}
 *   values={{ blockSize: 3, nEmbd: 10, nHidden: 200 }}
 *   onChange={(field, value) => state.set({ [flagOf(field)]: value })}
 * />
 * ```
 */
export function SchemaControls(props: SchemaControlsProps) {
  return (
    <>
      {props.schema.map((field) => {
        const flag = flagOf(field);
        const value = props.values[field.name] ?? field.default;
        const change = (next: ConfigValue) => props.onChange(field, next);
        switch (field.type) {
          case 'int':
          case 'float':
            return (
              <NumberControl
                key={field.name}
                field={field}
                value={value as number}
                onChange={change}
                disabled={props.disabled}
              />
            );
          case 'enum':
            return (
              <label key={field.name} title={`--${flag}: ${field.help}`}>
                {labelOf(field)}
                <select
                  name={flag}
                  value={value as string}
                  disabled={props.disabled}
                  onChange={(event) => change(event.currentTarget.value)}
                >
                  {(field.choices ?? []).map((choice) => (
                    <option key={choice} value={choice}>
                      {choice}
                    </option>
                  ))}
                </select>
              </label>
            );
          case 'boolean':
            return (
              <label key={field.name} title={`--${flag}: ${field.help}`} class="schema-checkbox">
                <input
                  type="checkbox"
                  name={flag}
                  checked={value === true}
                  disabled={props.disabled}
                  onChange={(event) => change(event.currentTarget.checked)}
                />
                {labelOf(field)}
              </label>
            );
          case 'string':
            return (
              <label key={field.name} title={`--${flag}: ${field.help}`}>
                {labelOf(field)}
                <input
                  type="text"
                  name={flag}
                  value={value as string}
                  disabled={props.disabled}
                  onChange={(event) => change(event.currentTarget.value)}
                />
              </label>
            );
          default:
            return null;
        }
      })}
    </>
  );
}
